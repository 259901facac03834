"""A task whose worker died mid-run runs again, once.

**Database queue** (django-tasks-db, ``manage.py db_worker``). The stock worker marks a task
RUNNING when it claims it and SUCCESSFUL/FAILED when it ends; a worker killed in between (SIGKILL,
the out-of-memory killer, a machine lost) leaves the row RUNNING for ever and nobody runs it
again. Lontar's ``db_worker`` (``ops/management/commands/db_worker.py``, the same command with
the same options) adds a heartbeat: the worker registers a ``WorkerHeartbeat`` row and a thread
touches it every ``LONTAR_TASK_HEARTBEAT_SECONDS``. The same thread, and every worker at start-up,
and each round of ``run_reminders``, looks for abandoned tasks (``tasks_requeue_abandoned``):
RUNNING rows whose last worker has not been heard of for ``LONTAR_TASK_WORKER_LOST_SECONDS`` (or,
for a worker that writes no heartbeat, that have run longer than
``LONTAR_TASK_RUNNING_TIMEOUT_SECONDS``). Each is put back in the queue (READY) if it has started
at most ``LONTAR_TASK_MAX_REQUEUES`` + 1 times — ``worker_ids`` grows by one per claim, so it is
the attempt counter — and otherwise marked FAILED (``ops.workers.WorkerLost``): a task that
kills its worker every time must not kill every worker in turn. The change is a compare-and-set
on ``started_at``, so two reapers never requeue one run twice.

**Redis queue** (django-tasks-rq, ``manage.py rqworker``). rq keeps a started job in its
StartedJobRegistry with an expiry that the worker's heartbeat pushes forward; when the work horse
dies, its parent fails the job; when the whole worker dies, the next maintenance of any worker
(``clean_registries``) finds the expired entry and fails it with ``AbandonedJobError``. Either
way rq retries only a job enqueued with ``Retry`` — django-tasks-rq enqueues none — so the job
ends in the FailedJobRegistry and never runs again. ``RecoveringRQWorker`` (production's
``RQ["WORKER_CLASS"]``) gives such a job one retry at that moment, and only then: an exception
raised by the task itself is still a failure, as on the database queue.

A rerun must not repeat an effect. Lontar's tasks are built for that: deliveries are claimed
before sending (``notifications.services._claim``), alerts are unique per step run (``StepAlert``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from rq import Worker
from rq.exceptions import AbandonedJobError

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """The worker running a task died, more often than a task may be run again."""


def _seconds(name: str) -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, name)))


def tasks_requeue_abandoned(*, now: dt.datetime | None = None) -> dict[str, list[str]]:
    """Put back in the queue (once) or fail the tasks left RUNNING by a dead worker. Returns
    the ids handled: ``{"requeued": [...], "failed": [...]}``."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from ops.models import WorkerHeartbeat

    now = now or timezone.now()
    lost_before = now - _seconds("LONTAR_TASK_WORKER_LOST_SECONDS")
    timed_out_before = now - _seconds("LONTAR_TASK_RUNNING_TIMEOUT_SECONDS")
    max_runs = 1 + int(settings.LONTAR_TASK_MAX_REQUEUES)
    seen = dict(WorkerHeartbeat.objects.values_list("worker_id", "seen_at"))
    handled: dict[str, list[str]] = {"requeued": [], "failed": []}
    still_running: set[str] = set()

    running = DBTaskResult.objects.running().only("id", "worker_ids", "started_at", "task_path").order_by()
    for result in running:
        worker = result.worker_ids[-1] if result.worker_ids else None
        last_seen = seen.get(worker)
        if last_seen is not None:
            abandoned = last_seen < lost_before
        else:
            # No heartbeat at all: a worker that writes none (django-tasks-db's own command) may
            # still be running it, so only a run far longer than any task takes counts as lost.
            abandoned = result.started_at is not None and result.started_at < timed_out_before
        if not abandoned:
            still_running.add(worker)
            continue
        same_run = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        if len(result.worker_ids) < max_runs:
            changed = same_run.update(status=TaskResultStatus.READY, started_at=None)
            outcome, level = "requeued", logging.WARNING
        else:
            message = (
                f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: the worker running this task died "
                f"{len(result.worker_ids)} times (workers {', '.join(result.worker_ids)}); not run again."
            )
            changed = same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=message,
            )
            outcome, level = "failed", logging.ERROR
        if changed:
            handled[outcome].append(str(result.pk))
            logger.log(level, "task %s (%s) abandoned by worker %s: %s", result.pk, result.task_path, worker, outcome)
    # Rows of workers that are gone and hold no running task any more.
    WorkerHeartbeat.objects.filter(seen_at__lt=lost_before).exclude(worker_id__in=still_running).delete()
    return handled


class Heartbeat:
    """The heartbeat of one ``db_worker``: registers it, then touches its row and looks for
    abandoned tasks every ``LONTAR_TASK_HEARTBEAT_SECONDS`` from a thread of its own (the worker's
    own thread is busy running tasks, however long they take)."""

    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.interval = float(settings.LONTAR_TASK_HEARTBEAT_SECONDS)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{worker_id[:8]}", daemon=True)

    def start(self) -> None:
        from ops.models import WorkerHeartbeat

        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": now, "seen_at": now},
        )
        # At start-up: a worker restarted after a crash picks up what the crash left at once.
        self._reap()
        self._thread.start()

    def stop(self) -> None:
        from ops.models import WorkerHeartbeat

        self._stopped.set()
        self._thread.join(timeout=self.interval + 5)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:  # the database may be what stopped us; the row then goes stale
            logger.warning("could not remove the heartbeat of worker %s", self.worker_id, exc_info=True)

    def _run(self) -> None:
        try:
            while not self._stopped.wait(self.interval):
                self.beat()
        finally:
            connection.close()  # this thread's own connection

    def beat(self) -> None:
        from ops.models import WorkerHeartbeat

        close_old_connections()
        try:
            now = timezone.now()
            if not WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(seen_at=now):
                # Removed while we could not write (the database was away for a while): come back.
                WorkerHeartbeat.objects.create(
                    worker_id=self.worker_id,
                    host=socket.gethostname()[:255],
                    pid=os.getpid(),
                    started_at=now,
                    seen_at=now,
                )
        except Exception:
            # The database is away: the worker's own loop meets that too. Keep beating.
            logger.warning("worker %s: heartbeat not written", self.worker_id, exc_info=True)
            return
        self._reap()

    @staticmethod
    def _reap() -> None:
        try:
            with transaction.atomic():
                tasks_requeue_abandoned()
        except Exception:
            logger.warning("looking for abandoned tasks failed", exc_info=True)


def uses_database_queue() -> bool:
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    return type(backend).__module__.startswith("django_tasks_db.")


# --- rq ------------------------------------------------------------------------------------------

REQUEUES_META_KEY = "lontar_requeues"


def rq_requeue_once(job) -> bool:
    """Give a job whose worker died one more run, unless it already had its reruns. Sets the
    retry that rq then uses for this failure only."""
    done = int(job.meta.get(REQUEUES_META_KEY, 0))
    if done >= int(settings.LONTAR_TASK_MAX_REQUEUES):
        logger.error("job %s: its worker died again; not run again", job.id)
        return False
    job.meta[REQUEUES_META_KEY] = done + 1
    job.save_meta()
    job.retries_left = 1
    job.retry_intervals = None  # at once, not scheduled
    logger.warning(
        "job %s: its worker died; queued again (%s of %s)", job.id, done + 1, settings.LONTAR_TASK_MAX_REQUEUES
    )
    return True


def rq_requeue_abandoned(job, exc_type, exc_value, traceback):
    """An rq exception handler: a job found abandoned (``AbandonedJobError``: its whole worker
    died) is queued again once; any other failure is left to rq (returns None: next handler)."""
    if exc_type is not None and issubclass(exc_type, AbandonedJobError):
        rq_requeue_once(job)
    return None


class RecoveringRQWorker(Worker):
    """rq's forking worker that runs a job once more when its work horse is killed (the parent
    survives) or when the whole worker died (found by a later maintenance); it also does that
    maintenance every ``LONTAR_RQ_MAINTENANCE_SECONDS`` instead of rq's 10 minutes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("work_horse_killed_handler", lambda job, *rest: rq_requeue_once(job))
        kwargs.setdefault("maintenance_interval", int(settings.LONTAR_RQ_MAINTENANCE_SECONDS))
        kwargs.setdefault("job_monitoring_interval", int(settings.LONTAR_RQ_MONITORING_SECONDS))
        super().__init__(*args, **kwargs)
        if rq_requeue_abandoned not in self._exc_handlers:
            self.push_exc_handler(rq_requeue_abandoned)

    @property
    def dequeue_timeout(self) -> int:
        # An idle rq worker blocks on the queue for worker_ttl - 15 s (405 s by default) between
        # maintenance checks: wake at least as often as maintenance is due.
        return max(1, min(super().dequeue_timeout, int(self.maintenance_interval)))

    def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
        # rq adds a fixed 60 s to each heartbeat of a started job; how long after its worker's
        # death a job counts as abandoned follows LONTAR_RQ_HEARTBEAT_GRACE_SECONDS instead.
        return super().get_heartbeat_ttl(job, working_time) - 60 + int(settings.LONTAR_RQ_HEARTBEAT_GRACE_SECONDS)
