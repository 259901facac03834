"""Serving a public page in a fixed, small number of queries, whatever its depth.

Wagtail's own routing walks the URL one level at a time: the site (1 query), the home page's
specific row (1), then for every level below it the child by slug and its specific row (2 each),
then the view restrictions of the page and its ancestors (2). A berita two levels down costs 8
before its template starts. Lontar's public pages must stay within 8 in all (issue 4), so
``route_for_request`` does the same work in at most 2 queries with the caches warm:

- the site comes from a small cache of the site records (cleared when a site changes), the
  home page's tree location from Wagtail's own cached site root paths;
- every page on the URL's path comes in one query (by slug, then matched on ``url_path`` in
  Python), each annotated with whether it carries a view restriction;
- the deepest page found comes as its specific type in one more query (none for the home
  page, whose type the cached site already knows).

The result is left where Wagtail looks for it (``request._wagtail_route_for_request`` and
``request._wagtail_site``), then Wagtail's own ``serve`` view does the rest: hooks, view
restrictions, ``serve()``. Pages mix in :class:`ServedPage` so that, when the route already
showed that no page on the path is restricted, Wagtail's restriction check costs no query.

Where a routable page and one of its child pages could both answer a URL, the child page wins
here (Wagtail would try the routable page's routes first); Lontar's routes never shadow a
child's slug, and the tests in ``portal/tests/test_serving.py`` pin the behaviour.
"""

from __future__ import annotations

import re

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.http.request import split_domain_port
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction, Site

SITES_CACHE_KEY = "lontar:serving:sites"
ASCII_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
SITES_CACHE_SECONDS = 3600

# Wagtail's ranking of the sites that may answer a host (wagtail.models.sites.get_site_for_hostname).
_MATCH_HOSTNAME_PORT, _MATCH_HOSTNAME_DEFAULT, _MATCH_DEFAULT, _MATCH_HOSTNAME = range(4)


class ServedPage:
    """Mixed into every public page type: trusts the route's finding about view restrictions."""

    # Foreign keys the page's own template always reads, fetched with the page itself.
    serve_select_related: tuple[str, ...] = ()
    # Kinds of item (``app.model``, lower case) this page lists besides its own children and its
    # own kind; the full-page cache drops the page when one of them changes (portal.page_cache).
    page_cache_lists: tuple[str, ...] = ()

    def page_cache_tags(self) -> set[str]:
        """What this page shows, for portal.page_cache: itself, its children (index pages list
        them), items of its own kind (related lists) and the kinds in ``page_cache_lists``."""
        return {
            f"page:{self.pk}",
            f"section:{self.pk}",
            f"type:{self._meta.label_lower}",
            *(f"type:{label}" for label in self.page_cache_lists),
        }

    def get_view_restrictions(self):
        if getattr(self, "_route_unrestricted", False):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def clean(self):
        super().clean()
        # Wagtail's editor accepts any Unicode slug whatever WAGTAIL_ALLOW_UNICODE_SLUGS says (the
        # setting steers only its JavaScript): "pаmeran" with a Cyrillic "а" would be a second
        # address reading the same as "pameran". Addresses of the public site are plain ASCII.
        if self.slug and not ASCII_SLUG.fullmatch(self.slug):
            raise ValidationError(
                {"slug": _("Slug hanya boleh berisi huruf Latin tanpa aksen, angka, tanda hubung, dan garis bawah.")}
            )


def public(queryset: QuerySet) -> QuerySet:
    """``queryset`` without pages that are, or lie under, a page with a view restriction.

    The same test as Wagtail's ``PageQuerySet.public()``, as a subquery instead of a separate
    query reading every restriction on the site first: each public list stays one query, which
    matters on the home page where several sections meet."""
    restricted = PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    return queryset.filter(~Exists(restricted))


def cached_sites() -> list[Site]:
    sites = cache.get(SITES_CACHE_KEY)
    if sites is None:
        sites = list(Site.objects.select_related("root_page").order_by("pk"))
        cache.set(SITES_CACHE_KEY, sites, SITES_CACHE_SECONDS)
    return sites


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _forget_sites(**kwargs):
    cache.delete(SITES_CACHE_KEY)


def site_for_request(request) -> Site | None:
    """The site answering ``request``, ranked as Wagtail ranks them, from the cached site list."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    ranked = []
    for site in cached_sites():
        if site.hostname == hostname and str(site.port) == str(port):
            ranked.append((_MATCH_HOSTNAME_PORT, site))
        elif site.hostname == hostname and site.is_default_site:
            ranked.append((_MATCH_HOSTNAME_DEFAULT, site))
        elif site.is_default_site:
            ranked.append((_MATCH_DEFAULT, site))
        elif site.hostname == hostname:
            ranked.append((_MATCH_HOSTNAME, site))
    ranked.sort(key=lambda pair: pair[0])
    best = None
    if len(ranked) == 1 or (ranked and ranked[0][0] in (_MATCH_HOSTNAME_PORT, _MATCH_HOSTNAME_DEFAULT)):
        best = ranked[0][1]
    elif ranked and ranked[0][0] == _MATCH_DEFAULT:
        # One other site on this hostname (another port) wins over the default; several don't.
        best = ranked[len(ranked) == 2][1]
    request._wagtail_site = best
    return best


def _root_path(site: Site) -> str | None:
    for root in Site.get_site_root_paths():
        if root.site_id == site.pk:
            return root.root_path
    return None


def _restriction_flag():
    return Exists(PageViewRestriction.objects.filter(page_id=OuterRef("pk")))


def route_for_request(request, path: str):
    """Route ``path`` as Wagtail's ``Page.route_for_request`` does, and cache it on the request."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    try:
        result = _route(request, path)
    except Http404:
        result = None
    request._wagtail_route_for_request = result
    return result


def _route(request, path: str):
    site = site_for_request(request)
    if site is None:
        return None
    root_path = _root_path(site)
    if root_path is None:
        return None
    components = [component for component in path.split("/") if component]
    root_model = site.root_page.specific_class
    if not components:
        home = root_model.objects.annotate(_restricted=_restriction_flag()).get(pk=site.root_page_id)
        return _serve_deepest(request, [home], home, [])

    candidates = (
        Page.objects.filter(
            Q(pk=site.root_page_id) | Q(slug__in=set(components), url_path__startswith=root_path),
            depth__lte=site.root_page.depth + len(components),
        )
        .annotate(_restricted=_restriction_flag())
        .order_by("depth")
    )
    by_url_path = {page.url_path: page for page in candidates}
    chain, url_path = [], root_path
    for depth, component in enumerate([None, *components]):
        if depth:
            url_path = f"{url_path}{component}/"
        page = by_url_path.get(url_path)
        if page is None:
            break
        if chain:
            # Treebeard's get_parent() reads this, so breadcrumbs cost no query (profil.selectors).
            page._cached_parent_obj = chain[-1]
        chain.append(page)
    if not chain:
        return None
    deepest = chain[-1]
    model = deepest.specific_class
    remaining = components[len(chain) - 1 :]
    if model is None or (remaining and model.route is Page.route):
        # Nothing deeper exists (the query above would have found it) and no route could answer.
        raise Http404
    # Its restriction flag came with the chain; _serve_deepest reads the chain's.
    specific = model.objects.select_related(*getattr(model, "serve_select_related", ())).get(pk=deepest.pk)
    if len(chain) > 1:
        specific._cached_parent_obj = chain[-2]
    return _serve_deepest(request, chain, specific, remaining)


def _serve_deepest(request, chain: list[Page], page: Page, remaining: list[str]):
    # Aliases take the restrictions of the page they copy: those are Wagtail's to find.
    if not any(p._restricted or p.alias_of_id for p in chain):
        page._route_unrestricted = True
    return page.route(request, remaining)
