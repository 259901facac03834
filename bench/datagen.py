"""Bulk history for the benchmarks: users in the SOP's roles, agenda items, disposisi, Liputan and
their StepEvents, written with COPY. Shared by ``report_bench.py`` (issue 5) and ``generate.py``
(issue 6). Not part of the test suite.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field


def ensure_database(url: str, *, drop: bool = False) -> None:
    """CREATE DATABASE when missing (connecting to the server's maintenance database); with
    ``drop``, DROP it first so a run starts from nothing."""
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if drop:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"dropped database {name}")
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup_django(url: str, settings_module: str = "lontar.settings.base") -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


def copy_rows(cursor, model, columns: list[str], rows) -> int:
    """COPY ``rows`` (tuples in ``columns`` order) into ``model``'s own table; its fields not named
    are filled with their model default (computed once), so a column another developer adds does
    not break this. Only the model's local fields: a Wagtail page type's parent ``Page`` row is
    copied separately."""
    fields = list(model._meta.local_concrete_fields)
    named = {f.name: f for f in fields}
    extra = [f for f in fields if f.name not in columns and not f.primary_key]
    defaults = tuple(f.get_default() for f in extra)
    sql_columns = ", ".join(f'"{named[name].column}"' for name in columns) + "".join(f', "{f.column}"' for f in extra)
    count = 0
    with cursor.copy(f'COPY "{model._meta.db_table}" ({sql_columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(tuple(row) + defaults)
            count += 1
    return count


def reset_sequences(cursor, models) -> None:
    for model in models:
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
        )


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

# Topics that read like the office's coverage, so titles and search have words to work on.
_DOINGS = [
    "Bupati Tabanan meninjau", "Pemkab Tabanan menggelar", "Diskominfo menyosialisasikan", "Sekda membuka",
    "Wakil Bupati menghadiri", "DPRD Tabanan membahas", "Dinas Pertanian mendampingi", "Puskesmas melayani",
    "Dinas Pariwisata mempromosikan", "Satpol PP menertibkan", "BPBD menyiagakan", "Disdikpora memantau",
]
_THINGS = [
    "panen raya padi", "upacara Tumpek Uduh", "festival Jatiluwih", "pasar murah", "vaksinasi ternak",
    "perbaikan jalan desa", "pelatihan UMKM", "lomba ogoh-ogoh", "bantuan bibit", "rapat koordinasi subak",
    "pameran kerajinan", "donor darah", "penanaman mangrove", "sosialisasi keterbukaan informasi",
]
_PLACES = [
    "Kediri", "Kerambitan", "Marga", "Penebel", "Pupuan", "Selemadeg", "Selemadeg Barat",
    "Selemadeg Timur", "Tabanan", "Baturiti",
]  # fmt: skip
RETURN_REASONS = [
    "Foto kurang jelas",
    "Data belum lengkap",
    "Judul perlu diperbaiki",
    "Sumber belum disebut",
    "Ejaan nama pejabat",
]


@dataclass
class People:
    """User ids per SOP role; the second of each office is its Plh now and then."""

    kasi: list[int]
    staf: list[int]
    office: dict[str, list[int]]
    admin: int

    @property
    def by_role(self) -> dict[str, list[int]]:
        return {"kasi": self.kasi, "staf": self.staf, **self.office}


def make_people(*, kasi: int = 3, staf: int = 24, officials: int = 2) -> People:
    from django.contrib.auth import get_user_model

    User = get_user_model()

    def people(prefix, n):
        users = []
        for i in range(n):
            user, _ = User.objects.get_or_create(
                username=f"{prefix}{i}", defaults={"first_name": prefix.capitalize(), "last_name": str(i)}
            )
            users.append(user.pk)
        return users

    return People(
        kasi=people("benchkasi", kasi),
        staf=people("benchstaf", staf),
        office={role: people(f"bench{role}", officials) for role in ("kabid", "sekdis", "kadis")},
        admin=people("benchadmin", 1)[0],
    )


@dataclass
class History:
    agendas: int = 0
    liputan: int = 0
    events: int = 0
    active: int = 0
    open_agendas: int = 0
    published: int = 0
    pages_linked: int = 0
    seconds: float = 0.0
    people: People | None = None
    extra: dict = field(default_factory=dict)


# page_for(kind, published_at, topic) -> the id the published item's page will have, or None.
PageFor = Callable[[str, dt.datetime, str], "int | None"]


def generate(
    target_events: int,
    *,
    target_items: int | None = None,
    seed: int = 20260301,
    stall_rate: float = 0.0,
    people: People | None = None,
    page_for: PageFor | None = None,
) -> History:
    """Two years of history ending now, written with COPY.

    Stops when ``target_events`` StepEvents are written or, with ``target_items``, that many
    Liputan. Work is simulated step by step; a step that would end after "now" is the step the
    item is at, held by its actor (so the last days are open, as in an office). With
    ``stall_rate``, that share of items stops for good at a random step — the backlog of overdue
    work that makes an inbox long. ``page_for`` gives published items a page id (see generate.py).
    """
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from desk.models import AgendaItem, Disposisi, Liputan, RecordHead, StepEvent
    from desk.record import HEAD_PK
    from sop.loader import sop_load_file
    from sop.selectors import sop_current

    rng = random.Random(seed)
    version = sop_current() or sop_load_file(path=settings.LONTAR_SOP_FILE).version
    defn = version.definition()
    steps = {step.number: step for step in defn.steps}
    people = people or make_people()
    kasi, staf, office, admin = people.kasi, people.staf, people.office, people.admin
    positions = [(3, 0), (3, 1)] + [(n, 0) for n in range(4, 11)]

    kinds, weights = zip(*KIND_WEIGHTS.items(), strict=True)
    end = timezone.now().replace(microsecond=0)
    start = end - dt.timedelta(days=730)
    span = (end - start).total_seconds()

    def duration(step_number: int) -> int:
        standard = steps[step_number].minutes
        # Lognormal around 85 % of the standard: most steps keep it, a long tail does not.
        return max(1, int(round(standard * 0.85 * math.exp(rng.gauss(0, 0.55)))))

    with connection.cursor() as c:
        ids = {}
        for model in (AgendaItem, Disposisi, Liputan):
            c.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
            ids[model] = c.fetchone()[0] + 1
    next_agenda, next_disposisi, next_liputan = ids[AgendaItem], ids[Disposisi], ids[Liputan]

    agendas, disposisis, liputans, events = [], [], [], []
    ev_cols = [
        "agenda", "liputan", "sop_version", "step", "phase", "action", "to_step", "actor", "actor_role",
        "at", "step_started_at", "elapsed_minutes", "standard_minutes", "comment", "flagged",
        "on_behalf_of", "acting_kind",
    ]  # fmt: skip

    def holder(role: str) -> tuple[int, int | None, str]:
        if role in office:
            officials = office[role]
            if rng.random() < 0.05:  # Plh while the official is away
                return officials[1], officials[0], "plh"
            return officials[0], None, ""
        if role == "kasi":
            return rng.choice(kasi), None, ""
        return rng.choice(staf), None, ""

    def event(agenda_id, liputan_id, step, action, to_step, actor, role, at, began, elapsed, **kw):
        events.append(
            (
                agenda_id, liputan_id, vid, step, kw.get("phase", 0), action, to_step, actor, role, at, began,
                elapsed, steps[step].minutes, kw.get("comment", ""), kw.get("flagged", False),
                kw.get("absent"), kw.get("acting", ""),
            )
        )  # fmt: skip

    vid = version.pk
    history = History(people=people)
    while (len(liputans) < target_items) if target_items else (len(events) < target_events):
        agenda_id = next_agenda
        next_agenda += 1
        kind = rng.choices(kinds, weights)[0]
        t = start + dt.timedelta(seconds=rng.random() * span)
        k = rng.choice(kasi)
        topic = f"{rng.choice(_DOINGS)} {rng.choice(_THINGS)} di {rng.choice(_PLACES)} ({agenda_id})"
        status, agenda_started = "disposed", t
        for number, action in ((1, "plan"), (2, "dispose")):
            d = duration(number)
            if t + dt.timedelta(minutes=d) > end or rng.random() < stall_rate / 8:
                # Still being planned (or forgotten): open at this step in the Kasi's inbox.
                status, agenda_started = ("draft" if number == 1 else "planned"), t
                break
            began, t = t, t + dt.timedelta(minutes=d)
            event(agenda_id, None, number, action, number + 1, k, "kasi", t, began, d)
        agendas.append((agenda_id, vid, topic, kind, "", t.date(), "", status, k, agenda_started, agenda_started))
        if status != "disposed":
            history.open_agendas += 1
            continue
        disposisi_id = next_disposisi
        next_disposisi += 1
        disposisis.append((disposisi_id, agenda_id, "Liput.", "biasa", t + dt.timedelta(hours=3), "", k, t))
        writers = rng.sample(staf, 2 if rng.random() < SECOND_WRITER_RATE else 1)
        for writer in writers:
            liputan_id = next_liputan
            next_liputan += 1
            stall = rng.choice(positions) if rng.random() < stall_rate else None
            lt, step, phase, emergency = t, 3, 0, False
            step_start = lt
            while step is not None:
                phase = 0
                if step == 3:
                    # The Staf writes (phase 0, ends with submit), the Kasi checks (phase 1).
                    write = max(1, int(steps[3].minutes * 0.6 * math.exp(rng.gauss(0, 0.5))))
                    if stall == (3, 0) or lt + dt.timedelta(minutes=write) > end:
                        break
                    lt = lt + dt.timedelta(minutes=write)
                    event(agenda_id, liputan_id, 3, "submit", 3, writer, "staf", lt, step_start, None)
                    phase = 1
                if step >= 4 and rng.random() < EMERGENCY_RATE:
                    lt = lt + dt.timedelta(minutes=rng.randint(1, 20))
                    event(
                        agenda_id, liputan_id, step, "emergency_publish", None, admin,
                        steps[step].actors[-1].value, lt, step_start, None,
                        comment="Darurat: informasi bencana harus segera tayang", flagged=True,
                    )  # fmt: skip
                    emergency = True
                    break
                role = steps[step].actors[-1].value
                actor, absent, acting = (
                    (k, None, "") if role == "kasi" else (writer, None, "") if role == "staf" else holder(role)
                )
                d = duration(step)
                total = d + (write if step == 3 else 0)
                done = step_start + dt.timedelta(minutes=total)
                if stall == (step, phase) or done > end:
                    break  # open at this step
                lt = done
                if step in (4, 5, 6) and rng.random() < RETURN_RATE:
                    event(
                        agenda_id, liputan_id, step, "return", 3, actor, role, lt, step_start, total,
                        comment=rng.choice(RETURN_REASONS), absent=absent, acting=acting,
                    )  # fmt: skip
                    step, step_start = 3, lt
                    continue
                action = {9: "assign", 10: "publish"}.get(step, "forward")
                nxt = steps[step].next
                event(agenda_id, liputan_id, step, action, nxt, actor, role, lt, step_start, total,
                      absent=absent, acting=acting)  # fmt: skip
                step, step_start = nxt, lt
            published = emergency or step is None
            page_id = None
            if published:
                history.published += 1
                page_id = page_for(kind, lt, topic) if page_for else None
                history.pages_linked += page_id is not None
                row = (liputan_id, disposisi_id, agenda_id, vid, writer, "published", 10, 0, None, writer, page_id,
                       lt, emergency, t)  # fmt: skip
            else:
                history.active += 1
                role = steps[step].actors[phase].value
                who = k if role == "kasi" else writer if role == "staf" else office[role][0]
                uploader = writer if step == 10 else None
                row = (liputan_id, disposisi_id, agenda_id, vid, writer, "active", step, phase, who, uploader, None,
                       step_start, False, t)  # fmt: skip
            liputans.append(row)

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        # As pg_restore does for a bulk load: the rows are consistent by construction, and
        # checking 1M deferred foreign keys one by one at commit took two minutes.
        c.execute("SET LOCAL session_replication_role = replica")
        agenda_cols = [
            "id", "sop_version", "topic", "kind", "place", "planned_date", "notes", "status", "created_by",
            "created_at", "step_started_at",
        ]  # fmt: skip
        copy_rows(c, AgendaItem, agenda_cols, agendas)
        copy_rows(
            c,
            Disposisi,
            ["id", "agenda", "instruction", "sifat", "batas_waktu", "catatan", "created_by", "sent_at"],
            disposisis,
        )
        liputan_cols = [
            "id", "disposisi", "agenda", "sop_version", "writer", "status", "step", "phase", "holder", "uploader",
            "page", "step_started_at", "emergency_published", "created_at",
        ]  # fmt: skip
        copy_rows(c, Liputan, liputan_cols, liputans)
        head = list(record_head())
        copy_rows(c, StepEvent, [*ev_cols, "seq", "prev_hash", "hash"], chained(events, ev_cols, head))
        RecordHead.objects.update_or_create(pk=HEAD_PK, defaults={"seq": head[0], "hash": head[1]})
        reset_sequences(c, (AgendaItem, Disposisi, Liputan, StepEvent))
    history.agendas, history.liputan, history.events = len(agendas), len(liputans), len(events)
    history.seconds = time.perf_counter() - started
    print(
        f"wrote {len(agendas):,} agenda items ({history.open_agendas:,} open), {len(liputans):,} liputan"
        f" ({history.active:,} active), {len(events):,} step events in {history.seconds:.1f} s (COPY)"
    )
    return history


def record_head() -> tuple[int, str]:
    """Where the SOP record's hash chain ends now (desk.record): (seq, hash), (0, "") if empty."""
    from desk.models import RecordHead, StepEvent
    from desk.record import HEAD_PK

    return (
        RecordHead.objects.filter(pk=HEAD_PK).values_list("seq", "hash").first()
        or StepEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        or (0, "")
    )


def chained(events: list[tuple], columns: list[str], head: list):
    """The events as a valid part of the SOP record's hash chain: in the order they happened, as
    the desk would have appended them, continuing after ``head`` ([seq, hash], updated to the
    last link as rows go by), each row extended with its seq, prev_hash and hash. Streams, so a
    million rows are hashed while COPY writes them; no query may run meanwhile."""
    from desk.models import StepEvent
    from desk.record import HASHED_FIELDS, chain

    at = columns.index("at")
    events.sort(key=lambda row: row[at])
    attnames = [StepEvent._meta.get_field(name).attname for name in columns]
    hashed = HASHED_FIELDS[2:]

    def values(row):
        by_name = dict(zip(attnames, row, strict=True))
        return tuple(by_name.get(name) for name in hashed)  # revision_id: none in generated history

    for row, link in zip(events, chain(map(values, events), seq=head[0], prev_hash=head[1]), strict=True):
        head[:] = [link[0], link[2]]
        yield (*row, *link)


def clear() -> None:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "TRUNCATE reports_publishedlead, reports_stepfigure, desk_stepevent, desk_recordhead, desk_liputan,"
            " desk_disposisi, desk_agendaitem RESTART IDENTITY CASCADE"
        )


def rebuild_totals() -> None:
    """COPY bypasses the receiver that keeps the report's totals; recompute them as after an import."""
    from reports import rollup

    started = time.perf_counter()
    figures, leads = rollup.rebuild()
    print(
        f"report totals rebuilt: {figures:,} rows, {leads:,} published items in {time.perf_counter() - started:.1f} s"
    )


def vacuum(tables=None) -> None:
    from django.db import connection

    tables = tables or [
        "desk_stepevent", "desk_agendaitem", "desk_disposisi", "desk_liputan", "reports_stepfigure",
        "reports_publishedlead",
    ]  # fmt: skip
    started = time.perf_counter()
    with connection.cursor() as c:
        for table in tables:
            c.execute(f"VACUUM ANALYZE {table}")
    print(f"vacuum analyze {time.perf_counter() - started:.1f} s")
