"""Liveness and readiness probes for load balancers and process supervisors.

Liveness (/healthz) only says the process answers: it touches nothing shared, so a database outage
does not make the supervisor restart healthy app servers in a loop. Readiness (/readyz) checks
everything a request may need — the database, every configured cache alias (the page cache and
Wagtail's renditions cache alike) and the task queue — so a load balancer takes an app server out
of rotation while one of them is unreachable and back in as soon as it answers again (every probe
opens what it needs afresh; nothing is remembered between probes).
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db import connections
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    ms: float
    message: str

    def as_dict(self) -> dict:
        return {"status": "ok" if self.ok else "gagal", "ms": round(self.ms, 2), "pesan": self.message}


def check_database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "Basis data menjawab."


def check_cache(alias: str) -> str:
    cache = caches[alias]
    if isinstance(cache, DummyCache):
        # Stores nothing by design (caching turned off): there is nothing to reach.
        return f"Cache '{alias}' sengaja tidak menyimpan apa pun."
    # A unique key: several app servers probe the same shared cache at the same time, and aliases
    # may share one Redis.
    key = f"lontar:readyz:{alias}:{get_random_string(12)}"
    cache.set(key, "1", timeout=10)
    try:
        if cache.get(key) != "1":
            raise RuntimeError(f"cache {alias} returned a different value")
    finally:
        cache.delete(key)
    return f"Cache '{alias}' menyimpan dan membaca."


def check_queue() -> str:
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    path = f"{type(backend).__module__}.{type(backend).__name__}"
    if path.startswith("django_tasks_db."):
        from django_tasks_db.models import DBTaskResult

        # The queue is a table: one indexed row read proves it exists and answers.
        list(DBTaskResult.objects.order_by().values_list("pk", flat=True)[:1])
        return "Antrean tugas (basis data) menjawab."
    if path.startswith("django_tasks_rq."):
        import django_rq

        for queue_name in sorted(backend.queues):
            django_rq.get_connection(queue_name).ping()
        return "Antrean tugas (Redis) menjawab."
    # Immediate/dummy backends run inside the request: there is nothing separate to reach.
    return "Tugas dijalankan langsung; tidak ada antrean terpisah."


def checks() -> list[tuple[str, Callable[[], str], str]]:
    """(name, check, message on failure), read from the settings at each probe."""
    return [
        ("database", check_database, "Basis data tidak dapat dihubungi."),
        # Every alias, not just the default: with the renditions cache (possibly another Redis)
        # down, every image on a page waits out its socket timeout.
        *(
            (f"cache:{alias}", partial(check_cache, alias), f"Cache '{alias}' tidak dapat dihubungi.")
            for alias in settings.CACHES
        ),
        ("queue", check_queue, "Antrean tugas tidak dapat dihubungi."),
    ]


def run_checks() -> list[CheckResult]:
    results = []
    for name, check, failure_message in checks():
        started = time.perf_counter()
        try:
            message = check()
            ok = True
        except Exception:
            # The details go to the log for the operator; the probe's body stays a plain sentence.
            logger.warning("readiness check %s failed", name, exc_info=True)
            message, ok = failure_message, False
        results.append(CheckResult(name, ok, (time.perf_counter() - started) * 1000, message))
    return results
