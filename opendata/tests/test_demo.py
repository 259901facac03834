"""The demo data set goes live through the SOP's own services, once."""

from django.test import TestCase

from desk.models import Liputan, StepEvent
from lontar.testing import build_world
from opendata.demo import TOPIC, demo_items
from opendata.models import DataSetPage


class DemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_demo_publishes_rice_production_for_the_ten_kecamatan_once(self):
        demo_items(self.people)
        demo_items(self.people)  # idempotent
        page = DataSetPage.objects.live().get()
        self.assertEqual(page.title, "Produksi Padi per Kecamatan di Kabupaten Tabanan 2025")
        self.assertEqual(page.produsen.short_name, "Distan")
        self.assertEqual(page.row_count, 10)
        self.assertEqual(
            sorted(row[0] for row in page.table["rows"]),
            sorted(["Selemadeg", "Selemadeg Timur", "Selemadeg Barat", "Kerambitan", "Tabanan", "Kediri",
                    "Marga", "Baturiti", "Penebel", "Pupuan"]),
        )
        self.assertEqual(page.table["types"], ["string", "integer", "integer", "number"])
        liputan = Liputan.objects.get(agenda__topic=TOPIC)
        self.assertEqual(liputan.status, Liputan.Status.PUBLISHED)
        self.assertEqual(
            list(StepEvent.objects.filter(liputan=liputan).values_list("step", flat=True).distinct().order_by("step")),
            list(range(3, 11)),
        )
        text = self.client.get(page.url).content.decode()
        self.assertIn("<title>Penebel: 46.346</title>", text)
        self.assertIn("bukan data resmi", text)
