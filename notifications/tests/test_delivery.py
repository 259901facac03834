"""Outside channels for real: a reminder goes through an SMTP server (aiosmtpd) exactly once; with
the server down it waits with backoff and arrives once it is back; the webhook is signed with
HMAC-SHA256 and a receiver on this machine can verify it."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller
from django.test import SimpleTestCase, TestCase, override_settings

from desk.tests import sop_driver as D
from lontar.testing import build_world, free_port, freeze_clock
from notifications import webhook
from notifications.models import Delivery, Notification, NotificationPreference
from notifications.reminders import step_alerts_scan
from notifications.services import backoff_seconds, deliveries_send_due
from notifications.tests.smtp import Inbox

WITA = ZoneInfo("Asia/Makassar")
START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WITA)  # a Monday
SECRET = "rahasia-webhook-uji"


class BackoffTest(SimpleTestCase):
    def test_doubles_from_the_base_up_to_the_cap(self):
        self.assertEqual(
            [backoff_seconds(n, base=60, cap=3600) for n in range(1, 9)], [60, 120, 240, 480, 960, 1920, 3600, 3600]
        )
        self.assertEqual(backoff_seconds(10_000, base=60, cap=3600), 3600)
        with self.assertRaises(ValueError):
            backoff_seconds(0)


class SignatureTest(SimpleTestCase):
    def test_a_signature_verifies_only_for_the_same_secret_body_and_a_fresh_time(self):
        body = b'{"title": "Pengingat"}'
        sig = webhook.signature(SECRET, 1_790_000_000, body)
        self.assertRegex(sig, r"^sha256=[0-9a-f]{64}$")
        ok = {"body": body, "timestamp": "1790000000", "signature_header": sig}
        self.assertTrue(webhook.verify(SECRET, now=1_790_000_010, **ok))
        self.assertFalse(webhook.verify("another secret", now=1_790_000_010, **ok))
        self.assertFalse(webhook.verify(SECRET, now=1_790_000_010, **{**ok, "body": body + b" "}))
        self.assertFalse(webhook.verify(SECRET, now=1_790_000_010, **{**ok, "timestamp": "1790000001"}))
        self.assertFalse(webhook.verify(SECRET, now=1_790_000_000 + 301, **ok))  # replayed later
        self.assertFalse(webhook.verify(SECRET, now=1_790_000_010, **{**ok, "signature_header": None}))
        self.assertFalse(webhook.verify(SECRET, now=1_790_000_010, **{**ok, "timestamp": "kemarin"}))


class DeliveryTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def setUp(self):
        self.clock = freeze_clock(self, START)

    def scan(self):
        with self.captureOnCommitCallbacks(execute=True):
            return step_alerts_scan()

    def send_due(self):
        return deliveries_send_due()


class SmtpTest(DeliveryTestCase):
    def start_smtp(self, port):
        controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
        controller.start()
        return controller

    def test_reminders_arrive_once_and_wait_out_a_mail_server_outage(self):
        port = free_port()
        server = self.start_smtp(port)
        inbox = server.handler
        settings = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": port,
            "EMAIL_USE_TLS": False,
            "EMAIL_TIMEOUT": 5,
            "LONTAR_DELIVERY_RETRY_SECONDS": 60,
            "LONTAR_DELIVERY_RETRY_CAP_SECONDS": 3600,
        }
        with override_settings(**settings):
            kasi = self.people["kasi"]
            D.agenda_draft(kasi, topic="Rapat koordinasi")  # step 1, 10 minutes, from 08:00

            # 08:08: the reminder goes out over SMTP, once, however often the jobs run.
            self.clock.move_to(START + dt.timedelta(minutes=8))
            self.assertEqual(len(self.scan()), 1)
            self.scan()
            self.assertEqual(self.send_due(), {"sent": 0, "failed": 0, "skipped": 0})
            reminder = "[Lontar] Pengingat: langkah 1 segera jatuh tempo — Rapat koordinasi"
            self.assertEqual(inbox.subjects("[Lontar] Pengingat"), [reminder])
            self.assertEqual(inbox.messages[0]["to"], [kasi.email])

            # The mail server goes down. 08:11: the step is overdue; both mails fail and wait.
            server.stop()
            self.clock.move_to(START + dt.timedelta(minutes=11))
            self.assertEqual(len(self.scan()), 1)
            waiting = list(Delivery.objects.filter(notification__alert__level="escalation").order_by("pk"))
            self.assertEqual(len(waiting), 2)  # the Kasi (overdue) and the Kabid (escalation)
            for delivery in waiting:
                self.assertEqual((delivery.status, delivery.attempts), ("pending", 1))
                self.assertEqual(delivery.next_attempt_at, START + dt.timedelta(minutes=11, seconds=60))
                self.assertIn("Connection refused", delivery.last_error)
            # Not due yet: nothing is tried.
            self.clock.move_to(START + dt.timedelta(minutes=11, seconds=59))
            self.assertEqual(self.send_due(), {"sent": 0, "failed": 0, "skipped": 0})
            # Due, server still down: the second wait is twice as long.
            self.clock.move_to(START + dt.timedelta(minutes=12))
            self.assertEqual(self.send_due()["failed"], 2)
            for delivery in Delivery.objects.filter(pk__in=[d.pk for d in waiting]):
                self.assertEqual((delivery.status, delivery.attempts), ("pending", 2))
                self.assertEqual(delivery.next_attempt_at, START + dt.timedelta(minutes=14))

            # The server is back; after the backoff both mails arrive, once.
            server = self.start_smtp(port)
            self.addCleanup(server.stop)
            inbox = server.handler
            self.clock.move_to(START + dt.timedelta(minutes=13))
            self.assertEqual(self.send_due()["sent"], 0)
            self.clock.move_to(START + dt.timedelta(minutes=14))
            self.assertEqual(self.send_due()["sent"], 2)
            self.assertEqual(self.send_due()["sent"], 0)
            self.scan()
            self.assertEqual(
                sorted((m["to"][0], m["subject"]) for m in inbox.messages),
                sorted(
                    [
                        (kasi.email, "[Lontar] Melewati batas waktu: langkah 1 — Rapat koordinasi"),
                        (self.people["kabid"].email, "[Lontar] Eskalasi: langkah 1 terlambat — Rapat koordinasi"),
                    ]
                ),
            )
            self.assertEqual(set(Delivery.objects.values_list("status", flat=True)), {"sent"})
            self.assertEqual(Delivery.objects.filter(sent_at__isnull=True).count(), 0)

    @override_settings(
        LONTAR_DELIVERY_MAX_ATTEMPTS=2,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_TIMEOUT=5,
    )
    def test_after_the_last_attempt_the_delivery_is_kept_as_failed(self):
        with override_settings(EMAIL_PORT=free_port()):  # nobody listens there
            D.agenda_draft(self.people["kasi"], topic="Rapat koordinasi")
            self.clock.move_to(START + dt.timedelta(minutes=8))
            self.scan()
            self.clock.move_to(START + dt.timedelta(minutes=10))
            self.send_due()
            [delivery] = Delivery.objects.all()
            self.assertEqual((delivery.status, delivery.attempts), ("failed", 2))
            self.assertTrue(delivery.last_error)
            self.clock.move_to(START + dt.timedelta(days=1))
            self.assertEqual(self.send_due(), {"sent": 0, "failed": 0, "skipped": 0})
            self.assertTrue(Notification.objects.filter(pk=delivery.notification_id).exists())  # still in the app


class Receiver(BaseHTTPRequestHandler):
    """A system of the office receiving Lontar's webhook and checking its signature."""

    received: list
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        valid = webhook.verify(
            SECRET,
            body=body,
            timestamp=self.headers.get(webhook.TIMESTAMP_HEADER),
            signature_header=self.headers.get(webhook.SIGNATURE_HEADER),
        )
        self.server.received.append({"valid": valid, "headers": dict(self.headers), "body": json.loads(body)})
        self.send_response(self.server.status if valid else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


class WebhookTest(DeliveryTestCase):
    def setUp(self):
        super().setUp()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        self.server.received = []
        self.server.status = 200
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        url = f"http://127.0.0.1:{self.server.server_address[1]}/lontar"
        configured = override_settings(LONTAR_WEBHOOK_URL=url, LONTAR_WEBHOOK_SECRET=SECRET)
        configured.enable()
        self.addCleanup(configured.disable)

    def test_the_receiver_gets_one_signed_notice_for_a_person_who_chose_the_webhook(self):
        kasi = self.people["kasi"]
        NotificationPreference.objects.create(user=kasi, email=False, webhook=True)
        D.agenda_draft(kasi, topic="Rapat koordinasi")
        self.clock.move_to(START + dt.timedelta(minutes=8))
        self.scan()
        self.scan()
        self.send_due()
        [request] = self.server.received
        self.assertTrue(request["valid"])
        [delivery] = Delivery.objects.all()
        self.assertEqual((delivery.channel, delivery.status, delivery.attempts), ("webhook", "sent", 1))
        self.assertEqual(request["headers"][webhook.DELIVERY_HEADER], str(delivery.pk))
        self.assertEqual(request["headers"][webhook.TIMESTAMP_HEADER], str(int(START.timestamp() + 8 * 60)))
        body = request["body"]
        self.assertEqual(body["kind"], "reminder")
        self.assertEqual(body["title"], "Pengingat: langkah 1 segera jatuh tempo — Rapat koordinasi")
        self.assertEqual(body["recipient"]["username"], "kasi")
        self.assertTrue(body["url"].startswith("http://127.0.0.1:8000/admin/meja/agenda/"))

    def test_a_refused_request_is_retried_and_a_wrong_secret_is_refused(self):
        kasi = self.people["kasi"]
        NotificationPreference.objects.create(user=kasi, email=False, webhook=True)
        D.agenda_draft(kasi, topic="Rapat koordinasi")
        self.clock.move_to(START + dt.timedelta(minutes=8))
        with override_settings(LONTAR_WEBHOOK_SECRET="bukan-rahasia-yang-benar"):
            self.scan()
        [delivery] = Delivery.objects.all()
        self.assertEqual((delivery.status, delivery.attempts), ("pending", 1))
        self.assertIn("401", delivery.last_error)
        self.assertFalse(self.server.received[0]["valid"])
        self.server.status = 503
        self.clock.move_to(START + dt.timedelta(minutes=9))
        self.assertEqual(self.send_due()["failed"], 1)
        delivery.refresh_from_db()
        self.assertIn("503", delivery.last_error)
        self.server.status = 200
        self.clock.move_to(START + dt.timedelta(minutes=11))
        self.assertEqual(self.send_due()["sent"], 1)
        self.assertEqual([r["valid"] for r in self.server.received], [False, True, True])
        # A person who did not choose the webhook is not sent to it.
        self.assertFalse(
            Delivery.objects.filter(channel="webhook", notification__recipient=self.people["kabid"]).exists()
        )
