"""Reads for the desk's screens, each with a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from desk.models import AgendaItem, Liputan, StepEvent
from sop import rules
from sop.models import SopStep


@dataclass(frozen=True)
class StepClock:
    started_at: dt.datetime
    standard_minutes: int
    now: dt.datetime

    @property
    def elapsed_minutes(self) -> int:
        return rules.elapsed_minutes(self.started_at, self.now)

    @property
    def minutes_over(self) -> int:
        return rules.minutes_over(self.started_at, self.now, self.standard_minutes)

    @property
    def due_at(self) -> dt.datetime:
        return rules.deadline(self.started_at, self.standard_minutes)

    @property
    def late(self) -> bool:
        return self.minutes_over > 0


@dataclass(frozen=True)
class InboxEntry:
    title: str
    step: SopStep
    phase_actor: str
    clock: StepClock
    url: str
    kind_label: str
    returned: bool = False


def _steps_by_version(version_ids) -> dict[tuple[int, int], SopStep]:
    return {(s.version_id, s.number): s for s in SopStep.objects.filter(version_id__in=set(version_ids))}


def inbox_for(*, user, now: dt.datetime | None = None) -> list[InboxEntry]:
    """What awaits ``user``: open agenda steps they hold and items whose step they hold."""
    now = now or timezone.now()
    agendas = list(
        AgendaItem.objects.filter(
            created_by=user, status__in=[AgendaItem.Status.DRAFT, AgendaItem.Status.PLANNED]
        ).order_by("step_started_at")
    )
    items = list(
        Liputan.objects.filter(holder=user, status=Liputan.Status.ACTIVE)
        .select_related("agenda", "page")
        .order_by("step_started_at")
    )
    steps = _steps_by_version([a.sop_version_id for a in agendas] + [i.sop_version_id for i in items])
    # An item whose current step began with a return is marked, so the holder reads the reason.
    returned = set(
        StepEvent.objects.filter(liputan_id__in=[i.pk for i in items], action=StepEvent.Action.RETURN)
        .values_list("liputan_id", "at")
    ) if items else set()
    entries = []
    for agenda in agendas:
        step = steps[(agenda.sop_version_id, agenda.step)]
        url = (
            reverse("desk:agenda_edit", args=[agenda.pk])
            if agenda.status == AgendaItem.Status.DRAFT
            else reverse("desk:disposisi_create", args=[agenda.pk])
        )
        entries.append(
            InboxEntry(
                title=agenda.topic,
                step=step,
                phase_actor=rules.Role(step.actors[0]).label,
                clock=StepClock(agenda.step_started_at, step.minutes, now),
                url=url,
                kind_label=agenda.get_kind_display(),
            )
        )
    for item in items:
        step = steps[(item.sop_version_id, item.step)]
        entries.append(
            InboxEntry(
                title=item.title,
                step=step,
                phase_actor=rules.Role(step.actors[item.phase]).label,
                clock=StepClock(item.step_started_at, step.minutes, now),
                url=reverse("desk:liputan", args=[item.pk]),
                kind_label=item.agenda.get_kind_display(),
                returned=(item.pk, item.step_started_at) in returned,
            )
        )
    entries.sort(key=lambda e: (-e.clock.minutes_over, e.clock.started_at))
    return entries


def agenda_list(*, user):
    qs = AgendaItem.objects.select_related("perangkat_daerah", "created_by").prefetch_related("liputan__writer")
    return qs.order_by("-planned_date", "-id")


def liputan_list(*, status: str | None = None):
    qs = Liputan.objects.select_related("agenda", "page", "holder", "writer")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def liputan_detail(*, pk: int) -> Liputan:
    return (
        Liputan.objects.select_related(
            "agenda__perangkat_daerah",
            "agenda__created_by",
            "disposisi__created_by",
            "sop_version",
            "writer",
            "holder",
            "uploader",
            "page",
        ).get(pk=pk)
    )


@dataclass(frozen=True)
class TimelineRow:
    step: SopStep
    events: list[StepEvent]
    open_clock: StepClock | None

    @property
    def durations(self) -> list[StepEvent]:
        return [e for e in self.events if e.elapsed_minutes is not None]


def liputan_timeline(*, liputan: Liputan, now: dt.datetime | None = None) -> list[TimelineRow]:
    """Every step of the item's SOP version with what happened at it, in step order."""
    now = now or timezone.now()
    events = list(
        StepEvent.objects.filter(Q(liputan=liputan) | Q(agenda_id=liputan.agenda_id, liputan__isnull=True))
        .select_related("actor", "revision")
        .order_by("at", "id")
    )
    previous_revision_id = None
    for event in events:
        # Lets the timeline link each action to what changed since the one before it.
        event.previous_revision_id = previous_revision_id
        if event.revision_id:
            previous_revision_id = event.revision_id
    rows = []
    for step in SopStep.objects.filter(version_id=liputan.sop_version_id).order_by("number"):
        open_clock = None
        if liputan.status == Liputan.Status.ACTIVE and step.number == liputan.step:
            open_clock = StepClock(liputan.step_started_at, step.minutes, now)
        rows.append(TimelineRow(step=step, events=[e for e in events if e.step == step.number], open_clock=open_clock))
    return rows


def revision_at_step_start(*, liputan: Liputan) -> Revision | None:
    """The revision the current holder received (to show what changed since)."""
    event = (
        StepEvent.objects.filter(liputan=liputan, revision__isnull=False, at__lte=liputan.step_started_at)
        .select_related("revision")
        .order_by("-at", "-id")
        .first()
    )
    return event.revision if event else None


def revision_diff(*, page, revision_a: Revision, revision_b: Revision, request) -> list:
    """Wagtail's own field-by-field comparison between two revisions of ``page``."""
    a, b = revision_a.as_object(), revision_b.as_object()
    panel = page.get_edit_handler().get_bound_panel(instance=page, request=request, form=None)
    return [diff for diff in (comp(a, b) for comp in panel.get_comparison()) if diff.has_changed()]
