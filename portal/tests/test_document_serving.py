"""Documents at /dokumen/<id>/<name> (desk.wagtail_hooks.serve_published_documents_only): a
document that only pages still on the desk, unpublished or restricted pages use is not found by
the public, nor is one nothing uses yet; published ones download with safe headers."""

import shutil
import tempfile

from django.core.files.base import ContentFile
from django.test import Client, TestCase
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction

from desk import services
from desk.tests import sop_driver as D
from desk.tests.helpers import client_for
from lontar.testing import build_world, media_on_disk
from lontar.tests import upload_files as F

Document = get_document_model()


def document(title: str, name: str, data: bytes):
    return Document.objects.create(title=title, file=ContentFile(data, name=name))


def drafted(people, *, kind: str, topic: str, **fields):
    """An item's page on the desk with ``fields``, saved as Wagtail's editor saves a page that is
    not live: the page's row and a revision."""
    liputan = D.start_item(people, topic=topic, kind=kind)
    liputan.refresh_from_db()
    page = services.liputan_page_create(liputan=liputan, user=liputan.writer)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save()
    page.save_revision(user=liputan.writer)
    return liputan, page


MEDIA = tempfile.mkdtemp(prefix="lontar-test-media-")


@media_on_disk(MEDIA)
class DocumentServingTests(TestCase):
    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.letter = document("Surat edaran", "surat-edaran.pdf", F.pdf_bytes())
        cls.liputan, cls.page = drafted(cls.people, kind="pengumuman", topic="Pemadaman listrik", attachment=cls.letter)

    def setUp(self):
        self.public = Client()

    def test_the_attachment_of_an_announcement_on_the_desk_is_not_found(self):
        self.assertEqual(self.public.get(self.letter.url).status_code, 404)

    def test_people_in_the_admin_may_open_it_to_review_the_draft(self):
        response = client_for(self.people["kabid"]).get(self.letter.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), F.pdf_bytes())

    def test_once_published_it_downloads_and_once_unpublished_it_is_gone_again(self):
        D.publish(self.liputan, self.people)
        self.page.refresh_from_db()
        self.assertTrue(self.page.live)
        response = self.public.get(self.letter.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["Content-Disposition"], 'inline; filename="surat-edaran.pdf"')
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'")

        self.page.specific.unpublish()
        self.assertEqual(self.public.get(self.letter.url).status_code, 404)

    def test_a_live_page_behind_a_login_does_not_give_its_document_away(self):
        D.publish(self.liputan, self.people)
        PageViewRestriction.objects.create(page=self.page, restriction_type=PageViewRestriction.LOGIN)
        self.assertEqual(self.public.get(self.letter.url).status_code, 404)

    def test_a_data_set_file_is_hidden_until_its_page_is_published(self):
        data = document("Produksi padi", "produksi-padi.csv", b"kecamatan,ton\nPenebel,1200\n")
        drafted(self.people, kind="data", topic="Produksi padi 2025", data_file=data)
        self.assertEqual(self.public.get(data.url).status_code, 404)

    def test_a_document_nothing_uses_is_for_the_admin_only_and_downloads_as_an_attachment(self):
        # Uploaded and not attached yet: as unpublished as a draft's attachment.
        table = document("Tabel", "tabel.csv", b"a,b\n1,2\n")
        self.assertEqual(self.public.get(table.url).status_code, 404)
        response = client_for(self.people["kabid"]).get(table.url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"), response["Content-Disposition"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_serving_a_draft_document_costs_a_fixed_number_of_queries(self):
        # The document; one look-up per document field of the SOP's page types; the reference
        # index (pages, anything else); then the 404's redirect look-up (site and redirects).
        # Bounded by the page types, not by the documents or pages.
        with self.assertNumQueries(9):
            self.assertEqual(self.public.get(self.letter.url).status_code, 404)
