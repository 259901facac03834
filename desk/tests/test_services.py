"""Desk services: what they write besides the step itself."""

from django.test import TestCase

from desk import services
from desk.tests.sop_driver import start_item
from lontar.testing import build_world
from portal.models import BeritaPage
from portal.selectors import berita_index


class PageCreateTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_draft_does_not_carry_the_kasis_internal_notes_into_the_public_summary(self):
        """The agenda's catatan is for the desk; the Staf's draft starts with an empty summary."""
        liputan = start_item(self.people, topic="Rapat koordinasi bencana", staf="staf")
        liputan.agenda.notes = "Jangan dipublikasikan: nomor HP narasumber 0812xxxx"
        liputan.agenda.save()
        page = services.liputan_page_create(
            liputan=liputan, user=self.people["staf"], parent=berita_index(), page_class=BeritaPage
        )
        self.assertEqual(page.summary, "")
        self.assertEqual(page.title, "Rapat koordinasi bencana")
        self.assertEqual(page.owner, self.people["staf"])
        self.assertFalse(page.live)
