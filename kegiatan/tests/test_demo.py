from django.test import TestCase

from desk.models import Liputan, PerangkatDaerah
from kegiatan.demo import demo_items
from kegiatan.models import KegiatanPage
from lontar.demo import OPD
from lontar.testing import build_world


class DemoTest(TestCase):
    def test_demo_events_go_live_through_the_sop_once(self):
        """The demo's events pass all ten steps (with the demo's user names) and are made once."""
        people = build_world()
        people["staf1"] = people["staf"]
        for name, short in OPD:
            PerangkatDaerah.objects.get_or_create(name=name, defaults={"short_name": short})
        demo_items(people)
        demo_items(people)
        self.assertEqual(KegiatanPage.objects.live().count(), 3)
        self.assertEqual(Liputan.objects.filter(status=Liputan.Status.PUBLISHED).count(), 3)
        festival = KegiatanPage.objects.get(title="Festival Tanah Lot 2026")
        self.assertEqual(festival.organiser_name, "Dinas Pariwisata · Desa Adat Beraban")
        self.assertEqual(self.client.get("/agenda/kalender.ics").content.count(b"BEGIN:VEVENT"), 3)
