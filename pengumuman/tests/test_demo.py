from django.test import TestCase

from desk.models import PerangkatDaerah
from lontar.demo import OPD
from lontar.testing import build_world
from pengumuman.demo import demo_items
from pengumuman.models import PengumumanPage
from pengumuman.selectors import pengumuman_archive, pengumuman_current


class DemoTest(TestCase):
    def test_demo_announcements_go_live_through_the_sop_once(self):
        """Two demo announcements are in force and one is in the archive; a second run adds none."""
        people = build_world()
        people["staf1"] = people["staf"]
        for name, short in OPD:
            PerangkatDaerah.objects.get_or_create(name=name, defaults={"short_name": short})
        demo_items(people)
        demo_items(people)
        self.assertEqual(PengumumanPage.objects.live().count(), 3)
        self.assertEqual(pengumuman_current().count(), 2)
        self.assertEqual(pengumuman_archive().count(), 1)
