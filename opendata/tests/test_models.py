"""A data set's file is read when the page is saved: bad files are refused with a message for the
Staf, in the editor as everywhere else, and the stored table follows the file it came from."""

from unittest import mock

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from desk.tests import sop_driver as D
from desk.tests.helpers import client_for, text_of
from lontar.testing import build_world
from opendata import services, tables
from opendata.models import DataSetPage
from opendata.tests.utils import PADI_CSV, document, xlsx_bytes

BAD_FILES = [
    ("laporan.pdf", b"%PDF-1.7", "Format berkas .pdf tidak didukung. Unggah berkas CSV atau XLSX."),
    ("lama.xls", b"\xd0\xcf\x11\xe0", "Format .xls tidak didukung."),
    ("kosong.csv", b"", "Berkas kosong."),
    ("judul.csv", b"Kecamatan,Produksi\r\n", "Berkas hanya berisi baris judul kolom, tanpa baris data."),
    ("pincang.csv", b"Kecamatan,Produksi\nKediri,1\nMarga\n", "Baris 3 berisi 1 kolom, padahal judul kolomnya 2."),
    ("rusak.xlsx", b"bukan zip", "Berkas XLSX rusak atau bukan berkas Excel XLSX."),
    ("banyak.csv", b"A\n" + b"1\n" * (tables.MAX_ROWS + 1), "Berkas berisi lebih dari 50.000 baris data."),
    ("besar.csv", b"A\n" + b"x" * (10 * 1024 * 1024), "Berkas terlalu besar (10,0 MB). Batasnya 10 MB."),
]


def edit_form(page, **fields):
    data = {
        "title": page.title,
        "slug": page.slug,
        "deskripsi": page.deskripsi,
        "produsen": page.produsen_id or "",
        "produsen_lain": page.produsen_lain,
        "periode": page.periode,
        "frekuensi": page.frekuensi,
        "satuan": page.satuan,
        "lisensi": page.lisensi,
        "tanggal_rilis": "",
        "kata_kunci": page.kata_kunci,
        "data_file": page.data_file_id or "",
        "comments": inline_formset([]),
        **fields,
    }
    return nested_form_data(data)


class DataFileTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def setUp(self):
        cache.clear()  # generated downloads are cached per published revision
        self.liputan = D.start_item(self.people, topic="Produksi padi 2025", kind="data")
        self.page = D.draft(self.liputan, periode="2025")

    def latest(self) -> DataSetPage:
        return DataSetPage.objects.get(pk=self.page.pk).get_latest_revision_as_object()

    def test_a_draft_starts_without_a_file(self):
        page = self.latest()
        self.assertIsNone(page.data_file)
        self.assertEqual((page.table, page.row_count, page.table_source), ({}, 0, ""))

    def test_the_file_is_read_into_the_stored_table_on_save(self):
        D.draft(self.liputan, data_file=document("padi.csv", PADI_CSV))
        page = self.latest()
        self.assertEqual(page.table, tables.read_table(PADI_CSV, "padi.csv"))
        self.assertEqual(page.table_preview, page.table)  # 10 rows: the preview is all of it
        self.assertEqual(page.row_count, 10)
        self.assertTrue(page.table_source.startswith(f"{page.data_file_id}:documents/padi"))

    def test_bad_files_are_refused_with_a_message(self):
        revisions = self.page.revisions.count()
        for filename, data, message in BAD_FILES:
            with self.subTest(filename=filename):
                with self.assertRaises(ValidationError) as caught:
                    D.draft(self.liputan, data_file=document(filename, data))
                self.assertIn(message, caught.exception.message_dict["data_file"][0])
        self.assertEqual(self.page.revisions.count(), revisions)
        self.assertEqual(self.latest().row_count, 0)

    def test_the_editor_shows_the_message_on_the_file_field(self):
        bad = document("pincang.csv", b"Kecamatan,Produksi\nKediri,1\nMarga\n")
        page = self.latest()
        revisions = page.revisions.count()
        response = client_for(self.people["staf"]).post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]), edit_form(page, data_file=bad.pk)
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Baris 3 berisi 1 kolom, padahal judul kolomnya 2.", text_of(response))
        self.assertEqual(page.revisions.count(), revisions)

        good = document("padi.xlsx", xlsx_bytes(["Kecamatan", "Produksi"], [["Kediri", 28854]]))
        response = client_for(self.people["staf"]).post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]), edit_form(page, data_file=good.pk)
        )
        self.assertEqual(response.status_code, 302, text_of(response)[-3000:])
        self.assertEqual(self.latest().table["rows"], [["Kediri", 28854]])

    def revise(self, **fields) -> DataSetPage:
        """The writer changes ``fields`` of the latest draft and saves a new revision."""
        page = self.latest()
        for name, value in fields.items():
            setattr(page, name, value)
        page.save_revision(user=self.liputan.writer)
        return self.latest()

    def test_the_same_file_is_read_once_and_a_new_file_again(self):
        padi = document("padi.csv", PADI_CSV)
        with mock.patch.object(services, "document_table", wraps=services.document_table) as read:
            self.revise(data_file=padi)
            page = self.revise(deskripsi="Ditambah deskripsi.")
            self.assertEqual(read.call_count, 1)
            self.assertEqual(page.row_count, 10)
            page = self.revise(data_file=document("padi2.csv", b"A,B\n1,2\n"))
            self.assertEqual(read.call_count, 2)
        self.assertEqual(page.table["rows"], [[1, 2]])
        self.assertEqual(page.deskripsi, "Ditambah deskripsi.")

    def test_removing_the_file_empties_the_table(self):
        self.assertEqual(self.revise(data_file=document("padi.csv", PADI_CSV)).row_count, 10)
        page = self.revise(data_file=None)
        self.assertEqual((page.table, page.table_preview, page.row_count, page.table_source), ({}, {}, 0, ""))

    def test_the_published_table_is_the_approved_one(self):
        """Replacing the document's file in the library changes nothing public until a new
        revision reads it and passes the SOP."""
        padi = document("padi.csv", PADI_CSV)
        self.revise(data_file=padi)
        page = D.publish(self.liputan, self.people)
        padi.file.save("ganti.csv", ContentFile(b"A\n1\n"))
        self.assertEqual(self.client.get(f"{page.url}unduh/csv/").content, PADI_CSV)

    def test_the_catalogue_route_name_is_not_a_slug(self):
        with self.assertRaises(ValidationError) as caught:
            D.draft(self.liputan, slug="data-json")
        self.assertIn("dipakai oleh katalog data", caught.exception.message_dict["slug"][0])

    def test_pages_are_fetched_without_their_full_table(self):
        D.draft(self.liputan, data_file=document("padi.csv", PADI_CSV))
        D.publish(self.liputan, self.people)
        page = DataSetPage.objects.get(pk=self.page.pk)
        self.assertEqual(page.get_deferred_fields(), {"table"})
        self.assertEqual(page.row_count, 10)
        with self.assertNumQueries(1):
            self.assertEqual(len(page.table["rows"]), 10)

    def test_reviewers_can_be_shown_the_draft_with_its_table_and_chart(self):
        """``opendata/includes/dataset_review.html`` renders a draft revision for the desk, whose
        review screen lists the metadata itself (desk.tests.test_review)."""
        page = self.revise(data_file=document("padi.csv", PADI_CSV), deskripsi="Angka sementara.")
        html = render_to_string("opendata/includes/dataset_review.html", {"page": page})
        self.assertIn("<title>Penebel: 46.346</title>", html)
        self.assertEqual(html.count("<tr><td>"), 10)
        self.assertNotIn("Berkas data belum tersedia.", html)

    def test_a_data_set_published_without_a_file_says_so(self):
        page = D.publish(self.liputan, self.people)
        text = text_of(self.client.get(page.url))
        self.assertIn("Berkas data belum tersedia.", text)
        self.assertNotIn("unduh/", text)
        self.assertEqual(self.client.get(f"{page.url}unduh/csv/").status_code, 404)
        entry = self.client.get("/data/data-json/").json()["dataset"][0]
        self.assertEqual(entry["title"], page.title)
        self.assertNotIn("distribution", entry)

