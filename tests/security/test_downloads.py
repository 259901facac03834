"""Downloads: path traversal and guessed ids on documents, exports and the SOP's PDF.

Documents are served by Wagtail's view at /dokumen/<id>/<file name>; ids count up and names are
often predictable ("surat-edaran.pdf"), so a document reaches the public only once a published
page uses it (``desk.wagtail_hooks.serve_published_documents_only``). The files are written to a
real directory here, as in production, so the view can send them."""

import atexit
import shutil
import tempfile

from django.test import Client, TestCase, override_settings

from desk.tests import sop_driver as D
from desk.tests.helpers import client_for
from desk.tests.sop_driver import make_no_role_user
from lontar.testing import build_world
from ppid.models import KategoriInformasi
from ppid.tests.utils import make_document
from tests.security.support import unchanged

MEDIA = tempfile.mkdtemp(prefix="lontar-security-media-")
atexit.register(shutil.rmtree, MEDIA, ignore_errors=True)  # also when this module's tests are not run
FILES = override_settings(
    MEDIA_ROOT=MEDIA,
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
)


@FILES
class DocumentDownloadTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        p["tamu"] = make_no_role_user()
        # An announcement still on the desk (step 5) with its attachment, and a published one.
        cls.draft_doc = make_document("Surat edaran (draf)", filename="surat-edaran-draf.pdf")
        liputan = D.start_item(p, topic="Pengumuman belum terbit", kind="pengumuman")
        D.draft(liputan, attachment=cls.draft_doc)
        D.advance(liputan, p, to_step=5)
        cls.live_doc = make_document("Surat edaran", filename="surat-edaran.pdf")
        cls.live_page = D.publish_kind(p, kind="pengumuman", topic="Pengumuman terbit", attachment=cls.live_doc)
        # A DIP entry still on the desk with its document.
        cls.dip_doc = make_document("Daftar penerima", filename="daftar-penerima.pdf")
        dip = D.start_item(p, topic="Daftar penerima bantuan", kind="ppid")
        D.draft(dip, kategori=KategoriInformasi.BERKALA, dokumen=cls.dip_doc)
        D.advance(dip, p, to_step=4)
        cls.orphan_doc = make_document("Tidak dipakai", filename="tidak-dipakai.pdf")

    def test_a_published_pages_attachment_is_served(self):
        response = Client().get(self.live_doc.url)
        self.assertEqual(response.status_code, 200)
        # A PDF opens in the browser (Wagtail's WAGTAILDOCS_INLINE_CONTENT_TYPES), fenced by a CSP
        # that lets it run nothing.
        self.assertIn('filename="surat-edaran.pdf"', response["Content-Disposition"])
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF"))

    def test_documents_of_drafts_and_unused_documents_are_404_to_the_public(self):
        visitor = Client()
        for document in (self.draft_doc, self.dip_doc, self.orphan_doc):
            with self.subTest(document=document.filename), unchanged(self):
                response = visitor.get(document.url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(b"%PDF", response.content)
        # People of the admin read them, as the editor shows them.
        self.assertEqual(client_for(self.people["kabid"]).get(self.draft_doc.url).status_code, 200)

    def test_guessed_ids_wrong_names_and_traversal_are_404(self):
        visitor = Client()
        pk = self.live_doc.pk
        for url in (
            f"/dokumen/{pk}/surat-edaran-draf.pdf",  # the right id with another document's name
            f"/dokumen/{self.draft_doc.pk}/surat-edaran.pdf",
            f"/dokumen/{pk}/../../manage.py",
            f"/dokumen/{pk}/..%2F..%2Fmanage.py",
            f"/dokumen/{pk}/%2e%2e/%2e%2e/lontar/settings/base.py",
            f"/dokumen/{pk}/surat-edaran.pdf%00.html",
            "/dokumen/999999/surat-edaran.pdf",
            "/dokumen/0/surat-edaran.pdf",
            "/dokumen/-1/surat-edaran.pdf",
            "/media/documents/surat-edaran.pdf",
            "/media/../manage.py",
            "/static/../manage.py",
            "/static/..%2F..%2Fmanage.py",
        ):
            with self.subTest(url=url):
                response = visitor.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(b"SECRET_KEY", response.content)
                self.assertNotIn(b"%PDF", response.content)


class SopPdfAndExportTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.version = cls.people["version"]

    def test_guessed_sop_versions_and_traversal_are_404(self):
        visitor = Client()
        for url in (
            f"/profil/sop/{self.version.pk + 1}/pdf/",
            "/profil/sop/0/pdf/",
            "/profil/sop/-1/pdf/",
            "/profil/sop/abc/pdf/",
            "/profil/sop/..%2F..%2Fmanage.py/pdf/",
            f"/profil/sop/{self.version.pk}/../../../manage.py",
            f"/profil/sop/{self.version.pk}/pdf/..%2F..%2F",
        ):
            with self.subTest(url=url):
                self.assertEqual(visitor.get(url).status_code, 404)

    def test_the_admin_sop_document_is_not_public(self):
        url = f"/admin/sop/{self.version.pk}/dokumen.pdf"
        response = Client().get(url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])
        response = client_for(make_no_role_user()).get(f"/admin/sop/{self.version.pk + 99}/dokumen/")
        self.assertIn(response.status_code, (302, 403, 404))

    def test_open_data_downloads_of_drafts_and_traversal_are_404(self):
        from opendata.tests.utils import data_item

        liputan = data_item(self.people, topic="Data belum terbit", to_step=5)
        page = liputan.page.specific
        parent = page.get_parent().url
        for url in (
            f"{parent}{page.slug}/unduh/csv/",
            f"{parent}{page.slug}/unduh/json/",
            f"{parent}data-belum-terbit/unduh/xlsx/",
            f"{parent}..%2F..%2F/unduh/csv/",
        ):
            with self.subTest(url=url):
                response = Client().get(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("attachment", response.get("Content-Disposition", ""))
