"""Wagtail's admin dashboard lists the tasks a person may review; with the SOP's tasks beside
Wagtail's own (its default moderation task stays installed), it must open for everyone."""

from django.test import TestCase
from wagtail.models import TaskState

from desk.tests import sop_driver as D
from lontar.testing import build_world


class DashboardTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = {k: v for k, v in build_world().items() if k != "version"}
        cls.liputan = D.advance(D.start_item(cls.people, topic="Panen raya"), cls.people, to_step=4)

    def test_the_dashboard_opens_for_every_person(self):
        for name, person in self.people.items():
            with self.subTest(person=name):
                self.client.force_login(person)
                self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_only_the_holder_sees_the_step_among_their_reviewable_tasks(self):
        holder = self.liputan.holder
        self.assertEqual(TaskState.objects.reviewable_by(holder).count(), 1)
        for name, person in self.people.items():
            if person != holder and not person.is_superuser:
                with self.subTest(person=name):
                    self.assertEqual(TaskState.objects.reviewable_by(person).count(), 0)
