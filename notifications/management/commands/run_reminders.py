"""The clock for reminders: django-tasks has no periodic scheduler, so this command is one.

    manage.py run_reminders                       one round: scan open steps, send due deliveries
    manage.py run_reminders --loop --interval 60  a round every minute until stopped (make run)
    manage.py run_reminders --loop --enqueue      hand each round to the task workers instead

A round is idempotent, so running two of these (or a round and a worker at once) alerts no step
twice; it only costs a scan. Each round first hands waiting steps to the Plt/Plh whose appointment
has begun (and back when it ends: ``desk.services.acting_sync``, idempotent too), so a reminder
goes to whoever holds the step today; ``manage.py acting_sync`` alone does the same daily. On the
database queue it also puts back the tasks of task workers that died (``ops.workers``).
"""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from desk.services import acting_sync
from notifications.reminders import step_alerts_scan
from notifications.services import deliveries_send_due
from notifications.tasks import scan_step_alerts, send_due_deliveries
from ops.workers import tasks_requeue_abandoned, uses_database_queue

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Kirim pengingat dan eskalasi langkah SOP, lalu kirim ulang pemberitahuan yang tertunda."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Ulangi terus setiap --interval detik.")
        parser.add_argument("--interval", type=int, default=60, help="Jeda antarputaran dalam detik (bawaan 60).")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Masukkan pekerjaan ke antrean tugas alih-alih menjalankannya di sini.",
        )
        parser.add_argument("--rounds", type=int, default=0, help=("Berhenti setelah sekian putaran (0: tanpa batas)."))

    def handle(self, *args, loop, interval, enqueue, rounds, **options):
        if interval < 1:
            raise CommandError("--interval harus paling sedikit 1 detik.")
        done = 0
        while True:
            started = time.monotonic()
            if loop:
                # A long-lived process must not keep a connection the database has dropped.
                close_old_connections()
            try:
                self.round(enqueue=enqueue)
            except Exception:
                # One bad round (the database restarting, say) must not stop the clock.
                if not loop:
                    raise
                logger.exception("reminder round failed")
            done += 1
            if not loop or (rounds and done >= rounds):
                return
            time.sleep(max(0.0, interval - (time.monotonic() - started)))

    def round(self, *, enqueue: bool) -> None:
        if uses_database_queue():
            # Tasks left RUNNING by a worker that died go back in the queue, once (ops.workers);
            # the workers do this too, but this clock runs even when every worker is gone.
            tasks_requeue_abandoned()
        if enqueue:
            scan_step_alerts.enqueue()
            send_due_deliveries.enqueue()
            return
        acting_sync()
        alerts = step_alerts_scan()
        counts = deliveries_send_due()
        if alerts or any(counts.values()):
            self.stdout.write(
                f"pengingat/eskalasi baru: {len(alerts)}; pengiriman terkirim {counts['sent']}, "
                f"gagal {counts['failed']}, dilewati {counts['skipped']}"
            )
