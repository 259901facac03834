"""Mail server down when the desk acts: the notice waits and is retried; nothing is lost and
nothing arrives twice.

A real SMTP server (aiosmtpd) that is not running when the Kasi's disposisi tells the Staf that
step 3 waits for them: the first attempt, made right after the commit, fails and the delivery
waits with its next attempt time. The server starts; the clock moves on (time_machine) and the
command that the reminder clock runs every minute (``manage.py run_reminders``) sends it, once —
however often that command, the retry task or the first-attempt task runs again afterwards (a
worker killed mid-job runs its task again: ops.workers)."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import TestCase, override_settings

from desk.tests import sop_driver as D
from lontar.testing import build_world, free_port, freeze_clock
from notifications.models import Delivery, Notification
from notifications.services import delivery_message_id
from notifications.tasks import deliver_notification, send_due_deliveries
from notifications.tests.smtp import Inbox

WITA = ZoneInfo("Asia/Makassar")
START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WITA)  # a Monday


class MailServerOutageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def setUp(self):
        self.clock = freeze_clock(self, START)
        self.port = free_port()
        smtp = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=self.port,
            EMAIL_USE_TLS=False,
            EMAIL_TIMEOUT=5,
            LONTAR_DELIVERY_RETRY_SECONDS=60,
            LONTAR_DELIVERY_RETRY_CAP_SECONDS=3600,
        )
        smtp.enable()
        self.addCleanup(smtp.disable)

    def run_reminders(self) -> str:
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("run_reminders", stdout=out)
        return out.getvalue()

    def test_a_notice_sent_while_the_mail_server_is_down_arrives_once_when_it_is_back(self):
        staf = self.people["staf"]
        # Nobody listens on the port: the desk's action goes through, its notice waits.
        with self.captureOnCommitCallbacks(execute=True):
            liputan = D.start_item(self.people, topic="Pameran UMKM di Gedung Mario")
        notification = Notification.objects.get(recipient=staf, kind=Notification.Kind.STEP)
        [delivery] = notification.deliveries.all()
        self.assertEqual((delivery.channel, delivery.status, delivery.attempts), ("email", "pending", 1))
        self.assertEqual(delivery.next_attempt_at, START + dt.timedelta(seconds=60))
        self.assertIn("Connection refused", delivery.last_error)
        self.assertEqual((liputan.step, liputan.holder), (3, staf))  # the action itself stood

        server = Controller(Inbox(), hostname="127.0.0.1", port=self.port)
        server.start()
        self.addCleanup(server.stop)
        mailbox = server.handler

        # Back, but not yet due: a rerun of the first-attempt task and a round send nothing.
        self.clock.move_to(START + dt.timedelta(seconds=30))
        deliver_notification.enqueue(notification.pk)
        self.run_reminders()
        self.assertEqual(mailbox.messages, [])

        # Due: the round sends it.
        self.clock.move_to(START + dt.timedelta(seconds=60))
        self.assertIn("pengiriman terkirim 1", self.run_reminders())
        expected = {
            "to": [staf.email],
            "subject": f"[Lontar] Langkah 3 menunggu Anda: {liputan.title}",
            "message_id": delivery_message_id(delivery),
        }
        self.assertEqual(mailbox.messages, [expected])
        delivery.refresh_from_db()
        self.assertEqual((delivery.status, delivery.attempts, delivery.last_error), ("sent", 2, ""))
        self.assertEqual(delivery.sent_at, START + dt.timedelta(seconds=60))

        # Everything that could run again — the round, the retry task, the first-attempt task —
        # sends nothing more, now or later.
        for minutes in (1, 5, 120):
            self.clock.move_to(START + dt.timedelta(minutes=minutes))
            self.run_reminders()
            send_due_deliveries.enqueue()
            deliver_notification.enqueue(notification.pk)
        self.assertEqual(mailbox.messages, [expected])
        self.assertEqual(Delivery.objects.filter(notification=notification).count(), 1)

    def test_a_sender_that_died_mid_send_leaves_the_delivery_to_be_retried(self):
        """The claim moves the next attempt before sending: a worker killed right after claiming
        (before anything was sent or recorded) leaves a delivery that the next round sends."""
        from notifications.services import _claim

        server = Controller(Inbox(), hostname="127.0.0.1", port=self.port)
        server.start()
        self.addCleanup(server.stop)
        # Written without sending: the after-commit task is not run here (as if the worker died).
        liputan = D.start_item(self.people, topic="Rapat koordinasi")
        delivery = Delivery.objects.get(notification__recipient=self.people["staf"])
        self.assertIsNotNone(_claim(delivery.pk, START))  # the dying worker's claim
        self.clock.move_to(START + dt.timedelta(seconds=59))
        self.run_reminders()
        self.assertEqual(server.handler.messages, [])  # claimed: nobody else sends it meanwhile
        self.clock.move_to(START + dt.timedelta(seconds=60))
        self.run_reminders()
        self.run_reminders()
        self.assertEqual(
            [m["subject"] for m in server.handler.messages], [f"[Lontar] Langkah 3 menunggu Anda: {liputan.title}"]
        )
