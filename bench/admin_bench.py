"""Benchmark: the desk at scale — the inbox ("Tugas saya") and an item's timeline (issue 6).

Not part of the test suite. Needs the database written by ``bench/generate.py`` (100,000 Liputan,
~1.1M StepEvents). Requests go through Django's test client in-process — the whole middleware
stack, the view, the queries and the template — with DEBUG off, as production runs. Each page is
requested ``--warmup`` times, then ``--runs`` times timed with ``time.perf_counter``.

    .venv/bin/python bench/admin_bench.py                 # N=200 each, p50/p95/p99 in ms
    .venv/bin/python bench/admin_bench.py --queries       # also each page's queries, slowest EXPLAINed
    .venv/bin/python bench/admin_bench.py --profile 20    # also where each page's time goes (cProfile)
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import datagen  # noqa: E402
from bench.generate import DEFAULT_URL  # noqa: E402


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def time_get(client, url: str, *, runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return sorted(timings)


def show_queries(client, url: str, explain: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    total = sum(float(q["time"]) for q in captured.captured_queries) * 1000
    print(f"    {len(captured.captured_queries)} queries, {total:.1f} ms in the database")
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:explain]
    for query in slowest:
        print(f"    --- {float(query['time']) * 1000:.1f} ms: {query['sql'][:400]}")
        if query["sql"].lstrip().upper().startswith("SELECT"):
            with connection.cursor() as c:
                c.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n".join("      " + row[0] for row in c.fetchall()))


def show_profile(client, url: str, top: int) -> None:
    """Cumulative time per call over 20 requests. The profiler roughly doubles the time; read
    the shares, not the milliseconds."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        client.get(url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print("\n".join("    " + line for line in out.getvalue().splitlines() if line.strip()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_SITE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--queries", action="store_true", help="count queries, EXPLAIN ANALYZE the slowest")
    parser.add_argument("--explain", type=int, default=2, help="how many of the slowest queries to EXPLAIN")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="profile 20 more requests, print the N costliest calls"
    )
    args = parser.parse_args()

    datagen.setup_django(args.database_url, "lontar.settings.dev")
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.test import Client

    from desk.models import AgendaItem, Liputan, StepEvent

    settings.DEBUG = False  # as production: no query log, no debug templates
    # The bench signs officials in with force_login: no TOTP device, and no clock to time out.
    settings.LONTAR_REQUIRE_2FA = False
    settings.LONTAR_ADMIN_IDLE_MINUTES = 0
    User = get_user_model()
    open_agendas = Count("id", filter=Q(status__in=["draft", "planned"]))
    agendas = dict(AgendaItem.objects.values_list("created_by").annotate(n=open_agendas))
    held = dict(Liputan.objects.filter(status="active").values_list("holder").annotate(n=Count("id")))

    def inbox_size(user) -> int:
        return agendas.get(user.pk, 0) + held.get(user.pk, 0)

    kasi = max(User.objects.filter(username__startswith="benchkasi"), key=inbox_size)
    officials = [User.objects.get(username=f"bench{role}0") for role in ("kabid", "sekdis", "kadis")]
    staf = max(User.objects.filter(username__startswith="benchstaf"), key=inbox_size)
    # The items with the longest histories (most events of their own, plus their agenda's).
    longest = list(
        StepEvent.objects.filter(liputan__isnull=False)
        .values_list("liputan")
        .annotate(n=Count("id"))
        .order_by("-n")[:3]
    )
    print(
        f"data: {Liputan.objects.count():,} liputan, {StepEvent.objects.count():,} step events,"
        f" {Liputan.objects.filter(status='active').count():,} open"
    )

    pages = []
    for user in [kasi, *officials, staf]:
        pages.append((f"inbox {user.username} ({inbox_size(user)} entries)", user, "/admin/meja/"))
    for pk, n in longest:
        pages.append((f"timeline liputan {pk} ({n} events)", kasi, f"/admin/meja/liputan/{pk}/"))

    print(f"runs={args.runs} after {args.warmup} warm-up requests; server time in ms")
    print(f"{'page':<48} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    for label, user, url in pages:
        client = Client()
        client.force_login(user)
        timings = time_get(client, url, runs=args.runs, warmup=args.warmup)
        print(
            f"{label:<48} {statistics.median(timings):7.1f} {percentile(timings, 0.95):7.1f}"
            f" {percentile(timings, 0.99):7.1f} {timings[-1]:7.1f}"
        )
        if args.queries:
            show_queries(client, url, args.explain)
        if args.profile:
            show_profile(client, url, args.profile)


if __name__ == "__main__":
    main()
