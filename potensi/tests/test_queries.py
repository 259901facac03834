"""The potensi pages cost the same number of queries with 3 or 15 published items, each with two
photos.

Each page is measured twice, as in ``portal.tests.test_pages``: with an empty cache (renditions and
Wagtail's site root paths come from the database: the worst case, after a restart or once the
rendition cache has expired) and again with the cache the first view filled.

Where the queries go (warm): serving 2 at any depth (the pages on the URL's path, then the
deepest as its own type; a route on the index page adds nothing), the site's frame none (cached).
The pages' own queries are the rest: the list 4 (the paginator's count, the items, their photos
with images, the photos' renditions), a potensi 3 (photos with images, renditions, the Perangkat
Daerah; the breadcrumb's parent is the one the routing already loaded). An empty cache adds 3
(the sites, Wagtail's site root paths, the site chrome). All within the bound of 8.
"""

from django.test import TestCase

from desk.models import PerangkatDaerah
from lontar.testing import assert_public_page_queries, build_world
from potensi.models import PotensiPage
from potensi.tests.utils import card_titles, publish_potensi

SECTORS = ["pariwisata", "pertanian", "umkm"]
KECAMATAN = ["kediri", "penebel", "pupuan"]

LIST_COLD, LIST_WARM = 9, 6
DETAIL_COLD, DETAIL_WARM = 8, 5


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
        r = assert_public_page_queries(self, url, cold=cold, warm=warm)
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
