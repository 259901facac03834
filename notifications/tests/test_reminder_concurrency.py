"""Two workers running the reminder job at the same moment send one reminder (PostgreSQL: real
concurrent connections; SQLite serialises writers anyway)."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import TransactionTestCase, override_settings

from desk.tests import sop_driver as D
from lontar.testing import build_world, freeze_clock
from notifications.models import Delivery, Notification, StepAlert
from notifications.reminders import step_alerts_scan
from notifications.services import deliveries_send_due

WITA = ZoneInfo("Asia/Makassar")
START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WITA)
WORKERS = 2
ITEMS = 6


@pytest.mark.postgres
class TwoWorkersTest(TransactionTestCase):
    serialized_rollback = True

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("needs PostgreSQL (DATABASE_URL=postgres://...)")
        self.clock = freeze_clock(self, START)
        self.people = build_world()

    def run_workers(self, job):
        barrier = threading.Barrier(WORKERS)
        errors, results = [], []

        def work():
            try:
                barrier.wait()
                results.append(job())
            except Exception as exc:  # reported below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work) for _ in range(WORKERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        return results

    def test_two_workers_scanning_at_once_alert_each_step_once(self):
        for n in range(ITEMS):
            D.agenda_draft(self.people["kasi"], topic=f"Rapat {n}")  # step 1, 10 minutes
        mail.outbox.clear()

        self.clock.move_to(START + dt.timedelta(minutes=8))
        results = self.run_workers(step_alerts_scan)
        self.assertEqual(sum(len(r) for r in results), ITEMS)
        self.assertEqual(StepAlert.objects.filter(level="reminder").count(), ITEMS)
        self.assertEqual(Notification.objects.filter(kind="reminder").count(), ITEMS)
        self.assertEqual(
            sorted(m.subject for m in mail.outbox),
            sorted(f"[Lontar] Pengingat: langkah 1 segera jatuh tempo — Rapat {n}" for n in range(ITEMS)),
        )

        self.clock.move_to(START + dt.timedelta(minutes=11))
        results = self.run_workers(step_alerts_scan)
        self.assertEqual(sum(len(r) for r in results), ITEMS)
        self.assertEqual(Notification.objects.filter(kind="escalation", recipient=self.people["kabid"]).count(), ITEMS)
        self.assertEqual(Notification.objects.filter(kind="overdue", recipient=self.people["kasi"]).count(), ITEMS)
        self.assertEqual(len(mail.outbox), 3 * ITEMS)
        self.assertEqual(set(Delivery.objects.values_list("status", "attempts")), {("sent", 1)})

    def test_two_senders_at_once_send_each_pending_delivery_once(self):
        for n in range(ITEMS):
            D.agenda_draft(self.people["kasi"], topic=f"Rapat {n}")
        self.clock.move_to(START + dt.timedelta(minutes=8))
        # The after-commit sends never happened (a worker died, the queue was down): rows wait.
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
            step_alerts_scan()
        self.assertEqual(Delivery.objects.filter(status="pending").count(), ITEMS)
        mail.outbox.clear()
        results = self.run_workers(deliveries_send_due)
        self.assertEqual(sum(r["sent"] for r in results), ITEMS)
        self.assertEqual(len(mail.outbox), ITEMS)
        self.assertEqual(set(Delivery.objects.values_list("status", "attempts")), {("sent", 1)})
