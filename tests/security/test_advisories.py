"""The Django and Wagtail advisories of 2023–2026 that touch what Lontar uses, each sent at Lontar
the way the advisory describes (docs/security.md lists them with this suite's test for each).

Lontar runs the fixed versions (Django 5.2.19, Wagtail 8.0.1); these tests check that Lontar's
own code does not reopen the hole (a length it does not bound, a user value it passes to the ORM
as a keyword name) and that each attack is answered quickly and plainly."""

import ast
import datetime as dt
import time
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, TestCase
from django.utils import timezone

from desk.tests import sop_driver as D
from desk.tests.helpers import client_for, text_of
from lontar.testing import build_world
from ppid.tests.utils import VALID, make_document
from tests.security.support import unchanged

# A hostile request may cost at most this (CPU seconds). Not a speed target (those are
# benchmarks): the denial-of-service bugs these advisories fixed took tens of seconds to minutes
# of CPU, so a bound far above an ordinary render tells a fixed Django from a vulnerable one.
BOUND = 5.0


def seconds(call):
    """The CPU time this thread spent (the test client runs the request in it). Not the wall
    clock: a busy machine stalls a request for a second or more without it costing anything."""
    started = time.thread_time()
    result = call()
    return result, time.thread_time() - started


class RequestParsingAdvisoryTest(TestCase):
    """CVE-2023-23969, CVE-2024-39614, CVE-2026-15337, CVE-2026-77050 (Accept-Language and
    language codes); CVE-2023-24580 (multipart parts); CVE-2023-41164 (uri_to_iri);
    CVE-2023-46695 (username normalisation); CVE-2023-36053 (e-mail validation)."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_a_10000_character_accept_language_or_language_cookie_is_answered_quickly(self):
        headers = [
            "id-ID," + ",".join(f"x{i}-{'a' * 8};q=0.{i % 9}" for i in range(600)),
            "a" * 10_000,
            ("en-" + "-".join(["a1"] * 3000))[:10_000],
        ]
        for header in headers:
            with self.subTest(header=header[:30]):
                response, took = seconds(lambda header=header: Client().get("/", HTTP_ACCEPT_LANGUAGE=header))
                self.assertEqual(response.status_code, 200)
                self.assertIn('<html lang="id">', response.content.decode())
                self.assertLess(took, BOUND)
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "e" * 10_000
        response, took = seconds(lambda: client.get("/"))
        self.assertEqual(response.status_code, 200)
        self.assertLess(took, BOUND)

    def test_a_request_with_too_many_file_parts_is_a_plain_400(self):
        files = {f"berkas{i}": SimpleUploadedFile(f"b{i}.txt", b"x") for i in range(150)}
        with unchanged(self):
            response, took = seconds(lambda: Client().post("/ppid/permohonan/", {**VALID, **files}))
            self.assertEqual(response.status_code, 400)
            self.assertIn("Permintaan tidak dapat diproses", text_of(response))
            self.assertLess(took, BOUND)

    def test_a_long_percent_encoded_unicode_path_is_answered_quickly(self):
        path = "/" + "%E2%82%AC" * 5_000 + "/"
        response, took = seconds(lambda: Client().get(path))
        self.assertEqual(response.status_code, 404)
        self.assertLess(took, BOUND)

    def test_a_1_mb_username_at_login_is_answered_quickly(self):
        response, took = seconds(lambda: Client().post("/admin/login/", {"username": "k" * 1_000_000, "password": "x"}))
        self.assertEqual(response.status_code, 200)
        self.assertLess(took, BOUND)
        # A million full-width letters (NFKC-normalised by Django's UsernameField) is 9 MB once
        # encoded: above the upload limit, a plain 400 before any normalisation.
        response, took = seconds(
            lambda: Client().post("/admin/login/", {"username": "ｋ" * 1_000_000, "password": "x"})
        )
        self.assertEqual(response.status_code, 400)
        self.assertLess(took, BOUND)

    def test_a_pathological_email_address_on_the_public_form_is_refused_quickly(self):
        for email in ("a@" + "b." * 50_000 + "id", "a" * 100_000 + "@contoh.id", "x@" + "-" * 60 + ".id"):
            with self.subTest(email=email[:20]), unchanged(self):
                response, took = seconds(
                    lambda email=email: Client().post("/ppid/permohonan/", {**VALID, "email": email})
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn("email", text_of(response).lower())
                self.assertLess(took, BOUND)


class HtmlUtilityAdvisoryTest(TestCase):
    """CVE-2024-53907, CVE-2025-32873 (strip_tags), CVE-2023-43665, CVE-2024-27351, CVE-2026-1285
    (Truncator): Lontar strips tags from rich text (search snippets, the agenda's JSON-LD and
    iCalendar) and truncates summaries. A body made of what those advisories used is served in
    bounded time."""

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        nasty = "<" * 2_000 + "&" * 2_000 + "&lt;" * 2_000 + "<a " * 2_000 + "</b>" * 2_000 + "&#x" * 2_000
        cls.berita = D.publish_berita(p, topic="Pameran tag bersarang", summary="", body=f"<p>Pameran {nasty}</p>")
        start = timezone.now() + dt.timedelta(days=3)
        cls.kegiatan = D.publish_kind(
            p,
            kind="kegiatan",
            topic="Kegiatan tag bersarang",
            body=f"<p>Rapat {nasty}</p>",
            start=start,
            end=start + dt.timedelta(hours=2),
        )
        cls.plain = D.publish_berita(p, topic="Pameran biasa", summary="", body="<p>Pameran biasa.</p>")

    def test_pages_that_strip_and_truncate_hostile_rich_text_answer_in_bounded_time(self):
        visitor = Client()
        _, ordinary = seconds(lambda: visitor.get(self.plain.url))
        for url in (self.berita.url, "/berita/", "/cari/?q=pameran", self.kegiatan.url, "/agenda/kalender.ics", "/"):
            with self.subTest(url=url):
                response, took = seconds(lambda url=url: visitor.get(url))
                self.assertEqual(response.status_code, 200)
                self.assertLess(took, max(BOUND, 5 * ordinary))


class OrmInjectionAdvisoryTest(TestCase):
    """CVE-2024-42005, CVE-2025-57833, CVE-2025-59681, CVE-2025-64459, CVE-2025-13372,
    CVE-2026-1287, CVE-2026-1312: SQL injection through keyword *names* (column aliases,
    ``_connector``) that a project builds from user input with ``**``. Lontar never does; this
    test reads the code to keep it so, and sends hostile sort and filter parameters."""

    QUERY_METHODS = {
        "filter",
        "exclude",
        "get",
        "values",
        "values_list",
        "annotate",
        "alias",
        "aggregate",
        "order_by",
        "update",
        "create",
        "get_or_create",
        "update_or_create",
        "Q",
        "FilteredRelation",
    }
    FORBIDDEN = {"extra", "raw", "RawSQL"}

    def test_no_query_takes_keyword_names_from_a_request_and_no_raw_sql(self):
        root = Path(settings.BASE_DIR)
        findings = []
        for path in root.rglob("*.py"):
            parts = path.relative_to(root).parts
            if parts[0] in (".venv", "var", "tests", "bench") or "migrations" in parts or "tests" in parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in self.FORBIDDEN:
                    findings.append(f"{path}:{node.lineno} {name}()")
                if name in self.QUERY_METHODS:
                    for keyword in node.keywords:
                        if keyword.arg is None and any(
                            isinstance(n, ast.Name)
                            and n.id in ("request", "data", "params", "query")
                            or isinstance(n, ast.Attribute)
                            and n.attr in ("GET", "POST", "cleaned_data")
                            for n in ast.walk(keyword.value)
                        ):
                            findings.append(f"{path}:{node.lineno} {name}(**{ast.unparse(keyword.value)})")
        self.assertEqual(findings, [])

    def test_hostile_sort_and_filter_parameters_are_ignored_or_refused(self):
        people = build_world()
        admin = client_for(people["admin"])
        for url, params in (
            ("/admin/ppid/permohonan/", {"ordering": 'nomor");DROP TABLE ppid_permohonaninformasi;--'}),
            ("/admin/ppid/permohonan/", {"ordering": "nik__contains"}),
            ("/admin/ppid/permohonan/", {"status": "baru' OR '1'='1"}),
            ("/admin/pages/search/", {"q": "x", "ordering": "title); SELECT 1;--"}),
            ("/admin/laporan/", {"dari": "2026-01-01' OR 1=1--", "sampai": "x"}),
            ("/data/", {"produsen": "1 OR 1=1", "frekuensi": "bulanan'--"}),
            ("/berita/", {"tag": "x' OR '1'='1", "halaman": "-1"}),
            ("/cari/", {"q": "x", "jenis": "berita' --", "dari": "2026-13-45", "sampai": "' OR 1=1"}),
            ("/ppid/", {"kategori": "berkala' OR 1=1--"}),
        ):
            with self.subTest(url=url, params=params):
                client = admin if url.startswith("/admin/") else Client()
                response = client.get(url, params)
                self.assertIn(response.status_code, (200, 302, 400, 404))


class StorageAdvisoryTest(TestCase):
    """CVE-2024-39330 (Storage.save traversal), CVE-2025-59682 (archive extraction): a file name
    with ../ stays inside the media directory."""

    def test_a_document_named_with_dot_dot_stays_in_its_folder(self):
        from django.core.exceptions import SuspiciousFileOperation

        for name in ("../../lontar/settings/base.py", "..\\..\\evil.pdf", "/etc/passwd"):
            with self.subTest(name=name):
                try:
                    with transaction.atomic():
                        document = make_document("Uji", filename=name)
                except SuspiciousFileOperation:
                    continue
                self.assertTrue(document.file.name.startswith("documents/"), document.file.name)
                self.assertNotIn("..", document.file.name)
        # Written through the storage itself, too.
        from django.core.files.storage import default_storage

        with self.assertRaises(SuspiciousFileOperation):
            default_storage.save("../../keluar.txt", ContentFile(b"x"))


class WagtailAdvisoryTest(TestCase):
    """CVE-2023-45809 (user names disclosed by bulk-action views), CVE-2024-35228 and
    CVE-2024-32882 (settings and per-field permissions), CVE-2026-44200 (copying a page one may
    not view), CVE-2026-28222 (cell classes of a TableBlock written into the page unescaped)."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_bulk_action_views_disclose_no_user_names(self):
        client = client_for(self.people["kasi"])
        for action in ("delete", "set_active_state", "assign_role"):
            with self.subTest(action=action), unchanged(self):
                response = client.get(
                    f"/admin/bulk/auth/user/{action}/", {"id": [self.people["kadis"].pk, self.people["admin"].pk]}
                )
                self.assertIn(response.status_code, (302, 403, 404))
                self.assertNotIn("I Putu Wirawan", response.content.decode())
                self.assertNotIn("Admin Situs", response.content.decode())

    def test_officials_cannot_change_site_settings(self):
        for who in ("kasi", "staf", "kadis"):
            with self.subTest(who=who), unchanged(self):
                client = client_for(self.people[who])
                response = client.post(
                    "/admin/settings/profil/siteidentity/1/",
                    {"phone": "0000", "lapor_url": "https://penyerang.invalid"},
                )
                self.assertIn(response.status_code, (302, 403, 404))

    def test_a_page_one_may_not_view_cannot_be_copied_into_ones_own_section(self):
        item = D.build_item(self.people, step=5, topic="Naskah rahasia untuk disalin")
        parent = item.page.get_parent()
        with unchanged(self):
            response = client_for(self.people["staf2"]).post(
                f"/admin/pages/{item.page.pk}/copy/",
                {"new_title": "Salinan", "new_slug": "salinan", "new_parent_page": parent.pk},
            )
            self.assertIn(response.status_code, (302, 403))
            if response.status_code == 302:
                self.assertNotIn("salinan", response["Location"])

    def test_a_table_cells_class_cannot_break_out_of_its_attribute_on_the_public_page(self):
        # CVE-2026-28222: the profil pages' table (Wagtail's TableBlock, Lontar's template around
        # it) wrote each cell's class name into the page as it was posted.
        hostile = 'htLeft" onmouseover="alert(document.cookie)" data-x="'
        table = {
            "data": [["Bidang", "Kepala"], ["Sekretariat", "Sekretaris Dinas"]],
            "cell": [{"row": 1, "col": 0, "className": hostile}],
            "table_caption": "Susunan",
            "first_row_is_table_header": True,
            "first_col_is_header": False,
        }
        page = D.publish_kind(self.people, kind="informasi", topic="Susunan Organisasi", body=[("table", table)])
        html = self.client.get(page.url).content.decode()
        self.assertIn("Sekretaris Dinas", html)
        self.assertIn('class="htLeft&quot; onmouseover=&quot;alert(document.cookie)&quot; data-x=&quot;"', html)
        self.assertNotIn(' onmouseover="', html)
