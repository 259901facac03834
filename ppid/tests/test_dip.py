"""The Daftar Informasi Publik as a visitor sees it at /ppid/.

Every entry went live through the ten SOP steps (``desk.tests.sop_driver``); entries still on the
desk stay invisible. An excluded entry is listed with its summary and reason, never its document.
"""

import datetime as dt
import re

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from desk.tests import sop_driver as D
from desk.tests.helpers import text_of
from lontar.testing import assert_public_page_queries, build_world
from ppid.models import InformasiPublikPage, KategoriInformasi
from ppid.tests.utils import START, make_document, ppid_page, publish_informasi

HEADERS = [
    "No.",
    "Ringkasan isi informasi",
    "Pejabat/unit yang menguasai informasi",
    "Penanggung jawab pembuatan/penerbitan informasi",
    "Waktu dan tempat pembuatan informasi",
    "Bentuk informasi",
    "Jangka waktu penyimpanan",
    "Kategori",
    "Dokumen",
]


def row_titles(response) -> list[str]:
    return re.findall(r'class="dip__ringkasan"[^>]*>\s*<a href="[^"]*"><strong>([^<]*)</strong>', response.content.decode())


class DipTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        index = ppid_page()
        index.intro = "PPID Kabupaten Tabanan melayani permohonan informasi publik."
        index.pejabat_nama = "I Made Arsana"
        index.pejabat_jabatan = "PPID Utama Kabupaten Tabanan"
        index.telepon = "(0361) 811047"
        index.email = "ppid@tabanankab.go.id"
        index.save_revision().publish()
        cls.laporan_doc = make_document("Laporan keuangan 2025", "laporan-keuangan-2025.pdf")
        cls.evakuasi_doc = make_document("Jalur evakuasi", "jalur-evakuasi.pdf")
        cls.berkala = publish_informasi(
            p, topic="Laporan keuangan 2025", when=START,
            kategori=KategoriInformasi.BERKALA, ringkasan="Laporan realisasi anggaran tahun 2025.",
            pejabat_penguasa="Sekretariat Diskominfo", penanggung_jawab="Sekretaris Dinas",
            waktu_pembuatan="Maret 2026", tempat_pembuatan="Tabanan", bentuk="cetak-elektronik",
            retensi="10 tahun", dokumen=cls.laporan_doc,
        )
        cls.serta_merta = publish_informasi(
            p, topic="Peringatan dini banjir", when=START + dt.timedelta(hours=1),
            kategori=KategoriInformasi.SERTA_MERTA, ringkasan="Jalur evakuasi banjir.",
            pejabat_penguasa="BPBD", penanggung_jawab="Kalaksa BPBD", waktu_pembuatan="Setiap ada peringatan",
            tempat_pembuatan="Tabanan", bentuk="elektronik", retensi="Selama berlaku", dokumen=cls.evakuasi_doc,
        )
        cls.setiap_saat = publish_informasi(
            p, topic="Daftar aset daerah", when=START + dt.timedelta(hours=2),
            kategori=KategoriInformasi.SETIAP_SAAT, ringkasan="Daftar barang milik daerah.",
            pejabat_penguasa="BPKPD", penanggung_jawab="Kepala BPKPD", waktu_pembuatan="2026",
            bentuk="cetak", retensi="5 tahun",
        )
        cls.dikecualikan = publish_informasi(
            p, topic="Data pribadi pemohon KTP", when=START + dt.timedelta(hours=3),
            kategori=KategoriInformasi.DIKECUALIKAN, ringkasan="NIK dan alamat pemohon layanan.",
            pejabat_penguasa="Disdukcapil", penanggung_jawab="Kepala Disdukcapil", waktu_pembuatan="Setiap layanan",
            bentuk="elektronik", retensi="Sesuai JRA",
            alasan_pengecualian="Rahasia pribadi (UU 14/2008 Pasal 17 huruf h).",
        )
        # On the desk, not yet published: must not appear.
        with_draft = D.start_item(p, topic="Naskah DIP belum terbit", kind="ppid")
        D.draft(with_draft, kategori=KategoriInformasi.BERKALA, ringkasan="Belum boleh tampil.")
        cls.on_desk = D.advance(with_draft, p, to_step=6)

    def test_dip_lists_published_entries_with_every_column(self):
        r = self.client.get("/ppid/")
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "ppid/ppid_index_page.html")
        text = text_of(r)
        for header in HEADERS:
            self.assertIn(f'<th scope="col" role="columnheader">{header}</th>', text)
            self.assertIn(f'data-label="{header}"', text)
        # In the order of UU 14/2008: berkala, serta-merta, setiap saat, dikecualikan.
        self.assertEqual(
            row_titles(r),
            ["Laporan keuangan 2025", "Peringatan dini banjir", "Daftar aset daerah", "Data pribadi pemohon KTP"],
        )
        row = text.split('<tr role="row" class="dip__row">')[1].split("</tr>")[0]
        for value in [
            '>1</td>', "Laporan realisasi anggaran tahun 2025.", "Sekretariat Diskominfo", "Sekretaris Dinas",
            "Maret 2026, Tabanan", "Cetak dan elektronik", "10 tahun", "Informasi berkala",
            f'href="{self.laporan_doc.url}"', "(PDF)",
        ]:
            self.assertIn(value, row)
        self.assertIn(f'href="{self.berkala.url}"', row)
        # The intro, the PPID officer's contact and the way to the request form.
        self.assertIn("PPID Kabupaten Tabanan melayani permohonan informasi publik.", text)
        self.assertIn("I Made Arsana", text)
        self.assertIn('href="tel:(0361)811047"', text)
        self.assertIn('href="mailto:ppid@tabanankab.go.id"', text)
        self.assertIn('href="/ppid/permohonan/"', text)
        # The table's own stylesheet (stacked cards on phones).
        self.assertIn("ppid/ppid.css", text)

    def test_entries_on_the_desk_are_not_listed_and_are_404(self):
        text = text_of(self.client.get("/ppid/"))
        self.assertNotIn("Naskah DIP belum terbit", text)
        self.assertNotIn("Belum boleh tampil.", text)
        page = self.on_desk.page.specific
        self.assertFalse(page.live)
        self.assertEqual(self.client.get(page.url).status_code, 404)

    def test_category_filter(self):
        cases = {
            "berkala": ["Laporan keuangan 2025"],
            "serta-merta": ["Peringatan dini banjir"],
            "setiap-saat": ["Daftar aset daerah"],
            "dikecualikan": ["Data pribadi pemohon KTP"],
        }
        for value, titles in cases.items():
            with self.subTest(kategori=value):
                r = self.client.get("/ppid/", {"kategori": value})
                self.assertEqual(r.status_code, 200)
                self.assertEqual(row_titles(r), titles)
                label = KategoriInformasi(value).label
                self.assertIn(f"Daftar Informasi Publik: {label}", text_of(r))
                self.assertIn(f'<a href="?kategori={value}#dip" aria-current="page">', text_of(r))

    def test_an_unknown_category_shows_everything_with_a_notice(self):
        for value in ("rahasia", "<script>", "BERKALA", "berkala'--"):
            with self.subTest(kategori=value):
                r = self.client.get("/ppid/", {"kategori": value})
                self.assertEqual(r.status_code, 200)
                self.assertEqual(len(row_titles(r)), 4)
                self.assertIn("Kategori tidak dikenal; semua informasi ditampilkan.", text_of(r))
                self.assertNotIn("<script>", r.content.decode())
        # Empty means all, silently.
        r = self.client.get("/ppid/", {"kategori": ""})
        self.assertEqual(len(row_titles(r)), 4)
        self.assertNotIn("Kategori tidak dikenal", text_of(r))

    def test_an_excluded_entry_shows_summary_and_reason_but_no_document(self):
        r = self.client.get("/ppid/", {"kategori": "dikecualikan"})
        text = text_of(r)
        self.assertIn("NIK dan alamat pemohon layanan.", text)
        self.assertIn("Alasan pengecualian:</strong> Rahasia pribadi (UU 14/2008 Pasal 17 huruf h).", text)
        self.assertIn("Dikecualikan, tidak dapat diunduh", text)
        self.assertNotIn("/documents/", text)

        detail = text_of(self.client.get(self.dikecualikan.url))
        self.assertIn("Rahasia pribadi (UU 14/2008 Pasal 17 huruf h).", detail)
        self.assertIn("dokumennya tidak dibuka untuk publik", detail)
        self.assertNotIn("/documents/", detail)

    def test_an_excluded_entry_never_shows_a_document_even_if_one_is_stored(self):
        """Defence in depth: the editor refuses the attachment (below); a row changed behind its back
        still shows no link."""
        secret = make_document("Dokumen rahasia", "rahasia.pdf")
        InformasiPublikPage.objects.filter(pk=self.dikecualikan.pk).update(dokumen=secret)
        for url in ("/ppid/", "/ppid/?kategori=dikecualikan", self.dikecualikan.url):
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                self.assertNotIn(secret.url, html)
                self.assertNotIn("rahasia.pdf", html)

    def test_an_excluded_entry_cannot_carry_its_document_or_go_without_a_reason(self):
        page = InformasiPublikPage.objects.get(pk=self.dikecualikan.pk)
        page.dokumen = make_document("Lampiran", "lampiran.pdf")
        with self.assertRaises(ValidationError) as caught:
            page.save_revision()
        self.assertIn("dokumen", caught.exception.message_dict)
        self.assertIn(
            "Informasi yang dikecualikan tidak boleh melampirkan dokumennya.", caught.exception.message_dict["dokumen"]
        )
        page.dokumen = None
        page.alasan_pengecualian = "  "
        with self.assertRaises(ValidationError) as caught:
            page.save_revision()
        self.assertIn("alasan_pengecualian", caught.exception.message_dict)

    def test_an_entry_with_its_own_view_restriction_is_not_listed(self):
        PageViewRestriction.objects.create(page=self.setiap_saat, restriction_type=PageViewRestriction.LOGIN)
        self.assertNotIn("Daftar aset daerah", row_titles(self.client.get("/ppid/")))
        self.assertEqual(len(row_titles(self.client.get("/ppid/"))), 3)

    def test_an_entry_page_shows_its_columns_and_document(self):
        r = self.client.get(self.berkala.url)
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "ppid/informasi_publik_page.html")
        text = text_of(r)
        for value in ("Laporan keuangan 2025", "Sekretariat Diskominfo", "Sekretaris Dinas", "Maret 2026, Tabanan",
                      "Cetak dan elektronik", "10 tahun", f'href="{self.laporan_doc.url}"'):
            self.assertIn(value, text)
        # Without a document: how to ask for it.
        self.assertIn("dapat dimohon melalui formulir", text_of(self.client.get(self.setiap_saat.url)))


class EmptyDipTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_world()

    def test_an_empty_dip_says_so(self):
        r = self.client.get("/ppid/")
        self.assertEqual(r.status_code, 200)
        self.assertIn("Belum ada informasi publik.", text_of(r))
        self.assertNotIn("<table", text_of(r))
        r = self.client.get("/ppid/", {"kategori": "berkala"})
        self.assertIn("Belum ada informasi publik dalam kategori ini.", text_of(r))


class DipQueryCountTest(TestCase):
    """The DIP costs the same number of queries with 3 or 15 entries, within the bound of 8.

    Its own work is 1 query (the entries joined to their documents, private entries left out by
    a subquery); everything else is the cost of serving any page at /ppid/, measured on the
    request form (a route of the same page that lists nothing): serving 2 (the pages on the
    path, the PPID page as its own type), the frame none (cached). An empty cache adds 3 (the
    sites, Wagtail's site root paths, the site chrome).
    """

    DIP_OWN = 1
    WARM, COLD = 3, 6

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.count = 0
        for _ in range(3):
            cls.publish()

    @classmethod
    def publish(cls):
        i = cls.count
        cls.count += 1
        kategori = [KategoriInformasi.BERKALA, KategoriInformasi.SERTA_MERTA, KategoriInformasi.SETIAP_SAAT][i % 3]
        return publish_informasi(
            cls.people, topic=f"Informasi ke-{i:02d}", when=START + dt.timedelta(minutes=10 * i),
            kategori=kategori, ringkasan=f"Ringkasan {i}.", pejabat_penguasa="Diskominfo",
            penanggung_jawab="Kadis", waktu_pembuatan="2026", retensi="5 tahun",
            dokumen=make_document(f"Dokumen {i}", f"dokumen-{i}.pdf"),
        )

    def count_queries(self, url) -> tuple[int, int]:
        """(cold, warm) queries for one view of ``url``."""
        counts = []
        cache.clear()
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(url).status_code, 200)
            counts.append(len(queries))
        return counts[0], counts[1]

    def assert_queries(self, url, *, rows):
        r = assert_public_page_queries(self, url, cold=self.COLD, warm=self.WARM)
        self.assertEqual(len(row_titles(r)), rows)

    def test_the_dip_adds_one_query_to_serving_the_page(self):
        frame_cold, frame_warm = self.count_queries("/ppid/permohonan/")
        self.assertEqual(self.count_queries("/ppid/"), (frame_cold + self.DIP_OWN, frame_warm + self.DIP_OWN))

    def test_query_counts_do_not_grow_with_the_number_of_entries(self):
        self.assert_queries("/ppid/", rows=3)
        self.assert_queries("/ppid/?kategori=berkala", rows=1)
        for _ in range(12):
            self.publish()
        self.assertEqual(InformasiPublikPage.objects.live().count(), 15)
        self.assert_queries("/ppid/", rows=15)
        self.assert_queries("/ppid/?kategori=berkala", rows=5)
        self.assert_queries("/ppid/?kategori=salah", rows=15)
