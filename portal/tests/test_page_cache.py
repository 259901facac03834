"""The full-page cache of anonymous public pages (portal.page_cache): hits cost no query, every
kind of change drops exactly the pages that show it, and nothing personal is stored or served.

Publishes go through the SOP's ten steps (desk.tests.sop_driver). Purges run after the
transaction commits, so changes are made inside ``captureOnCommitCallbacks(execute=True)``,
which runs them as a real commit would.
"""

import gzip
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from datetime import UTC, datetime
from unittest import mock

import time_machine
from django.conf import settings
from django.core.cache import caches
from django.test import TestCase, override_settings
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, PageViewRestriction
from wagtail.search.tasks import insert_or_update_object_task

from desk.models import sop_publish_authorised
from desk.tests import sop_driver as D
from lontar.testing import build_world
from portal.models import BeritaCategory, BeritaIndexPage, BeritaPage
from portal.page_cache import ALL, SEARCH, page_change_tags, purge
from profil.models import Banner
from profil.site_settings import MenuItem, SiteIdentity

ON = override_settings(LONTAR_PAGE_CACHE_SECONDS=300)


class CacheTestMixin:
    alias = "default"

    def setUp(self):
        caches[self.alias].clear()
        caches["default"].clear()

    @contextmanager
    def committed(self):
        with self.captureOnCommitCallbacks(execute=True):
            yield

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def assertCache(self, url, state, *, status=200, **kwargs):
        r = self.get(url, **kwargs)
        self.assertEqual(r.status_code, status, url)
        self.assertEqual(r.get("X-Cache"), state, url)
        return r

    def warm(self, *urls):
        for url in urls:
            self.get(url)
            self.assertCache(url, "HIT")

    @contextmanager
    def purged_midway(self, *tags, forget_note=False):
        """Purge ``tags`` after the view has rendered and before the cache stores its response."""
        from portal import page_cache

        original = page_cache.PageCacheMiddleware._store

        def purge_midway(middleware, cache, *args):
            with self.committed():
                page_cache.purge(*tags)
            if forget_note:
                cache.delete(page_cache._purge_log_key(cache.get(page_cache.EPOCH_KEY)))
            return original(middleware, cache, *args)

        with mock.patch.object(page_cache.PageCacheMiddleware, "_store", purge_midway):
            yield


@ON
class HitTest(CacheTestMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        cls.berita = D.publish_berita(p, topic="Panen raya di Penebel", summary="Ringkasan panen.")

    def test_second_anonymous_request_is_a_hit_without_queries(self):
        for url in [
            "/",
            "/berita/",
            self.berita.url,
            "/feed/berita.rss",
            "/feed/berita.atom",
            "/sitemap.xml",
            "/robots.txt",
            "/agenda/kalender.ics",
            "/data/data.json",
            "/pengumuman/",
        ]:
            with self.subTest(url=url):
                first = self.assertCache(url, "MISS")
                with self.assertNumQueries(0):
                    second = self.assertCache(url, "HIT")
                self.assertEqual(first.content, second.content)
                self.assertEqual(first["Content-Type"], second["Content-Type"])
                self.assertIn("Accept-Language", second["Vary"])

    def test_head_is_answered_from_the_entry_a_get_stored(self):
        self.assertCache("/berita/", "MISS")
        r = self.client.head("/berita/")
        self.assertEqual(r["X-Cache"], "HIT")
        self.assertEqual(r.content, b"")

    def test_query_strings_are_separate_entries(self):
        self.assertCache("/berita/", "MISS")
        self.assertCache("/berita/?halaman=2", "MISS")
        self.assertCache("/berita/?halaman=2", "HIT")
        self.assertCache("/berita/", "HIT")

    def test_search_is_cached_briefly_and_dropped_by_any_publish(self):
        self.assertCache("/cari/?q=panen", "MISS")
        self.assertCache("/cari/?q=panen", "HIT")
        with self.committed():
            D.publish_berita(self.people, topic="Panen kopi di Pupuan")
        r = self.assertCache("/cari/?q=panen", "MISS")
        self.assertContains(r, "Panen kopi di Pupuan")

    def test_not_found_and_post_are_not_stored(self):
        self.assertEqual(self.get("/tidak-ada/").status_code, 404)
        self.assertCache("/tidak-ada/", None, status=404)
        r = self.client.post("/berita/")
        self.assertNotIn("X-Cache", r)
        self.assertCache("/berita/", "MISS")  # the POST stored nothing

    def test_views_outside_the_public_pages_are_never_touched(self):
        r = self.get("/admin/login/")
        self.assertNotIn("X-Cache", r)

    def test_the_ppid_form_page_sets_a_cookie_and_is_never_stored(self):
        r = self.assertCache("/ppid/permohonan/", "BYPASS")
        self.assertIn(settings.CSRF_COOKIE_NAME, r.cookies)
        self.assertContains(r, "csrfmiddlewaretoken")
        # Even for a reader who already has the CSRF cookie (no new cookie, a token in the form).
        self.assertCache("/ppid/permohonan/", "BYPASS")
        self.assertCache("/ppid/permohonan/", "BYPASS")

    def test_turned_off_with_zero_seconds(self):
        with override_settings(LONTAR_PAGE_CACHE_SECONDS=0):
            self.assertNotIn("X-Cache", self.get("/"))
            self.assertNotIn("X-Cache", self.get("/"))


@ON
class ProxyCacheHeaderTest(CacheTestMixin, TestCase):
    """nginx keeps exactly what this cache holds, until the end of the current second."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def expires(self, response) -> int:
        value = response["X-Accel-Expires"]
        self.assertTrue(value.startswith("@"), value)
        return int(value[1:])

    def test_hits_and_stored_misses_may_be_kept_until_the_end_of_this_second(self):
        with time_machine.travel(datetime(2026, 11, 26, 3, 0, 0, 250000, tzinfo=UTC), tick=False):
            miss = self.assertCache("/berita/", "MISS")
            self.assertEqual(self.expires(miss), 1795662000)
        with time_machine.travel(datetime(2026, 11, 26, 3, 0, 7, 900000, tzinfo=UTC), tick=False):
            # The stored entry does not carry the old second: each answer names its own.
            hit = self.assertCache("/berita/", "HIT")
            self.assertEqual(self.expires(hit), 1795662007)

    def test_compressed_once_and_kept_apart_from_the_plain_page(self):
        plain = self.assertCache("/berita/", "MISS")
        packed = self.assertCache("/berita/", "MISS", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        self.assertEqual(packed["Content-Encoding"], "gzip")
        self.assertIn("Accept-Encoding", packed["Vary"])
        with self.assertNumQueries(0):
            again = self.assertCache("/berita/", "HIT", HTTP_ACCEPT_ENCODING="gzip")
        self.assertEqual(again.content, packed.content)  # stored compressed, not compressed per hit
        self.assertEqual(gzip.decompress(again.content), plain.content)
        hit = self.assertCache("/berita/", "HIT")  # a reader without gzip never gets it
        self.assertNotIn("Content-Encoding", hit)
        self.assertEqual(hit.content, plain.content)

    def test_nothing_else_is_marked_for_nginx(self):
        self.assertNotIn("X-Accel-Expires", self.assertCache("/ppid/permohonan/", "BYPASS"))
        self.assertNotIn("X-Accel-Expires", self.assertCache("/tidak-ada/", None, status=404))
        self.assertNotIn("X-Accel-Expires", self.get("/admin/login/"))
        self.client.force_login(self.people["kasi"])
        self.assertNotIn("X-Accel-Expires", self.assertCache("/berita/", "BYPASS"))
        with override_settings(LONTAR_PAGE_CACHE_SECONDS=0):
            self.client.logout()
            self.assertNotIn("X-Accel-Expires", self.get("/berita/"))


@ON
class LanguageTest(CacheTestMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_english_and_indonesian_are_cached_separately(self):
        indonesian = self.assertCache("/", "MISS")
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = self.assertCache("/", "MISS")
        self.assertContains(english, '<html lang="en">')
        self.assertContains(self.assertCache("/", "HIT"), '<html lang="en">')
        del self.client.cookies[settings.LANGUAGE_COOKIE_NAME]
        again = self.assertCache("/", "HIT")
        self.assertContains(again, '<html lang="id">')
        self.assertEqual(again.content, indonesian.content)
        # The browser's language decides as the cookie does.
        r = self.assertCache("/", "HIT", headers={"accept-language": "en-GB,en;q=0.9"})
        self.assertContains(r, '<html lang="en">')


@ON
class LoggedInTest(CacheTestMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        cls.berita = D.publish_berita(p, topic="Lomba ogoh-ogoh")

    def test_logged_in_users_never_get_or_leave_a_cached_page(self):
        self.assertCache(self.berita.url, "MISS")  # an anonymous entry exists
        self.client.force_login(self.people["staf"])
        for _ in range(2):
            self.assertCache(self.berita.url, "BYPASS")  # not served the anonymous entry
            self.assertCache("/berita/", "BYPASS")
        self.client.logout()
        self.client.cookies.clear()
        # Nothing the staf was shown was stored: the list is rendered afresh for the visitor.
        self.assertCache("/berita/", "MISS")
        self.assertCache(self.berita.url, "HIT")

    def test_a_page_for_logged_in_readers_never_reaches_a_visitor(self):
        with self.committed():
            PageViewRestriction.objects.create(page=self.berita, restriction_type=PageViewRestriction.LOGIN)
        self.client.force_login(self.people["staf"])
        for _ in range(2):
            self.assertContains(self.assertCache(self.berita.url, "BYPASS"), "Lomba ogoh-ogoh")
        self.client.logout()
        self.client.cookies.clear()
        for _ in range(2):
            r = self.get(self.berita.url)
            self.assertEqual(r.status_code, 302)  # to the login page
            self.assertNotEqual(r.get("X-Cache"), "HIT")


@ON
class PurgeTest(CacheTestMixin, TestCase):
    """Each kind of change drops the pages that show it and leaves the others cached."""

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        cls.category = BeritaCategory.objects.create(name="Pertanian", slug="pertanian")
        cls.old = D.publish_berita(p, topic="Subak Jatiluwih dipanen", category=cls.category)
        cls.other = D.publish_berita(p, topic="Festival Tanah Lot")
        cls.pengumuman = D.publish_kind(p, kind="pengumuman", topic="Penutupan jalan Kediri")

    LISTS = ["/", "/berita/", "/feed/berita.rss", "/sitemap.xml"]

    def test_a_publish_at_step_10_is_visible_on_the_next_request(self):
        self.warm(*self.LISTS, self.old.url, self.other.url, "/pengumuman/", self.pengumuman.url)
        with self.committed():
            new = D.publish_berita(self.people, topic="Bupati meresmikan pasar Kediri", category=self.category)
        for url in self.LISTS:
            with self.subTest(url=url):
                self.assertContains(
                    self.assertCache(url, "MISS"),
                    "pasar-kediri" if "sitemap" in url else "Bupati meresmikan pasar Kediri",
                )
        # The other berita's related list may now name it (same category): dropped too.
        self.assertContains(self.assertCache(self.old.url, "MISS"), "Bupati meresmikan pasar Kediri")
        self.assertCache(new.url, "MISS")
        # Pages that cannot show a berita stay cached.
        self.assertCache("/pengumuman/", "HIT")
        self.assertCache(self.pengumuman.url, "HIT")

    def test_unpublish(self):
        self.warm(*self.LISTS, self.old.url, self.pengumuman.url)
        with self.committed():
            self.old.unpublish()
        self.assertCache(self.old.url, None, status=404)
        for url in ["/", "/berita/", "/feed/berita.rss"]:
            self.assertNotContains(self.assertCache(url, "MISS"), "Subak Jatiluwih dipanen")
        self.assertCache(self.pengumuman.url, "HIT")

    def test_edit_of_a_published_berita(self):
        self.warm(*self.LISTS, self.old.url, self.other.url, self.pengumuman.url)
        page = self.old.specific
        page.title = "Subak Jatiluwih panen raya"
        token = sop_publish_authorised.set(True)  # what step 10 of a correction does
        try:
            with self.committed():
                page.save_revision().publish()
        finally:
            sop_publish_authorised.reset(token)
        self.assertContains(self.assertCache(self.old.url, "MISS"), "Subak Jatiluwih panen raya")
        self.assertContains(self.assertCache("/", "MISS"), "Subak Jatiluwih panen raya")
        self.assertContains(self.assertCache("/berita/", "MISS"), "Subak Jatiluwih panen raya")
        self.assertCache(self.pengumuman.url, "HIT")

    def test_delete(self):
        # A page whose revisions the SOP record cites cannot be deleted (desk.wagtail_hooks); one
        # brought over from the old site without a record can.
        legacy = BeritaPage(title="Arsip: Subak Jatiluwih 2019", slug="arsip-subak-jatiluwih-2019")
        token = sop_publish_authorised.set(True)
        try:
            with self.committed():
                BeritaIndexPage.objects.get().add_child(instance=legacy)
                legacy.save_revision().publish()
        finally:
            sop_publish_authorised.reset(token)
        self.warm("/", "/berita/", legacy.url, self.other.url)
        self.assertContains(self.assertCache("/berita/", "HIT"), "Arsip: Subak Jatiluwih 2019")
        with self.committed():
            Page.objects.get(pk=legacy.pk).delete()
        self.assertNotContains(self.assertCache("/", "MISS"), "Arsip: Subak Jatiluwih 2019")
        self.assertNotContains(self.assertCache("/berita/", "MISS"), "Arsip: Subak Jatiluwih 2019")
        self.assertCache(legacy.url, None, status=404)

    def test_move_and_slug_change_drop_everything(self):
        self.warm("/", "/berita/", self.old.url, self.pengumuman.url)
        old_url = self.old.url
        with self.committed():
            Page.objects.get(pk=self.old.pk).move(
                Page.objects.get(pk=self.pengumuman.get_parent().pk), pos="last-child"
            )
        self.assertCache(old_url, None, status=301)  # Wagtail's redirect to the new place
        self.assertNotContains(self.assertCache("/berita/", "MISS"), "Subak Jatiluwih dipanen")
        self.assertCache(self.pengumuman.url, "MISS")

    def test_index_edit_drops_everything(self):
        # An index page's title is in its children's breadcrumbs: everything under it changes.
        self.warm("/berita/", self.old.url, self.pengumuman.url)
        index = BeritaIndexPage.objects.get()
        index.title = "Kabar Tabanan"
        with self.committed():
            index.save_revision().publish()
        self.assertContains(self.assertCache(self.old.url, "MISS"), "Kabar Tabanan")
        self.assertContains(self.assertCache("/berita/", "MISS"), "Kabar Tabanan")
        self.assertCache(self.pengumuman.url, "MISS")

    def test_menu_change_drops_every_page(self):
        self.warm("/", self.old.url, self.pengumuman.url)
        identity = SiteIdentity.objects.first() or SiteIdentity.objects.create()
        with self.committed():
            MenuItem.objects.create(
                setting=identity,
                placement=MenuItem.Placement.MAIN,
                label="JDIH",
                link_url="https://jdih.tabanankab.go.id",
            )
        for url in ["/", self.old.url, self.pengumuman.url]:
            self.assertContains(self.assertCache(url, "MISS"), "jdih.tabanankab.go.id")

    def test_banner_change_drops_the_home_page_only(self):
        image = D.make_image("Galungan")  # a new image drops everything (it may be on any page)
        self.warm("/", "/berita/", self.old.url)
        with self.committed():
            Banner.objects.create(title="Selamat Hari Raya Galungan", image=image, link_url="https://tabanankab.go.id")
        self.assertContains(self.assertCache("/", "MISS"), "Selamat Hari Raya Galungan")
        self.assertCache("/berita/", "HIT")
        self.assertCache(self.old.url, "HIT")

    def test_category_change_drops_the_pages_naming_it(self):
        self.warm("/", self.old.url)
        self.category.name = "Pertanian dan Pangan"
        with self.committed():
            self.category.save()
        self.assertContains(self.assertCache(self.old.url, "MISS"), "Pertanian dan Pangan")

    def test_view_restriction_hides_a_section_from_every_list(self):
        self.warm("/", "/berita/", "/feed/berita.rss", "/sitemap.xml", self.old.url)
        with self.committed():
            PageViewRestriction.objects.create(
                page=BeritaIndexPage.objects.get(), restriction_type=PageViewRestriction.LOGIN
            )
        self.assertNotContains(self.assertCache("/", "MISS"), "Subak Jatiluwih dipanen")
        self.assertNotContains(self.assertCache("/feed/berita.rss", "MISS"), "Subak Jatiluwih dipanen")
        self.assertEqual(self.get("/berita/").status_code, 302)  # to the login, never stored
        self.assertEqual(self.get(self.old.url).status_code, 302)
        self.assertNotEqual(self.get(self.old.url).get("X-Cache"), "HIT")
        with self.committed():
            PageViewRestriction.objects.all().delete()
        self.assertContains(self.assertCache("/", "MISS"), "Subak Jatiluwih dipanen")

    def test_a_purge_during_a_render_keeps_that_render_out_of_the_cache(self):
        # A render that read the database before a publish committed must not be stored under
        # the generations after it: a purge of what it shows happened while it rendered.
        with self.purged_midway(*page_change_tags(self.other)):
            r = self.assertCache("/berita/", "MISS")
        self.assertNotIn("X-Accel-Expires", r)  # nor may nginx keep it
        self.assertCache("/berita/", "MISS")  # the first render was not stored
        self.assertCache("/berita/", "HIT")  # this one was

    def test_a_purge_of_everything_during_a_render_keeps_it_out_too(self):
        with self.purged_midway(ALL):
            self.assertCache(self.pengumuman.url, "MISS")
        self.assertCache(self.pengumuman.url, "MISS")

    def test_a_render_during_a_purge_of_other_pages_is_kept(self):
        # The search index catching up (a worker purges `search`) and a pengumuman published while
        # the berita list renders: it shows neither, so its render stands.
        with self.purged_midway(SEARCH, "type:pengumuman.pengumumanpage"):
            r = self.assertCache("/berita/", "MISS")
        self.assertIn("X-Accel-Expires", r)
        self.assertCache("/berita/", "HIT")
        # Entries stored under the new epoch are still dropped by the next purge of their tags.
        with self.committed():
            purge(*page_change_tags(self.other))
        self.assertCache("/berita/", "MISS")

    def test_a_purge_whose_note_is_gone_counts_as_touching_every_page(self):
        # A purge between its epoch and its note (or a note the cache evicted): not known to
        # have left this page alone, so the render is not stored.
        with self.purged_midway(SEARCH, forget_note=True):
            self.assertCache("/berita/", "MISS")
        self.assertCache("/berita/", "MISS")
        self.assertCache("/berita/", "HIT")


REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"},
}


@ON
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
class SearchIndexTest(CacheTestMixin, TestCase):
    """In production Wagtail indexes a published page in a background task, after the publish has
    committed and purged: results rendered in between come from the old index. When the worker
    has indexed the page, the cached results go too, and nothing else does."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def run_worker(self):
        # django-tasks-db's worker loop, as `manage.py db_worker --batch` runs it, without the
        # heartbeat thread (it would write from another connection) and without closing the
        # database connection between tasks, as a long-running worker does: here that connection
        # holds the test's transaction (SQLite's in-memory database ignores the close).
        with self.committed(), mock.patch.object(db_worker, "close_old_connections"):
            db_worker.Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="uji",
                excluded_queue_names=[],
            ).run()

    def test_results_are_dropped_when_the_worker_has_indexed_the_page(self):
        self.run_worker()  # what setting up the world queued
        url = "/cari/?q=jatiluwih"
        self.assertNotContains(self.assertCache(url, "MISS"), "Panen raya subak")
        with self.committed():
            page = D.publish_berita(self.people, topic="Panen raya subak Jatiluwih")
        self.assertEqual(page.title, "Panen raya subak Jatiluwih")
        # Published and purged, but not indexed yet: rendered from the old index, and cached.
        self.assertNotContains(self.assertCache(url, "MISS"), "Panen raya subak")
        self.assertCache(url, "HIT")
        self.warm("/berita/", "/pengumuman/")
        self.assertTrue(DBTaskResult.objects.ready().exists())

        self.run_worker()
        self.assertFalse(DBTaskResult.objects.ready().exists())
        self.assertContains(self.assertCache(url, "MISS"), "Panen raya subak Jatiluwih")
        self.assertCache(url, "HIT")
        # The index changes what search finds, not what the other pages show.
        self.assertCache("/berita/", "HIT")
        self.assertCache("/pengumuman/", "HIT")

    def test_tasks_other_than_indexing_a_page_leave_the_results_cached(self):
        self.run_worker()
        url = "/cari/?q=jatiluwih"
        self.warm(url)
        image = Image.objects.create(title="Subak", file=get_test_image_file(), width=640, height=480)
        DBTaskResult.objects.all().delete()
        # An image is indexed too, in the same kind of task; its save purged everything already.
        insert_or_update_object_task.enqueue("wagtailimages", "image", str(image.pk))
        self.warm(url)
        self.run_worker()
        self.assertCache(url, "HIT")


@ON
@override_settings(CACHES=REDIS, LONTAR_PAGE_CACHE_ALIAS="pages")
class RedisTest(CacheTestMixin, TestCase):
    """The production set-up: entries and generations in Redis, shared by every process."""

    alias = "pages"

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        cls.berita = D.publish_berita(p, topic="Tari Kecak di Tanah Lot")

    def test_hits_cost_no_query_and_a_publish_is_seen_at_once(self):
        self.assertCache("/", "MISS")
        with self.assertNumQueries(0):
            self.assertCache("/", "HIT")
        self.warm("/pengumuman/")
        with self.committed():
            D.publish_berita(self.people, topic="Jegog Jembrana tampil di Tabanan")
        self.assertContains(self.assertCache("/", "MISS"), "Jegog Jembrana tampil di Tabanan")
        self.assertCache("/pengumuman/", "HIT")

    def test_a_render_is_kept_through_a_purge_of_other_pages_only(self):
        with self.purged_midway(SEARCH):
            self.assertCache("/", "MISS")
        with self.assertNumQueries(0):
            self.assertCache("/", "HIT")
        with self.committed():
            purge(*page_change_tags(self.berita))
        with self.purged_midway(*page_change_tags(self.berita)):
            self.assertCache("/", "MISS")
        self.assertCache("/", "MISS")  # the render during the second purge was not kept
        self.assertCache("/", "HIT")

    def test_a_purge_from_another_process_reaches_this_one(self):
        self.warm("/", "/berita/", "/pengumuman/")
        # Another app server (a separate interpreter, only Django and the shared Redis) purges.
        script = textwrap.dedent(f"""
            import django
            from django.conf import settings
            settings.configure(CACHES={REDIS!r}, LONTAR_PAGE_CACHE_ALIAS="pages",
                               DATABASES={{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}}})
            django.setup()
            from portal.page_cache import purge
            purge("type:portal.beritapage")
        """)
        subprocess.run([sys.executable, "-c", script], check=True, cwd=settings.BASE_DIR, timeout=60)
        self.assertCache("/", "MISS")  # lists every berita
        self.assertCache("/berita/", "HIT")  # lists its own children (section:<id>), not purged
        self.assertCache("/pengumuman/", "HIT")


DOWN = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Nothing listens on port 1: every cache call fails at once.
    "pages": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/15",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
}


@ON
@override_settings(CACHES=DOWN, LONTAR_PAGE_CACHE_ALIAS="pages")
class CacheDownTest(TestCase):
    """With the cache unreachable the public site still answers, uncached; a publish still works."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_pages_are_rendered_and_publishing_goes_on(self):
        with self.assertLogs("portal.page_cache", "WARNING"):
            r = self.client.get("/berita/")
        self.assertEqual((r.status_code, r["X-Cache"]), (200, "BYPASS"))
        with self.assertLogs("portal.page_cache", "ERROR"), self.captureOnCommitCallbacks(execute=True):
            page = D.publish_berita(self.people, topic="Upacara Melasti di Pantai Yeh Gangga")
        self.assertTrue(page.live)
        with self.assertLogs("portal.page_cache", "WARNING"):
            self.assertContains(self.client.get("/berita/"), "Upacara Melasti di Pantai Yeh Gangga")
