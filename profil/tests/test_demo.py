"""The profil demo publishes its pages through the SOP and adds banners, once."""

from django.test import TestCase

from desk.models import Liputan, StepEvent
from lontar.testing import build_world
from profil.demo import demo_items
from profil.models import Banner, ProfilPage


class DemoTest(TestCase):
    def test_demo_items_publish_through_the_sop_and_are_idempotent(self):
        people = build_world()
        demo_items(people)
        pages = ProfilPage.objects.live().order_by("path")
        self.assertEqual([p.title for p in pages], ["Visi dan Misi", "Sejarah Singkat", "Struktur Organisasi"])
        for page in pages:
            liputan = Liputan.objects.get(page=page)
            self.assertEqual(liputan.status, Liputan.Status.PUBLISHED)
            # All ten steps on the record, the last one the upload by the second Staf.
            self.assertEqual(
                sorted(set(StepEvent.objects.filter(liputan=liputan).values_list("step", flat=True)) | {1, 2}),
                list(range(1, 11)),
            )
            self.assertEqual(StepEvent.objects.filter(liputan=liputan, action="publish").get().actor, people["staf2"])
        self.assertEqual(self.client.get("/profil/visi-dan-misi/").status_code, 200)
        html = self.client.get("/profil/struktur-organisasi/").content.decode()
        self.assertIn('<p class="pejabat__nama">I Putu Wirawan</p>', html)
        self.assertIn("<caption>Susunan organisasi</caption>", html)

        banners = list(Banner.objects.order_by("sort_order"))
        self.assertEqual(len(banners), 2)
        self.assertEqual((banners[0].image.width, banners[0].image.height), (1600, 600))
        home = self.client.get("/").content.decode()
        self.assertIn('<a href="/profil/visi-dan-misi/">', home)
        self.assertIn("Sampaikan pengaduan pelayanan publik melalui SP4N-LAPOR!", home)

        demo_items(people)
        self.assertEqual(ProfilPage.objects.count(), 3)
        self.assertEqual(Banner.objects.count(), 2)
