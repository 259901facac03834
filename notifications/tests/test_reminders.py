"""Reminders at 80 % of a step's standard and escalation when it is overdue, counted in working
time; each run of a step is alerted once per level; people choose their outside channels."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from desk.models import Liputan
from desk.tests import sop_driver as D
from desk.tests.helpers import client_for, text_of
from lontar.testing import build_world, freeze_clock
from notifications.models import Delivery, Notification, NotificationPreference, StepAlert
from notifications.reminders import _raise, open_steps, step_alerts_scan
from sop import rules
from sop.calendar import office_calendar

WITA = ZoneInfo("Asia/Makassar")
FRIDAY_1230 = dt.datetime(2026, 11, 27, 12, 30, tzinfo=WITA)
MONDAY = dt.date(2026, 11, 30)


def at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WITA)


class ReminderTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def setUp(self):
        self.clock = freeze_clock(self, FRIDAY_1230)

    def scan_at(self, moment: dt.datetime) -> list[StepAlert]:
        self.clock.move_to(moment)
        with self.captureOnCommitCallbacks(execute=True):
            return step_alerts_scan()

    def alerts(self):
        return list(StepAlert.objects.order_by("pk").values_list("level", "step"))

    def notices(self, kind):
        return list(Notification.objects.filter(kind=kind).order_by("pk").select_related("recipient"))


class ThresholdTest(ReminderTestCase):
    def test_a_three_hour_step_started_friday_1230_is_reminded_and_escalated_on_monday(self):
        p = self.people
        liputan = D.start_item(p, topic="Panen raya Jatiluwih")  # step 3 (180 min), Staf, from Fri 12:30
        # 80 % of 180 = 144 working minutes: 60 on Friday (until 13:30), 84 on Monday from 07:30.
        for quiet in (
            at(FRIDAY_1230.date(), 13, 29),
            at(FRIDAY_1230.date(), 23, 0),
            at(MONDAY, 7, 0),
            at(MONDAY, 8, 53),
        ):
            with self.subTest(moment=quiet):
                self.assertEqual(self.scan_at(quiet), [])
        mail.outbox.clear()
        [alert] = self.scan_at(at(MONDAY, 8, 54))
        self.assertEqual(
            (alert.level, alert.step, alert.elapsed_minutes, alert.standard_minutes), ("reminder", 3, 144, 180)
        )
        [reminder] = self.notices(Notification.Kind.REMINDER)
        self.assertEqual(reminder.recipient, p["staf"])
        self.assertEqual(reminder.title, "Pengingat: langkah 3 segera jatuh tempo — Panen raya Jatiluwih")
        self.assertIn("Sudah 144 dari 180 menit kerja", reminder.message)
        self.assertIn("Batas waktu: 30-11-2026 09:30 WITA.", reminder.message)
        self.assertEqual(reminder.url, reverse("desk:liputan", args=[liputan.pk]))
        self.assertEqual([m.to for m in mail.outbox], [[p["staf"].email]])
        self.assertEqual(mail.outbox[0].subject, f"[Lontar] {reminder.title}")

        # The deadline itself is still on time; the first minute past it is overdue.
        self.assertEqual(self.scan_at(at(MONDAY, 8, 55)), [])
        self.assertEqual(self.scan_at(at(MONDAY, 9, 30)), [])
        [alert] = self.scan_at(at(MONDAY, 9, 31))
        self.assertEqual((alert.level, alert.escalated_to, alert.holder), ("escalation", p["kasi"], p["staf"]))
        [overdue] = self.notices(Notification.Kind.OVERDUE)
        [escalation] = self.notices(Notification.Kind.ESCALATION)
        self.assertEqual(overdue.recipient, p["staf"])
        self.assertIn("sudah lewat 1 menit kerja", overdue.message)
        self.assertIn(f"{p['kasi'].get_full_name()} sudah diberi tahu.", overdue.message)
        self.assertEqual(escalation.recipient, p["kasi"])
        self.assertEqual(escalation.title, "Eskalasi: langkah 3 terlambat — Panen raya Jatiluwih")
        self.assertIn(f"{p['staf'].get_full_name()} (Staf) belum menyelesaikan langkah 3", escalation.message)
        # Nothing more, however often it runs.
        self.assertEqual(self.scan_at(at(MONDAY, 15, 0)), [])
        self.assertEqual(self.alerts(), [("reminder", 3), ("escalation", 3)])

    def test_a_holiday_does_not_count(self):
        # Christmas Day 2026 is a Friday: a 10-minute step planned on Thursday at 15:55 has used 5
        # minutes at closing time and reaches 8 minutes on Monday at 07:33, not on Friday.
        thursday = at(dt.date(2026, 12, 24), 15, 55)
        self.assertIn(dt.date(2026, 12, 25), office_calendar().holidays)
        self.clock.move_to(thursday)
        D.agenda_draft(self.people["kasi"], topic="Rapat akhir tahun")  # step 1, 10 minutes
        self.assertEqual(self.scan_at(at(dt.date(2026, 12, 25), 10, 0)), [])
        self.assertEqual(self.scan_at(at(dt.date(2026, 12, 28), 7, 32)), [])
        [alert] = self.scan_at(at(dt.date(2026, 12, 28), 7, 33))
        self.assertEqual((alert.level, alert.step, alert.holder), ("reminder", 1, self.people["kasi"]))

    @override_settings(LONTAR_REMINDER_SHARE=0.5)
    def test_the_share_comes_from_the_settings(self):
        D.agenda_draft(self.people["kasi"], topic="Rapat koordinasi")  # 10 minutes from 12:30
        self.assertEqual(self.scan_at(FRIDAY_1230 + dt.timedelta(minutes=4)), [])
        [alert] = self.scan_at(FRIDAY_1230 + dt.timedelta(minutes=5))
        self.assertEqual(alert.level, "reminder")

    def test_a_step_first_seen_overdue_gets_only_the_escalation(self):
        D.agenda_planned(self.people["kasi"], topic="Festival Tanah Lot")  # step 2, 10 minutes
        [alert] = self.scan_at(FRIDAY_1230 + dt.timedelta(minutes=30))
        self.assertEqual((alert.level, alert.step, alert.escalated_to), ("escalation", 2, self.people["kabid"]))
        self.assertEqual(self.notices(Notification.Kind.REMINDER), [])
        [escalation] = self.notices(Notification.Kind.ESCALATION)
        self.assertEqual(escalation.url, reverse("desk:disposisi_create", args=[alert.agenda_id]))

    def test_a_finished_or_returned_step_starts_afresh(self):
        p = self.people
        liputan = D.start_item(p, topic="Vaksinasi anak sekolah")
        D.advance(liputan, p, to_step=4)  # Kabid, 30 minutes from 12:30
        [first] = self.scan_at(FRIDAY_1230 + dt.timedelta(minutes=24))
        self.assertEqual((first.level, first.step, first.holder), ("reminder", 4, p["kabid"]))
        D.act(liputan, "return", return_to=3, comment="Lengkapi jumlah siswa.")
        D.advance(liputan, p, to_step=4)  # step 4 again, a new run from 12:54
        self.assertEqual(self.scan_at(FRIDAY_1230 + dt.timedelta(minutes=24 + 23)), [])
        [second] = self.scan_at(FRIDAY_1230 + dt.timedelta(minutes=24 + 24))
        self.assertEqual((second.level, second.step), ("reminder", 4))
        self.assertNotEqual(first.occurrence, second.occurrence)
        # Published items and disposed agendas are not watched.
        D.advance(liputan, p, to_step=10)
        D.act(liputan, "publish")
        self.assertEqual([s for s in open_steps() if s.liputan is not None], [])


class EscalationChainTest(ReminderTestCase):
    def test_each_step_escalates_to_the_next_role_up(self):
        p = self.people
        liputan = D.start_item(p, topic="Pelantikan pejabat")
        D.write(liputan)
        # (step, phase, holder, told of the overdue step)
        chain = [
            (3, 0, "staf", "kasi"),
            (3, 1, "kasi", "kabid"),
            (4, 0, "kabid", "sekdis"),
            (5, 0, "sekdis", "kadis"),
            (6, 0, "kadis", None),
            (7, 0, "sekdis", "kadis"),
            (8, 0, "kabid", "sekdis"),
            (9, 0, "kasi", "kabid"),
            (10, 0, "staf2", "kasi"),
        ]
        for n, (step, phase, holder, superior) in enumerate(chain):
            with self.subTest(step=step, phase=phase):
                D.advance(liputan, p, to_step=step, to_phase=phase)
                # Make this run of the step a day old (each run its own start, so its own key).
                Liputan.objects.filter(pk=liputan.pk).update(
                    step_started_at=FRIDAY_1230 - dt.timedelta(days=1, minutes=n)
                )
                before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
                [alert] = self.scan_at(FRIDAY_1230)
                self.assertEqual(alert.level, "escalation")
                self.assertEqual(alert.holder, p[holder])
                told = {(x.recipient, x.kind) for x in Notification.objects.filter(pk__gt=before)}
                expected = {(p[holder], Notification.Kind.OVERDUE)}
                if superior:
                    expected.add((p[superior], Notification.Kind.ESCALATION))
                    self.assertEqual(alert.escalated_to, p[superior])
                else:
                    self.assertIsNone(alert.escalated_to)
                self.assertEqual(told, expected)

    def test_the_kasi_above_a_staf_is_the_one_who_gave_the_disposisi(self):
        from lontar.testing import make_user

        p = self.people
        other_kasi = make_user("kasi2", role=rules.Role.KASI, first_name="Kasi", last_name="Kedua")
        agenda = D.agenda_planned(other_kasi, topic="Pameran UMKM")
        liputan = D.dispose(agenda, other_kasi, p["staf"])
        self.assertEqual(self.scan_at(FRIDAY_1230 + dt.timedelta(hours=4)), [])  # 60 working minutes
        [alert] = [a for a in self.scan_at(at(MONDAY, 12, 0)) if a.liputan_id == liputan.pk]
        self.assertEqual((alert.level, alert.escalated_to), ("escalation", other_kasi))


class IdempotenceTest(ReminderTestCase):
    def test_a_second_scan_and_a_stale_worker_send_nothing_more(self):
        p = self.people
        D.agenda_draft(p["kasi"], topic="Rapat koordinasi")
        late = FRIDAY_1230 + dt.timedelta(minutes=20)
        self.assertEqual(len(self.scan_at(late)), 1)
        self.assertEqual(self.scan_at(late), [])
        count = Notification.objects.count()
        # A worker that read the open steps before the first one committed: its insert fails on
        # the unique constraint, and it writes no notice.
        [open_step] = open_steps()
        self.assertIsNone(
            _raise(open_step, StepAlert.Level.ESCALATION, now=late, calendar=office_calendar(), officials={})
        )
        self.assertEqual(Notification.objects.count(), count)
        self.assertEqual(StepAlert.objects.count(), 1)

    def test_an_item_that_moved_since_the_scan_read_it_is_left_alone(self):
        p = self.people
        liputan = D.start_item(p, topic="Rapat koordinasi")
        [open_step] = open_steps()
        Liputan.objects.filter(pk=liputan.pk).update(holder=p["staf2"])
        self.assertIsNone(
            _raise(open_step, StepAlert.Level.REMINDER, now=at(MONDAY, 12, 0), calendar=office_calendar(), officials={})
        )
        self.assertFalse(StepAlert.objects.exists())

    def test_the_scan_runs_a_fixed_number_of_queries_when_nothing_is_due(self):
        p = self.people
        D.start_item(p, topic="Satu")
        D.agenda_draft(p["kasi"], topic="Dua")
        self.clock.move_to(FRIDAY_1230 + dt.timedelta(minutes=1))
        with CaptureQueriesContext(connection) as few:
            step_alerts_scan()
        for n in range(4):
            D.start_item(p, topic=f"Lagi {n}")
            D.agenda_draft(p["kasi"], topic=f"Rencana {n}")
        with CaptureQueriesContext(connection) as many:
            self.assertEqual(step_alerts_scan(), [])
        self.assertEqual(len(many), len(few))
        self.assertLessEqual(len(many), 6)

    def test_the_command_runs_one_round(self):
        D.agenda_draft(self.people["kasi"], topic="Rapat koordinasi")
        self.clock.move_to(FRIDAY_1230 + dt.timedelta(minutes=8))
        with self.captureOnCommitCallbacks(execute=True):
            call_command("run_reminders", stdout=open("/dev/null", "w"))
        self.assertEqual(self.alerts(), [("reminder", 1)])
        self.clock.move_to(FRIDAY_1230 + dt.timedelta(minutes=11))
        with self.captureOnCommitCallbacks(execute=True):
            call_command("run_reminders", "--enqueue")  # the immediate backend runs it in tests
        self.assertEqual(self.alerts(), [("reminder", 1), ("escalation", 1)])


class PreferenceTest(ReminderTestCase):
    def test_a_person_without_email_gets_the_notice_in_the_app_only(self):
        p = self.people
        NotificationPreference.objects.create(user=p["kasi"], email=False)
        D.agenda_draft(p["kasi"], topic="Rapat koordinasi")
        mail.outbox.clear()
        self.scan_at(FRIDAY_1230 + dt.timedelta(minutes=8))
        [notice] = Notification.objects.filter(recipient=p["kasi"], kind=Notification.Kind.REMINDER)
        self.assertFalse(notice.deliveries.exists())
        self.assertEqual(mail.outbox, [])
        # The Kabid never chose: e-mail by default.
        self.scan_at(FRIDAY_1230 + dt.timedelta(minutes=11))
        self.assertEqual([m.to for m in mail.outbox], [[p["kabid"].email]])
        self.assertEqual(
            list(Delivery.objects.values_list("notification__recipient__username", "channel", "status")),
            [("kabid", "email", "sent")],
        )

    def test_the_form_changes_only_my_own_choices(self):
        staf = self.people["staf"]
        client = client_for(staf)
        url = reverse("notifications:preferences")
        self.assertEqual(url, "/admin/pemberitahuan/pilihan/")
        r = client.get(url)
        self.assertEqual(r.status_code, 200)
        self.assertIn("Kirim lewat e-mail", text_of(r))
        self.assertIn("Webhook kantor belum dipasang oleh administrator.", text_of(r))
        # A user id in the form is ignored: there is no way to name someone else.
        r = client.post(url, {"user": self.people["kabid"].pk})
        self.assertRedirects(r, url)
        self.assertFalse(NotificationPreference.objects.get(user=staf).email)
        self.assertFalse(NotificationPreference.objects.filter(user=self.people["kabid"]).exists())
        r = client.post(url, {"email": "on"})
        self.assertTrue(NotificationPreference.objects.get(user=staf).email)
        self.assertEqual(self.client.get(url).status_code, 302)  # needs a login

    def test_channels_that_cannot_reach_me_are_refused(self):
        staf = self.people["staf"]
        client = client_for(staf)
        url = reverse("notifications:preferences")
        with override_settings(LONTAR_WEBHOOK_URL="http://127.0.0.1:9/hook", LONTAR_WEBHOOK_SECRET="s3cret"):
            r = client.post(url, {"webhook": "on"})
            self.assertRedirects(r, url)
            self.assertTrue(NotificationPreference.objects.get(user=staf).webhook)
        # Without the site's webhook the box is disabled and a forged post changes nothing.
        r = client.post(url, {"email": "on", "webhook": "on"})
        self.assertRedirects(r, url)
        self.assertTrue(NotificationPreference.objects.get(user=staf).webhook)  # disabled field keeps its value
        staf.email = ""
        staf.save(update_fields=["email"])
        r = client.post(url, {"email": "on"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("belum memiliki alamat e-mail", text_of(r))


class RoleAboveTest(SimpleTestCase):
    def test_the_chain_of_escalation(self):
        R = rules.Role
        self.assertEqual(
            [(r, rules.role_above(r)) for r in R],
            [(R.KASI, R.KABID), (R.STAF, R.KASI), (R.KABID, R.SEKDIS), (R.SEKDIS, R.KADIS), (R.KADIS, None)],
        )
