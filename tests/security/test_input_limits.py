"""Oversized and odd input: a validation error or a plain 400, never a 500, and nothing stored.

1 MB titles through Wagtail's editor and the desk's forms, oversized bodies and field counts,
malformed StreamField data, look-alike usernames and slugs, SQL-ish and 10,000-character searches
(answered with bounded work)."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from desk.models import AgendaItem
from desk.tests import sop_driver as D
from desk.tests.helpers import client_for, page_form_data, text_of
from desk.tests.sop_driver import build_item
from lontar.testing import PASSWORD, build_world
from ppid.services import ppid_group_sync
from tests.security.support import unchanged

MEGABYTE = "A" * (1024 * 1024)
# A hostile search may make a page do at most this many times the database work of an ordinary
# one, counted in statements and in characters of SQL. Work, not seconds: a count is the same on a
# busy CI machine, and it grows with the query (the unbounded 10,000-character query sent every
# word to the backend, and ended in a RecursionError after 17 s).
WORK_FACTOR = 3


def database_work(client, url, data=None):
    """The response, and the statements and characters of SQL it took (params included)."""
    # Warms per-process caches (content types, the site) with another query: the public search's
    # page cache would answer the same one without the database.
    client.get(url, {"q": "hangat"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    return response, (len(queries.captured_queries), sum(len(q["sql"]) for q in queries.captured_queries))


class OversizedTextTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_a_1_mb_title_in_the_page_editor_is_a_validation_error(self):
        item = build_item(self.people, step=3)
        page = item.page
        with unchanged(self):
            response = client_for(self.people["staf"]).post(
                reverse("wagtailadmin_pages:edit", args=[page.pk]), page_form_data(page, title=MEGABYTE)
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("paling banyak 255 karakter", text_of(response))

    def test_a_1_mb_topic_or_note_on_the_agenda_form_is_a_validation_error(self):
        client = client_for(self.people["kasi"])
        base = {
            "topic": "Rapat",
            "kind": "berita",
            "perangkat_daerah": "",
            "place": "",
            "planned_date": timezone.localdate().isoformat(),
            "notes": "",
        }
        for field in ("topic", "place", "notes"):
            with self.subTest(field=field), unchanged(self):
                response = client.post(reverse("desk:agenda_create"), {**base, field: MEGABYTE})
                self.assertEqual(response.status_code, 200)
                self.assertIn("paling banyak", text_of(response))
        self.assertFalse(AgendaItem.objects.exists())

    def test_a_1_mb_instruction_comment_or_reason_is_a_validation_error(self):
        agenda = D.agenda_planned(self.people["kasi"], topic="Pameran")
        deadline = (timezone.localtime() + timezone.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
        with unchanged(self):
            response = client_for(self.people["kasi"]).post(
                reverse("desk:disposisi_create", args=[agenda.pk]),
                {
                    "recipients": [self.people["staf"].pk],
                    "instruction": MEGABYTE,
                    "sifat": "biasa",
                    "batas_waktu": deadline,
                    "catatan": "",
                },
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("paling banyak 4000 karakter", text_of(response))
        item = build_item(self.people, step=4, topic="Naskah")
        task_state = item.page.current_workflow_state.current_task_state_id
        for data in (
            {"action": "forward", "comment": MEGABYTE},
            {"action": "return", "return_comment": MEGABYTE, "return_to": 3},
        ):
            with self.subTest(action=data["action"]), unchanged(self):
                response = client_for(self.people["kabid"]).post(
                    reverse("desk:act", args=[item.liputan.pk]), {"task_state_id": task_state, **data}
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn("paling banyak 4000 karakter", text_of(response))

    def test_a_body_over_the_upload_limit_is_a_plain_400(self):
        """Above DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) Django refuses to read the form at all."""
        item = build_item(self.people, step=4)
        with unchanged(self):
            response = client_for(self.people["kabid"]).post(
                reverse("desk:act", args=[item.liputan.pk]), {"action": "forward", "comment": MEGABYTE * 3}
            )
            self.assertEqual(response.status_code, 400)
            self.assertIn("Permintaan tidak dapat diproses", text_of(response))
            self.assertNotIn("Traceback", response.content.decode())

    def test_too_many_fields_is_a_plain_400(self):
        """A StreamField of 2,000 blocks is more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000)."""
        liputan = D.start_item(self.people, topic="Profil dinas", kind="informasi")
        page = D.draft(liputan)
        data = nested_form_data(
            {
                "title": "Profil dinas",
                "slug": page.slug,
                "summary": "",
                "body": streamfield([("paragraph", rich_text("<p>x</p>"))] * 2000),
                "comments": {"count": "0", "initial": "0", "min": "0", "max": "1000"},
            }
        )
        with unchanged(self):
            response = client_for(self.people["staf"]).post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
            self.assertEqual(response.status_code, 400)
            self.assertIn("Permintaan tidak dapat diproses", text_of(response))

    def test_malformed_streamfield_data_is_a_validation_error(self):
        """Posted blocks Wagtail's editor never sends: a count that is not a number, a count with
        no blocks behind it, a position that is not a number."""
        liputan = D.start_item(self.people, topic="Profil dinas", kind="informasi")
        page = D.draft(liputan)
        base = {
            "title": "Profil dinas",
            "slug": page.slug,
            "summary": "",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        }
        client = client_for(self.people["staf"])
        for stream in (
            {"body-count": "abc"},
            {"body-count": "99999999"},
            {
                "body-count": "1",
                "body-0-type": "paragraph",
                "body-0-deleted": "",
                "body-0-order": "x",
                "body-0-value": "{}",
            },
        ):
            with self.subTest(stream=stream), unchanged(self):
                response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {**base, **stream})
                self.assertEqual(response.status_code, 200)
                self.assertIn("Isi halaman tidak terbaca", text_of(response))
        # A negative count or an unknown block type is an empty body to Wagtail: saved, no error.
        for stream in (
            {"body-count": "-5"},
            {
                "body-count": "1",
                "body-0-type": "no-such-block",
                "body-0-deleted": "",
                "body-0-order": "0",
                "body-0-value": "x",
            },
        ):
            with self.subTest(stream=stream):
                response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {**base, **stream})
                self.assertEqual(response.status_code, 302)


class LookalikeNamesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def create_user(self, username):
        return client_for(self.people["admin"]).post(
            reverse("wagtailusers_users:add"),
            {
                "username": username,
                "email": "baru@tabanankab.go.id",
                "first_name": "Akun",
                "last_name": "Baru",
                "password1": "Sandi-yang-panjang-2026",
                "password2": "Sandi-yang-panjang-2026",
            },
        )

    def test_lookalike_usernames_are_refused(self):
        for username, says in (
            ("кasi", "huruf Latin"),  # Cyrillic к
            ("ｋａｓｉ", "huruf Latin"),  # full-width
            ("kasі", "huruf Latin"),  # Ukrainian і
            ("Kasi", "terlalu mirip"),
            ("KASI", "terlalu mirip"),
            ("kas1", "terlalu mirip"),
            ("stafl", "terlalu mirip"),  # staf1 with an l
            ("kabid\u200b", "huruf Latin"),  # zero-width space
            ("staf1 ", "sudah ada"),  # the form strips the space: the same name
        ):
            with self.subTest(username=username), unchanged(self):
                response = self.create_user(username)
                self.assertEqual(response.status_code, 200)
                self.assertIn(says, text_of(response))
        # A distinct name is accepted: the rule is not "no new users".
        response = self.create_user("kasi.bidang2")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(get_user_model().objects.filter(username="kasi.bidang2").exists())

    def test_renaming_an_account_to_a_lookalike_is_refused(self):
        staf2 = self.people["staf2"]
        with unchanged(self):
            response = client_for(self.people["admin"]).post(
                reverse("wagtailusers_users:edit", args=[staf2.pk]),
                {
                    "username": "Kasi",
                    "email": staf2.email,
                    "first_name": staf2.first_name,
                    "last_name": staf2.last_name,
                    "is_active": "on",
                },
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("terlalu mirip", text_of(response))

    def test_a_lookalike_username_does_not_log_in_as_the_real_account(self):
        for username in ("кasi", "Kasi", "kasi\u200b"):
            with self.subTest(username=username):
                client = Client()
                response = client.post(reverse("wagtailadmin_login"), {"username": username, "password": PASSWORD})
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("_auth_user_id", client.session)

    def test_lookalike_and_unicode_slugs_are_refused(self):
        item = build_item(self.people, step=3)
        page = item.page
        for slug in ("pаmeran-umkm", "berita-bali-ᬩᬮᬶ", "pameran umkm", "../../admin"):
            with self.subTest(slug=slug), unchanged(self):
                form = page_form_data(page)
                form["slug"] = slug
                response = client_for(self.people["staf"]).post(
                    reverse("wagtailadmin_pages:edit", args=[page.pk]), form
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn("slug", text_of(response).lower())


class SearchAbuseTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        ppid_group_sync()
        D.publish_berita(cls.people, topic="Pameran UMKM di Gedung Mario")

    QUERIES = [
        "' OR 1=1 --",
        "'; DROP TABLE wagtailcore_page; --",
        '" OR ""="',
        "pameran%' AND 1=1 AND '%'='",
        "\\x00\\\\%_",
        "pameran\x00",
        "NEAR(pameran umkm) OR * AND NOT ^",
        '"' * 500 + "pameran",
        "a" * 10_000,
        "pameran " * 1_250,
        ("\"'" * 2_500),
        "(" * 5_000 + ")" * 5_000,
    ]
    # Every admin listing with a search box (bench/search_abuse_bench.py times the same ones).
    ADMIN_URLS = [
        "/admin/pages/search/",
        "/admin/documents/",
        "/admin/images/",
        "/admin/users/",
        "/admin/ppid/permohonan/",
        "/admin/reports/site-history/",
        "/admin/snippets/",
    ]

    def test_the_public_search_answers_hostile_queries_with_bounded_work(self):
        visitor = Client()
        _, ordinary = database_work(visitor, "/cari/", {"q": "pameran"})
        for query in self.QUERIES:
            with self.subTest(query=query[:40]), unchanged(self):
                response, work = database_work(visitor, "/cari/", {"q": query})
                self.assertEqual(response.status_code, 200)
                self.assertWithinWork(work, ordinary)
        response = visitor.get("/cari/", {"q": "pameran " * 1_250})
        self.assertIn("Kata kunci terlalu panjang; hanya 200 karakter pertama yang dicari.", text_of(response))
        # The words of a hostile query still search: only the syntax around them is dropped.
        self.assertIn("Pameran UMKM di Gedung Mario", text_of(visitor.get("/cari/", {"q": "'pameran'; --"})))

    def test_the_admin_searches_answer_hostile_queries_with_bounded_work(self):
        """Every admin listing with a search box gets a cut query (a few words, no pile of
        phrases) and does no more database work for a hostile query than for an ordinary one."""
        from lontar.middleware import ADMIN_SEARCH_MAX_LENGTH, ADMIN_SEARCH_MAX_QUOTES, ADMIN_SEARCH_MAX_TERMS

        admin = client_for(self.people["admin"])
        for url in self.ADMIN_URLS:
            _, ordinary = database_work(admin, url, {"q": "pameran"})
            for query in self.QUERIES:
                with self.subTest(url=url, query=query[:40]):
                    response, work = database_work(admin, url, {"q": query})
                    self.assertIn(response.status_code, (200, 302), url)
                    seen = response.wsgi_request.GET.get("q", "")
                    self.assertLessEqual(len(seen), ADMIN_SEARCH_MAX_LENGTH)
                    self.assertLessEqual(len(seen.split()), ADMIN_SEARCH_MAX_TERMS)
                    self.assertLessEqual(seen.count('"'), ADMIN_SEARCH_MAX_QUOTES)
                    self.assertWithinWork(work, ordinary)

    def assertWithinWork(self, work, ordinary):
        """At most WORK_FACTOR times the statements and the SQL text of the same page searching
        for one ordinary word (a hostile query may match every page, so more rows are shown)."""
        statements, characters = work
        self.assertLessEqual(statements, WORK_FACTOR * ordinary[0], f"{statements} statements, ordinary {ordinary[0]}")
        self.assertLessEqual(
            characters, WORK_FACTOR * ordinary[1], f"{characters} characters of SQL, ordinary {ordinary[1]}"
        )

    def test_admin_search_queries_are_cut(self):
        from lontar.middleware import ADMIN_SEARCH_MAX_LENGTH, ADMIN_SEARCH_MAX_TERMS

        response = client_for(self.people["admin"]).get("/admin/pages/search/", {"q": "pameran " * 1_250})
        self.assertEqual(response.status_code, 200)
        query = response.wsgi_request.GET["q"]
        self.assertEqual(len(query.split()), ADMIN_SEARCH_MAX_TERMS)
        self.assertLessEqual(len(query), ADMIN_SEARCH_MAX_LENGTH)
