from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language
from wagtail import views as wagtail_views

from portal import page_cache, serving
from portal.search import MAX_QUERY_LENGTH, parse_filters, search_kinds, search_pages, snippet

RESULTS_PER_PAGE = 10


# Results list pages of every kind, so any page change drops them, and so does the search index
# catching up; a short life bounds the room that arbitrary queries can take in the cache.
@page_cache.cache_public(page_cache.PAGES, page_cache.SEARCH, seconds=60)
@require_GET
def search(request):
    filters = parse_filters(request.GET)
    paginator = Paginator(search_pages(filters), RESULTS_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("halaman", 1))
    except PageNotAnInteger:
        page_obj = paginator.page(1)
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)
    pages = list(page_obj.object_list)
    specific = {p.pk: p for p in _specific(pages)}
    results = []
    for found in pages:
        page = specific.get(found.pk, found)
        results.append((page, snippet(page, filters.query), page.specific_class._meta.verbose_name))
    return TemplateResponse(
        request,
        "portal/search.html",
        {
            "filters": filters,
            "kinds": search_kinds(),
            "page_obj": page_obj,
            "results": results,
            "max_query_length": MAX_QUERY_LENGTH,
        },
    )


def _specific(pages):
    from wagtail.models import Page

    return Page.objects.filter(pk__in=[p.pk for p in pages]).specific() if pages else []


@page_cache.cache_public()
@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /cari/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def site_name() -> str:
    return settings.LONTAR_PUBLIC_SITE_NAME


def serve(request, path):
    """Wagtail's page serving, with the page found by ``portal.serving`` in a fixed number of queries."""
    route = serving.route_for_request(request, path)
    if route is not None:
        page = route[0]
        tags = page.page_cache_tags() if hasattr(page, "page_cache_tags") else {f"page:{page.pk}", page_cache.PAGES}
        page_cache.tag_response(request, *tags)
    return wagtail_views.serve(request, path)


# The language switch is on every public page. With a CSRF token those pages would each set a
# cookie and differ per reader, which defeats caching them for everyone; what a forged request
# could do here is switch a visitor's language, nothing more. Django's view still takes POST only
# and returns only to this site (``next`` is checked).
set_language = csrf_exempt(django_set_language)
