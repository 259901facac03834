from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from portal import views as portal_views
from portal.feeds import BeritaAtomFeed, BeritaFeed
from portal.page_cache import PAGES, cache_public

_berita_feed = cache_public("type:portal.beritapage")

# A database outage met inside a middleware reaches only the 500 handler: it answers 503 (ops.unavailable).
handler500 = "ops.views.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Probes for load balancers and supervisors (ops.health).
    path("", include("ops.urls")),
    path("dokumen/", include(wagtaildocs_urls)),
    path("cari/", portal_views.search, name="search"),
    # Cached for anonymous readers and dropped when what they list changes (portal.page_cache).
    path("feed/berita.rss", _berita_feed(BeritaFeed()), name="feed_berita_rss"),
    path("feed/berita.atom", _berita_feed(BeritaAtomFeed()), name="feed_berita_atom"),
    path("feed/berita/<slug:slug>.rss", _berita_feed(BeritaFeed()), name="feed_kategori_rss"),
    path("feed/berita/<slug:slug>.atom", _berita_feed(BeritaAtomFeed()), name="feed_kategori_atom"),
    path("sitemap.xml", cache_public(PAGES)(sitemap), name="sitemap"),
    path("robots.txt", portal_views.robots_txt, name="robots_txt"),
    # The public site's language switch posts to Django's set_language (a cookie, no session).
    path("i18n/setlang/", portal_views.set_language, name="set_language"),
    # The agenda's iCalendar feed: a fixed address outside the page tree (see kegiatan.urls).
    path("", include("kegiatan.urls")),
    # The open-data catalogue at the address harvesters expect (see opendata.urls).
    path("", include("opendata.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Public pages: Wagtail's serving after routing in a fixed number of queries (portal.serving).
    re_path(serve_pattern, portal_views.serve, name="portal_serve"),
    path("", include(wagtail_urls)),
]
