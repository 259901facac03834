"""The demo entries go live through the SOP like any other item, one per kind shown."""

from django.test import TestCase

from desk.models import Liputan, StepEvent
from desk.tests.helpers import text_of
from lontar.testing import build_world
from ppid.demo import demo_items
from ppid.models import InformasiPublikPage, KategoriInformasi


class DemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        demo_items(cls.people)

    def test_three_entries_are_published_through_the_ten_steps(self):
        pages = InformasiPublikPage.objects.live().order_by("id")
        self.assertEqual(
            sorted(pages.values_list("kategori", flat=True)),
            sorted([KategoriInformasi.BERKALA, KategoriInformasi.SERTA_MERTA, KategoriInformasi.DIKECUALIKAN]),
        )
        for page in pages:
            liputan = Liputan.objects.get(page_id=page.pk)
            self.assertEqual(liputan.status, Liputan.Status.PUBLISHED)
            self.assertFalse(liputan.emergency_published)
            self.assertTrue(StepEvent.objects.filter(liputan=liputan, step=10, action="publish").exists())
        excluded = pages.get(kategori=KategoriInformasi.DIKECUALIKAN)
        self.assertIsNone(excluded.dokumen_id)
        self.assertTrue(excluded.alasan_pengecualian)
        self.assertEqual(pages.exclude(kategori=KategoriInformasi.DIKECUALIKAN).filter(dokumen__isnull=False).count(), 2)

        text = text_of(self.client.get("/ppid/"))
        self.assertIn("Laporan keuangan Diskominfo tahun anggaran 2025", text)
        self.assertIn("Dikecualikan, tidak dapat diunduh", text)

    def test_running_it_again_adds_nothing(self):
        demo_items(self.people)
        self.assertEqual(InformasiPublikPage.objects.count(), 3)
