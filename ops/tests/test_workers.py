"""A worker killed mid-job: the job runs again, once.

The reaper on its own (in this process, clock moved with time_machine), then real worker
processes: ``manage.py db_worker`` on a SQLite file and ``manage.py rqworker`` on Redis (database
12, flushed), each SIGKILLed while it runs a task that waits for a file; a new worker (or the same
one, when only rq's work horse dies) runs it to the end. The task writes a line when it starts and
when it ends, so the runs are counted by the task itself."""

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lontar.testing import freeze_clock
from ops.models import WorkerHeartbeat
from ops.tests.worker_tasks import blocking_probe
from ops.workers import tasks_requeue_abandoned

ROOT = Path(__file__).resolve().parents[2]
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@override_settings(
    TASKS=DB_QUEUE,
    LONTAR_TASK_WORKER_LOST_SECONDS=60,
    LONTAR_TASK_RUNNING_TIMEOUT_SECONDS=3600,
    LONTAR_TASK_MAX_REQUEUES=1,
)
class ReaperTest(TestCase):
    def setUp(self):
        self.clock = freeze_clock(self, T0)

    def running(self, worker_id: str) -> DBTaskResult:
        result = DBTaskResult.objects.get(pk=blocking_probe.enqueue("/tidak-dipakai").id)
        result.claim(worker_id)
        return result

    def beat(self, worker_id: str, at: dt.datetime) -> None:
        WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"host": "h", "pid": 1, "seen_at": at})

    def status(self, result) -> str:
        result.refresh_from_db()
        return result.status

    def test_a_task_of_a_dead_worker_runs_again_once_then_fails(self):
        self.beat("a", T0)
        result = self.running("a")
        self.clock.move_to(T0 + dt.timedelta(seconds=59))
        self.assertEqual(tasks_requeue_abandoned(), {"requeued": [], "failed": []})  # still alive
        self.clock.move_to(T0 + dt.timedelta(seconds=61))
        self.assertEqual(tasks_requeue_abandoned(), {"requeued": [str(result.pk)], "failed": []})
        result.refresh_from_db()
        self.assertEqual((result.status, result.started_at, result.worker_ids), (TaskResultStatus.READY, None, ["a"]))
        self.assertFalse(WorkerHeartbeat.objects.filter(worker_id="a").exists())  # the dead worker is forgotten
        self.assertEqual(tasks_requeue_abandoned(), {"requeued": [], "failed": []})  # nothing twice

        # Worker b takes it and dies too: the task is not run a third time.
        self.beat("b", T0 + dt.timedelta(seconds=62))
        result.claim("b")
        self.clock.move_to(T0 + dt.timedelta(seconds=200))
        self.assertEqual(tasks_requeue_abandoned(), {"requeued": [], "failed": [str(result.pk)]})
        result.refresh_from_db()
        self.assertEqual(result.status, TaskResultStatus.FAILED)
        self.assertEqual(result.exception_class_path, "ops.workers.WorkerLost")
        self.assertIn("died 2 times (workers a, b)", result.traceback)
        self.assertEqual(result.finished_at, T0 + dt.timedelta(seconds=200))

    def test_a_live_worker_keeps_its_task_however_long_it_runs(self):
        result = self.running("a")
        for minutes in (1, 30, 120, 600):
            self.clock.move_to(T0 + dt.timedelta(minutes=minutes))
            self.beat("a", timezone.now() - dt.timedelta(seconds=5))
            self.assertEqual(tasks_requeue_abandoned()["requeued"], [])
        self.assertEqual(self.status(result), TaskResultStatus.RUNNING)

    def test_a_worker_without_heartbeat_counts_as_lost_only_after_the_timeout(self):
        result = self.running("stock-worker")  # django-tasks-db's own command writes no heartbeat
        self.clock.move_to(T0 + dt.timedelta(minutes=59))
        self.assertEqual(tasks_requeue_abandoned()["requeued"], [])
        self.clock.move_to(T0 + dt.timedelta(minutes=61))
        self.assertEqual(tasks_requeue_abandoned()["requeued"], [str(result.pk)])

    def test_two_reapers_at_once_requeue_a_run_once(self):
        """The change is a compare-and-set on the run's start: a reaper that read the row before
        another requeued it (and a worker claimed it again) changes nothing."""
        self.beat("a", T0)
        result = self.running("a")
        self.clock.move_to(T0 + dt.timedelta(minutes=5))
        stale = DBTaskResult.objects.get(pk=result.pk)
        self.assertEqual(len(tasks_requeue_abandoned()["requeued"]), 1)
        self.beat("b", timezone.now())
        DBTaskResult.objects.get(pk=result.pk).claim("b")
        changed = DBTaskResult.objects.filter(pk=stale.pk, status="RUNNING", started_at=stale.started_at).update(
            status="READY"
        )
        self.assertEqual(changed, 0)
        self.assertEqual(self.status(result), TaskResultStatus.RUNNING)


# --- real worker processes -------------------------------------------------------------------------


def wait_for(predicate, *, timeout: float = 30, what: str = "", proc_logs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    logs = "\n".join(f"--- {p}\n{Path(p).read_text()}" for p in proc_logs if Path(p).exists())
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


class Runs:
    """What the task wrote: one ``start <pid>`` per run, ``done <pid>`` when it finished."""

    def __init__(self, directory: Path):
        directory.mkdir()
        self.directory = directory
        self.log = directory / "runs.log"

    def lines(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []

    def starts(self) -> list[int]:
        return [int(line.split()[1]) for line in self.lines() if line.startswith("start")]

    def release(self) -> None:
        (self.directory / "release").touch()


class Processes:
    def __init__(self, tmp_path: Path, env: dict):
        self.tmp_path, self.env, self.started = tmp_path, env, []

    def manage(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr + done.stdout
        return done.stdout

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        proc.log_file = log
        self.started.append(proc)
        return proc

    def logs(self) -> list[Path]:
        return sorted(self.tmp_path.glob("*.log"))

    def stop_all(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            proc.log_file.close()


def kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.fixture
def db_queue(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lontar.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LONTAR_TASK_HEARTBEAT_SECONDS": "0.3",
        "LONTAR_TASK_WORKER_LOST_SECONDS": "1.5",
        "LOG_LEVEL": "INFO",
    }
    processes = Processes(tmp_path, env)
    yield processes
    processes.stop_all()


def task_row(tmp_path: Path, task_id: str) -> dict:
    with sqlite3.connect(tmp_path / "queue.sqlite3") as db:
        db.row_factory = sqlite3.Row
        row = db.execute(
            "SELECT status, worker_ids, return_value, exception_class_path FROM django_tasks_database_dbtaskresult WHERE id = ?",
            (task_id.replace("-", ""),),
        ).fetchone()
    return {**dict(row), "worker_ids": json.loads(row["worker_ids"])}


def enqueue(processes: Processes, run_dir: Path, *, migrate: bool = False) -> str:
    """Enqueue the probe from a process of the app (one process start: they are slow on a busy
    machine), first creating the queue's tables if asked: nothing else is used here."""
    code = "from ops.tests.worker_tasks import blocking_probe\n"
    if migrate:
        code += (
            "from django.core.management import call_command\n"
            "call_command('migrate', 'django_tasks_database', verbosity=0)\n"
            "call_command('migrate', 'ops', verbosity=0)\n"
        )
    code += f"print(blocking_probe.enqueue({str(run_dir)!r}).id)\n"
    return processes.manage("shell", "-c", code).strip().splitlines()[-1]


def db_worker(processes: Processes, worker_id: str) -> subprocess.Popen:
    return processes.start(
        worker_id, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1", "--worker-id", worker_id
    )


def test_db_worker_killed_mid_task_the_task_runs_again_once(db_queue, tmp_path):
    runs = Runs(tmp_path / "runs")
    task_id = enqueue(db_queue, runs.directory, migrate=True)
    logs = db_queue.logs

    first = db_worker(db_queue, "worker-a")
    wait_for(lambda: len(runs.starts()) == 1, what="the first run", proc_logs=logs())
    first.kill()  # SIGKILL: no handler, no clean-up
    first.wait()
    # What django-tasks-db alone leaves: a task RUNNING for ever on a worker that is gone.
    assert task_row(tmp_path, task_id)["status"] == "RUNNING"

    second = db_worker(db_queue, "worker-b")
    wait_for(lambda: len(runs.starts()) == 2, what="the second run", proc_logs=logs())
    runs.release()
    row = wait_for(
        lambda: (r := task_row(tmp_path, task_id))["status"] == "SUCCESSFUL" and r, what="success", proc_logs=logs()
    )
    time.sleep(3)  # ten heartbeats and reaps more: nothing runs it a third time
    assert runs.lines() == [f"start {first.pid}", f"start {second.pid}", f"done {second.pid}"]
    assert row["worker_ids"] == ["worker-a", "worker-b"]
    assert json.loads(row["return_value"]) == "selesai"
    assert task_row(tmp_path, task_id)["status"] == "SUCCESSFUL"

    second.terminate()  # a graceful stop removes the worker's heartbeat
    assert second.wait(timeout=15) == 0
    with sqlite3.connect(tmp_path / "queue.sqlite3") as db:
        assert db.execute("SELECT worker_id FROM ops_workerheartbeat").fetchall() == []


def test_db_worker_killed_twice_the_task_fails_and_is_not_run_a_third_time(db_queue, tmp_path):
    runs = Runs(tmp_path / "runs")
    task_id = enqueue(db_queue, runs.directory, migrate=True)
    logs = db_queue.logs
    for number, worker_id in enumerate(("worker-a", "worker-b"), start=1):
        worker = db_worker(db_queue, worker_id)
        wait_for(lambda n=number: len(runs.starts()) == n, what=f"run {number}", proc_logs=logs())
        worker.kill()
        worker.wait()
    db_worker(db_queue, "worker-c")
    row = wait_for(
        lambda: (r := task_row(tmp_path, task_id))["status"] == "FAILED" and r, what="failure", proc_logs=logs()
    )
    assert row["exception_class_path"] == "ops.workers.WorkerLost"
    runs.release()
    time.sleep(2)
    assert len(runs.starts()) == 2 and not any(line.startswith("done") for line in runs.lines())


# --- RQ ---------------------------------------------------------------------------------------------

RQ_REDIS = "redis://127.0.0.1:6379/12"


def redis_or_skip():
    import redis

    connection = redis.Redis.from_url(RQ_REDIS, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return connection


@pytest.fixture
def rq_queue(tmp_path):
    connection = redis_or_skip()
    connection.flushdb()
    env = {
        **os.environ,
        # Production's settings (RQ, the worker class), with what they require.
        "DJANGO_SETTINGS_MODULE": "lontar.settings.production",
        "DJANGO_SECRET_KEY": "rq-worker-test-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "REDIS_URL": RQ_REDIS,
        "LONTAR_RQ_MAINTENANCE_SECONDS": "1",
        "LONTAR_RQ_MONITORING_SECONDS": "1",
        "LONTAR_RQ_HEARTBEAT_GRACE_SECONDS": "2",
    }
    env.pop("TASKS_BACKEND", None)
    processes = Processes(tmp_path, env)
    yield processes, connection
    processes.stop_all()
    connection.flushdb()


def rq_job(connection, job_id: str):
    from rq.job import Job

    return Job.fetch(job_id, connection=connection)


def rq_worker(processes: Processes, name: str) -> subprocess.Popen:
    return processes.start(name, "rqworker", "default", "--job-class", "django_tasks_rq.Job", "--name", name)


def test_rq_worker_killed_mid_job_the_job_runs_again_once(rq_queue, tmp_path):
    processes, connection = rq_queue
    runs = Runs(tmp_path / "runs")
    job_id = enqueue(processes, runs.directory)
    logs = processes.logs

    first = rq_worker(processes, "worker-a")
    [horse] = wait_for(lambda: runs.starts(), what="the first run", proc_logs=logs())
    # The machine loses the worker: the parent and its work horse die at once.
    kill(first.pid)
    kill(horse)
    first.wait()
    assert rq_job(connection, job_id).get_status() == "started"  # rq alone: failed later, never rerun

    rq_worker(processes, "worker-b")
    wait_for(lambda: len(runs.starts()) == 2, what="the second run", proc_logs=logs())
    runs.release()
    wait_for(lambda: rq_job(connection, job_id).get_status() == "finished", what="finished", proc_logs=logs())
    time.sleep(3)  # three maintenances more: nothing runs it a third time
    second_horse = runs.starts()[1]
    assert runs.lines() == [f"start {horse}", f"start {second_horse}", f"done {second_horse}"]
    job = rq_job(connection, job_id)
    assert job.get_status() == "finished"
    assert job.meta["lontar_requeues"] == 1
    assert job.return_value() == "selesai"


def test_rq_work_horse_killed_twice_the_job_fails_and_is_not_run_a_third_time(rq_queue, tmp_path):
    """The out-of-memory killer takes the work horse; its parent survives, reports it and (once)
    queues the job again."""
    processes, connection = rq_queue
    runs = Runs(tmp_path / "runs")
    job_id = enqueue(processes, runs.directory)
    logs = processes.logs
    worker = rq_worker(processes, "worker-a")
    for number in (1, 2):
        horse = wait_for(
            lambda n=number: len(runs.starts()) == n and runs.starts()[-1], what=f"run {number}", proc_logs=logs()
        )
        kill(horse)
    wait_for(lambda: rq_job(connection, job_id).get_status() == "failed", what="failed", proc_logs=logs())
    runs.release()
    time.sleep(2)
    assert len(runs.starts()) == 2 and not any(line.startswith("done") for line in runs.lines())
    assert worker.poll() is None  # the worker itself lives on
