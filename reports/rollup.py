"""Keeping the report's running totals (``reports.models``) in step with the SOP record.

``record_event`` runs for every new ``StepEvent`` (a post_save receiver, inside the desk service's
transaction, so a rolled-back action adds nothing). ``rebuild`` recomputes everything from the
record with grouped queries; the benchmark and any bulk import use it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import TruncMonth

from desk.models import StepEvent
from reports.models import PublishedLead, StepFigure


def office_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def month_of(at: dt.datetime) -> dt.date:
    return at.astimezone(office_zone()).date().replace(day=1)


def step_key(step: int) -> str:
    return f"step:{step}"


def kind_key(kind: str) -> str:
    return f"kind:{kind}"


def person_key(actor_id: int, role: str, on_behalf_of_id: int | None, acting_kind: str) -> str:
    return f"person:{actor_id}:{role}:{on_behalf_of_id or '-'}:{acting_kind or '-'}"


def parse_person_key(key: str) -> tuple[int, str, int | None, str]:
    _, actor_id, role, absent, acting = key.split(":")
    return int(actor_id), role, None if absent == "-" else int(absent), "" if acting == "-" else acting


def event_keys(event: StepEvent, kind: str) -> list[str]:
    return [
        step_key(event.step),
        person_key(event.actor_id, event.actor_role, event.on_behalf_of_id, event.acting_kind),
        kind_key(kind),
    ]


_UPSERT = """
    INSERT INTO {table} (month, key, elapsed_minutes, runs, within, returns) VALUES {values}
    ON CONFLICT (month, key, elapsed_minutes) DO UPDATE SET
        runs = {table}.runs + excluded.runs,
        within = {table}.within + excluded.within,
        returns = {table}.returns + excluded.returns
"""


def record_event(event: StepEvent) -> None:
    if event.elapsed_minutes is None:
        return  # a submit or an emergency publish ends no step
    kind = event.agenda.kind
    month = month_of(event.at)
    within = int(event.elapsed_minutes <= event.standard_minutes)
    returned = int(event.action == StepEvent.Action.RETURN)
    keys = event_keys(event, kind)
    params = []
    for key in keys:
        params += [month, key, event.elapsed_minutes, 1, within, returned]
    sql = _UPSERT.format(table=StepFigure._meta.db_table, values=", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(keys)))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    if event.action == StepEvent.Action.PUBLISH and event.liputan_id:
        PublishedLead.objects.update_or_create(
            liputan_id=event.liputan_id,
            defaults={
                "kind": kind,
                "published_at": event.at,
                "minutes": lead_minutes(event.liputan_id, event.agenda_id),
            },
        )


def lead_minutes(liputan_id: int, agenda_id: int) -> int:
    """All completed step runs of the item: its own (steps 3–10) and its agenda's (steps 1–2)."""
    total = StepEvent.objects.filter(Q(liputan_id=liputan_id) | Q(agenda_id=agenda_id, liputan__isnull=True)).aggregate(
        total=Sum("elapsed_minutes")
    )["total"]
    return total or 0


@transaction.atomic
def rebuild(*, batch_size: int = 5000) -> tuple[int, int]:
    """Recompute both tables from the record. Returns (figure rows, published items)."""
    StepFigure.objects.all().delete()
    PublishedLead.objects.all().delete()
    completed = StepEvent.objects.filter(elapsed_minutes__isnull=False).order_by()
    month = TruncMonth("at", tzinfo=office_zone(), output_field=DateField())
    measures = {
        "runs": Count("id"),
        "within": Count("id", filter=Q(elapsed_minutes__lte=F("standard_minutes"))),
        "returns": Count("id", filter=Q(action=StepEvent.Action.RETURN)),
    }
    rows = []
    breakdowns = (
        (["step"], lambda r: step_key(r["step"])),
        (["agenda__kind"], lambda r: kind_key(r["agenda__kind"])),
        (
            ["actor_id", "actor_role", "on_behalf_of_id", "acting_kind"],
            lambda r: person_key(r["actor_id"], r["actor_role"], r["on_behalf_of_id"], r["acting_kind"]),
        ),
    )
    for fields, key in breakdowns:
        for row in completed.annotate(m=month).values("m", *fields, "elapsed_minutes").annotate(**measures):
            rows.append(
                StepFigure(
                    month=row["m"],
                    key=key(row),
                    elapsed_minutes=row["elapsed_minutes"],
                    runs=row["runs"],
                    within=row["within"],
                    returns=row["returns"],
                )
            )
    StepFigure.objects.bulk_create(rows, batch_size=batch_size)

    per_liputan = dict(
        completed.filter(liputan__isnull=False)
        .values("liputan_id")
        .annotate(t=Sum("elapsed_minutes"))
        .values_list("liputan_id", "t")
    )
    per_agenda = dict(
        completed.filter(liputan__isnull=True)
        .values("agenda_id")
        .annotate(t=Sum("elapsed_minutes"))
        .values_list("agenda_id", "t")
    )
    leads = [
        PublishedLead(
            liputan_id=liputan_id,
            kind=kind,
            published_at=at,
            minutes=per_liputan.get(liputan_id, 0) + per_agenda.get(agenda_id, 0),
        )
        for liputan_id, agenda_id, kind, at in StepEvent.objects.filter(
            action=StepEvent.Action.PUBLISH, liputan__isnull=False
        ).values_list("liputan_id", "agenda_id", "agenda__kind", "at")
    ]
    PublishedLead.objects.bulk_create(leads, batch_size=batch_size)
    return len(rows), len(leads)
