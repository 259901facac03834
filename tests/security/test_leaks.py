"""What must never leave the building: drafts (in the sitemap, search, feeds, catalogues, APIs or
the shared page cache) and the insides of a server error."""

import importlib
import os
import sys
from unittest import mock

from django.core.cache import caches
from django.test import Client, TestCase, override_settings

from desk.tests import sop_driver as D
from desk.tests.helpers import client_for, page_form_data
from lontar.testing import build_world
from opendata.tests.utils import data_item

# Distinctive words that only drafts contain.
DRAFT_WORD = "Rahasiadraf"
REVISION_WORD = "Revisirahasia"


class DraftLeakTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        # A berita at step 5 (never published), a data set and an agenda event still on the desk.
        cls.draft = D.build_item(p, step=5, topic=f"Pameran {DRAFT_WORD} UMKM")
        data_item(p, topic=f"Data {DRAFT_WORD} desa", to_step=5)
        kegiatan = D.start_item(p, topic=f"Kegiatan {DRAFT_WORD} bupati", kind="kegiatan")
        D.draft(kegiatan)
        D.advance(kegiatan, p, to_step=6)
        # A published berita whose newer revision (not yet through the SOP) has another title.
        cls.live = D.publish_berita(p, topic="Panen raya padi", summary="Panen raya di Subak Jatiluwih.")
        revision = cls.live.specific
        revision.title = f"Panen {REVISION_WORD} padi"
        revision.summary = f"Ringkasan {REVISION_WORD}."
        revision.save_revision(user=p["staf"])

    PUBLIC_URLS = [
        "/",
        "/berita/",
        "/sitemap.xml",
        "/feed/berita.rss",
        "/feed/berita.atom",
        "/robots.txt",
        "/data/",
        "/data/data.json",
        "/data/data-json/",
        "/agenda/",
        "/agenda/kalender.ics",
        f"/cari/?q={DRAFT_WORD}",
        f"/cari/?q={REVISION_WORD}",
        "/cari/?q=pameran",
        "/cari/?q=panen",
    ]

    def assert_no_draft_words(self, client, urls):
        for url in urls:
            with self.subTest(url=url):
                response = client.get(url)
                self.assertIn(response.status_code, (200, 404), url)
                body = response.content.decode()
                if url.startswith("/cari/"):
                    # The search page repeats what was asked; what it found is the list.
                    self.assertNotIn(DRAFT_WORD, "".join(page.title for page, *_ in response.context["results"]))
                    self.assertNotIn(REVISION_WORD, "".join(page.title for page, *_ in response.context["results"]))
                    if DRAFT_WORD in url or REVISION_WORD in url:
                        self.assertIn("Tidak ada hasil", body)
                    continue
                self.assertNotIn(DRAFT_WORD, body)
                self.assertNotIn(REVISION_WORD, body)

    def test_drafts_are_nowhere_on_the_public_site(self):
        self.assert_no_draft_words(Client(), self.PUBLIC_URLS)
        # The published title is there: the checks above look at real pages.
        self.assertIn(
            "Panen raya padi", Client().get("/sitemap.xml").content.decode() + Client().get("/berita/").content.decode()
        )
        self.assertEqual(Client().get(self.live.url).status_code, 200)
        self.assert_no_draft_words(Client(), [self.live.url])
        # The draft's own address answers 404.
        draft_page = self.draft.page
        self.assertEqual(Client().get(f"/berita/{draft_page.slug}/").status_code, 404)

    def test_there_is_no_public_page_api(self):
        for url in ("/api/v2/pages/", "/api/v2/pages/?search=" + DRAFT_WORD, "/api/pages/", "/api/"):
            with self.subTest(url=url):
                self.assertEqual(Client().get(url).status_code, 404)
        # The admin API needs a signed-in admin user.
        response = Client().get("/admin/api/main/pages/", {"search": DRAFT_WORD})
        self.assertIn(response.status_code, (302, 401, 403))
        self.assertNotIn(DRAFT_WORD, response.content.decode())

    @override_settings(LONTAR_PAGE_CACHE_SECONDS=300)
    def test_a_preview_never_reaches_the_shared_page_cache(self):
        caches["default"].clear()
        visitor = Client()
        url = self.live.url
        first = visitor.get(url)
        self.assertEqual(first["X-Cache"], "MISS")
        # The site administrator previews the page with its unpublished title, and reads the
        # public address while signed in.
        admin = client_for(self.people["admin"])
        preview_url = f"/admin/pages/{self.live.pk}/edit/preview/"
        admin.post(preview_url, page_form_data(self.live.specific, title=f"Pratinjau {REVISION_WORD}"))
        preview = admin.get(preview_url, {"mode": ""})
        self.assertNotEqual(preview.get("X-Cache"), "HIT")
        admin.get(url)
        # Visitors keep getting the published page, from the cache and after it is emptied.
        for state in ("HIT", "MISS"):
            if state == "MISS":
                caches["default"].clear()
            response = visitor.get(url)
            self.assertEqual(response["X-Cache"], state)
            self.assertNotIn(REVISION_WORD, response.content.decode())
            self.assertIn("Panen raya padi", response.content.decode())
        # The never-published draft stays 404 for visitors after its writer previewed it.
        item = D.build_item(self.people, step=3, topic=f"Naskah {DRAFT_WORD} kedua")
        staf = client_for(self.people["staf"])
        staf.post(f"/admin/pages/{item.page.pk}/edit/preview/", page_form_data(item.page))
        staf.get(f"/admin/pages/{item.page.pk}/edit/preview/", {"mode": ""})
        for _ in range(2):
            response = visitor.get(f"/berita/{item.page.slug}/")
            self.assertEqual(response.status_code, 404)
            self.assertNotIn("X-Cache", response)


def boom(request):
    raise RuntimeError(f"SECRET-IN-EXCEPTION {os.environ.get('HOME', '')}")


urlpatterns = []  # filled in below, once lontar.urls can be imported


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
class ServerErrorTest(TestCase):
    @classmethod
    def setUpClass(cls):
        from django.urls import path

        from lontar import urls as lontar_urls

        urlpatterns[:] = [path("uji-galat/", boom), *lontar_urls.urlpatterns]
        super().setUpClass()

    def test_a_server_error_shows_a_plain_indonesian_page_without_a_trace(self):
        client = Client(raise_request_exception=False)
        with self.assertLogs("django.request", "ERROR"):
            response = client.get("/uji-galat/")
        self.assertEqual(response.status_code, 500)
        body = response.content.decode()
        self.assertIn("Terjadi kesalahan pada server", body)
        self.assertIn('<html lang="id">', body)
        for leak in ("Traceback", "SECRET-IN-EXCEPTION", "RuntimeError", "boom", "settings", "/work/", "DJANGO_"):
            self.assertNotIn(leak, body)

    def test_production_settings_keep_debug_off_whatever_the_environment_says(self):
        environment = {
            "DJANGO_SECRET_KEY": "x" * 50,
            "DATABASE_URL": "postgres://u:p@db/lontar",
            "REDIS_URL": "redis://r:6379/0",
            "DJANGO_ALLOWED_HOSTS": "tabanankab.go.id",
            "DJANGO_DEBUG": "1",
        }
        # Imported afresh (base too: it reads the environment when imported), then put back.
        saved = {
            name: sys.modules.pop(name)
            for name in ("lontar.settings.base", "lontar.settings.production")
            if name in sys.modules
        }
        try:
            with mock.patch.dict(os.environ, environment):
                production = importlib.import_module("lontar.settings.production")
        finally:
            sys.modules.pop("lontar.settings.production", None)
            sys.modules.update(saved)
            package = sys.modules["lontar.settings"]
            for name, module in saved.items():
                setattr(package, name.rsplit(".", 1)[1], module)
        self.assertIs(production.DEBUG, False)
        self.assertTrue(production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE)
