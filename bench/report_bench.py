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
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lontar_bench"


def ensure_database(url: str) -> None:
    """CREATE DATABASE when missing (connecting to the server's maintenance database)."""
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lontar.settings.base")
    import django

    django.setup()


# --- the history ---------------------------------------------------------------------------------

KIND_WEIGHTS = {
    "berita": 55,
    "pengumuman": 15,
    "kegiatan": 10,
    "potensi_daerah": 8,
    "data": 5,
    "informasi": 4,
    "ppid": 3,
}
RETURN_RATE = 0.08  # per review step (4–6): sent back to step 3
EMERGENCY_RATE = 0.003
SECOND_WRITER_RATE = 0.1  # a disposisi to two Staf


def _copy(cursor, model, columns: list[str], rows) -> int:
    """COPY ``rows`` (tuples in ``columns`` order) into ``model``'s table; fields not named are
    filled with their model default, so a column another developer adds does not break this."""
    fields = list(model._meta.concrete_fields)
    named = {f.name: f for f in fields}
    extra = [f for f in fields if f.name not in columns and not f.primary_key]
    defaults = tuple(f.get_default() for f in extra)
    sql_columns = ", ".join(f'"{named[name].column}"' for name in columns) + "".join(f', "{f.column}"' for f in extra)
    count = 0
    with cursor.copy(f'COPY "{model._meta.db_table}" ({sql_columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row + defaults)
            count += 1
    return count


def generate(target_events: int, *, seed: int = 20260301) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from desk.models import AgendaItem, Disposisi, Liputan, StepEvent
    from sop.loader import sop_load_file
    from sop.selectors import sop_current

    rng = random.Random(seed)
    version = sop_current() or sop_load_file(path=settings.LONTAR_SOP_FILE).version
    defn = version.definition()
    steps = {step.number: step for step in defn.steps}
    User = get_user_model()

    def people(prefix, n):
        users = []
        for i in range(n):
            user, _ = User.objects.get_or_create(
                username=f"{prefix}{i}", defaults={"first_name": prefix.capitalize(), "last_name": str(i)}
            )
            users.append(user.pk)
        return users

    kasi, staf = people("benchkasi", 3), people("benchstaf", 24)
    kabid, sekdis, kadis = people("benchkabid", 2), people("benchsekdis", 2), people("benchkadis", 2)
    admin = people("benchadmin", 1)[0]
    # The second of each office is an acting official (Plh) now and then.
    office = {"kabid": kabid, "sekdis": sekdis, "kadis": kadis}

    kinds, weights = zip(*KIND_WEIGHTS.items(), strict=True)
    end = timezone.now().replace(microsecond=0)
    start = end - dt.timedelta(days=730)
    span = (end - start).total_seconds()

    def duration(step_number: int) -> int:
        standard = steps[step_number].minutes
        # Lognormal around 85 % of the standard: most steps keep it, a long tail does not.
        return max(1, int(round(standard * 0.85 * math.exp(rng.gauss(0, 0.55)))))

    with connection.cursor() as c:
        c.execute("SELECT COALESCE(MAX(id), 0) FROM desk_agendaitem")
        next_agenda = c.fetchone()[0] + 1
        c.execute("SELECT COALESCE(MAX(id), 0) FROM desk_disposisi")
        next_disposisi = c.fetchone()[0] + 1
        c.execute("SELECT COALESCE(MAX(id), 0) FROM desk_liputan")
        next_liputan = c.fetchone()[0] + 1

    agendas, disposisis, liputans, events = [], [], [], []
    ev_cols = [
        "agenda", "liputan", "sop_version", "step", "phase", "action", "to_step", "actor", "actor_role",
        "at", "step_started_at", "elapsed_minutes", "standard_minutes", "comment", "flagged",
        "on_behalf_of", "acting_kind",
    ]  # fmt: skip
    reasons = [
        "Foto kurang jelas",
        "Data belum lengkap",
        "Judul perlu diperbaiki",
        "Sumber belum disebut",
        "Ejaan nama pejabat",
    ]

    def holder(role: str) -> tuple[int, int | None, str]:
        if role in office:
            officials = office[role]
            if rng.random() < 0.05:  # Plh while the official is away
                return officials[1], officials[0], "plh"
            return officials[0], None, ""
        if role == "kasi":
            return rng.choice(kasi), None, ""
        return rng.choice(staf), None, ""

    vid = version.pk
    n_events = 0
    while n_events < target_events:
        agenda_id, disposisi_id = next_agenda, next_disposisi
        next_agenda += 1
        next_disposisi += 1
        kind = rng.choices(kinds, weights)[0]
        t = start + dt.timedelta(seconds=rng.random() * span)
        k = rng.choice(kasi)
        agendas.append((agenda_id, vid, f"Liputan uji {agenda_id}", kind, "", t.date(), "", "disposed", k, t, t))
        for number, action in ((1, "plan"), (2, "dispose")):
            d = duration(number)
            began, t = t, t + dt.timedelta(minutes=d)
            events.append(
                (
                    agenda_id,
                    None,
                    vid,
                    number,
                    0,
                    action,
                    number + 1,
                    k,
                    "kasi",
                    t,
                    began,
                    d,
                    steps[number].minutes,
                    "",
                    False,
                    None,
                    "",
                )
            )
        disposisis.append((disposisi_id, agenda_id, "Liput.", "biasa", t + dt.timedelta(hours=3), "", k, t))
        writers = rng.sample(staf, 2 if rng.random() < SECOND_WRITER_RATE else 1)
        for writer in writers:
            liputan_id = next_liputan
            next_liputan += 1
            lt, step, emergency = t, 3, False
            step_start = lt
            while step is not None:
                if step == 3:
                    # The Staf writes (phase 0, ends with submit), the Kasi checks (phase 1).
                    write = max(1, int(steps[3].minutes * 0.6 * math.exp(rng.gauss(0, 0.5))))
                    lt = lt + dt.timedelta(minutes=write)
                    events.append(
                        (
                            agenda_id,
                            liputan_id,
                            vid,
                            3,
                            0,
                            "submit",
                            3,
                            writer,
                            "staf",
                            lt,
                            step_start,
                            None,
                            steps[3].minutes,
                            "",
                            False,
                            None,
                            "",
                        )
                    )
                if step >= 4 and rng.random() < EMERGENCY_RATE:
                    lt = lt + dt.timedelta(minutes=rng.randint(1, 20))
                    events.append(
                        (
                            agenda_id,
                            liputan_id,
                            vid,
                            step,
                            0,
                            "emergency_publish",
                            None,
                            admin,
                            steps[step].actors[-1].value,
                            lt,
                            step_start,
                            None,
                            steps[step].minutes,
                            "Darurat: informasi bencana harus segera tayang",
                            True,
                            None,
                            "",
                        )
                    )
                    emergency = True
                    break
                role = steps[step].actors[-1].value
                actor, absent, acting = (
                    (k, None, "") if role == "kasi" else (writer, None, "") if role == "staf" else holder(role)
                )
                d = duration(step)
                total = d + (write if step == 3 else 0)
                lt = step_start + dt.timedelta(minutes=total)
                if step in (4, 5, 6) and rng.random() < RETURN_RATE:
                    events.append(
                        (
                            agenda_id,
                            liputan_id,
                            vid,
                            step,
                            0,
                            "return",
                            3,
                            actor,
                            role,
                            lt,
                            step_start,
                            total,
                            steps[step].minutes,
                            rng.choice(reasons),
                            False,
                            absent,
                            acting,
                        )
                    )
                    step, step_start = 3, lt
                    continue
                action = {9: "assign", 10: "publish"}.get(step, "forward")
                nxt = steps[step].next
                events.append(
                    (
                        agenda_id,
                        liputan_id,
                        vid,
                        step,
                        0,
                        action,
                        nxt,
                        actor,
                        role,
                        lt,
                        step_start,
                        total,
                        steps[step].minutes,
                        "",
                        False,
                        absent,
                        acting,
                    )
                )
                step, step_start = nxt, lt
            status = "published" if (emergency or step is None) else "active"
            liputans.append((liputan_id, disposisi_id, agenda_id, vid, writer, status, 10, 0, t, emergency, t))
        n_events = len(events)

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        # As pg_restore does for a bulk load: the rows are consistent by construction, and
        # checking 1M deferred foreign keys one by one at commit took two minutes.
        c.execute("SET LOCAL session_replication_role = replica")
        _copy(
            c,
            AgendaItem,
            [
                "id",
                "sop_version",
                "topic",
                "kind",
                "place",
                "planned_date",
                "notes",
                "status",
                "created_by",
                "created_at",
                "step_started_at",
            ],
            agendas,
        )
        _copy(
            c,
            Disposisi,
            ["id", "agenda", "instruction", "sifat", "batas_waktu", "catatan", "created_by", "sent_at"],
            disposisis,
        )
        _copy(
            c,
            Liputan,
            [
                "id",
                "disposisi",
                "agenda",
                "sop_version",
                "writer",
                "status",
                "step",
                "phase",
                "step_started_at",
                "emergency_published",
                "created_at",
            ],
            liputans,
        )
        _copy(c, StepEvent, ev_cols, events)
        for model in (AgendaItem, Disposisi, Liputan, StepEvent):
            table = model._meta.db_table
            c.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    print(
        f"wrote {len(agendas):,} agenda items, {len(liputans):,} liputan, {len(events):,} step events "
        f"in {time.perf_counter() - started:.1f} s (COPY)"
    )


def clear() -> None:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "TRUNCATE reports_publishedlead, reports_stepfigure, desk_stepevent, desk_liputan, desk_disposisi,"
            " desk_agendaitem RESTART IDENTITY CASCADE"
        )


def rebuild_totals() -> None:
    """COPY bypasses the receiver that keeps the report's totals; recompute them as after an import."""
    from reports import rollup

    started = time.perf_counter()
    figures, leads = rollup.rebuild()
    print(
        f"report totals rebuilt: {figures:,} rows, {leads:,} published items in {time.perf_counter() - started:.1f} s"
    )


def vacuum() -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE desk_stepevent")
        c.execute("VACUUM ANALYZE desk_agendaitem")
        c.execute("VACUUM ANALYZE desk_liputan")
        c.execute("VACUUM ANALYZE reports_stepfigure")
        c.execute("VACUUM ANALYZE reports_publishedlead")
    print(f"vacuum analyze {time.perf_counter() - started:.1f} s")


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
