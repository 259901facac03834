"""The compliance report's reads: a fixed number of queries for any period and any history.

The breakdowns (per step, per person, per kind) come from ``reports.models.StepFigure``: per month
(WITA) and breakdown key, how many completed step runs took each whole number of working minutes.
Summed over the period's whole months in one grouped query, these histograms give counts, sums,
the share within the standard and exact percentiles (``reports.stats``, the same interpolation
as PostgreSQL's ``percentile_cont``). Days of a period outside whole months (a period that starts
on the 15th) are read from the record itself with three grouped queries over those days only.
Lead times come from ``reports.models.PublishedLead``: on PostgreSQL ``percentile_cont`` in the
database, on SQLite a histogram of whole minutes. Why totals and not the record directly: over
a million step events the direct queries took several seconds (bench/RESULTS.md).

What counts:
- A *completed step* is a ``StepEvent`` with a duration (``elapsed_minutes``): plan, dispose,
  forward, assign, publish and return end a run of a step; the Staf's submit inside step 3 and
  the emergency publish do not. A step that was returned and passed again counts once per run.
  The event's ``at`` (when the step ended) places it in the period.
- Durations are what the desk recorded: working minutes under the office calendar in force when
  the step ended, against the standard the item's SOP version set (``standard_minutes``).
- *Lead time* of an item published through step 10 in the period: the sum of the durations of all
  its completed step runs, from planning (steps 1–2, on its agenda) to publication, returns
  included. Steps follow each other without gaps (each starts when the previous ends), so this is
  the working time from step 1 to step 10, and it adds up to the same figures as the step table.
  Items published in an emergency skipped steps and are listed apart, not in the lead time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F, Q, Sum

from desk.models import AgendaItem, StepEvent
from reports import rollup, stats
from reports.models import PublishedLead, StepFigure
from reports.periods import Period
from sop import rules
from sop.selectors import sop_current

# How many individual returns and emergency publishes the report lists (the counts are complete).
LIST_LIMIT = 200
# Used only when no SOP version is loaded; otherwise the definition's own total.
FALLBACK_TOTAL_MINUTES = 330


def uses_percentile_cont() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class Figures:
    """One row of a breakdown."""

    runs: int = 0  # completed step runs
    total_minutes: int = 0
    within: int = 0  # runs that took no longer than their standard
    returns: int = 0  # runs that ended in a return
    median: float | None = None
    p90: float | None = None

    @property
    def mean(self) -> float | None:
        return self.total_minutes / self.runs if self.runs else None

    @property
    def share_within(self) -> float | None:
        return stats.share(self.within, self.runs)


@dataclass
class StepRow:
    number: int
    activity: str
    actors: str
    standard: int | None
    figures: Figures


@dataclass
class PersonRow:
    name: str
    role: str
    on_behalf_of: str  # "a.n." the absent official, when an acting official closed the steps
    figures: Figures


@dataclass
class KindRow:
    kind: str
    label: str
    figures: Figures
    lead: LeadTime


@dataclass
class LeadTime:
    items: int = 0
    total_minutes: int = 0
    within: int = 0  # items whose lead time is within the SOP total
    median: float | None = None
    p90: float | None = None

    @property
    def mean(self) -> float | None:
        return self.total_minutes / self.items if self.items else None

    @property
    def share_within(self) -> float | None:
        return stats.share(self.within, self.items)


@dataclass
class ReturnFlow:
    from_step: int
    to_step: int | None
    count: int


@dataclass
class Report:
    period: Period
    sop_label: str
    sop_total_minutes: int
    steps: list[StepRow]
    people: list[PersonRow]
    kinds: list[KindRow]
    lead: LeadTime
    return_flows: list[ReturnFlow]
    returns: list[StepEvent] = field(default_factory=list)
    emergencies: list[StepEvent] = field(default_factory=list)
    emergency_count: int = 0

    @property
    def runs(self) -> int:
        return sum(row.figures.runs for row in self.steps)

    @property
    def within(self) -> int:
        return sum(row.figures.within for row in self.steps)

    @property
    def share_within(self) -> float | None:
        return stats.share(self.within, self.runs)

    @property
    def returns_count(self) -> int:
        return sum(flow.count for flow in self.return_flows)


def _whole_months(period: Period) -> tuple[dt.date, dt.date] | None:
    """The first days of the first and last whole months inside the period, if any."""
    first = period.first if period.first.day == 1 else _next_month(period.first)
    month, last = first, None
    while _next_month(month) - dt.timedelta(days=1) <= period.last:
        last = month
        month = _next_month(month)
    return (first, last) if last else None


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=rollup.office_zone())


def _histograms(period: Period) -> dict[str, list[tuple[int, int, int, int]]]:
    """Breakdown key → [(minutes, runs, within, returns)], for the whole period. Always four
    queries: the whole months from the totals, the days outside them from the record."""
    months = _whole_months(period)
    histograms: dict[str, list] = defaultdict(list)
    totals = (
        StepFigure.objects.filter(month__gte=months[0], month__lte=months[1]) if months else StepFigure.objects.none()
    )
    if months:
        edges = Q(at__gte=period.start, at__lt=_at(months[0])) | Q(
            at__gte=_at(_next_month(months[1])), at__lt=period.end
        )
    else:
        edges = Q(at__gte=period.start, at__lt=period.end)
    for row in (
        totals.values("key", "elapsed_minutes").annotate(r=Sum("runs"), w=Sum("within"), x=Sum("returns")).order_by()
    ):
        histograms[row["key"]].append((row["elapsed_minutes"], row["r"], row["w"], row["x"]))
    raw = StepEvent.objects.filter(edges, elapsed_minutes__isnull=False).order_by()
    measures = {
        "r": Count("id"),
        "w": Count("id", filter=Q(elapsed_minutes__lte=F("standard_minutes"))),
        "x": Count("id", filter=Q(action=StepEvent.Action.RETURN)),
    }
    breakdowns = (
        (["step"], lambda r: rollup.step_key(r["step"])),
        (["agenda__kind"], lambda r: rollup.kind_key(r["agenda__kind"])),
        (
            ["actor_id", "actor_role", "on_behalf_of_id", "acting_kind"],
            lambda r: rollup.person_key(r["actor_id"], r["actor_role"], r["on_behalf_of_id"], r["acting_kind"]),
        ),
    )
    for fields, key in breakdowns:
        for row in raw.values(*fields, "elapsed_minutes").annotate(**measures):
            histograms[key(row)].append((row["elapsed_minutes"], row["r"], row["w"], row["x"]))
    return histograms


def _figures(histogram: list[tuple[int, int, int, int]]) -> Figures:
    counts = [(minutes, runs) for minutes, runs, _, _ in histogram]
    return Figures(
        runs=sum(runs for _, runs, _, _ in histogram),
        total_minutes=sum(minutes * runs for minutes, runs, _, _ in histogram),
        within=sum(within for _, _, within, _ in histogram),
        returns=sum(returns for _, _, _, returns in histogram),
        median=stats.percentile_from_histogram(counts, 0.5),
        p90=stats.percentile_from_histogram(counts, 0.9),
    )


def _lead_times(period: Period, sop_total: int) -> dict[str | None, LeadTime]:
    """Lead time per kind of content, and over all kinds under the key None."""
    leads = PublishedLead.objects.filter(published_at__gte=period.start, published_at__lt=period.end)
    result: dict[str | None, LeadTime] = {}
    if uses_percentile_cont():
        sql, params = leads.values("kind", "minutes").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT kind, COUNT(*), SUM(minutes), SUM(CASE WHEN minutes <= %s THEN 1 ELSE 0 END),
                    PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY minutes),
                    PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY minutes),
                    GROUPING(kind)
                FROM ({sql}) lead GROUP BY ROLLUP (kind)
                """,
                [sop_total, *params],
            )
            for kind, items, total, within, median, p90, is_total in cursor.fetchall():
                result[None if is_total else kind] = LeadTime(
                    items=items, total_minutes=int(total or 0), within=int(within or 0), median=median, p90=p90
                )
        return result
    histograms = defaultdict(list)
    for kind, minutes, count in leads.values_list("kind", "minutes").annotate(n=Count("pk")).order_by():
        histograms[kind].append((minutes, count))
        histograms[None].append((minutes, count))
    for kind, histogram in histograms.items():
        result[kind] = LeadTime(
            items=sum(n for _, n in histogram),
            total_minutes=sum(minutes * n for minutes, n in histogram),
            within=sum(n for minutes, n in histogram if minutes <= sop_total),
            median=stats.percentile_from_histogram(histogram, 0.5),
            p90=stats.percentile_from_histogram(histogram, 0.9),
        )
    return result


def _name(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def compliance_report(period: Period) -> Report:
    version = sop_current()
    definition = version.definition() if version else None
    sop_total = definition.total_minutes if definition else FALLBACK_TOTAL_MINUTES
    histograms = _histograms(period)
    by_step = {(int(key.split(":")[1]),): _figures(h) for key, h in histograms.items() if key.startswith("step:")}
    steps = []
    known = set()
    for step in definition.in_order() if definition else []:
        known.add(step.number)
        steps.append(
            StepRow(step.number, step.activity, step.actor_labels, step.minutes, by_step.get((step.number,), Figures()))
        )
    # Steps of an older version that the one in force no longer has.
    for (number,), figures in sorted(by_step.items()):
        if number not in known:
            steps.append(StepRow(number, "", "", None, figures))

    # An acting official (Plt/Plh) closes steps in their own name "a.n." the absent one: their
    # figures as acting official are a row of their own.
    by_person = {
        rollup.parse_person_key(key): _figures(h) for key, h in histograms.items() if key.startswith("person:")
    }
    user_ids = {key[0] for key in by_person} | {key[2] for key in by_person if key[2]}
    users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    people = []
    for (actor_id, role, absent_id, acting_kind), figures in by_person.items():
        try:
            role_label = rules.Role(role).label
        except ValueError:
            role_label = role
        on_behalf = ""
        if absent_id:
            on_behalf = _name(users.get(absent_id))
            acting = {"plt": "Plt.", "plh": "Plh."}.get(acting_kind)
            if acting:
                role_label = f"{acting} {role_label}"
        people.append(PersonRow(_name(users.get(actor_id)), role_label, on_behalf, figures))
    people.sort(key=lambda row: (row.role, row.name, row.on_behalf_of))

    by_kind = {(key.split(":", 1)[1],): _figures(h) for key, h in histograms.items() if key.startswith("kind:")}
    leads = _lead_times(period, sop_total)
    kinds = [
        KindRow(kind.value, str(kind.label), by_kind.get((kind.value,), Figures()), leads.get(kind.value, LeadTime()))
        for kind in AgendaItem.Kind
        if (kind.value,) in by_kind or kind.value in leads
    ]

    in_period = StepEvent.objects.filter(at__gte=period.start, at__lt=period.end)
    flagged_actions = [StepEvent.Action.RETURN, StepEvent.Action.EMERGENCY_PUBLISH]
    flows, emergency_count = [], 0
    for row in (
        in_period.filter(action__in=flagged_actions)
        .values("action", "step", "to_step")
        .annotate(n=Count("id"))
        .order_by("step", "to_step")
    ):
        if row["action"] == StepEvent.Action.RETURN:
            flows.append(ReturnFlow(row["step"], row["to_step"], row["n"]))
        else:
            emergency_count += row["n"]
    listed = ("actor", "on_behalf_of", "agenda", "liputan__page", "liputan__agenda")
    returns = list(
        in_period.filter(action=StepEvent.Action.RETURN).select_related(*listed).order_by("at", "id")[:LIST_LIMIT]
    )
    emergencies = list(
        in_period.filter(action=StepEvent.Action.EMERGENCY_PUBLISH)
        .select_related(*listed)
        .order_by("at", "id")[:LIST_LIMIT]
    )

    return Report(
        period=period,
        sop_label=f"{version.nomor} v{version.version}" if version else "",
        sop_total_minutes=sop_total,
        steps=steps,
        people=people,
        kinds=kinds,
        lead=leads.get(None, LeadTime()),
        return_flows=flows,
        returns=returns,
        emergencies=emergencies,
        emergency_count=emergency_count,
    )
