"""Reads for the profil section and the site chrome (header, menu, breadcrumbs, footer, banners).

Query costs (measured in profil/tests/test_chrome.py):
- ``site_chrome``: no query while cached; when the cache is empty, 1 query when the site was
  never configured (defaults), 2 when it was (the settings row, then all its links with their
  pages). A page link's URL needs Wagtail's site root paths, which the pages already load.
- ``breadcrumbs``: no query for the page being served (Wagtail's routing already walked its
  ancestors), 1 for any other page deeper than a section index.
- ``banners_active``: 1 query when no banner is showing, 2 otherwise (banners with their images,
  then the renditions the carousel shows), however many banners there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from portal.serving import public, site_for_request
from profil.blocks import IMAGE_FIELDS
from profil.models import Banner, ProfilIndexPage, ProfilPage
from profil.site_settings import MenuItem, SiteIdentity
from sop.models import SopStep, SopVersion

# The menu when none is configured: the sections of the site, by their slugs (desk.content_types).
DEFAULT_MENU = [
    (_("Beranda"), "/"),
    (_("Berita"), "/berita/"),
    (_("Pengumuman"), "/pengumuman/"),
    (_("Agenda"), "/agenda/"),
    (_("Potensi Daerah"), "/potensi-daerah/"),
    (_("Data"), "/data/"),
    (_("PPID"), "/ppid/"),
    (_("Profil"), "/profil/"),
]

BANNER_SPECS = ("fill-640x240|format-webp", "fill-1280x480|format-webp")
_CHROME_ATTR = "_profil_site_chrome"
CHROME_CACHE_KEY = "lontar:profil:chrome"
CHROME_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool = False
    external: bool = False


@dataclass
class SiteChrome:
    identity: SiteIdentity
    menu: list[NavLink] = field(default_factory=list)
    footer_links: list[NavLink] = field(default_factory=list)


def _is_current(url: str, request_path: str | None) -> bool:
    if not request_path or not url.startswith("/"):
        return False
    return request_path == url if url == "/" else request_path.startswith(url)


def _nav_link(item: MenuItem, *, request, request_path: str | None) -> NavLink | None:
    if item.link_page_id:
        page = item.link_page
        # A link to a page that is not (or no longer) public is left out rather than shown broken.
        if page is None or not page.live:
            return None
        url = page.get_url(request)
        if not url:
            return None
        return NavLink(item.label or page.title, url, _is_current(url, request_path))
    if not item.link_url:
        return None
    external = item.link_url.startswith(("http://", "https://"))
    return NavLink(item.label or item.link_url, item.link_url, _is_current(item.link_url, request_path), external)


def site_chrome(request=None) -> SiteChrome:
    """What the header and footer of every public page show, once per request.

    The identity and the links (with their pages' URLs resolved) are kept in the cache until the
    settings, a menu link or any page's publication changes (``forget_site_chrome``), so a warm
    page spends no query on its frame; only which link is current is worked out per request."""
    if request is not None and hasattr(request, _CHROME_ATTR):
        return getattr(request, _CHROME_ATTR)
    site = site_for_request(request) if request is not None else None
    key = f"{CHROME_CACHE_KEY}:{site.pk if site is not None else 0}"
    cached = cache.get(key)
    if cached is None:
        cached = _load_chrome(request)
        cache.set(key, cached, CHROME_CACHE_SECONDS)
    identity, links = cached
    request_path = getattr(request, "path", None)
    menu, footer = [], []
    for placement, label, url, external in links:
        link = NavLink(label, url, _is_current(url, request_path), external)
        (menu if placement == MenuItem.Placement.MAIN else footer).append(link)
    if not menu:
        menu = [NavLink(str(label), url, _is_current(url, request_path)) for label, url in DEFAULT_MENU]
    chrome = SiteChrome(identity=identity, menu=menu, footer_links=footer)
    if request is not None:
        setattr(request, _CHROME_ATTR, chrome)
        # Templates that read ``settings.profil.SiteIdentity`` get the same object, no query.
        setattr(request, SiteIdentity.get_cache_attr_name(), identity)
    return chrome


def _load_chrome(request) -> tuple[SiteIdentity, list[tuple[str, str, str, bool]]]:
    identity = (
        SiteIdentity.objects.prefetch_related(
            Prefetch("links", queryset=MenuItem.objects.select_related("link_page").order_by("sort_order", "pk"))
        )
        .order_by("pk")
        .first()
    )
    if identity is None:
        # Never configured: the office defaults, without writing a settings row on a public GET
        # (Wagtail's own ``SiteIdentity.load`` would create one).
        return SiteIdentity(), []
    links = []
    for item in identity.links.all():
        link = _nav_link(item, request=request, request_path=None)
        if link is not None:
            links.append((item.placement, link.label, link.url, link.external))
    # The cached copy needs none of the prefetched rows.
    identity._prefetched_objects_cache = {}
    return identity, links


def forget_site_chrome() -> None:
    """Called when anything the header or footer shows may have changed (profil.receivers)."""
    cache.delete_many([f"{CHROME_CACHE_KEY}:{pk}" for pk in [0, *Site.objects.values_list("pk", flat=True)]])


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str = ""


def breadcrumbs(*, page: Page | None, request=None, tail: str = "") -> list[Crumb]:
    """The trail from the home page to ``page`` (and to a route of it, named ``tail``). The last
    crumb has no link: it is where the reader is."""
    if page is None:
        return []
    site = Site.find_for_request(request) if request is not None else None
    root = site.root_page if site is not None else None
    if root is None or (page.pk == root.pk and not tail):
        return []
    trail = [Crumb(str(_("Beranda")), "/")]
    if page.pk != root.pk:
        if page.path.startswith(root.path):
            for ancestor in _ancestors_below(page, root):
                trail.append(Crumb(ancestor.title, (ancestor.get_url(request) or "") if ancestor.live else ""))
        trail.append(Crumb(page.title, (page.get_url(request) or "") if tail else ""))
    if tail:
        trail.append(Crumb(tail))
    return trail


def _ancestors_below(page: Page, root: Page) -> list[Page]:
    """The ancestors of ``page`` below ``root``, top-down.

    Wagtail's routing leaves on each page it walks through the parent it came from (treebeard's
    ``_cached_parent_obj``, which ``get_parent`` reads), so for the page being served the trail
    costs no query; for any other page it costs one.
    """
    chain, node = [], page
    while node.depth > root.depth + 1:
        parent = getattr(node, "_cached_parent_obj", None)
        if parent is None:
            return list(page.get_ancestors().filter(depth__gt=root.depth))
        chain.append(parent)
        node = parent
    return chain[::-1]


def banners_active(*, today=None):
    """The banners showing today (WITA), in their order, with their images and renditions."""
    today = today or timezone.localdate()
    Rendition = get_image_model().get_rendition_model()
    return (
        Banner.objects.filter(Q(active_from__isnull=True) | Q(active_from__lte=today))
        .filter(Q(active_until__isnull=True) | Q(active_until__gte=today))
        .select_related("image", "link_page")
        .prefetch_related(
            Prefetch(
                "image__renditions",
                queryset=Rendition.objects.filter(filter_spec__in=BANNER_SPECS),
                to_attr="prefetched_renditions",
            )
        )
        .order_by(F("sort_order").asc(nulls_last=True), "pk")
    )


def profil_children(*, parent: ProfilIndexPage):
    """The published profil pages of the section, in the order of the page tree."""
    return public(ProfilPage.objects.live()).child_of(parent).order_by("path")


def profil_index() -> ProfilIndexPage | None:
    return ProfilIndexPage.objects.order_by("path").first()


def sop_list():
    """The SOPs in force, each with its steps (two queries in all)."""
    return (
        SopVersion.objects.filter(is_current=True)
        .prefetch_related(Prefetch("steps", queryset=SopStep.objects.order_by("number")))
        .order_by("nomor")
    )


def sop_current_version(pk: int) -> SopVersion | None:
    """A version by its id, only while it is in force (the public sees the SOP that runs)."""
    return SopVersion.objects.filter(pk=pk, is_current=True).first()


def prefetch_body_renditions(body) -> None:
    """Attach to every image of a profil page's body the renditions its block shows, in one query."""
    images, specs = [], set()
    for block in body:
        if block.block_type in IMAGE_FIELDS:
            name, spec = IMAGE_FIELDS[block.block_type]
            image = block.value.get(name)
            if image is not None:
                images.append(image)
                specs.add(spec)
    if not images:
        return
    Rendition = get_image_model().get_rendition_model()
    renditions = Rendition.objects.filter(image__in={i.pk for i in images}, filter_spec__in=specs)
    by_image: dict[int, list] = {}
    for rendition in renditions:
        by_image.setdefault(rendition.image_id, []).append(rendition)
    for image in images:
        image.prefetched_renditions = by_image.get(image.pk, [])
