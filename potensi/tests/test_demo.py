"""The demo potensi go live through the SOP like any other item and show on the public site."""

from django.test import TestCase

from desk.models import AgendaItem, Liputan, StepEvent
from lontar.testing import build_world
from potensi.demo import ITEMS, demo_items
from potensi.models import PotensiPage
from potensi.tests.utils import card_titles


class DemoItemsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        demo_items(cls.people)

    def test_three_items_in_three_sectors_are_published_through_all_ten_steps(self):
        pages = PotensiPage.objects.live().order_by("title")
        self.assertEqual(pages.count(), 3)
        self.assertEqual({p.sektor for p in pages}, {"pariwisata", "pertanian", "umkm"})
        self.assertEqual({p.kecamatan for p in pages}, {"kediri", "penebel", "pupuan"})
        for page in pages:
            liputan = Liputan.objects.get(page=page)
            self.assertEqual(liputan.status, Liputan.Status.PUBLISHED)
            steps = set(StepEvent.objects.filter(agenda=liputan.agenda).values_list("step", flat=True))
            self.assertEqual(steps, set(range(1, 11)))
            self.assertTrue(page.has_location)
            self.assertIsNotNone(page.perangkat_daerah)
            page.full_clean()  # the demo data passes the editor's rules
        tanah_lot = pages.get(kecamatan="kediri")
        self.assertEqual([i.image.width for i in tanah_lot.images.all()], [1600, 1600])

    def test_the_public_site_shows_them(self):
        r = self.client.get("/potensi-daerah/")
        self.assertEqual(len(card_titles(r)), 3)
        page = PotensiPage.objects.get(kecamatan="penebel")
        r = self.client.get(page.url)
        self.assertEqual(r.status_code, 200)
        self.assertIn("Subak Jatiluwih", r.content.decode())
        self.assertEqual(r.content.decode().count("<picture>"), 2)

    def test_running_it_again_adds_nothing(self):
        demo_items(self.people)
        self.assertEqual(PotensiPage.objects.count(), 3)
        self.assertEqual(AgendaItem.objects.filter(kind="potensi_daerah").count(), len(ITEMS))
