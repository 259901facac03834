"""Acting officials on the desk: a Plt/Plh holds the absent official's steps, acts in their own
name "a.n." the absent one, and the record, the timeline, the inbox and the audit log show both."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.test import TestCase
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry, TaskState

from accounts import acting as appointments
from accounts.roles import official_for
from desk import selectors, services
from desk.models import SopTaskState, StepEvent
from desk.tests import sop_driver as D
from desk.tests.helpers import client_for, current_task_state_id, text_of
from lontar.testing import build_world
from notifications.models import Notification
from sop.rules import Role

WITA = ZoneInfo("Asia/Makassar")
TODAY = dt.date(2026, 12, 2)


def on(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=WITA), tick=False)


def appoint(p, *, role=Role.KADIS, absent="kadis", acting="sekdis", start=TODAY, end=TODAY + dt.timedelta(days=1),
            kind="plt", by="admin"):
    with on(TODAY, 11):
        return appointments.appointment_create(
            user=p[by], role=role.value, absent=p[absent], acting=p[acting], kind=kind,
            start_date=start, end_date=end, reason="dinas_luar", note="Rapat koordinasi di Denpasar",
        )


def forward(client, liputan):
    data = {"action": "forward", "task_state_id": current_task_state_id(liputan), "comment": "Setuju."}
    return client.post(reverse("desk:act", args=[liputan.pk]), data)


def holders(liputan):
    liputan.refresh_from_db()
    task = SopTaskState.objects.filter(liputan=liputan, status=TaskState.STATUS_IN_PROGRESS).values_list(
        "holder_id", flat=True
    ).first()
    return liputan.holder_id, task


class ActingOfficialTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        with on(TODAY, 8):
            cls.p = p = build_world()
            cls.at_kadis = D.build_item(p, step=6, topic="Festival Tanah Lot").liputan
            cls.at_sekdis = D.build_item(p, step=5, topic="Panen raya subak").liputan

    def test_appointment_moves_the_waiting_step_and_tells_the_acting_official(self):
        p = self.p
        appoint(p)
        self.assertEqual(holders(self.at_kadis), (p["sekdis"].pk, p["sekdis"].pk))
        # The Sekdis's own step stays with him, and nothing of the Kadis's remains at the Kadis.
        self.assertEqual(holders(self.at_sekdis), (p["sekdis"].pk, p["sekdis"].pk))
        notice = Notification.objects.filter(recipient=p["sekdis"]).latest("id")
        self.assertIn("Langkah 6 menunggu Anda: Festival Tanah Lot", notice.title)
        self.assertIn("sebagai Plt. Kadis a.n. I Putu Wirawan", notice.message)
        entry = PageLogEntry.objects.filter(action="lontar.sop.reassign", page_id=self.at_kadis.page_id).get()
        self.assertEqual(entry.user, p["admin"])
        self.assertEqual(entry.data["on_behalf_of"], p["kadis"].pk)
        self.assertEqual(entry.data["acting_title"], "Plt. Kadis")
        self.assertEqual((entry.data["from"], entry.data["to"]), (p["kadis"].pk, p["sekdis"].pk))
        # No record of the SOP is written by a reassignment: the step has not been taken.
        self.assertFalse(StepEvent.objects.filter(on_behalf_of__isnull=False).exists())

    def test_acting_official_acts_a_n_the_absent_one(self):
        p = self.p
        appoint(p)
        with on(TODAY, 13):
            sekdis = client_for(p["sekdis"])
            review = text_of(sekdis.get(reverse("desk:review", args=[self.at_kadis.pk])))
            self.assertIn('value="forward"', review)
            response = forward(sekdis, self.at_kadis)
        self.assertEqual(response.status_code, 302, text_of(response)[-800:])
        event = StepEvent.objects.filter(liputan=self.at_kadis).latest("id")
        self.assertEqual((event.step, event.actor, event.actor_role), (6, p["sekdis"], "kadis"))
        self.assertEqual((event.on_behalf_of, event.acting_kind), (p["kadis"], "plt"))
        self.assertEqual(event.acting_title, "Plt. Kadis")
        entry = PageLogEntry.objects.filter(action="lontar.sop.forward", page_id=self.at_kadis.page_id).latest("id")
        self.assertEqual(entry.user, p["sekdis"])
        self.assertEqual(entry.data["on_behalf_of"], p["kadis"].pk)
        self.assertEqual(entry.data["on_behalf_of_name"], "I Putu Wirawan")
        # Step 7 is the Sekdis's own: no "a.n." there.
        self.assertEqual(holders(self.at_kadis)[0], p["sekdis"].pk)
        with on(TODAY, 13):
            D.act(self.at_kadis, "forward")
            page = text_of(client_for(p["kasi"]).get(reverse("desk:liputan", args=[self.at_kadis.pk])))
        self.assertIsNone(StepEvent.objects.filter(liputan=self.at_kadis).latest("id").on_behalf_of)
        self.assertIn("A.A. Ngurah Mahendra (Plt. Kadis) a.n. I Putu Wirawan", page)
        self.assertEqual(page.count(" a.n. "), 1)

    def test_absent_official_cannot_act_while_the_appointment_covers_today(self):
        p = self.p
        appoint(p)
        with on(TODAY + dt.timedelta(days=1), 9):
            before = D.snapshot()
            response = forward(client_for(p["kadis"]), self.at_kadis)
            self.assertEqual(response.status_code, 403)
            self.assertIn("dipegang oleh A.A. Ngurah Mahendra", text_of(response))
            self.assertEqual(D.snapshot(), before)

    def test_inbox_marks_what_is_held_for_someone_else(self):
        p = self.p
        appoint(p)
        with on(TODAY, 13):
            entries = selectors.inbox_for(user=p["sekdis"])
            page = text_of(client_for(p["sekdis"]).get(reverse("desk:inbox")))
        marks = {e.title: e.on_behalf_of for e in entries}
        self.assertEqual(marks["Festival Tanah Lot"], "Plt. Kadis a.n. I Putu Wirawan")
        self.assertEqual(marks["Panen raya subak"], "")
        self.assertIn("Plt. Kadis a.n. I Putu Wirawan", page)
        with on(TODAY, 13):
            self.assertEqual(selectors.inbox_for(user=p["kadis"]), [])

    def test_revoking_returns_the_step_and_tells_the_official(self):
        p = self.p
        a = appoint(p)
        with on(TODAY, 14):
            appointments.appointment_revoke(user=p["admin"], appointment=a)
        self.assertEqual(holders(self.at_kadis), (p["kadis"].pk, p["kadis"].pk))
        notice = Notification.objects.filter(recipient=p["kadis"]).latest("id")
        self.assertIn("Langkah 6 menunggu Anda", notice.title)
        self.assertIn("I Putu Wirawan kembali memegang langkah ini", notice.message)

    def test_steps_follow_the_dates(self):
        p = self.p
        appoint(p, acting="kabid", kind="plh", start=TODAY + dt.timedelta(days=1), end=TODAY + dt.timedelta(days=2))
        self.assertEqual(holders(self.at_kadis)[0], p["kadis"].pk)  # not yet
        with on(TODAY + dt.timedelta(days=1), 0):
            self.assertEqual(services.acting_sync(), 1)
            self.assertEqual(services.acting_sync(), 0)  # idempotent
        self.assertEqual(holders(self.at_kadis), (p["kabid"].pk, p["kabid"].pk))
        with on(TODAY + dt.timedelta(days=2), 10):
            # A step that arrives during the appointment goes straight to the Plh.
            D.act(self.at_sekdis, "forward")
            self.assertEqual(holders(self.at_sekdis)[0], p["kabid"].pk)
        with on(TODAY + dt.timedelta(days=3), 0):
            self.assertEqual(services.acting_sync(), 2)
        self.assertEqual(holders(self.at_kadis), (p["kadis"].pk, p["kadis"].pk))
        self.assertEqual(holders(self.at_sekdis), (p["kadis"].pk, p["kadis"].pk))

    def test_after_the_end_the_official_acts_even_before_the_daily_run(self):
        p = self.p
        appoint(p)
        with on(TODAY + dt.timedelta(days=2), 8):
            before = D.snapshot()
            response = forward(client_for(p["sekdis"]), self.at_kadis)
            self.assertEqual(response.status_code, 403)
            self.assertIn("dipegang oleh I Putu Wirawan", text_of(response))
            self.assertEqual(D.snapshot(), before)  # the refusal rolled the move back too
            self.assertEqual(forward(client_for(p["kadis"]), self.at_kadis).status_code, 302)
        event = StepEvent.objects.filter(liputan=self.at_kadis, step=6).latest("id")
        self.assertEqual((event.actor, event.on_behalf_of, event.acting_kind), (p["kadis"], None, ""))

    def test_a_later_step_of_the_same_role_follows_the_official_not_the_stand_in(self):
        p = self.p
        with on(TODAY, 8):
            item = D.build_item(p, step=4, topic="Pasar murah").liputan
        appoint(p, role=Role.KABID, absent="kabid", acting="kasi", kind="plh", start=TODAY, end=TODAY)
        self.assertEqual(holders(item)[0], p["kasi"].pk)
        with on(TODAY, 12):
            D.advance(item, p, to_step=8)
            # Still today: step 8 (the Kabid's again) goes to the Plh, for the Kabid.
            self.assertEqual(holders(item)[0], p["kasi"].pk)
        first = StepEvent.objects.get(liputan=item, step=4, action="forward")
        self.assertEqual((first.actor, first.on_behalf_of, first.acting_kind), (p["kasi"], p["kabid"], "plh"))
        with on(TODAY + dt.timedelta(days=1), 8):
            services.acting_sync()
            self.assertEqual(holders(item)[0], p["kabid"].pk)
            self.assertEqual(official_for(Role.KABID), p["kabid"])
            D.act(item, "forward")
        self.assertEqual(StepEvent.objects.filter(liputan=item, step=8).get().on_behalf_of, None)

    def test_wagtail_action_url_records_the_same(self):
        p = self.p
        appoint(p)
        with on(TODAY, 13):
            client = client_for(p["sekdis"])
            url = reverse(
                "wagtailadmin_pages:workflow_action",
                args=[self.at_kadis.page_id, "forward", current_task_state_id(self.at_kadis)],
            )
            response = client.post(url, {"comment": "Lanjut."})
        self.assertEqual(response.status_code, 302)
        event = StepEvent.objects.filter(liputan=self.at_kadis).latest("id")
        self.assertEqual((event.actor, event.on_behalf_of), (p["sekdis"], p["kadis"]))
        self.assertFalse(ModelLogEntry.objects.filter(action="lontar.sop.reassign").exists())
