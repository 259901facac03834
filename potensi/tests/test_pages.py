"""The potensi section as a visitor sees it: the list with its sector chips and kecamatan filter,
one page per sector, and a potensi with its gallery, map link, contact and structured data.

Every item here went live through the ten steps of the SOP; items still on the desk must stay
invisible to the public.
"""

import json
import re

from django.test import TestCase

from desk.models import Liputan, PerangkatDaerah
from desk.tests import sop_driver as D
from desk.tests.helpers import text_of
from lontar.testing import build_world
from potensi.models import POTENSI_PER_PAGE, Kecamatan, PotensiIndexPage, PotensiPage, Sektor
from potensi.tests.utils import card_titles, gallery, potensi_on_desk, publish_potensi


def json_ld(response) -> dict:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert len(scripts) == 1, scripts
    return json.loads(scripts[0])


class ListingTest(TestCase):
    """Six published potensi in four sectors and four kecamatan, and items short of publication."""

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        cls.items = {
            title: publish_potensi(p, title, sektor=sektor, kecamatan=kecamatan, photos=1)
            for title, sektor, kecamatan in [
                ("Tanah Lot", "pariwisata", "kediri"),
                ("Jatiluwih", "pertanian", "penebel"),
                ("Kopi Pupuan", "umkm", "pupuan"),
                ("Air Terjun Yeh Hoo", "pariwisata", "penebel"),
                ("Kebun Raya Bedugul", "pariwisata", "baturiti"),
                ("Tari Rejang Tista", "budaya", "kerambitan"),
            ]
        }
        cls.all_titles = sorted(cls.items)
        # Not public: a draft, one at the Kasi, one at the Kadis, one returned, one awaiting upload.
        cls.hidden = [
            potensi_on_desk(p, "Naskah draf pariwisata", to_step=3),
            potensi_on_desk(p, "Naskah di meja Kasi", to_step=3, to_phase=1),
            potensi_on_desk(p, "Naskah di meja Kadis", to_step=6),
            potensi_on_desk(p, "Naskah dikembalikan", to_step=5),
            potensi_on_desk(p, "Naskah menunggu unggah", to_step=10),
        ]
        D.act(cls.hidden[3], "return", return_to=3, comment="Lengkapi koordinat.")

    def test_index_lists_every_published_potensi_a_to_z_with_sector_chips(self):
        r = self.client.get("/potensi-daerah/")
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "potensi/potensi_index_page.html")
        self.assertEqual(card_titles(r), self.all_titles)
        text = text_of(r)
        self.assertIn("<title>Potensi Daerah — ", text)
        self.assertIn("<h1>Potensi Daerah</h1>", text)
        self.assertIn('<li><a href="/">Beranda</a></li><li><span aria-current="page">Potensi Daerah</span></li>', text)
        self.assertIn("6 potensi", text)
        self.assertIn('href="/static/potensi/potensi.css"', text)
        # One chip per sector, each to its own page, and "all" marked as the current one.
        self.assertIn('<a class="chip" href="/potensi-daerah/" aria-current="page">Semua sektor</a>', text)
        for value, label in Sektor.choices:
            self.assertIn(f'<a class="chip" href="/potensi-daerah/sektor/{value}/">{label}</a>', text)
        for value, label in Kecamatan.choices:
            self.assertIn(f'<option value="{value}">{label}</option>', text)
        # Cards: sector, place and the photo as a responsive WebP/JPEG picture; only the first eager.
        self.assertIn("Desa Beraban, Kecamatan Kediri", text)
        self.assertEqual(text.count('type="image/webp"'), 6)
        self.assertEqual(text.count('loading="eager"'), 1)
        self.assertEqual(text.count('loading="lazy"'), 5)

    def test_sector_page_has_its_own_title_and_lists_only_that_sector(self):
        r = self.client.get("/potensi-daerah/sektor/pariwisata/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(card_titles(r), ["Air Terjun Yeh Hoo", "Kebun Raya Bedugul", "Tanah Lot"])
        text = text_of(r)
        self.assertIn("<title>Potensi Pariwisata — ", text)
        self.assertIn("<h1>Potensi Pariwisata</h1>", text)
        self.assertIn(
            '<nav class="crumbs" aria-label="Jejak"><ol><li><a href="/">Beranda</a></li>'
            '<li><a href="/potensi-daerah/">Potensi Daerah</a></li><li><span aria-current="page">Pariwisata</span></li>'
            "</ol></nav>",
            text,
        )
        self.assertEqual(text.count('class="crumbs"'), 1)
        self.assertIn('href="/potensi-daerah/sektor/pariwisata/" aria-current="page">Pariwisata</a>', text)
        self.assertIn('action="/potensi-daerah/sektor/pariwisata/"', text)

        r = self.client.get("/potensi-daerah/sektor/perikanan-peternakan/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(card_titles(r), [])
        self.assertIn("<h1>Potensi Perikanan dan Peternakan</h1>", text_of(r))
        self.assertIn("Belum ada potensi daerah untuk pilihan ini.", text_of(r))

    def test_an_unknown_sector_page_is_404(self):
        for url in ("/potensi-daerah/sektor/tambang/", "/potensi-daerah/sektor/PARIWISATA/", "/potensi-daerah/sektor/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_kecamatan_filter_on_the_index_and_on_a_sector_page(self):
        r = self.client.get("/potensi-daerah/", {"kecamatan": "penebel"})
        self.assertEqual(card_titles(r), ["Air Terjun Yeh Hoo", "Jatiluwih"])
        text = text_of(r)
        self.assertIn('<option value="penebel" selected>Penebel</option>', text)
        self.assertIn("2 potensi · Kecamatan Penebel", text)
        # The sector chips keep the chosen kecamatan.
        self.assertIn('href="/potensi-daerah/sektor/pertanian/?kecamatan=penebel"', text)

        r = self.client.get("/potensi-daerah/sektor/pariwisata/", {"kecamatan": "penebel"})
        self.assertEqual(card_titles(r), ["Air Terjun Yeh Hoo"])

        r = self.client.get("/potensi-daerah/sektor/umkm/", {"kecamatan": "penebel"})
        self.assertEqual(card_titles(r), [])
        self.assertIn("Belum ada potensi daerah untuk pilihan ini.", text_of(r))

    def test_sector_as_a_get_parameter_on_the_index(self):
        r = self.client.get("/potensi-daerah/", {"sektor": "pariwisata", "kecamatan": "baturiti"})
        self.assertEqual(card_titles(r), ["Kebun Raya Bedugul"])
        self.assertIn('<input type="hidden" name="sektor" value="pariwisata">', text_of(r))

    def test_unknown_filter_values_are_ignored_not_errors(self):
        cases = [
            {"sektor": "tambang"},
            {"kecamatan": "denpasar"},
            {"kecamatan": "Penebel"},
            {"sektor": "", "kecamatan": ""},
            {"sektor": "<script>alert(1)</script>", "kecamatan": "' OR 1=1 --"},
            {"sektor": "x" * 5000},
            {"kecamatan": "\x00"},
            {"halaman": "abc"},
        ]
        for params in cases:
            with self.subTest(params=params):
                r = self.client.get("/potensi-daerah/", params)
                self.assertEqual(r.status_code, 200)
                self.assertEqual(card_titles(r), self.all_titles)
                self.assertNotIn("<script>alert", r.content.decode())
        # A repeated parameter: the last value counts, as Django reads it.
        r = self.client.get("/potensi-daerah/?kecamatan=kediri&kecamatan=tidak-ada")
        self.assertEqual(card_titles(r), self.all_titles)
        r = self.client.get("/potensi-daerah/sektor/pariwisata/", {"kecamatan": "tidak-ada"})
        self.assertEqual(card_titles(r), ["Air Terjun Yeh Hoo", "Kebun Raya Bedugul", "Tanah Lot"])
        # The links on the page carry only the filters that were understood.
        r = self.client.get("/potensi-daerah/", {"kecamatan": "denpasar"})
        self.assertNotIn("denpasar", r.content.decode())

    def test_items_on_the_desk_never_appear_in_lists_or_sector_pages(self):
        urls = ["/potensi-daerah/", "/potensi-daerah/?kecamatan=kediri"] + [
            f"/potensi-daerah/sektor/{value}/" for value in Sektor.values
        ]
        for url in urls:
            html = self.client.get(url).content.decode()
            for liputan in self.hidden:
                self.assertNotIn(liputan.title, html, url)

    def test_items_on_the_desk_are_404_to_the_public(self):
        for liputan in self.hidden:
            with self.subTest(item=liputan.title, step=liputan.step):
                liputan.refresh_from_db()
                self.assertEqual(liputan.status, Liputan.Status.ACTIVE)
                page = liputan.page.specific
                self.assertIsInstance(page, PotensiPage)
                self.assertFalse(page.live)
                self.assertEqual(self.client.get(page.url).status_code, 404)
        self.assertEqual(self.client.get(self.items["Tanah Lot"].url).status_code, 200)

    def test_an_item_goes_public_only_at_the_last_step(self):
        waiting = self.hidden[4]
        page = waiting.page.specific
        self.assertEqual(self.client.get(page.url).status_code, 404)
        D.act(waiting, "publish")
        self.assertEqual(self.client.get(page.url).status_code, 200)
        self.assertIn("Naskah menunggu unggah", card_titles(self.client.get("/potensi-daerah/sektor/pariwisata/")))


class PaginationTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.titles = [f"Potensi nomor {i:02d}" for i in range(1, 15)]  # 14: one page of 12 and one of 2
        for i, title in enumerate(cls.titles):
            publish_potensi(cls.people, title, kecamatan="tabanan" if i % 2 else "marga")

    def test_twelve_per_page_with_halaman(self):
        self.assertEqual(POTENSI_PER_PAGE, 12)
        first = self.client.get("/potensi-daerah/")
        self.assertEqual(card_titles(first), self.titles[:12])
        self.assertIn("Halaman 1 dari 2", text_of(first))
        self.assertIn('href="?halaman=2"', text_of(first))
        second = self.client.get("/potensi-daerah/", {"halaman": 2})
        self.assertEqual(card_titles(second), self.titles[12:])
        self.assertIn('href="?halaman=1"', text_of(second))

    def test_invalid_page_numbers_fall_back_instead_of_failing(self):
        for value, expected in {
            "abc": self.titles[:12],
            "": self.titles[:12],
            "0": self.titles[12:],
            "99": self.titles[12:],
            "-1": self.titles[12:],
            "1e400": self.titles[:12],
        }.items():
            with self.subTest(halaman=value):
                r = self.client.get("/potensi-daerah/", {"halaman": value})
                self.assertEqual(r.status_code, 200)
                self.assertEqual(card_titles(r), expected)

    def test_page_links_keep_the_valid_filters_only(self):
        r = self.client.get("/potensi-daerah/", {"sektor": "pariwisata", "kecamatan": "bogus"})
        self.assertIn('href="?sektor=pariwisata&amp;halaman=2"', r.content.decode())
        r = self.client.get("/potensi-daerah/sektor/pariwisata/")
        self.assertEqual(len(card_titles(r)), 12)
        self.assertIn('href="?halaman=2"', r.content.decode())
        r = self.client.get("/potensi-daerah/sektor/pariwisata/", {"kecamatan": "marga"})
        self.assertEqual(len(card_titles(r)), 7)
        self.assertNotIn("halaman=2", r.content.decode())


class DetailTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.opd = PerangkatDaerah.objects.create(name="Dinas Pariwisata", short_name="Dispar")
        cls.page = publish_potensi(
            cls.people,
            "Tanah Lot",
            title="Tanah Lot: Pura di Atas Batu Karang",
            summary="Pura di tepi Samudra Hindia, tujuan wisata matahari terbenam.",
            body="<p>Dapat dicapai saat air <b>surut</b>.</p>",
            photos=3,
            contact_name="Pengelola DTW Tanah Lot",
            contact_phone="(0361) 811047",
            contact_email="info@tabanankab.go.id",
            contact_website="https://www.tabanankab.go.id/",
            perangkat_daerah=cls.opd,
        )

    def test_detail_shows_the_whole_potensi(self):
        r = self.client.get(self.page.url)
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "potensi/potensi_page.html")
        text = text_of(r)
        self.assertIn("<h1>Tanah Lot: Pura di Atas Batu Karang</h1>", text)
        self.assertIn("<title>Tanah Lot: Pura di Atas Batu Karang — ", text)
        self.assertIn('<p class="lead">Pura di tepi Samudra Hindia, tujuan wisata matahari terbenam.</p>', text)
        self.assertIn("<p>Dapat dicapai saat air <b>surut</b>.</p>", text)
        self.assertIn('<p class="potensi-loc">Desa Beraban, Kecamatan Kediri</p>', text)
        # Breadcrumbs (one trail only) and the sector label lead to the list and the sector page.
        self.assertIn(
            '<nav class="crumbs" aria-label="Jejak"><ol><li><a href="/">Beranda</a></li>'
            '<li><a href="/potensi-daerah/">Potensi Daerah</a></li>'
            '<li><a href="/potensi-daerah/sektor/pariwisata/">Pariwisata</a></li>'
            '<li><span aria-current="page">Tanah Lot: Pura di Atas Batu Karang</span></li></ol></nav>',
            text,
        )
        self.assertEqual(text.count('class="crumbs"'), 1)
        self.assertIn('<p class="card__cat"><a href="/potensi-daerah/sektor/pariwisata/">Pariwisata</a></p>', text)

    def test_gallery_is_responsive_webp_and_lazy_after_the_first(self):
        html = self.client.get(self.page.url).content.decode()
        pictures = re.findall(r"<picture>.*?</picture>", html, re.S)
        self.assertEqual(len(pictures), 3)
        for n, picture in enumerate(pictures, start=1):
            # A WebP source with three widths, and a JPEG fallback image with the same widths.
            source = re.search(r'<source [^>]*srcset="([^"]*)"[^>]*type="image/webp"', picture)
            self.assertIsNotNone(source, picture)
            self.assertEqual(len(source.group(1).split(", ")), 3)
            self.assertRegex(source.group(1), r"\.webp 480w")
            self.assertIn(".format-jpeg.jpg 480w", picture)
            self.assertIn(f'alt="Tanah Lot, foto {n}"', picture)
            self.assertIn('sizes="', picture)
            if n == 1:
                self.assertNotIn('loading="lazy"', picture)
                self.assertIn('fetchpriority="high"', picture)
            else:
                self.assertIn('loading="lazy"', picture)
        self.assertEqual(html.count('<span class="credit">Foto: Diskominfo Tabanan</span>'), 3)

    def test_map_link_and_contact(self):
        text = text_of(self.client.get(self.page.url))
        self.assertIn(
            '<a class="potensi-map" href="https://www.openstreetmap.org/?mlat=-8.6212&amp;mlon=115.0868'
            '#map=16/-8.6212/115.0868" rel="external noopener">Lihat di peta (OpenStreetMap)</a>',
            text,
        )
        self.assertIn("-8.6212, 115.0868", text)
        # No third-party script or frame: the map is a link.
        self.assertNotIn("<iframe", text)
        self.assertEqual(re.findall(r"<script[^>]*src=\"?(?:https?:)?//", text), [])
        self.assertIn("<strong>Pengelola DTW Tanah Lot</strong>", text)
        self.assertIn('<a href="tel:+62361811047">(0361) 811047</a>', text)
        self.assertIn('<a href="mailto:info@tabanankab.go.id">info@tabanankab.go.id</a>', text)
        self.assertIn('<a href="https://www.tabanankab.go.id/" rel="external noopener nofollow">', text)
        self.assertIn("Perangkat Daerah: Dinas Pariwisata", text)

    def test_json_ld_describes_the_place_with_its_coordinates(self):
        data = json_ld(self.client.get(self.page.url))
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["@type"], "TouristAttraction")
        self.assertEqual(data["name"], "Tanah Lot: Pura di Atas Batu Karang")
        self.assertEqual(data["url"], "http://localhost" + self.page.url)
        self.assertEqual(data["geo"], {"@type": "GeoCoordinates", "latitude": -8.6212, "longitude": 115.0868})
        self.assertEqual(data["address"]["addressLocality"], "Desa Beraban, Kecamatan Kediri, Kabupaten Tabanan")
        self.assertEqual(data["address"]["addressCountry"], "ID")
        self.assertEqual(data["telephone"], "(0361) 811047")
        self.assertEqual(len(data["image"]), 3)
        for url in data["image"]:
            self.assertRegex(url, r"^http://localhost/media/images/.*\.width-960\.format-jpeg\.jpg$")

    def test_json_ld_cannot_be_broken_out_of(self):
        liputan = D.start_item(self.people, topic="Kuliner", kind="potensi_daerah")
        D.draft(
            liputan,
            title='Sate </script><script>alert("x")</script> & lawar',
            sektor="kuliner",
            summary="Enak <b>sekali</b> \u2028 ya",
        )
        page = D.publish(liputan, self.people)
        r = self.client.get(page.url)
        html = r.content.decode()
        self.assertNotIn("<script>alert", html)
        self.assertNotIn("</script><script>", html)
        data = json_ld(r)
        self.assertEqual(data["name"], 'Sate </script><script>alert("x")</script> & lawar')
        self.assertEqual(data["description"], "Enak <b>sekali</b> \u2028 ya")
        # Not a tourist attraction, a plain place; no location given, so no geo.
        self.assertEqual(data["@type"], "Place")
        self.assertNotIn("geo", data)
        self.assertNotIn("image", data)

    def test_a_potensi_with_only_a_title_still_renders(self):
        liputan = D.start_item(self.people, topic="Potensi ringkas", kind="potensi_daerah")
        D.draft(liputan)
        page = D.publish(liputan, self.people)
        self.assertIsInstance(page, PotensiPage)
        r = self.client.get(page.url)
        self.assertEqual(r.status_code, 200)
        text = text_of(r)
        self.assertIn("<h1>Potensi ringkas</h1>", text)
        self.assertNotIn("<picture>", text)
        self.assertNotIn("potensi-info", text)
        self.assertNotIn("openstreetmap", text)
        json_ld(r)

    def test_the_editors_preview_of_a_draft_shows_its_unsaved_photos(self):
        """Reviewers preview the revision, whose photos exist only in the revision's content."""
        liputan = D.start_item(self.people, topic="Pasar Kediri", kind="potensi_daerah")
        page = D.draft(liputan, sektor="kuliner", images=gallery("Pasar Kediri", 2))
        draft = page.get_latest_revision_as_object()
        r = draft.make_preview_request()
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.content.decode().count("<picture>"), 2)
        self.assertEqual(len(json_ld(r)["image"]), 2)

    def test_an_unknown_potensi_is_404(self):
        self.assertEqual(self.client.get("/potensi-daerah/tidak-ada/").status_code, 404)


class SectionTest(TestCase):
    def test_the_section_is_set_up_with_the_site_and_items_are_made_only_by_the_desk(self):
        build_world()
        index = PotensiIndexPage.objects.get()
        self.assertEqual((index.slug, index.title, index.url), ("potensi-daerah", "Potensi Daerah", "/potensi-daerah/"))
        self.assertFalse(PotensiPage.is_creatable)
        self.assertEqual(PotensiIndexPage.max_count, 1)
        self.assertEqual(PotensiIndexPage.parent_page_types, ["portal.HomePage"])
        self.assertEqual(PotensiPage.parent_page_types, ["potensi.PotensiIndexPage"])
