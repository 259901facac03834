"""The potensi pages cost the same number of queries with 3 or 15 published items, each with two
photos.

Each page is measured twice, as in ``portal.tests.test_pages``: with an empty cache (renditions and
Wagtail's site root paths come from the database: the worst case, after a restart or once the
rendition cache has expired) and again with the cache the first view filled.

Where the queries go (warm): Wagtail's serving takes 2 for the site and the home page, 2 more for
each URL level below it (the child by slug, then its specific row) and 2 for view restrictions:
6 for the list and the sector pages (a route on the index page adds no level), 8 for a potensi.
The site's frame (``portal/base.html``: header, menu and footer from the site identity) takes 1.
The pages' own queries are the rest: the list 5 (restrictions for the list, the paginator's
count, the items, their photos with images, the photos' renditions), a potensi 3 (photos with
images, renditions, the Perangkat Daerah; the breadcrumb's parent is the one Wagtail's routing
already loaded). A cold cache adds 1: Wagtail's site root paths, which ``pageurl`` needs.
"""

from django.core.cache import cache
from django.test import TestCase

from desk.models import PerangkatDaerah
from lontar.testing import build_world
from potensi.models import PotensiPage
from potensi.tests.utils import card_titles, publish_potensi

SECTORS = ["pariwisata", "pertanian", "umkm"]
KECAMATAN = ["kediri", "penebel", "pupuan"]

LIST_COLD, LIST_WARM = 13, 12
DETAIL_COLD, DETAIL_WARM = 13, 12


class QueryBoundsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.opd = PerangkatDaerah.objects.create(name="Dinas Pariwisata", short_name="Dispar")
        cls.pages = [cls.publish(i) for i in range(3)]

    @classmethod
    def publish(cls, i: int) -> PotensiPage:
        return publish_potensi(
            cls.people,
            f"Potensi ke-{i:02d}",
            sektor=SECTORS[i % 3],
            kecamatan=KECAMATAN[i % 3],
            photos=2,
            contact_name="Pengelola",
            contact_phone="0361 811047",
            perangkat_daerah=cls.opd,
        )

    def assert_queries(self, url: str, *, cold: int, warm: int, cards: int | None = None):
        self.client.get(url)  # the first view ever creates the renditions; later views only read them
        cache.clear()
        with self.assertNumQueries(cold):
            r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        with self.assertNumQueries(warm):
            r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        if cards is not None:
            self.assertEqual(len(card_titles(r)), cards)
            self.assertEqual(r.content.decode().count("<picture>"), cards)
        return r

    def test_query_counts_do_not_grow_with_the_number_of_items(self):
        detail = self.pages[0].url
        # N = 3
        self.assert_queries("/potensi-daerah/", cold=LIST_COLD, warm=LIST_WARM, cards=3)
        self.assert_queries("/potensi-daerah/sektor/pariwisata/", cold=LIST_COLD, warm=LIST_WARM, cards=1)
        self.assert_queries("/potensi-daerah/?kecamatan=penebel", cold=LIST_COLD, warm=LIST_WARM, cards=1)
        r = self.assert_queries(detail, cold=DETAIL_COLD, warm=DETAIL_WARM)
        self.assertEqual(r.content.decode().count("<picture>"), 2)

        self.pages += [self.publish(i) for i in range(3, 15)]
        self.assertEqual(PotensiPage.objects.live().count(), 15)

        # N = 15: the same numbers, with more cards on each page.
        self.assert_queries("/potensi-daerah/", cold=LIST_COLD, warm=LIST_WARM, cards=12)
        self.assert_queries("/potensi-daerah/?halaman=2", cold=LIST_COLD, warm=LIST_WARM, cards=3)
        self.assert_queries("/potensi-daerah/sektor/pariwisata/", cold=LIST_COLD, warm=LIST_WARM, cards=5)
        self.assert_queries("/potensi-daerah/?kecamatan=penebel", cold=LIST_COLD, warm=LIST_WARM, cards=5)
        self.assert_queries(
            "/potensi-daerah/sektor/pertanian/?kecamatan=penebel", cold=LIST_COLD, warm=LIST_WARM, cards=5
        )
        r = self.assert_queries(detail, cold=DETAIL_COLD, warm=DETAIL_WARM)
        self.assertEqual(r.content.decode().count("<picture>"), 2)
