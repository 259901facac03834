"""A berita page carries its writer, tags, the Perangkat Daerah it concerns and related berita;
the list filters by tag. All within the public page bound."""

from django.test import TestCase

from desk.models import PerangkatDaerah
from desk.tests import sop_driver as D
from lontar.testing import assert_public_page_queries, build_world
from portal.models import BeritaCategory
from portal.tests.test_pages import card_titles


class BeritaDetailsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.pertanian = BeritaCategory.objects.create(name="Pertanian", slug="pertanian")
        cls.budaya = BeritaCategory.objects.create(name="Budaya", slug="budaya")
        cls.distan = PerangkatDaerah.objects.create(name="Dinas Pertanian", short_name="Distan")
        cls.panen = cls.publish("Panen raya di Penebel", category=cls.pertanian, tags=("panen", "subak"))
        cls.subak = cls.publish("Subak Jatiluwih dirawat", category=cls.budaya, tags=("subak",))
        cls.padi = cls.publish("Harga gabah naik", category=cls.pertanian)
        cls.tari = cls.publish("Tari Kecak di Tanah Lot", category=cls.budaya, tags=("tari",))

    @classmethod
    def publish(cls, topic, *, tags=(), **fields):
        liputan = D.start_item(cls.people, topic=topic)
        page = D.write(liputan, tags=tags, **fields)
        page.perangkat_daerah = cls.distan
        page.save_revision(user=liputan.writer)
        return D.publish(liputan, cls.people)

    def test_the_page_shows_writer_tags_perangkat_daerah_and_related_berita(self):
        html = self.client.get(self.panen.url).content.decode()
        writer = self.people["staf"].get_full_name()
        self.assertIn(f'Penulis: <span class="byline">{writer}</span>', html)
        self.assertIn("Perangkat Daerah: Dinas Pertanian", html)
        self.assertIn('<a href="/berita/?tag=panen" rel="tag">panen</a>', html)
        self.assertIn('<a href="/berita/?tag=subak" rel="tag">subak</a>', html)
        related = html.split('id="berita-terkait"')[1]
        # Sharing a tag (subak) or the category (pertanian); not itself, not the unrelated one.
        self.assertIn("Subak Jatiluwih dirawat", related)
        self.assertIn("Harga gabah naik", related)
        self.assertNotIn("Tari Kecak", related)
        self.assertNotIn("Panen raya di Penebel", related)

    def test_the_list_filters_by_tag(self):
        r = self.client.get("/berita/", {"tag": "subak"})
        self.assertEqual(sorted(card_titles(r)), ["Panen raya di Penebel", "Subak Jatiluwih dirawat"])
        self.assertEqual(card_titles(self.client.get("/berita/", {"tag": "tidak-ada"})), [])
        self.assertIn("Belum ada berita dengan tag ini.", self.client.get("/berita/", {"tag": "tidak-ada"}).content.decode())
        self.assertEqual(len(card_titles(self.client.get("/berita/"))), 4)

    def test_the_fuller_page_stays_within_the_bound(self):
        # Serving 2 (the writer, category and Perangkat Daerah come with the page), photos 1
        # (no renditions: these have none), tags 1, related berita 1.
        assert_public_page_queries(self, self.panen.url, cold=8, warm=5)
        # Serving 2, the paginator's count, the berita, their photos (none, so no renditions).
        assert_public_page_queries(self, "/berita/?tag=subak", cold=8, warm=5)
