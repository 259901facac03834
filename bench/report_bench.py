"""Benchmark: the compliance report over 1,000,000 step events on PostgreSQL (issue 5).

Not part of the test suite. It creates (or reuses) a dedicated database, fills it with two years of
history — agenda items, disposisi, Liputan and their StepEvents, written with COPY — and times
``reports.selectors.compliance_report`` for a one-year period. See bench/README.md.

    .venv/bin/python bench/report_bench.py                  # generate if empty, then time
    .venv/bin/python bench/report_bench.py --regenerate     # drop the history and write it again
    .venv/bin/python bench/report_bench.py --runs 15 --explain
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lontar_bench"


# The history (users, agenda items, disposisi, Liputan, StepEvents by COPY) is shared with
# generate.py, which builds the site-wide benchmark database of issue 6.
from bench.datagen import clear, ensure_database, generate, rebuild_totals, setup_django, vacuum  # noqa: E402


def time_report(period, runs: int, explain: bool) -> tuple[list[float], object]:
    from django.db import connection, reset_queries

    from reports.selectors import compliance_report
    from reports.tables import report_tables

    compliance_report(period)  # warm the cache, as a server that has run a while has it
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        report = compliance_report(period)
        report_tables(report)
        timings.append(time.perf_counter() - started)
    if explain:
        from django.conf import settings

        settings.DEBUG = True
        reset_queries()
        compliance_report(period)
        settings.DEBUG = False
        for query in connection.queries:
            with connection.cursor() as c:
                c.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(row[0] for row in c.fetchall())
            print(f"--- {query['time']} s\n{query['sql'][:300]}\n{plan}\n")
    return sorted(timings), report


def summary(name: str, timings: list[float], report) -> str:
    p95 = timings[min(len(timings) - 1, math.ceil(0.95 * len(timings)) - 1)]
    return (
        f"{name} {report.period.label}: {report.runs:,} completed steps, {report.lead.items:,} items published,"
        f" {report.returns_count:,} returns, {report.emergency_count:,} emergency publishes\n"
        f"  runs={len(timings)} median={statistics.median(timings):.3f}s p95={p95:.3f}s"
        f" min={timings[0]:.3f}s max={timings[-1]:.3f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each query")
    args = parser.parse_args()

    ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command

    from desk.models import StepEvent

    call_command("migrate", verbosity=0, interactive=False)
    from django.utils import timezone

    from reports.models import StepFigure
    from reports.periods import Period

    if args.regenerate:
        clear()
    have = StepEvent.objects.count()
    if have < args.events * 0.99:
        if have:
            clear()
        started = time.perf_counter()
        generate(args.events)
        print(f"generated in {time.perf_counter() - started:.1f} s")
        rebuild_totals()
        vacuum()
    else:
        print(f"reusing {have:,} step events")
        if not StepFigure.objects.exists():
            rebuild_totals()
            vacuum()

    today = timezone.localdate()
    last_year = today.year - 1
    periods = [
        # All whole months: read from the monthly totals only.
        ("calendar year", Period(dt.date(last_year, 1, 1), dt.date(last_year, 12, 31))),
        # 365 days ending today: whole months from the totals, the two partial months from the record.
        ("rolling year", Period(today - dt.timedelta(days=364), today)),
    ]
    for name, period in periods:
        timings, report = time_report(period, args.runs, args.explain)
        print(summary(name, timings, report))


if __name__ == "__main__":
    main()
