"""The SOP record's hash chain: every ``StepEvent`` carries the SHA-256 of its own content and of
the entry before it, so an entry changed, removed or slipped in afterwards shows up in
``manage.py verify_record``, which names the first broken entry.

One chain for the whole office rather than one per item: a single walk checks everything, and an
item's entries cannot be removed together with "their" chain. Appends serialise on the chain head
(``RecordHead``, a single row locked ``FOR UPDATE`` by the appending transaction until it
commits), so two transactions can never link to the same predecessor; ``seq`` is also unique in
the database. The cost is that appends, not whole actions, take turns: at an office's pace
(a few actions a minute) nobody notices.

The hash is over a canonical text that anyone can recompute without Lontar (docs/security.md):
a JSON object of ``HASHED_FIELDS`` with sorted keys, no spaces, UTF-8, foreign keys as ids,
times in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, and ``prev_hash`` (the previous entry's hash;
"" for the first).

The chain shows tampering by someone who does not rewrite every later entry as well. Someone with
write access to the database could recompute the whole chain; the head printed by
``verify_record`` (seq and hash) kept outside the database — in a backup manifest, a letter, a
ticket — and checked later with ``verify_record --anchor SEQ:HASH`` catches that too.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

# Every column of desk_stepevent except its id (assigned by the database after the hash is
# computed, and meaningless for the record) and ``hash`` itself. Fixed here rather than read from
# the model: a column added later must not change the hashes of old entries. A test fails when
# StepEvent gains a field that is neither here nor deliberately left out.
HASHED_FIELDS = (
    "seq",
    "prev_hash",
    "agenda_id",
    "liputan_id",
    "sop_version_id",
    "step",
    "phase",
    "action",
    "to_step",
    "actor_id",
    "actor_role",
    "at",
    "step_started_at",
    "elapsed_minutes",
    "standard_minutes",
    "comment",
    "revision_id",
    "flagged",
    "on_behalf_of_id",
    "acting_kind",
)
NOT_HASHED = ("id", "hash")

HEAD_PK = 1


class RecordIsAppendOnly(PermissionDenied):
    """An attempt to change or remove an entry of the SOP record through the ORM."""

    def __init__(self, message=None):
        super().__init__(
            message or _("Catatan SOP hanya dapat ditambah; entri yang sudah tercatat tidak dapat diubah atau dihapus.")
        )


_TIMES = tuple(i for i, name in enumerate(HASHED_FIELDS) if name in ("at", "step_started_at"))
# One encoder for every entry (json.dumps builds a new one per call). Strings and ints go out as
# their plain values, enum members included (StrEnum/IntEnum are str/int underneath).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _utc(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        # As Django stores a naive time under USE_TZ: in the default time zone.
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(values: Sequence) -> bytes:
    """The text that is hashed, from the values of ``HASHED_FIELDS`` in that order."""
    values = list(values)
    for i in _TIMES:
        values[i] = _utc(values[i])
    return _ENCODER.encode(dict(zip(HASHED_FIELDS, values, strict=True))).encode()


def entry_hash(values: Sequence) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def event_values(event) -> tuple:
    return tuple(getattr(event, name) for name in HASHED_FIELDS)


# --- appending ----------------------------------------------------------------------------------


def _locked_head(using: str):
    from desk.models import RecordHead, StepEvent

    head = RecordHead.objects.using(using).select_for_update().filter(pk=HEAD_PK).first()
    if head is not None:
        return head
    # The head row is written by the migration; a database emptied by ``flush`` loses it. Start
    # again from the last entry (none after a flush) rather than from nothing.
    last = StepEvent.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
    try:
        with transaction.atomic(using=using):
            return RecordHead.objects.using(using).create(
                pk=HEAD_PK, seq=last[0] if last else 0, hash=last[1] if last else ""
            )
    except IntegrityError:
        # Another transaction created it first: wait for it like any other append.
        return RecordHead.objects.using(using).select_for_update().get(pk=HEAD_PK)


def seal(event, *, using: str) -> None:
    """Link a new entry to the chain: its position, its predecessor's hash and its own hash.

    Must run inside the transaction that inserts it; the head stays locked until that commits.
    """
    # Hash what the database will give back: 1 and True, "3" and 3 are the same to a column.
    for field in event._meta.concrete_fields:
        if field.attname in HASHED_FIELDS[2:]:
            setattr(event, field.attname, field.to_python(getattr(event, field.attname)))
    head = _locked_head(using)
    event.seq = head.seq + 1
    event.prev_hash = head.hash
    event.hash = entry_hash(event_values(event))
    type(head).objects.using(using).filter(pk=head.pk).update(seq=event.seq, hash=event.hash)


def chain(rows: Iterable[Sequence], *, seq: int = 0, prev_hash: str = "") -> Iterator[tuple[int, str, str]]:
    """``(seq, prev_hash, hash)`` for each row, continuing after ``seq``/``prev_hash``. Each row
    holds the values of ``HASHED_FIELDS[2:]`` (everything but the chain's own two fields), in
    order. For bulk writers (the data migration, the benchmark generator)."""
    for row in rows:
        seq += 1
        digest = entry_hash((seq, prev_hash, *row))
        yield seq, prev_hash, digest
        prev_hash = digest


# --- checking -----------------------------------------------------------------------------------


class Problem(enum.StrEnum):
    # Stable English codes beside the Indonesian text, for scripts and monitoring.
    HASH_MISMATCH = "hash_mismatch"
    BROKEN_LINK = "broken_link"
    SEQ_GAP = "seq_gap"
    HEAD_MISMATCH = "head_mismatch"
    ANCHOR_MISMATCH = "anchor_mismatch"


@dataclass
class Break:
    problem: Problem
    message: str
    event_id: int | None = None
    seq: int | None = None
    at: dt.datetime | None = None


@dataclass
class Verification:
    entries: int
    last_seq: int
    last_hash: str
    first_at: dt.datetime | None
    last_at: dt.datetime | None
    broken: Break | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _when(at) -> str:
    return timezone.localtime(at).strftime("%d/%m/%Y %H:%M:%S %Z") if at else "-"


def _entry(event_id, seq, at) -> str:
    return _("entri id %(id)s, seq %(seq)s, waktu %(at)s") % {"id": event_id, "seq": seq, "at": _when(at)}


def _describe(problem: Problem, entry: str, *, seq: int, last_seq: int) -> str:
    if problem == Problem.SEQ_GAP:
        return _("%(entry)s: urutan melompat dari seq %(last)s ke %(seq)s; %(missing)s entri hilang.") % {
            "entry": entry,
            "last": last_seq,
            "seq": seq,
            "missing": seq - last_seq - 1,
        }
    if problem == Problem.BROKEN_LINK:
        return _(
            "%(entry)s: rantai putus — prev_hash tidak sama dengan hash entri seq %(last)s "
            "(entri sebelumnya diubah, dihapus atau disisipkan)."
        ) % {"entry": entry, "last": last_seq}
    if problem == Problem.HASH_MISMATCH:
        return _("%(entry)s: isi entri tidak cocok dengan hash-nya (entri ini diubah).") % {"entry": entry}
    return _("%(entry)s: hash tidak sama dengan jangkar yang disimpan di luar basis data (rantai ditulis ulang).") % {
        "entry": entry
    }


def verify(*, using: str = "default", chunk_size: int = 5000, anchors: dict[int, str] | None = None) -> Verification:
    """Walk the whole chain in order, streaming, and stop at the first entry that does not hold:
    its seq does not follow the one before (entries removed), its ``prev_hash`` is not the hash of
    the one before (an entry removed, inserted or rewritten), or its own content no longer gives
    its hash (changed). Then the head must name the last entry (entries removed at the end), and
    every ``anchors`` seq must still carry the hash recorded outside the database."""
    from desk.models import RecordHead, StepEvent

    anchors = dict(anchors or {})
    rows = (
        StepEvent.objects.using(using)
        .order_by("seq")
        .values_list("id", "hash", *HASHED_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    at_index = HASHED_FIELDS.index("at")
    count, last_seq, last_hash, first_at, at = 0, 0, "", None, None
    for event_id, stored, *values in rows:
        seq, prev_hash, at = values[0], values[1], values[at_index]
        if first_at is None:
            first_at = at
        if seq != last_seq + 1:
            problem = Problem.SEQ_GAP
        elif prev_hash != last_hash:
            problem = Problem.BROKEN_LINK
        elif entry_hash(values) != stored:
            problem = Problem.HASH_MISMATCH
        elif seq in anchors and anchors.pop(seq) != stored:
            problem = Problem.ANCHOR_MISMATCH
        else:
            count, last_seq, last_hash = count + 1, seq, stored
            continue
        broken = Break(problem, _describe(problem, _entry(event_id, seq, at), seq=seq, last_seq=last_seq))
        broken.event_id, broken.seq, broken.at = event_id, seq, at
        return Verification(count, last_seq, last_hash, first_at, at, broken)
    result = Verification(count, last_seq, last_hash, first_at, at)
    head = RecordHead.objects.using(using).filter(pk=HEAD_PK).values_list("seq", "hash").first()
    if head is not None and head != (last_seq, last_hash):
        result.broken = Break(
            Problem.HEAD_MISMATCH,
            _(
                "Kepala rantai mencatat seq %(head)s, tetapi rantai berakhir di seq %(last)s: "
                "entri terakhir dihapus atau kepala rantai diubah."
            )
            % {"head": head[0], "last": last_seq},
            seq=last_seq + 1 if head[0] > last_seq else head[0],
        )
    elif anchors:
        seq = min(anchors)
        result.broken = Break(
            Problem.ANCHOR_MISMATCH,
            _("Jangkar seq %(seq)s tidak ada lagi dalam rantai (rantai berakhir di seq %(last)s).")
            % {"seq": seq, "last": last_seq},
            seq=seq,
        )
    return result


# --- the database's own guard -------------------------------------------------------------------

TABLE = "desk_stepevent"
_REFUSAL = "Catatan SOP hanya dapat ditambah: entri desk_stepevent tidak dapat diubah atau dihapus (append-only)."

TRIGGERS_SQL = {
    "postgresql": [
        f"""
        CREATE OR REPLACE FUNCTION desk_stepevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{_REFUSAL} (%)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
        END
        $$
        """,
        f"""
        CREATE TRIGGER desk_stepevent_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION desk_stepevent_append_only()
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER desk_stepevent_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END
        """,
        f"""
        CREATE TRIGGER desk_stepevent_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END
        """,
    ],
}
DROP_TRIGGERS_SQL = {
    "postgresql": [
        f"DROP TRIGGER IF EXISTS desk_stepevent_append_only ON {TABLE}",
        "DROP FUNCTION IF EXISTS desk_stepevent_append_only()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS desk_stepevent_no_update",
        "DROP TRIGGER IF EXISTS desk_stepevent_no_delete",
    ],
}


def install_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for sql in TRIGGERS_SQL.get(connection.vendor, []):
            cursor.execute(sql)


def drop_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for sql in DROP_TRIGGERS_SQL.get(connection.vendor, []):
            cursor.execute(sql)


def triggers_installed(connection) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = 'desk_stepevent_append_only'",
                [TABLE],
            )
            return cursor.fetchone()[0] == 1
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
            return cursor.fetchone()[0] == 2
    return False
