"""The rules of the SOP, in plain Python.

Everything that decides *who may do what next* and *how long a step may take* lives here, with no
Django import, so it can be read in one sitting and tested without a database or a request. The
desk's services ask these functions before they change anything; the ORM models only store what
the rules decided.

The procedure itself is data: ``parse_definition`` turns the SOP definition file (TOML) into a
validated ``SopDefinition``. Nothing in this module knows that there are ten steps.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class Role(StrEnum):
    """The pelaksana columns of the SOP table, in the table's order."""

    KASI = "kasi"
    STAF = "staf"
    KABID = "kabid"
    SEKDIS = "sekdis"
    KADIS = "kadis"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


# Short names as the office says them; the SOP file carries the full titles.
ROLE_LABELS = {
    Role.KASI: "Kasi",
    Role.STAF: "Staf",
    Role.KABID: "Kabid",
    Role.SEKDIS: "Sekdis",
    Role.KADIS: "Kadis",
}


class StepKind(StrEnum):
    """What Lontar does at a step (the ``tindakan`` key of the definition file)."""

    PLAN = "rencana"
    DISPOSE = "disposisi"
    GATHER = "liputan"
    REVIEW = "telaah"
    HAND_OVER = "serah"
    ASSIGN_UPLOADER = "tugaskan"
    PUBLISH = "unggah"


class Action(StrEnum):
    PLAN = "plan"
    DISPOSE = "dispose"
    SUBMIT = "submit"
    FORWARD = "forward"
    RETURN = "return"
    ASSIGN = "assign"
    PUBLISH = "publish"


# The action that completes a step of each kind (the last pelaksana's action).
COMPLETING_ACTION = {
    StepKind.PLAN: Action.PLAN,
    StepKind.DISPOSE: Action.DISPOSE,
    StepKind.GATHER: Action.FORWARD,
    StepKind.REVIEW: Action.FORWARD,
    StepKind.HAND_OVER: Action.FORWARD,
    StepKind.ASSIGN_UPLOADER: Action.ASSIGN,
    StepKind.PUBLISH: Action.PUBLISH,
}

# Kinds that must appear exactly once, in this order, for the desk to run the procedure:
# the agenda and disposisi come before any page exists, the page is written at GATHER and goes
# live at PUBLISH.
REQUIRED_KINDS = (StepKind.PLAN, StepKind.DISPOSE, StepKind.GATHER, StepKind.PUBLISH)

# Kinds that are carried out on the page, i.e. inside the Wagtail workflow.
PAGE_KINDS = frozenset(
    {StepKind.GATHER, StepKind.REVIEW, StepKind.HAND_OVER, StepKind.ASSIGN_UPLOADER, StepKind.PUBLISH}
)


class SopDefinitionError(ValueError):
    """The definition file is wrong; ``field`` names where, the message says what (in Indonesian)."""

    def __init__(self, field_name: str, problem: str):
        self.field = field_name
        self.problem = problem
        super().__init__(f"{field_name}: {problem}")


class InvalidTransition(Exception):
    """A person tried an action the SOP does not allow them now. The message is for people."""


@dataclass(frozen=True)
class Step:
    number: int
    activity: str
    actors: tuple[Role, ...]
    kind: StepKind
    input: str
    minutes: int
    output: str
    next: int | None = None
    returns_to: tuple[int, ...] = ()
    may_edit: bool = False
    remarks: str = ""

    @property
    def completing_actor(self) -> Role:
        return self.actors[-1]

    @property
    def actor_labels(self) -> str:
        return " → ".join(role.label for role in self.actors)


@dataclass(frozen=True)
class SopDefinition:
    identity: dict
    role_titles: dict[Role, str]
    steps: tuple[Step, ...]
    source: str = field(default="", repr=False, compare=False)

    def step(self, number: int) -> Step:
        for step in self.steps:
            if step.number == number:
                return step
        raise KeyError(number)

    def step_of_kind(self, kind: StepKind) -> Step:
        return next(step for step in self.steps if step.kind == kind)

    def in_order(self) -> list[Step]:
        """The steps in the order an item passes them (following ``berikutnya`` from step 1)."""
        ordered, number = [], min(step.number for step in self.steps)
        while number is not None:
            step = self.step(number)
            ordered.append(step)
            number = step.next
        return ordered

    def page_steps(self) -> list[Step]:
        return [step for step in self.in_order() if step.kind in PAGE_KINDS]

    @property
    def total_minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


# --- the definition file -------------------------------------------------------------------------

_IDENTITY_TEXT = ("nomor", "judul")
_IDENTITY_LISTS = (
    "organisasi",
    "dasar_hukum",
    "kualifikasi_pelaksana",
    "keterkaitan",
    "peralatan",
    "peringatan",
    "pencatatan",
)
_IDENTITY_DATES = ("tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif")
_STEP_KEYS = {
    "nomor",
    "kegiatan",
    "pelaksana",
    "tindakan",
    "kelengkapan",
    "waktu_menit",
    "output",
    "berikutnya",
    "kembali_ke",
    "boleh_mengubah",
    "keterangan",
}


def parse_definition(text: str) -> SopDefinition:
    """Read and validate a definition file; raise ``SopDefinitionError`` at the first problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SopDefinitionError("berkas", f"bukan TOML yang sah ({exc})") from exc

    identity = _parse_identity(data.get("identitas"))
    role_titles = _parse_roles(data.get("pelaksana"))
    raw_steps = data.get("langkah")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise SopDefinitionError("langkah", "tidak ada langkah; tulis setidaknya satu [[langkah]]")
    steps = tuple(_parse_step(i, raw) for i, raw in enumerate(raw_steps, start=1))
    _check_steps(steps)
    return SopDefinition(identity=identity, role_titles=role_titles, steps=steps, source=text)


def _parse_identity(raw) -> dict:
    if not isinstance(raw, dict):
        raise SopDefinitionError("identitas", "bagian [identitas] tidak ada")
    identity: dict = {}
    for key in _IDENTITY_TEXT:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise SopDefinitionError(f"identitas.{key}", "wajib diisi dengan teks")
        identity[key] = value.strip()
    for key in ("instansi", "alamat"):
        identity[key] = _optional_text(raw, key, "identitas")
    for key in _IDENTITY_DATES:
        value = raw.get(key)
        if value is None or value == "":
            identity[key] = None
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            identity[key] = value
        else:
            raise SopDefinitionError(f"identitas.{key}", "harus tanggal (TTTT-BB-HH) atau dikosongkan")
    if identity["tanggal_pembuatan"] is None:
        raise SopDefinitionError("identitas.tanggal_pembuatan", "wajib diisi")
    for key in _IDENTITY_LISTS:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SopDefinitionError(f"identitas.{key}", 'harus daftar teks, misalnya ["..."]')
        identity[key] = [v.strip() for v in value if v.strip()]
    approval = raw.get("pengesahan")
    if not isinstance(approval, dict):
        raise SopDefinitionError("identitas.pengesahan", "bagian [identitas.pengesahan] tidak ada")
    identity["pengesahan"] = {}
    for key in ("jabatan", "nama", "nip"):
        value = approval.get(key)
        if not isinstance(value, str) or not value.strip():
            raise SopDefinitionError(f"identitas.pengesahan.{key}", "wajib diisi dengan teks")
        identity["pengesahan"][key] = value.strip()
    identity["pengesahan"]["pangkat"] = _optional_text(approval, "pangkat", "identitas.pengesahan")
    nip = identity["pengesahan"]["nip"].replace(" ", "")
    if not (nip.isdigit() and len(nip) == 18):
        raise SopDefinitionError("identitas.pengesahan.nip", "NIP harus 18 angka")
    identity["pengesahan"]["nip"] = nip
    return identity


def _optional_text(raw: dict, key: str, where: str) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str):
        raise SopDefinitionError(f"{where}.{key}", "harus teks")
    return value.strip()


def _parse_roles(raw) -> dict[Role, str]:
    if not isinstance(raw, dict):
        raise SopDefinitionError("pelaksana", "bagian [pelaksana] tidak ada")
    titles = {}
    for key, title in raw.items():
        role = _role(key, f"pelaksana.{key}")
        if not isinstance(title, str) or not title.strip():
            raise SopDefinitionError(f"pelaksana.{key}", "nama jabatan wajib diisi")
        titles[role] = title.strip()
    missing = [role.value for role in Role if role not in titles]
    if missing:
        raise SopDefinitionError("pelaksana", f"jabatan belum ditulis: {', '.join(missing)}")
    return titles


def _role(value, where: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        known = ", ".join(role.value for role in Role)
        raise SopDefinitionError(where, f"peran tidak dikenal '{value}' (yang dikenal: {known})") from None


def _parse_step(position: int, raw) -> Step:
    where = f"langkah[{position}]"
    if not isinstance(raw, dict):
        raise SopDefinitionError(where, "harus tabel [[langkah]]")
    unknown = sorted(set(raw) - _STEP_KEYS)
    if unknown:
        raise SopDefinitionError(f"{where}.{unknown[0]}", "kunci tidak dikenal")
    number = raw.get("nomor")
    if type(number) is not int or number < 1:
        raise SopDefinitionError(f"{where}.nomor", "wajib diisi dengan bilangan bulat positif")
    where = f"langkah {number}"

    minutes = raw.get("waktu_menit")
    if minutes is None:
        raise SopDefinitionError(f"{where}.waktu_menit", "standar waktu wajib diisi (dalam menit)")
    if type(minutes) is not int or minutes <= 0:
        raise SopDefinitionError(f"{where}.waktu_menit", f"harus bilangan bulat positif, bukan {minutes!r}")

    actors_raw = raw.get("pelaksana")
    if isinstance(actors_raw, str):
        actors_raw = [actors_raw]
    if not isinstance(actors_raw, list) or not actors_raw:
        raise SopDefinitionError(f"{where}.pelaksana", 'wajib diisi, misalnya ["kasi"]')
    actors = tuple(_role(value, f"{where}.pelaksana") for value in actors_raw)
    if len(actors) > 2:
        raise SopDefinitionError(f"{where}.pelaksana", "paling banyak dua pelaksana dalam satu langkah")

    try:
        kind = StepKind(raw.get("tindakan"))
    except ValueError:
        known = ", ".join(kind.value for kind in StepKind)
        raise SopDefinitionError(
            f"{where}.tindakan", f"tindakan tidak dikenal '{raw.get('tindakan')}' (yang dikenal: {known})"
        ) from None

    texts = {}
    for key in ("kegiatan", "kelengkapan", "output"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise SopDefinitionError(f"{where}.{key}", "wajib diisi dengan teks")
        texts[key] = " ".join(value.split())

    next_number = raw.get("berikutnya")
    if next_number is not None and type(next_number) is not int:
        raise SopDefinitionError(f"{where}.berikutnya", "harus nomor langkah")
    returns_to = raw.get("kembali_ke", [])
    if not isinstance(returns_to, list) or not all(type(n) is int for n in returns_to):
        raise SopDefinitionError(f"{where}.kembali_ke", "harus daftar nomor langkah, misalnya [3, 4]")
    may_edit = raw.get("boleh_mengubah", False)
    if not isinstance(may_edit, bool):
        raise SopDefinitionError(f"{where}.boleh_mengubah", "harus true atau false")

    return Step(
        number=number,
        activity=texts["kegiatan"],
        actors=actors,
        kind=kind,
        input=texts["kelengkapan"],
        minutes=minutes,
        output=texts["output"],
        next=next_number,
        returns_to=tuple(returns_to),
        may_edit=may_edit,
        remarks=_optional_text(raw, "keterangan", where),
    )


def _check_steps(steps: tuple[Step, ...]) -> None:
    seen: set[int] = set()
    for step in steps:
        if step.number in seen:
            raise SopDefinitionError(f"langkah {step.number}.nomor", "nomor langkah ganda")
        seen.add(step.number)
    expected = set(range(1, len(steps) + 1))
    if seen != expected:
        missing = sorted(expected - seen)
        raise SopDefinitionError(
            "langkah", f"nomor langkah harus berurutan 1–{len(steps)}; tidak ada langkah {missing[0]}"
        )
    by_number = {step.number: step for step in steps}

    for step in steps:
        if step.next is not None and step.next not in by_number:
            raise SopDefinitionError(f"langkah {step.number}.berikutnya", f"langkah {step.next} tidak ada")
        if step.next == step.number:
            raise SopDefinitionError(f"langkah {step.number}.berikutnya", "tidak boleh menunjuk dirinya sendiri")
        for target in step.returns_to:
            within_step = target == step.number and len(step.actors) > 1
            if target not in by_number or not (target < step.number or within_step):
                raise SopDefinitionError(
                    f"langkah {step.number}.kembali_ke",
                    f"langkah {target} bukan langkah sebelumnya; pekerjaan hanya dapat dikembalikan "
                    "ke langkah yang lebih awal",
                )
            if by_number[target].kind not in PAGE_KINDS:
                raise SopDefinitionError(
                    f"langkah {step.number}.kembali_ke",
                    f"langkah {target} terjadi sebelum naskah ditulis; tidak dapat menjadi tujuan pengembalian",
                )
        if step.may_edit and step.kind not in PAGE_KINDS:
            raise SopDefinitionError(f"langkah {step.number}.boleh_mengubah", "hanya untuk langkah pada naskah")

    # Walk the chain from step 1: every step must be reached, exactly once, and end at publication.
    visited: list[int] = []
    number: int | None = 1
    while number is not None:
        if number in visited:
            raise SopDefinitionError(
                f"langkah {visited[-1]}.berikutnya", f"membentuk putaran kembali ke langkah {number}"
            )
        visited.append(number)
        number = by_number[number].next
    unreached = sorted(set(by_number) - set(visited))
    if unreached:
        raise SopDefinitionError(
            f"langkah {unreached[0]}", "tidak pernah dicapai: tidak ada langkah yang 'berikutnya'-nya menunjuk ke sini"
        )

    # The desk and the return rule take a step's number as its place in the procedure.
    for earlier, later in zip(visited, visited[1:], strict=False):
        if later < earlier:
            raise SopDefinitionError(
                f"langkah {earlier}.berikutnya",
                f"langkah {later} bernomor lebih kecil; langkah harus dijalankan menurut nomornya",
            )

    order = [by_number[n] for n in visited]
    positions = {}
    for kind in REQUIRED_KINDS:
        found = [s for s in order if s.kind == kind]
        if len(found) != 1:
            raise SopDefinitionError("langkah", f"harus ada tepat satu langkah dengan tindakan '{kind.value}'")
        positions[kind] = order.index(found[0])
    if [positions[k] for k in REQUIRED_KINDS] != sorted(positions.values()):
        raise SopDefinitionError("langkah", "urutan harus: rencana, disposisi, liputan, …, unggah")
    if order[-1].kind != StepKind.PUBLISH:
        raise SopDefinitionError(f"langkah {order[-1].number}", "langkah terakhir harus 'unggah'")
    first_page = positions[StepKind.GATHER]
    for step in order[:first_page]:
        if step.kind in PAGE_KINDS:
            raise SopDefinitionError(f"langkah {step.number}.tindakan", "langkah naskah sebelum 'liputan'")
    for step in order[first_page:]:
        if step.kind not in PAGE_KINDS:
            raise SopDefinitionError(f"langkah {step.number}.tindakan", f"'{step.kind.value}' harus sebelum 'liputan'")
    for step in order:
        if step.kind in (StepKind.PLAN, StepKind.DISPOSE) and len(step.actors) != 1:
            raise SopDefinitionError(f"langkah {step.number}.pelaksana", "langkah ini hanya satu pelaksana")
        if step.kind == StepKind.GATHER and step.actors[0] != Role.STAF:
            raise SopDefinitionError(f"langkah {step.number}.pelaksana", "naskah liputan ditulis oleh staf")
        if step.kind == StepKind.PUBLISH and step.actors != (Role.STAF,):
            raise SopDefinitionError(f"langkah {step.number}.pelaksana", "yang mengunggah adalah staf")


# --- who may do what next ------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """Where an item stands: the step, and which of the step's pelaksana holds it (0 or 1)."""

    step: int
    phase: int = 0


DONE = None  # the position after the last step: published


def actor_at(defn: SopDefinition, position: Position) -> Role:
    return defn.step(position.step).actors[position.phase]


def allowed_actions(defn: SopDefinition, position: Position, role: Role) -> tuple[Action, ...]:
    """The actions a person acting in ``role`` may take on an item at ``position``."""
    step = defn.step(position.step)
    if actor_at(defn, position) != role:
        return ()
    if position.phase < len(step.actors) - 1:
        return (Action.SUBMIT,)
    actions = [COMPLETING_ACTION[step.kind]]
    if return_targets(defn, position):
        actions.append(Action.RETURN)
    return tuple(actions)


def return_targets(defn: SopDefinition, position: Position) -> tuple[int, ...]:
    """The steps the holder at ``position`` may send the item back to."""
    step = defn.step(position.step)
    if position.phase < len(step.actors) - 1:
        return ()
    return tuple(sorted(step.returns_to))


def can_act(defn: SopDefinition, position: Position, role: Role, action: Action) -> bool:
    return action in allowed_actions(defn, position, role)


def next_position(
    defn: SopDefinition, position: Position, role: Role, action: Action, *, return_to: int | None = None
) -> Position | None:
    """Where the item goes when ``role`` takes ``action`` at ``position``; ``None`` means published.

    Raises ``InvalidTransition`` with a message for people when the SOP does not allow it.
    """
    step = defn.step(position.step)
    if actor_at(defn, position) != role:
        raise InvalidTransition(
            f"Langkah {step.number} dikerjakan oleh {actor_at(defn, position).label}, bukan {role.label}."
        )
    if action not in allowed_actions(defn, position, role):
        raise InvalidTransition(f"Tindakan ini tidak tersedia pada langkah {step.number}.")
    if action == Action.SUBMIT:
        return Position(step.number, position.phase + 1)
    if action == Action.RETURN:
        if return_to not in return_targets(defn, position):
            allowed = ", ".join(str(n) for n in return_targets(defn, position))
            raise InvalidTransition(f"Dari langkah {step.number} naskah hanya dapat dikembalikan ke langkah {allowed}.")
        return Position(return_to, 0)
    if step.next is None:
        return DONE
    return Position(step.next, 0)


# The line of authority an overdue step is escalated along, lowest first.
ESCALATION_CHAIN = (Role.STAF, Role.KASI, Role.KABID, Role.SEKDIS, Role.KADIS)


def role_above(role: Role) -> Role | None:
    """Who hears of a step that ``role`` lets run over its standard: the next role up the chain.
    ``None`` for the Kadis, the head of the office: nobody above him works in Lontar."""
    index = ESCALATION_CHAIN.index(role)
    return ESCALATION_CHAIN[index + 1] if index + 1 < len(ESCALATION_CHAIN) else None


# --- time standards, in working time ------------------------------------------------------------

WITA = "Asia/Makassar"
# Office hours of Kabupaten Tabanan's offices (WITA), by weekday (0 = Monday). The office keeps its
# own in the database (sop.calendar); these are the defaults and what the tests assume.
DEFAULT_OFFICE_HOURS: dict[int, tuple[tuple[dt.time, dt.time], ...]] = {
    0: ((dt.time(7, 30), dt.time(16, 0)),),
    1: ((dt.time(7, 30), dt.time(16, 0)),),
    2: ((dt.time(7, 30), dt.time(16, 0)),),
    3: ((dt.time(7, 30), dt.time(16, 0)),),
    4: ((dt.time(7, 30), dt.time(13, 30)),),
}
# A calendar with no working hour in this many days is a mistake, not a long weekend.
_MAX_IDLE_DAYS = 400
# The share of its standard at which a step counts as "due soon" (and its holder is reminded).
DUE_SOON_SHARE = 0.8


@dataclass(frozen=True)
class WorkingCalendar:
    """When the office works: hours per weekday in its own time zone, minus holidays.

    Time standards count only working time: a 3-hour step started on Friday at 12:30 has used one
    hour when the office closes at 13:30 and is due on Monday at 09:30.

    Periods of a day lie within that day (an office does not work across midnight), so a period
    ends at 23:59:59 at the latest. Durations are measured between absolute instants, so a zone
    with daylight saving time would count a shifted hour correctly; WITA has none."""

    hours: dict[int, tuple[tuple[dt.time, dt.time], ...]] = field(default_factory=lambda: dict(DEFAULT_OFFICE_HOURS))
    holidays: frozenset[dt.date] = frozenset()
    tz_name: str = WITA

    def __post_init__(self):
        from zoneinfo import ZoneInfo

        ZoneInfo(self.tz_name)  # an unknown zone fails here, not at the first deadline
        # Stored sorted and immutable: equal calendars compare (and cache) equal.
        normalised = {}
        for weekday, intervals in self.hours.items():
            if not 0 <= weekday <= 6:
                raise ValueError(f"weekday {weekday} is not 0..6")
            intervals = tuple(sorted(tuple(period) for period in intervals))
            previous_end = None
            for start, end in intervals:
                if start.tzinfo is not None or end.tzinfo is not None:
                    raise ValueError("office hours are local times without a zone")
                if not start < end:
                    raise ValueError(f"office hours {start}-{end} end before they start")
                if previous_end is not None and start < previous_end:
                    raise ValueError("office hours of one day overlap")
                previous_end = end
            if intervals:
                normalised[weekday] = intervals
        if not normalised:
            raise ValueError("the office never works")
        object.__setattr__(self, "hours", normalised)
        object.__setattr__(self, "holidays", frozenset(self.holidays))

    @property
    def tz(self):
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.tz_name)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() in self.hours and day not in self.holidays

    def intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The working periods of ``day``, as aware datetimes in the office's time zone."""
        if not self.is_working_day(day):
            return []
        tz = self.tz
        return [
            (dt.datetime.combine(day, start, tzinfo=tz), dt.datetime.combine(day, end, tzinfo=tz))
            for start, end in self.hours[day.weekday()]
        ]

    def _local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            # A naive time would silently be read in the server's zone.
            raise ValueError("a time without a time zone cannot be placed in office hours")
        return moment.astimezone(self.tz)

    def _periods(self, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """``intervals(day)`` in UTC, where subtracting two instants gives the time between them
        (Python subtracts same-zone datetimes on the wall clock). Kept per day: an inbox asks for
        today and the same few start days hundreds of times."""
        periods = self._periods_by_day.get(day)
        if periods is None:
            periods = tuple((a.astimezone(dt.UTC), b.astimezone(dt.UTC)) for a, b in self.intervals(day))
            self._periods_by_day[day] = periods
        return periods

    @cached_property
    def _periods_by_day(self) -> dict[dt.date, tuple[tuple[dt.datetime, dt.datetime], ...]]:
        return {}

    def working_time(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time between two instants: the overlap of [start, end] with the office's periods."""
        start, end = self._local(start), self._local(end)
        if end < start:
            raise ValueError("end before start")
        start_utc, end_utc = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
        total = dt.timedelta(0)
        first, last = start.date(), end.date()
        days = [first, last] if last > first else [first]
        # The days strictly between lie wholly inside [start, end]: counted by weekday, not one by
        # one, so an item stalled for two years costs the inbox no more than one opened today.
        total += self._whole_days(first + dt.timedelta(days=1), last)
        for day in days:
            for open_at, close_at in self._periods(day):
                lo, hi = max(open_at, start_utc), min(close_at, end_utc)
                if hi > lo:
                    total += hi - lo
        return total

    def _whole_days(self, first: dt.date, stop: dt.date) -> dt.timedelta:
        """All working time of the days ``first`` ≤ day < ``stop``."""
        if stop <= first:
            return dt.timedelta(0)
        if not self._fixed_offset(first, stop):
            # A daylight-saving change may shorten a day's periods: count day by day, exactly.
            total, day = dt.timedelta(0), first
            while day < stop:
                total += sum((b - a for a, b in self._periods(day)), dt.timedelta(0))
                day += dt.timedelta(days=1)
            return total
        per_weekday = self._weekday_time
        zero = dt.timedelta(0)
        weeks, rest = divmod((stop - first).days, 7)
        total = sum(per_weekday.values(), zero) * weeks
        total += sum((per_weekday.get((first.weekday() + i) % 7, zero) for i in range(rest)), zero)
        holidays, lost = self._holidays_lost
        return total - (lost[bisect.bisect_left(holidays, stop)] - lost[bisect.bisect_left(holidays, first)])

    @cached_property
    def _holidays_lost(self) -> tuple[list[dt.date], list[dt.timedelta]]:
        """The holidays in date order, and the working time they take away up to each one
        (``lost[i]``: the first ``i`` holidays), so the days between two dates cost two bisections,
        not a pass over every holiday."""
        holidays = sorted(self.holidays)
        lost = [dt.timedelta(0)]
        for day in holidays:
            lost.append(lost[-1] + self._weekday_time.get(day.weekday(), dt.timedelta(0)))
        return holidays, lost

    @cached_property
    def _weekday_time(self) -> dict[int, dt.timedelta]:
        """Working time of a whole day, per weekday (on the wall clock: a fixed-offset zone)."""
        day = dt.date(2000, 1, 1)
        return {
            weekday: sum(
                (dt.datetime.combine(day, b) - dt.datetime.combine(day, a) for a, b in periods), dt.timedelta(0)
            )
            for weekday, periods in self.hours.items()
        }

    def _fixed_offset(self, first: dt.date, stop: dt.date) -> bool:
        return _zone_is_fixed(self.tz_name, first.year, stop.year)

    def working_seconds(self, start: dt.datetime, end: dt.datetime) -> int:
        # Summed exactly and rounded down once, so that working_minutes(s, add(s, m)) == m even
        # when ``s`` carries seconds or microseconds.
        return int(self.working_time(start, end) // dt.timedelta(seconds=1))

    def working_minutes(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole minutes of working time between ``start`` and ``end``."""
        return int(self.working_time(start, end) // dt.timedelta(minutes=1))

    def add(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The moment ``minutes`` of working time after ``start``: a step's deadline, in the
        office's zone. A step that starts outside office hours starts counting when the office
        next opens; a deadline that falls exactly on a closing time stays there (not at the next
        opening)."""
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        start = self._local(start)
        if minutes == 0:
            return start
        start_utc = start.astimezone(dt.UTC)
        left = dt.timedelta(minutes=minutes)
        day, idle = start.date(), 0
        while True:
            periods = self._periods(day)
            idle = 0 if periods else idle + 1
            if idle > _MAX_IDLE_DAYS:
                raise ValueError("no working time in the calendar after this date")
            for open_at, close_at in periods:
                lo = max(open_at, start_utc)
                if close_at <= lo:
                    continue
                if close_at - lo >= left:
                    return (lo + left).astimezone(self.tz)
                left -= close_at - lo
            day += dt.timedelta(days=1)

    def next_opening(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` itself when the office is open then, else when it next opens."""
        moment = self._local(moment)
        day = moment.date()
        for _ in range(_MAX_IDLE_DAYS + 7):
            for open_at, close_at in self.intervals(day):
                if moment < close_at:
                    return max(open_at, moment)
            day += dt.timedelta(days=1)
        raise ValueError("no working time in the calendar after this date")


@functools.lru_cache(maxsize=64)
def _zone_is_fixed(tz_name: str, first_year: int, last_year: int) -> bool:
    """Whether the zone keeps one UTC offset through the years ``first_year``..``last_year``."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(tz_name)
    offsets = {
        dt.datetime(year, month, 1, 12, tzinfo=tz).utcoffset()
        for year in range(first_year, last_year + 1)
        for month in (1, 4, 7, 10)
    }
    return len(offsets) == 1


WALL_CLOCK = None  # pass as ``calendar`` to count every minute (the record before working time)


def elapsed_minutes(start: dt.datetime, end: dt.datetime, calendar: WorkingCalendar | None = WALL_CLOCK) -> int:
    """Whole minutes a step took: working minutes when a calendar is given."""
    if end < start:
        raise ValueError("end before start")
    if calendar is not None:
        return calendar.working_minutes(start, end)
    return int((end - start).total_seconds() // 60)


def deadline(start: dt.datetime, minutes: int, calendar: WorkingCalendar | None = WALL_CLOCK) -> dt.datetime:
    if calendar is not None:
        return calendar.add(start, minutes)
    return start + dt.timedelta(minutes=minutes)


def minutes_over(
    start: dt.datetime, now: dt.datetime, standard_minutes: int, calendar: WorkingCalendar | None = WALL_CLOCK
) -> int:
    """How many minutes past its standard a step is (0 when within it)."""
    return max(0, elapsed_minutes(start, now, calendar) - standard_minutes)


def remaining_minutes(
    start: dt.datetime, now: dt.datetime, standard_minutes: int, calendar: WorkingCalendar | None = WALL_CLOCK
) -> int:
    """Minutes of the standard still left; negative when the step is late (minus ``minutes_over``)."""
    return standard_minutes - elapsed_minutes(start, now, calendar)


def is_on_time(elapsed: int, standard_minutes: int) -> bool:
    return elapsed <= standard_minutes


class DueState(StrEnum):
    """Where an open step stands against its standard."""

    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return DUE_STATE_LABELS[self]


DUE_STATE_LABELS = {
    DueState.ON_TIME: "tepat waktu",
    DueState.DUE_SOON: "segera jatuh tempo",
    DueState.OVERDUE: "terlambat",
}


def due_soon_after(standard_minutes: int, share: float = DUE_SOON_SHARE) -> int:
    """The elapsed minute from which a step is "due soon": ``share`` of its standard, rounded up
    (80 % of 10 minutes is minute 8; of 45 minutes, minute 36)."""
    if not 0 < share <= 1:
        raise ValueError("share must be in (0, 1]")
    # round() first: 3 * 0.8 is 2.4000000000000004 in floating point, which must not become 3.
    return max(1, math.ceil(round(standard_minutes * share, 6)))


def due_state(
    start: dt.datetime,
    now: dt.datetime,
    standard_minutes: int,
    calendar: WorkingCalendar | None = WALL_CLOCK,
    due_soon_share: float = DUE_SOON_SHARE,
) -> DueState:
    """On time, due soon (``due_soon_share`` of the standard used) or overdue (past it: the same
    minute ``minutes_over`` turns positive and ``is_on_time`` turns false)."""
    return state_after(elapsed_minutes(start, now, calendar), standard_minutes, due_soon_share)


def state_after(elapsed: int, standard_minutes: int, due_soon_share: float = DUE_SOON_SHARE) -> DueState:
    """The state of a step that has used ``elapsed`` minutes of its standard."""
    if not is_on_time(elapsed, standard_minutes):
        return DueState.OVERDUE
    if elapsed >= due_soon_after(standard_minutes, due_soon_share):
        return DueState.DUE_SOON
    return DueState.ON_TIME
