"""The open data section as a visitor and a program see it: the list with its filters, a data set
with its metadata, table and chart, the three downloads and the ``data.json`` catalogue.

Every data set here went live through the ten steps of the SOP (``desk.tests.sop_driver``);
data sets still on the desk must stay invisible everywhere public.
"""

import datetime as dt
import json
import re
from unittest import mock

import time_machine
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import TestCase, override_settings
from wagtail.models import PageViewRestriction

from desk.models import Liputan, PerangkatDaerah
from desk.tests.helpers import text_of
from lontar.testing import build_world
from opendata import tables
from opendata.models import DataSetPage
from opendata.tests.utils import (
    PADI_CSV,
    PADI_HEADER,
    PADI_ROWS,
    START,
    csv_bytes,
    data_item,
    publish_data,
    sheet_values,
    xlsx_bytes,
)

WISATA_HEADER = ["Bulan", "Wisatawan mancanegara", "Wisatawan nusantara", "Lama tinggal (hari)"]
WISATA_ROWS = [
    ["Januari", 41250, 88340, 2.4],
    ["Februari", 38610, 79120, 2.3],
    ["Maret", 40115, 90455, 2.5],
    ["April", 45870, 101230, 2.6],
]
DESA_HEADER = ["Desa", "Kecamatan", "Keterangan"]
DESA_ROWS = [
    ["Jatiluwih", "Penebel", "Warisan Budaya Dunia"],
    ["<b>Tista</b>", "Kerambitan", '=HYPERLINK("http://contoh.invalid","klik")'],
    ["Belimbing", "Pupuan", "@SUM(1+1)"],
    ["Kaba-Kaba", "Kediri", "-"],
]


def titles(response) -> list[str]:
    return re.findall(r'<h2 class="od-card__title"><a href="[^"]*">([^<]*)</a></h2>', response.content.decode())


def download(client, page, fmt):
    return client.get(f"{page.url}unduh/{fmt}/")


class PublicDataTest(TestCase):
    """Four published data sets (CSV, XLSX, text only, 250 rows) and two still on the desk."""

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        cls.distan = PerangkatDaerah.objects.create(name="Dinas Pertanian", short_name="Distan")
        cls.dispar = PerangkatDaerah.objects.create(name="Dinas Pariwisata", short_name="Dispar")
        PerangkatDaerah.objects.create(name="Dinas Kesehatan", short_name="Dinkes")  # no data
        cls.padi = publish_data(
            p,
            topic="Produksi padi per kecamatan 2025",
            filename="padi.csv",
            data=PADI_CSV,
            when=START,
            deskripsi="Produksi padi (gabah kering giling) per kecamatan.",
            produsen=cls.distan,
            periode="2025",
            frekuensi="tahunan",
            satuan="ton GKG",
            lisensi="cc-by-4.0",
            tanggal_rilis=dt.date(2026, 1, 15),
            kata_kunci="padi, pertanian ,, kecamatan",
        )
        cls.wisata = publish_data(
            p,
            topic="Kunjungan wisatawan 2025",
            title="Data: Kunjungan Wisatawan/Bulan 2025 — Tabanan",
            filename="wisata.xlsx",
            data=xlsx_bytes(WISATA_HEADER, WISATA_ROWS),
            when=START + dt.timedelta(hours=1),
            produsen=cls.dispar,
            periode="Januari–April 2025",
            frekuensi="bulanan",
            lisensi="cc0-1.0",
        )
        cls.desa = publish_data(
            p,
            topic="Daftar desa wisata",
            filename="desa.csv",
            data=csv_bytes(DESA_HEADER, DESA_ROWS),
            when=START + dt.timedelta(hours=2),
            produsen_lain="BPS Kabupaten Tabanan",
            frekuensi="sekali",
            lisensi="terbuka-pemerintah",
        )
        cls.besar = publish_data(
            p,
            topic="Penduduk per desa",
            filename="penduduk.csv",
            data=csv_bytes(["Desa", "Jumlah penduduk"], [[f"Desa {i:03d}", 1000 + i] for i in range(250)]),
            when=START + dt.timedelta(hours=3),
            produsen=cls.distan,
            frekuensi="tahunan",
        )
        cls.published = [cls.padi, cls.wisata, cls.desa, cls.besar]
        with time_machine.travel(START + dt.timedelta(hours=4), tick=False):
            cls.draft = data_item(p, topic="Data rahasia draf", to_step=3, produsen=cls.distan)
            cls.at_kadis = data_item(p, topic="Data rahasia di meja Kadis", to_step=6, produsen=cls.dispar)
        cls.hidden = [cls.draft, cls.at_kadis]

    def setUp(self):
        cache.clear()  # generated downloads are cached per published revision

    # --- the list ----------------------------------------------------------------------------------

    def test_index_lists_the_published_data_sets_newest_first(self):
        r = self.client.get("/data/")
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "opendata/data_index_page.html")
        self.assertEqual(titles(r), [self.besar.title, self.desa.title, self.wisata.title, self.padi.title])
        text = text_of(r)
        self.assertIn("Dinas Pertanian · Tahunan · Periode 2025 · 10 baris", text)
        self.assertIn("BPS Kabupaten Tabanan · Sekali (tidak diperbarui)", text)
        self.assertIn('href="/static/opendata/opendata.css"', text)
        self.assertIn('href="/data/data-json/"', text)

    def test_index_filters_by_produsen_and_frekuensi(self):
        cases = {
            (("produsen", self.distan.pk),): [self.besar.title, self.padi.title],
            (("produsen", self.dispar.pk),): [self.wisata.title],
            (("frekuensi", "sekali"),): [self.desa.title],
            (("produsen", self.distan.pk), ("frekuensi", "tahunan")): [self.besar.title, self.padi.title],
            (("produsen", self.distan.pk), ("frekuensi", "bulanan")): [],
        }
        for params, expected in cases.items():
            with self.subTest(params=params):
                r = self.client.get("/data/", dict(params))
                self.assertEqual(r.status_code, 200)
                self.assertEqual(titles(r), expected)
        self.assertIn("Tidak ada data yang cocok dengan saringan ini.", text_of(r))
        # The selected values stay selected; only producers with published data are offered.
        text = text_of(self.client.get("/data/", {"produsen": self.dispar.pk, "frekuensi": "bulanan"}))
        self.assertIn(f'<option value="{self.dispar.pk}" selected>Dinas Pariwisata</option>', text)
        self.assertIn('<option value="bulanan" selected>Bulanan</option>', text)
        self.assertIn("Dinas Pertanian</option>", text)
        self.assertNotIn("Dinas Kesehatan", text)

    def test_paging_keeps_the_filters(self):
        with mock.patch("opendata.models.DATA_PER_PAGE", 1):
            first = self.client.get("/data/", {"produsen": self.distan.pk})
            second = self.client.get("/data/", {"produsen": self.distan.pk, "halaman": 2})
            beyond = self.client.get("/data/", {"produsen": self.distan.pk, "halaman": "x"})
        self.assertEqual(titles(first), [self.besar.title])
        self.assertIn(f'href="?halaman=2&amp;produsen={self.distan.pk}"', first.content.decode())
        self.assertIn("Halaman 1 dari 2", text_of(first))
        self.assertEqual(titles(second), [self.padi.title])
        self.assertIn(f'href="?halaman=1&amp;produsen={self.distan.pk}"', second.content.decode())
        self.assertEqual(titles(beyond), [self.besar.title])

    def test_unknown_filter_values_are_ignored(self):
        for params in ({"produsen": "abc"}, {"produsen": "-1"}, {"frekuensi": "<script>"}, {"produsen": "9" * 30}):
            with self.subTest(params=params):
                r = self.client.get("/data/", params)
                self.assertEqual(r.status_code, 200)
                self.assertEqual(len(titles(r)), 4)
                self.assertNotIn("<script>", r.content.decode())

    # --- one data set ------------------------------------------------------------------------------

    def test_detail_shows_the_metadata(self):
        r = self.client.get(self.padi.url)
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "opendata/data_set_page.html")
        text = text_of(r)
        self.assertIn("<h1>Produksi padi per kecamatan 2025</h1>", text)
        for term, value in [
            ("Produsen data", "Dinas Pertanian"),
            ("Periode", "2025"),
            ("Frekuensi", "Tahunan"),
            ("Satuan", "ton GKG"),
            ("Lisensi", '<a href="https://creativecommons.org/licenses/by/4.0/deed.id" rel="license">CC BY 4.0</a>'),
            ("Tanggal rilis", '<time datetime="2026-01-15">15 Januari 2026</time>'),
            ("Diperbarui", "23 November 2026 08:00 WITA"),
            ("Kata kunci", "padi, pertanian, kecamatan"),
            ("Ukuran", "10 baris, 4 kolom"),
        ]:
            with self.subTest(term=term):
                self.assertRegex(text, rf"<dt>{term}</dt><dd>(<time [^>]*>)?{re.escape(value)}")
        self.assertIn("<p>Produksi padi (gabah kering giling) per kecamatan.</p>", text)
        self.assertIn('<a href="/data/">Data</a>', text)
        # Licences without a URL are named; the producer may be outside the OPD list.
        desa = text_of(self.client.get(self.desa.url))
        self.assertIn("<dt>Lisensi</dt><dd>Terbuka Pemerintah</dd>", desa)
        self.assertIn("<dt>Produsen data</dt><dd>BPS Kabupaten Tabanan</dd>", desa)
        self.assertIn("<dt>Satuan</dt><dd>—</dd>", desa)

    def test_detail_shows_the_table_with_numbers_the_indonesian_way(self):
        text = text_of(self.client.get(self.padi.url))
        self.assertIn('<th scope="col">Kecamatan</th><th scope="col" class="num">Produksi (ton GKG)</th>', text)
        self.assertIn('<tr><td>Penebel</td><td class="num">46346</td><td class="num">7380</td><td class="num">62,8</td></tr>', text)
        self.assertEqual(text.count("<tr><td>"), 10)
        self.assertNotIn("baris pertama dari", text)

    def test_a_long_table_shows_its_first_hundred_rows_with_a_note(self):
        text = text_of(self.client.get(self.besar.url))
        self.assertEqual(text.count("<tr><td>"), 100)
        self.assertIn("<td>Desa 099</td>", text)
        self.assertNotIn("<td>Desa 100</td>", text)
        self.assertIn("Menampilkan 100 baris pertama dari 250 baris. Unduh berkas untuk data lengkap.", text)
        self.assertIn("Grafik menampilkan 30 baris pertama; unduh berkas untuk data lengkap.", text)

    def test_the_chart_draws_the_first_numeric_column_by_the_first_text_column(self):
        text = text_of(self.client.get(self.padi.url))
        svg = re.search(r"<svg .*?</svg>", text).group(0)
        self.assertIn('role="img"', svg)
        self.assertIn(">Produksi (ton GKG) menurut Kecamatan</title>", svg)
        self.assertEqual(svg.count('<rect class="od-chart__bar"'), 10)
        self.assertIn("<title>Penebel: 46.346</title>", svg)
        self.assertIn(">Selemadeg Timur</text>", svg)
        self.assertNotRegex(svg, r'(x|y|width)="\d+,\d')  # SVG numbers keep a decimal point
        # The XLSX data set has a chart too.
        self.assertIn("<title>Januari: 41.250</title>", text_of(self.client.get(self.wisata.url)))

    def test_no_chart_without_a_numeric_column(self):
        text = text_of(self.client.get(self.desa.url))
        self.assertNotIn("<svg", text)
        self.assertNotIn("Grafik", text)
        self.assertIn("<td>Jatiluwih</td>", text)

    def test_cells_are_escaped(self):
        html = self.client.get(self.desa.url).content.decode()
        self.assertIn("<td>&lt;b&gt;Tista&lt;/b&gt;</td>", html)
        self.assertNotIn("<b>Tista", html)

    # --- downloads ---------------------------------------------------------------------------------

    def test_csv_upload_round_trips_through_every_download(self):
        uploaded = tables.read_table(PADI_CSV, "padi.csv")

        r = download(self.client, self.padi, "csv")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(r["Content-Disposition"], 'attachment; filename="produksi-padi-per-kecamatan-2025.csv"')
        self.assertEqual(r.content, PADI_CSV)  # byte for byte

        r = download(self.client, self.padi, "xlsx")
        self.assertEqual(r["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertEqual(r["Content-Disposition"], 'attachment; filename="produksi-padi-per-kecamatan-2025.xlsx"')
        values = sheet_values(r.content)
        self.assertEqual(values, [PADI_HEADER] + PADI_ROWS)
        self.assertEqual([type(v) for v in values[1]], [str, int, int, float])

        r = download(self.client, self.padi, "json")
        self.assertEqual(r["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(r["Content-Disposition"], 'attachment; filename="produksi-padi-per-kecamatan-2025.json"')
        document = json.loads(r.content)
        self.assertEqual([c["nama"] for c in document["kolom"]], PADI_HEADER)
        self.assertEqual([c["tipe"] for c in document["kolom"]], ["string", "integer", "integer", "number"])
        self.assertEqual([list(row.values()) for row in document["data"]], PADI_ROWS)
        self.assertEqual([list(row) for row in document["data"]], [PADI_HEADER] * 10)
        self.assertIsInstance(document["data"][0]["Produksi (ton GKG)"], int)
        self.assertEqual(document["judul"], self.padi.title)
        self.assertEqual(document["produsen_data"], "Dinas Pertanian")
        self.assertEqual(document["lisensi"], "CC BY 4.0")
        self.assertEqual(document["kata_kunci"], ["padi", "pertanian", "kecamatan"])
        self.assertEqual(document["jumlah_baris"], 10)
        self.assertEqual(document["diperbarui"], "2026-11-23T08:00:00+08:00")
        self.assertEqual(tables.read_table(download(self.client, self.padi, "xlsx").content, "x.xlsx"), uploaded)

    def test_xlsx_upload_round_trips_through_every_download(self):
        self.assertEqual(sheet_values(download(self.client, self.wisata, "xlsx").content), [WISATA_HEADER] + WISATA_ROWS)
        self.assertEqual(download(self.client, self.wisata, "csv").content, csv_bytes(WISATA_HEADER, WISATA_ROWS))
        document = json.loads(download(self.client, self.wisata, "json").content)
        self.assertEqual([c["nama"] for c in document["kolom"]], WISATA_HEADER)
        self.assertEqual([list(row.values()) for row in document["data"]], WISATA_ROWS)
        self.assertIsInstance(document["data"][0]["Lama tinggal (hari)"], float)

    def test_download_filenames_are_safe(self):
        r = download(self.client, self.wisata, "csv")
        self.assertEqual(r["Content-Disposition"], 'attachment; filename="data-kunjungan-wisatawanbulan-2025-tabanan.csv"')

    def test_spreadsheet_formulas_are_neutralised_in_csv_and_xlsx_but_not_json(self):
        csv_text = download(self.client, self.desa, "csv").content.decode()
        self.assertIn('\'=HYPERLINK(""http://contoh.invalid"",""klik"")', csv_text)
        self.assertIn("'@SUM(1+1)", csv_text)
        self.assertIn("Kaba-Kaba,Kediri,-\r\n", csv_text)
        self.assertNotRegex(csv_text, r'(^|,|")[=@+]')
        values = sheet_values(download(self.client, self.desa, "xlsx").content)
        self.assertEqual(values[2][2], '\'=HYPERLINK("http://contoh.invalid","klik")')
        self.assertEqual(values[3][2], "'@SUM(1+1)")
        document = json.loads(download(self.client, self.desa, "json").content)
        self.assertEqual([row["Keterangan"] for row in document["data"]], [row[2] for row in DESA_ROWS])

    def test_each_file_is_made_once_per_published_revision(self):
        with mock.patch.object(tables, "to_xlsx", wraps=tables.to_xlsx) as make:
            first = download(self.client, self.padi, "xlsx")
            second = download(self.client, self.padi, "xlsx")
        self.assertEqual(make.call_count, 1)
        self.assertEqual(first.content, second.content)

    def test_unknown_download_formats_are_404(self):
        for fmt in ("xls", "pdf", "CSV", "csv/x"):
            with self.subTest(fmt=fmt):
                self.assertEqual(download(self.client, self.padi, fmt).status_code, 404)

    # --- the catalogue -----------------------------------------------------------------------------

    def test_data_json_lists_every_published_data_set_with_its_distributions(self):
        r = self.client.get("/data/data-json/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/json")
        catalogue = json.loads(r.content)
        self.assertEqual(catalogue["conformsTo"], "https://project-open-data.cio.gov/v1.1/schema")
        self.assertEqual(catalogue["@type"], "dcat:Catalog")
        datasets = {d["title"]: d for d in catalogue["dataset"]}
        self.assertEqual(set(datasets), {p.title for p in self.published})
        padi = datasets[self.padi.title]
        for field in ("title", "description", "keyword", "modified", "publisher", "contactPoint", "identifier", "accessLevel"):
            self.assertTrue(padi[field], field)  # the fields Project Open Data requires
        self.assertEqual(padi["description"], "Produksi padi (gabah kering giling) per kecamatan.")
        self.assertEqual(padi["publisher"]["name"], "Dinas Pertanian")
        self.assertEqual(padi["modified"], "2026-11-23T08:00:00+08:00")
        self.assertEqual(padi["license"], "https://creativecommons.org/licenses/by/4.0/deed.id")
        self.assertEqual(padi["keyword"], ["padi", "pertanian", "kecamatan"])
        self.assertEqual(padi["temporal"], "2025-01-01/2025-12-31")
        self.assertEqual(padi["accrualPeriodicity"], "R/P1Y")
        self.assertEqual(padi["issued"], "2026-01-15")
        self.assertTrue(padi["landingPage"].endswith(self.padi.url))
        self.assertEqual([d["format"] for d in padi["distribution"]], ["CSV", "XLSX", "JSON"])
        desa = datasets[self.desa.title]
        self.assertEqual(desa["rights"], "Terbuka Pemerintah")
        self.assertNotIn("license", desa)
        self.assertNotIn("accrualPeriodicity", desa)
        self.assertEqual(desa["publisher"]["name"], "BPS Kabupaten Tabanan")
        # Every distribution URL answers with the file.
        for dataset in catalogue["dataset"]:
            for distribution in dataset["distribution"]:
                with self.subTest(url=distribution["downloadURL"]):
                    r = self.client.get(distribution["downloadURL"])
                    self.assertEqual(r.status_code, 200)
                    self.assertEqual(r["Content-Type"].split(";")[0], distribution["mediaType"])

    @override_settings(ROOT_URLCONF="opendata.tests.urls")
    def test_data_json_is_also_served_at_data_data_json_when_wired(self):
        r = self.client.get("/data/data.json")
        self.assertEqual(r.status_code, 200)
        self.assertEqual({d["title"] for d in json.loads(r.content)["dataset"]}, {p.title for p in self.published})
        self.assertEqual(self.client.post("/data/data.json").status_code, 405)

    # --- what is not public ------------------------------------------------------------------------

    def test_data_sets_on_the_desk_appear_nowhere_public(self):
        public = [
            self.client.get("/data/"),
            self.client.get("/data/", {"produsen": self.distan.pk}),
            self.client.get("/data/data-json/"),
            self.client.get("/cari/", {"q": "rahasia"}),
        ]
        self.assertIn("0 hasil", public[-1].content.decode())
        for liputan in self.hidden:
            liputan.refresh_from_db()
            self.assertEqual(liputan.status, Liputan.Status.ACTIVE)
            page = liputan.page.specific
            self.assertFalse(page.live)
            # The file was read into the draft; the draft is simply not public.
            self.assertEqual(page.get_latest_revision_as_object().row_count, 10)
            for r in public:
                self.assertNotIn(liputan.title, r.content.decode())
                self.assertNotIn(page.slug, r.content.decode())
            with self.subTest(item=liputan.title):
                self.assertEqual(self.client.get(page.url).status_code, 404)
                for fmt in ("csv", "xlsx", "json"):
                    self.assertEqual(download(self.client, page, fmt).status_code, 404)

    def test_private_data_sets_are_left_out_and_need_a_login(self):
        restriction = PageViewRestriction.objects.create(page=self.padi, restriction_type=PageViewRestriction.GROUPS)
        restriction.groups.set([Group.objects.first()])
        self.assertNotIn(self.padi.title, titles(self.client.get("/data/")))
        catalogue = json.loads(self.client.get("/data/data-json/").content)
        self.assertNotIn(self.padi.title, [d["title"] for d in catalogue["dataset"]])
        self.assertEqual(len(catalogue["dataset"]), 3)
        self.assertEqual(self.client.get(self.padi.url).status_code, 302)
        self.assertEqual(download(self.client, self.padi, "csv").status_code, 302)

    def test_site_search_finds_published_data_sets(self):
        r = self.client.get("/cari/", {"q": "gabah"})
        self.assertEqual(r.status_code, 200)
        self.assertIn(self.padi.title, r.content.decode())
        self.assertIn("<mark>gabah</mark>", r.content.decode())


class EmptyCatalogueTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_a_new_site_has_an_empty_list_and_catalogue(self):
        r = self.client.get("/data/")
        self.assertEqual(r.status_code, 200)
        self.assertIn("Belum ada data yang diterbitkan.", text_of(r))
        self.assertEqual(json.loads(self.client.get("/data/data-json/").content)["dataset"], [])
        self.assertEqual(DataSetPage.objects.count(), 0)
