"""The public site as a visitor sees it: the home page, the berita list and a berita.

Every berita here went live the only way Lontar allows, through the ten steps of the SOP
(``desk.tests.sop_driver``); items still on the desk must stay invisible to the public.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import PermissionDenied
from django.test import TestCase

from desk.models import Liputan
from desk.tests import sop_driver as D
from desk.tests.helpers import text_of
from lontar.testing import assert_public_page_queries, build_world
from portal.models import BERITA_PER_PAGE, HOME_LATEST, BeritaCategory, BeritaPage, BeritaPageImage

WITA = ZoneInfo("Asia/Makassar")
START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WITA)  # a Monday morning in Tabanan


def publish_at(people, when, **fields) -> BeritaPage:
    with time_machine.travel(when, tick=False):
        return D.publish_berita(people, **fields)


def card_titles(response) -> list[str]:
    """The berita titles of the cards on a listing page, in the order shown."""
    return re.findall(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a></h3>', response.content.decode())


class ListingTest(TestCase):
    """Twelve published berita, and items at every stage short of publication."""

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        cls.category = BeritaCategory.objects.create(name="Pertanian", slug="pertanian")
        cls.titles = [f"Kabar desa nomor {i:02d}" for i in range(1, 13)]  # oldest first
        cls.published = [
            publish_at(p, START + dt.timedelta(hours=i), topic=title, category=cls.category,
                       summary=f"Ringkasan {title}.", image=D.make_image(title), caption=f"Foto {title}")
            for i, title in enumerate(cls.titles)
        ]

        # Items that are not (yet) public: a draft being written, one reported to the Kasi, one
        # on the Kadis's desk, one returned to its writer and one waiting for its uploader.
        def item(topic, to_step, to_phase=0):
            liputan = D.start_item(p, topic=topic)
            D.write(liputan, title=topic, summary="Belum boleh tampil.", image=D.make_image(topic))
            return D.advance(liputan, p, to_step=to_step, to_phase=to_phase)

        with time_machine.travel(START + dt.timedelta(hours=13), tick=False):
            cls.draft = item("Naskah draf Staf", 3)
            cls.at_kasi = item("Naskah di meja Kasi", 3, 1)
            cls.at_kadis = item("Naskah di meja Kadis", 6)
            cls.returned = item("Naskah dikembalikan Sekdis", 5)
            D.act(cls.returned, "return", return_to=3, comment="Lengkapi data.")
            cls.at_upload = item("Naskah menunggu unggah", 10)
        cls.hidden = [cls.draft, cls.at_kasi, cls.at_kadis, cls.returned, cls.at_upload]

    def test_home_lists_the_six_latest_published_berita_newest_first(self):
        r = self.client.get("/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(HOME_LATEST, 6)
        self.assertEqual(card_titles(r), self.titles[::-1][:6])
        text = text_of(r)
        self.assertIn("Berita terbaru", text)
        self.assertIn('href="/berita/"', text)
        # Cards carry the photo (as a rendition), category, date in Indonesian and the summary.
        self.assertIn('class="card__img"', text)
        self.assertIn("Pertanian", text)
        self.assertIn("Ringkasan Kabar desa nomor 12.", text)
        self.assertIn("23 November 2026", text)

    def test_berita_list_shows_ten_per_page_with_halaman(self):
        self.assertEqual(BERITA_PER_PAGE, 10)
        newest_first = self.titles[::-1]

        first = self.client.get("/berita/")
        self.assertEqual(first.status_code, 200)
        self.assertEqual(card_titles(first), newest_first[:10])
        text = text_of(first)
        self.assertIn("Halaman 1 dari 2", text)
        self.assertIn('href="?halaman=2"', text)
        self.assertNotIn('rel="prev"', text)

        second = self.client.get("/berita/", {"halaman": 2})
        self.assertEqual(second.status_code, 200)
        self.assertEqual(card_titles(second), newest_first[10:])
        text = text_of(second)
        self.assertIn("Halaman 2 dari 2", text)
        self.assertIn('href="?halaman=1"', text)
        self.assertNotIn('rel="next"', text)

    def test_invalid_page_numbers_fall_back_instead_of_failing(self):
        newest_first = self.titles[::-1]
        first_page, last_page = newest_first[:10], newest_first[10:]
        cases = {
            "abc": first_page,  # not a number: the first page
            "": first_page,
            "1.5": first_page,
            "2abc": first_page,
            "1e400": first_page,
            "0": last_page,  # out of range: the last page
            "-1": last_page,
            "3": last_page,
            "999999999999999999999999": last_page,
        }
        for value, expected in cases.items():
            with self.subTest(halaman=value):
                r = self.client.get("/berita/", {"halaman": value})
                self.assertEqual(r.status_code, 200)
                self.assertEqual(card_titles(r), expected)

    def test_items_on_the_desk_never_appear_on_home_or_list(self):
        pages = [self.client.get(url) for url in ("/", "/berita/", "/berita/?halaman=2")]
        shown = set(sum((card_titles(r) for r in pages), []))
        self.assertEqual(shown, set(self.titles))
        for liputan in self.hidden:
            for r in pages:
                self.assertNotIn(liputan.title, r.content.decode())

    def test_items_on_the_desk_are_404_to_the_public(self):
        for liputan in self.hidden:
            with self.subTest(item=liputan.title, step=liputan.step):
                liputan.refresh_from_db()
                self.assertEqual(liputan.status, Liputan.Status.ACTIVE)
                page = liputan.page.specific
                self.assertFalse(page.live)
                self.assertTrue(page.url)
                self.assertEqual(self.client.get(page.url).status_code, 404)
        # The published ones are served at the same kind of address.
        self.assertEqual(self.client.get(self.published[0].url).status_code, 200)

    def test_a_page_goes_public_only_at_the_last_step(self):
        page = self.at_upload.page.specific
        # Outside the SOP a berita cannot be published, not even by calling Wagtail directly.
        with self.assertRaises(PermissionDenied):
            page.get_latest_revision().publish()
        self.assertEqual(self.client.get(page.url).status_code, 404)

        with time_machine.travel(START + dt.timedelta(days=1), tick=False):
            D.act(self.at_upload, "publish")
        self.assertEqual(self.client.get(page.url).status_code, 200)
        self.assertEqual(card_titles(self.client.get("/"))[0], "Naskah menunggu unggah")


class EmptySiteTest(TestCase):
    """A new site: nothing has passed step 10 yet."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        with time_machine.travel(START, tick=False):
            liputan = D.start_item(cls.people, topic="Naskah pertama")
            D.advance(liputan, cls.people, to_step=10)

    def test_home_and_list_say_there_is_no_berita_yet(self):
        for url in ("/", "/berita/", "/berita/?halaman=2", "/berita/?halaman=x"):
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertEqual(r.status_code, 200)
                self.assertEqual(card_titles(r), [])
                self.assertIn("Belum ada berita.", text_of(r))
                self.assertNotIn("Naskah pertama", text_of(r))
                self.assertNotIn("Halaman 1 dari", text_of(r))


class BeritaDetailTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.category = BeritaCategory.objects.create(name="Pertanian", slug="pertanian")
        cls.image = D.make_image("Panen raya Jatiluwih", colour="green")
        # 23:30 UTC on Monday 23 November is 07:30 WITA on Tuesday 24 November.
        cls.page = publish_at(
            cls.people,
            dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC),
            topic="Panen raya padi di Subak Jatiluwih",
            title="Petani Subak Jatiluwih Mulai Panen Raya",
            summary="Panen raya padi lokal di kawasan Warisan Budaya Dunia Jatiluwih dimulai.",
            body="<p>Petani memulai panen raya dengan upacara <i>mesaba</i>.</p><p>Luas panen 227 hektare.</p>",
            category=cls.category,
            source="Dinas Pertanian Kabupaten Tabanan",
            image=cls.image,
            caption="Petani memanen padi beras merah",
            credit="I Wayan Sudarsana",
        )

    def test_detail_shows_the_whole_berita(self):
        r = self.client.get(self.page.url)
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "portal/berita_page.html")
        text = text_of(r)
        self.assertIn("<h1>Petani Subak Jatiluwih Mulai Panen Raya</h1>", text)
        self.assertIn("<title>Petani Subak Jatiluwih Mulai Panen Raya — ", text)
        self.assertIn('<p class="lead">Panen raya padi lokal di kawasan Warisan Budaya Dunia Jatiluwih dimulai.</p>', text)
        self.assertIn("<p>Petani memulai panen raya dengan upacara <i>mesaba</i>.</p><p>Luas panen 227 hektare.</p>", text)
        self.assertIn('<p class="card__cat">Pertanian</p>', text)
        self.assertIn("Sumber: Dinas Pertanian Kabupaten Tabanan", text)
        # The photo as WebP renditions in several widths (a phone takes the narrowest), fetched first
        # as the page's lead picture; its caption as alt text and figcaption, and its credit.
        narrow = self.image.get_rendition("width-480|format-webp")
        self.assertIn(f'src="{narrow.url}" srcset="{narrow.url} 480w, ', text)
        self.assertIn('<img alt="Petani memanen padi beras merah" fetchpriority="high" height="360" '
                      'sizes="(min-width: 48em) 46rem, 100vw"', text)
        self.assertTrue(narrow.url.endswith(".webp"))
        self.assertIn(
            '<figcaption>Petani memanen padi beras merah <span class="credit">Foto: I Wayan Sudarsana</span></figcaption>',
            text,
        )
        # Breadcrumbs back to the list.
        self.assertIn('<a href="/berita/">Berita</a>', text)

    def test_dates_are_indonesian_and_times_wita(self):
        text = text_of(self.client.get(self.page.url))
        self.assertIn("Selasa, 24 November 2026 07:30 WITA", text)
        self.assertIn('datetime="2026-11-24T07:30:00+08:00"', text)
        self.assertNotIn("Tuesday", text)
        self.assertNotIn("23:30", text)
        # The cards on the list show the same WITA date.
        listing = text_of(self.client.get("/berita/"))
        self.assertIn("24 November 2026", listing)
        self.assertNotIn("23 November 2026", listing)

    def test_a_berita_without_photo_category_or_source_still_renders(self):
        bare = publish_at(self.people, START, topic="Rapat koordinasi", summary="", body="<p>Isi singkat.</p>")
        r = self.client.get(bare.url)
        self.assertEqual(r.status_code, 200)
        text = text_of(r)
        self.assertIn("<h1>Rapat koordinasi</h1>", text)
        self.assertIn("<p>Isi singkat.</p>", text)
        self.assertNotIn("<figure>", text)
        self.assertNotIn("Sumber:", text)
        self.assertNotIn('class="card__cat"', text)

    def test_an_unknown_berita_is_404(self):
        self.assertEqual(self.client.get("/berita/tidak-ada/").status_code, 404)


class QueryBoundsTest(TestCase):
    """The public pages cost the same number of queries with 3 or 25 published berita, within
    the bound of 8 (``lontar.testing.assert_public_page_queries``: an empty cache, then warm).

    Warm: serving 2 (home 1), the frame 0. The pages' own: home 6 (the berita, their photos,
    the photos' renditions, the current pengumuman, the coming kegiatan, the banners), list 4
    (the paginator's count, the berita, photos, renditions), berita 4 (photos with their images,
    renditions, tags, related berita; category, writer and Perangkat Daerah come with the page).
    An empty cache adds 3.
    """

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.category = BeritaCategory.objects.create(name="Pertanian", slug="pertanian")
        cls.pages = [cls.publish(i) for i in range(3)]

    @classmethod
    def publish(cls, i: int) -> BeritaPage:
        return publish_at(
            cls.people,
            START + dt.timedelta(minutes=10 * i),
            topic=f"Berita ke-{i:02d}",
            summary="Ringkasan.",
            category=cls.category,
            source="Diskominfo",
            image=D.make_image(f"Foto {i:02d}", colour=("red", "green", "blue")[i % 3]),
            caption=f"Keterangan {i:02d}",
            credit="Diskominfo",
        )

    def assert_queries(self, url: str, *, cold: int, warm: int, cards: int | None = None):
        r = assert_public_page_queries(self, url, cold=cold, warm=warm)
        if cards is not None:
            self.assertEqual(len(card_titles(r)), cards)
            self.assertEqual(r.content.decode().count('class="card__img"'), cards)
        return r

    def test_query_counts_do_not_grow_with_the_number_of_berita(self):
        detail = self.pages[0].url
        # N = 3
        self.assert_queries("/", cold=10, warm=7, cards=3)
        self.assert_queries("/berita/", cold=9, warm=6, cards=3)
        self.assert_queries(detail, cold=9, warm=6)

        self.pages += [self.publish(i) for i in range(3, 25)]
        self.assertEqual(BeritaPage.objects.live().count(), 25)

        # N = 25: the same numbers, with more cards on each page.
        self.assert_queries("/", cold=10, warm=7, cards=6)
        self.assert_queries("/berita/", cold=9, warm=6, cards=10)
        self.assert_queries("/berita/?halaman=2", cold=9, warm=6, cards=10)
        self.assert_queries("/berita/?halaman=3", cold=9, warm=6, cards=5)
        self.assert_queries(detail, cold=9, warm=6)

    def test_detail_query_count_does_not_grow_with_the_number_of_photos(self):
        one = self.assert_queries(self.pages[1].url, cold=9, warm=6)
        self.assertEqual(one.content.decode().count("<figure>"), 1)

        with time_machine.travel(START + dt.timedelta(days=1), tick=False):
            liputan = D.start_item(self.people, topic="Berita bergambar tiga")
            page = D.write(liputan, summary="Tiga foto.", category=self.category)
            page.images = [
                BeritaPageImage(image=D.make_image(f"Foto galeri {n}", colour=c), caption=f"Galeri {n}", credit="Humas")
                for n, c in enumerate(("red", "green", "blue"), start=1)
            ]
            page.save_revision(user=liputan.writer)
            page = D.publish(liputan, self.people)
        three = self.assert_queries(page.url, cold=9, warm=6)
        self.assertEqual(three.content.decode().count("<figure>"), 3)
        html = three.content.decode()
        self.assertEqual(html.count('<span class="credit">Foto: Humas</span></figcaption>'), 3)
        for n in (1, 2, 3):
            self.assertIn(f'alt="Galeri {n}"', html)
