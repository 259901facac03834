"""The review screen shows each content type's own fields, read from the revision under review,
and a new draft starts with what the agenda already says (desk.content_types)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.test import TestCase
from django.urls import reverse
from wagtail.models import Page

from desk import selectors, services
from desk.models import PerangkatDaerah
from desk.tests import sop_driver as D
from desk.tests.helpers import client_for, text_of
from kegiatan.models import KegiatanPage
from lontar.testing import build_world
from opendata.tests.utils import PADI_CSV, document
from portal.models import BeritaCategory

WITA = ZoneInfo("Asia/Makassar")


def row(label: str, value: str) -> str:
    """One line of the review's field list, as ``text_of`` flattens it."""
    return f"<dt>{label}</dt><dd>{value}</dd>"


class ReviewFieldsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.dispar = PerangkatDaerah.objects.create(name="Dinas Pariwisata", short_name="Dispar")
        cls.distan = PerangkatDaerah.objects.create(name="Dinas Pertanian", short_name="Distan")

    def review_text(self, liputan, *, step: int, phase: int = 0, who: str) -> str:
        """The item carried to (step, phase) and its review screen as that step's holder sees it."""
        D.advance(liputan, self.people, to_step=step, to_phase=phase)
        response = client_for(self.people[who]).get(reverse("desk:review", args=[liputan.pk]))
        self.assertEqual(response.status_code, 200)
        return text_of(response)

    def assert_rows(self, text: str, rows: list[tuple[str, str]]):
        for label, value in rows:
            self.assertIn(row(label, value), text)

    def test_potensi_shows_sector_location_coordinates_and_contact(self):
        liputan = D.start_item(self.people, topic="Subak Jatiluwih", kind="potensi_daerah")
        D.draft(
            liputan,
            sektor="pertanian",
            kecamatan="penebel",
            desa="Jatiluwih",
            latitude=Decimal("-8.370000"),
            longitude=Decimal("115.131500"),
            contact_name="Pengelola DTW Jatiluwih",
            contact_phone="(0361) 815245",
            contact_email="info@jatiluwih.id",
            perangkat_daerah=self.dispar,
        )
        text = self.review_text(liputan, step=3, phase=1, who="kasi")
        self.assert_rows(
            text,
            [
                ("Sektor", "Pertanian"),  # the choice's label, not its value
                ("Kecamatan", "Penebel"),
                ("Desa/kelurahan", "Jatiluwih"),
                ("Koordinat (lintang, bujur)", "-8.37, 115.1315"),
                ("Nama kontak", "Pengelola DTW Jatiluwih"),
                ("Telepon", "(0361) 815245"),
                ("Email", "info@jatiluwih.id"),
                ("Situs web", "—"),
                ("Perangkat Daerah", "Dinas Pariwisata"),  # the FK by name
            ],
        )

    def test_values_come_from_the_revision_not_the_pages_row(self):
        liputan = D.start_item(self.people, topic="Kebun Raya Eka Karya", kind="potensi_daerah")
        D.draft(liputan, desa="Candikuning")
        liputan.refresh_from_db()
        # The Staf's draft lives in the revision only; the page's own row still has the empty desa.
        self.assertEqual(Page.objects.get(pk=liputan.page_id).specific.desa, "")
        text = self.review_text(liputan, step=3, phase=1, who="kasi")
        self.assert_rows(text, [("Desa/kelurahan", "Candikuning")])

    def test_kegiatan_shows_its_time_in_wita_place_and_organiser(self):
        liputan = D.start_item(self.people, topic="Tabanan Art Festival", kind="kegiatan")
        D.draft(
            liputan,
            start=dt.datetime(2026, 12, 1, 9, 0, tzinfo=WITA).astimezone(dt.UTC),
            end=dt.datetime(2026, 12, 1, 12, 0, tzinfo=WITA).astimezone(dt.UTC),
            all_day=False,
            place="Gedung Kesenian I Ketut Maria",
            organiser=self.dispar,
            organiser_text="Sanggar Tari Kebyar",
        )
        text = self.review_text(liputan, step=4, who="kabid")
        self.assert_rows(
            text,
            [
                ("Waktu (WITA)", "Selasa, 1 Desember 2026, 09.00–12.00 WITA"),
                ("Lokasi", "Gedung Kesenian I Ketut Maria"),
                ("Perangkat Daerah penyelenggara", "Dinas Pariwisata"),
                ("Penyelenggara lain", "Sanggar Tari Kebyar"),
            ],
        )

    def test_pengumuman_shows_its_validity(self):
        liputan = D.start_item(self.people, topic="Pemadaman listrik terjadwal", kind="pengumuman")
        D.draft(liputan, berlaku_mulai=dt.date(2026, 12, 1), berlaku_sampai=None)
        text = self.review_text(liputan, step=3, phase=1, who="kasi")
        self.assert_rows(text, [("Berlaku mulai", "1 Desember 2026"), ("Berlaku sampai", "Tanpa batas waktu")])

        D.act(liputan, "forward")
        liputan.refresh_from_db()
        D.act(liputan, "return", return_to=3, comment="Isi batas berlakunya.")
        D.draft(liputan, berlaku_sampai=dt.date(2026, 12, 31))
        text = self.review_text(liputan, step=3, phase=1, who="kasi")
        self.assert_rows(text, [("Berlaku sampai", "31 Desember 2026")])

    def test_data_set_shows_satu_data_metadata_and_the_table(self):
        liputan = D.start_item(self.people, topic="Produksi padi 2025", kind="data")
        D.draft(
            liputan,
            deskripsi="Produksi padi per kecamatan.",
            produsen=self.distan,
            periode="2025",
            frekuensi="tahunan",
            satuan="ton",
            lisensi="cc-by-4.0",
            tanggal_rilis=dt.date(2026, 2, 10),
            kata_kunci="padi, pertanian",
            data_file=document("padi.csv", PADI_CSV),
        )
        text = self.review_text(liputan, step=4, who="kabid")
        self.assert_rows(
            text,
            [
                ("Produsen data", "Dinas Pertanian"),
                ("Produsen data lain", "—"),
                ("Periode", "2025"),
                ("Frekuensi pemutakhiran", "Tahunan"),
                ("Satuan", "ton"),
                ("Lisensi", "CC BY 4.0"),
                ("Tanggal rilis", "10 Februari 2026"),
                ("Kata kunci", "padi, pertanian"),
                ("Berkas data (CSV atau XLSX)", "padi.csv"),
                ("Jumlah baris", "10"),
            ],
        )
        self.assertIn("Produksi padi per kecamatan.", text)  # the description, as the summary
        # The preview table of the revision and its chart.
        self.assertIn("<title>Penebel: 46.346</title>", text)
        self.assertEqual(text.count("<tr><td>"), 10)

    def test_ppid_entry_shows_the_dip_columns(self):
        liputan = D.start_item(self.people, topic="Laporan Keuangan 2025", kind="ppid")
        D.draft(
            liputan,
            kategori="berkala",
            ringkasan="Laporan realisasi anggaran dinas.",
            pejabat_penguasa="Sub Bagian Keuangan",
            penanggung_jawab="Sekretaris Dinas",
            waktu_pembuatan="Januari 2026",
            tempat_pembuatan="Tabanan",
            bentuk="cetak-elektronik",
            retensi="10 tahun",
        )
        text = self.review_text(liputan, step=3, phase=1, who="kasi")
        self.assert_rows(
            text,
            [
                ("Kategori", "Informasi berkala"),
                ("Ringkasan isi informasi", "Laporan realisasi anggaran dinas."),
                ("Pejabat/unit yang menguasai informasi", "Sub Bagian Keuangan"),
                ("Penanggung jawab pembuatan/penerbitan informasi", "Sekretaris Dinas"),
                ("Waktu pembuatan informasi", "Januari 2026"),
                ("Tempat pembuatan informasi", "Tabanan"),
                ("Bentuk informasi", "Cetak dan elektronik"),
                ("Jangka waktu penyimpanan (retensi)", "10 tahun"),
                ("Dokumen", "—"),
            ],
        )

    def test_berita_shows_category_source_and_perangkat_daerah(self):
        category = BeritaCategory.objects.create(name="Pariwisata", slug="pariwisata")
        liputan = D.start_item(self.people, topic="Kunjungan wisman naik", perangkat_daerah=self.dispar)
        D.write(liputan, summary="Kunjungan naik 12 persen.", category=category, source="Dinas Pariwisata Tabanan")
        text = self.review_text(liputan, step=4, who="kabid")
        self.assert_rows(
            text,
            [("Kategori", "Pariwisata"), ("Sumber", "Dinas Pariwisata Tabanan"), ("Perangkat Daerah", "Dinas Pariwisata")],
        )

    def test_related_objects_cost_one_query_each_whatever_the_rows(self):
        liputan = D.start_item(self.people, topic="Produksi jagung", kind="data")
        D.draft(liputan, produsen=self.distan, data_file=document("padi.csv", PADI_CSV))
        liputan.refresh_from_db()
        revision = liputan.page.get_latest_revision().as_object()
        with self.assertNumQueries(2):  # the producer and the document
            sheet = selectors.review_sheet(page=revision)
        self.assertEqual(len(sheet.rows), 10)
        self.assertEqual(sheet.template, "opendata/includes/dataset_review.html")

        liputan = D.start_item(self.people, topic="Pantai Kedungu", kind="potensi_daerah")
        D.draft(liputan)  # no Perangkat Daerah: nothing to fetch
        liputan.refresh_from_db()
        revision = liputan.page.get_latest_revision().as_object()
        with self.assertNumQueries(0):
            selectors.review_sheet(page=revision)


class DraftFromAgendaTest(TestCase):
    """The Staf's new draft starts with the agenda's Perangkat Daerah, place and day."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.dispar = PerangkatDaerah.objects.create(name="Dinas Pariwisata", short_name="Dispar")

    def create(self, kind: str, **agenda):
        liputan = D.start_item(self.people, topic=f"Rencana {kind}", kind=kind, **agenda)
        return services.liputan_page_create(liputan=liputan, user=self.people["staf"])

    def test_kegiatan_takes_organiser_place_and_the_planned_day_in_wita(self):
        page = self.create(
            "kegiatan", perangkat_daerah=self.dispar, place="Taman Kota Tabanan", planned_date=dt.date(2026, 12, 5)
        )
        page = KegiatanPage.objects.get(pk=page.pk)
        self.assertEqual(page.organiser, self.dispar)
        self.assertEqual(page.place, "Taman Kota Tabanan")
        # The agenda knows only the day: the draft starts at its midnight in WITA (not UTC), and
        # the Staf sets the hours and the end.
        self.assertEqual(page.start, dt.datetime(2026, 12, 5, 0, 0, tzinfo=WITA))
        self.assertIsNone(page.end)
        self.assertFalse(page.all_day)
        self.assertEqual(page.get_latest_revision().as_object().organiser_id, self.dispar.pk)

    def test_potensi_berita_and_data_take_the_perangkat_daerah(self):
        for kind, field in (("potensi_daerah", "perangkat_daerah"), ("berita", "perangkat_daerah"), ("data", "produsen")):
            with self.subTest(kind=kind):
                page = self.create(kind, perangkat_daerah=self.dispar, place="Jatiluwih")
                self.assertEqual(getattr(page, f"{field}_id"), self.dispar.pk)

    def test_an_agenda_without_them_leaves_the_draft_empty(self):
        page = KegiatanPage.objects.get(pk=self.create("kegiatan", planned_date=dt.date(2026, 12, 5)).pk)
        self.assertIsNone(page.organiser)
        self.assertEqual(page.place, "")

    def test_types_without_such_fields_take_nothing(self):
        page = self.create("pengumuman", perangkat_daerah=self.dispar, place="Kantor Bupati")
        self.assertEqual(page.title, "Rencana pengumuman")
        self.assertFalse(hasattr(page, "place"))
