"""Reads for the desk's screens, each with a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Revision

from accounts.models import ACTING_OFFICES
from accounts.roles import acting_appointments, has_role, is_site_admin
from desk.content_types import ReviewField, content_type_of
from desk.models import AgendaItem, Liputan, StepEvent
from sop import rules
from sop.calendar import office_calendar
from sop.models import SopStep


@dataclass(frozen=True)
class StepClock:
    """An open step against its time standard, counted in the office's working time (``calendar``;
    ``None`` counts every minute of the wall clock)."""

    started_at: dt.datetime
    standard_minutes: int
    now: dt.datetime
    calendar: rules.WorkingCalendar | None = None

    @cached_property
    def elapsed_minutes(self) -> int:
        return rules.elapsed_minutes(self.started_at, self.now, self.calendar)

    @property
    def minutes_over(self) -> int:
        return max(0, self.elapsed_minutes - self.standard_minutes)

    @property
    def remaining_minutes(self) -> int:
        """Working minutes left; negative when late."""
        return self.standard_minutes - self.elapsed_minutes

    @cached_property
    def due_at(self) -> dt.datetime:
        return timezone.localtime(rules.deadline(self.started_at, self.standard_minutes, self.calendar))

    @property
    def state(self) -> rules.DueState:
        # The same share as the reminder job, so "due soon" here is when the holder was reminded.
        return rules.state_after(self.elapsed_minutes, self.standard_minutes, settings.LONTAR_REMINDER_SHARE)

    @property
    def state_label(self) -> str:
        return DUE_STATE_LABELS[self.state]

    @property
    def late(self) -> bool:
        return self.state == rules.DueState.OVERDUE

    @property
    def remaining_text(self) -> str:
        return duration_text(max(0, self.remaining_minutes))

    @property
    def over_text(self) -> str:
        return duration_text(self.minutes_over)


def duration_text(minutes: int) -> str:
    """Minutes as the office says them: "45 menit", "2 jam 5 menit", "3 jam"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(m)d menit") % {"m": rest}
    if not rest:
        return _("%(h)d jam") % {"h": hours}
    return _("%(h)d jam %(m)d menit") % {"h": hours, "m": rest}


DUE_STATE_LABELS = {
    rules.DueState.ON_TIME: gettext_lazy("tepat waktu"),
    rules.DueState.DUE_SOON: gettext_lazy("segera jatuh tempo"),
    rules.DueState.OVERDUE: gettext_lazy("terlambat"),
}


@dataclass(frozen=True)
class InboxEntry:
    title: str
    step: SopStep
    phase_actor: str
    clock: StepClock
    url: str
    kind_label: str
    returned: bool = False
    holder: object = None
    on_behalf_of: str = ""  # "Plt. Kadis a.n. I Putu Wirawan" when held as a stand-in


def _steps_by_version(version_ids) -> dict[tuple[int, int], SopStep]:
    return {(s.version_id, s.number): s for s in SopStep.objects.filter(version_id__in=set(version_ids))}


def _calendar_for(now: dt.datetime) -> rules.WorkingCalendar:
    return office_calendar(around=timezone.localdate(now))


# Where an open step lives: on an agenda item (steps 1 and 2) or on a Liputan (steps 3 to 10).
AGENDA, ITEM = "agenda", "liputan"
# ``AgendaItem.step``, for a row read as values.
_AGENDA_STEPS = {AgendaItem.Status.DRAFT: 1, AgendaItem.Status.PLANNED: 2}


@dataclass(frozen=True)
class OpenStep:
    """An open step with only what decides its due state and its place in a list, read as a few
    columns a row: a long inbox is counted and sorted on these, and only the page shown is built
    into entries (``_entries_for``)."""

    source: str  # AGENDA or ITEM
    pk: int
    agenda_id: int  # the agenda item itself, or the Liputan's
    step: SopStep
    clock: StepClock
    rank: int  # place in the database's order (agenda items, then Liputan): the last tie-break


def _open_steps(agendas, items, *, now, calendar) -> tuple[list[OpenStep], dict[tuple[int, int], SopStep]]:
    """The open steps of ``agendas`` and ``items`` (querysets of the rows that wait), with the SOP
    steps of their versions; three queries whatever their number."""
    rows = [
        (AGENDA, pk, pk, _AGENDA_STEPS[status], version_id, started_at)
        for pk, status, version_id, started_at in agendas.values_list(
            "pk", "status", "sop_version_id", "step_started_at"
        )
    ]
    rows += [(ITEM, *row) for row in items.values_list("pk", "agenda_id", "step", "sop_version_id", "step_started_at")]
    steps = _steps_by_version(row[4] for row in rows)
    found = []
    for rank, (source, pk, agenda_id, number, version_id, started_at) in enumerate(rows):
        step = steps[(version_id, number)]
        clock = StepClock(started_at, step.minutes, now, calendar)
        found.append(OpenStep(source, pk, agenda_id, step, clock, rank))
    return found, steps


def _entries_for(open_steps: list[OpenStep], *, items, steps, now, calendar, acting_user=None) -> list[InboxEntry]:
    """The entries for ``open_steps``, in their order, whatever their number: one query for their
    agenda items (their own or their Liputan's) and, when there are Liputan among them, one for
    those and one for ``acting_user``'s Plt/Plh appointments (to mark what they hold as a
    stand-in; the inbox). ``items``: the queryset the Liputan were read from."""
    item_ids = [s.pk for s in open_steps if s.source == ITEM]
    agenda_ids = {s.agenda_id for s in open_steps}
    # Only the columns an entry shows: a page row alone has some forty.
    agenda_rows = (
        AgendaItem.objects.select_related("created_by")
        .only("sop_version_id", "topic", "kind", "status", "step_started_at", "created_by")
        .in_bulk(agenda_ids)
        if agenda_ids
        else {}
    )
    item_rows, acting = {}, {}
    if item_ids:
        items = (
            items.select_related("page", "holder").only(
                "agenda_id",
                "sop_version_id",
                "step",
                "phase",
                "step_started_at",
                "page__title",
                "page__draft_title",
                "holder",
            )
        ).annotate(
            # The current step began with a return: the holder is shown the mark and reads the reason.
            returned=Exists(
                StepEvent.objects.filter(
                    liputan_id=OuterRef("pk"), action=StepEvent.Action.RETURN, at=OuterRef("step_started_at")
                )
            )
        )
        item_rows = items.in_bulk(item_ids)
        acting = _acting_labels(acting_user) if acting_user is not None else {}
        for item in item_rows.values():
            item.agenda = agenda_rows[item.agenda_id]
    # Per request, not per entry: get_kind_display() rebuilds the choices (translating every
    # label) and reverse() resolves the pattern each time (bench/admin_bench.py).
    kind_labels = {value: str(label) for value, label in AgendaItem.Kind.choices}
    url_for = {name: _url_pattern(name) for name in ("desk:agenda_edit", "desk:disposisi_create", "desk:liputan")}

    def clock_of(open_step: OpenStep, version_id: int, number: int, started_at: dt.datetime):
        step = open_step.step
        if (step.version_id, step.number, open_step.clock.started_at) == (version_id, number, started_at):
            return step, open_step.clock
        # Moved on between the two reads (and still waits here): shown as it is now.
        step = steps[(version_id, number)]
        return step, StepClock(started_at, step.minutes, now, calendar)

    entries = []
    for open_step in open_steps:
        if open_step.source == AGENDA:
            agenda = agenda_rows.get(open_step.pk)
            if agenda is None or agenda.step is None:
                continue  # passed on between the two reads
            step, clock = clock_of(open_step, agenda.sop_version_id, agenda.step, agenda.step_started_at)
            url = url_for["desk:agenda_edit" if agenda.status == AgendaItem.Status.DRAFT else "desk:disposisi_create"]
            entries.append(
                InboxEntry(
                    title=agenda.topic,
                    step=step,
                    phase_actor=rules.Role(step.actors[0]).label,
                    clock=clock,
                    url=url.format(pk=agenda.pk),
                    kind_label=kind_labels.get(agenda.kind, agenda.kind),
                    holder=agenda.created_by,
                )
            )
            continue
        item = item_rows.get(open_step.pk)
        if item is None:
            continue  # passed on between the two reads
        step, clock = clock_of(open_step, item.sop_version_id, item.step, item.step_started_at)
        entries.append(
            InboxEntry(
                title=item.title,
                step=step,
                phase_actor=rules.Role(step.actors[item.phase]).label,
                clock=clock,
                url=url_for["desk:liputan"].format(pk=item.pk),
                kind_label=kind_labels.get(item.agenda.kind, item.agenda.kind),
                returned=item.returned,
                holder=item.holder,
                on_behalf_of=acting.get(step.actors[item.phase], ""),
            )
        )
    return entries


_PK_MARK = 987654321


def _url_pattern(name: str) -> str:
    """The URL of ``name`` for any pk, as a format string with ``{pk}`` (reversed once)."""
    return reverse(name, args=[_PK_MARK]).replace(str(_PK_MARK), "{pk}")


def _acting_labels(user) -> dict[str, str]:
    """Per office (a role's value), "Plt. Kadis a.n. I Putu Wirawan" when ``user`` stands in for
    it today under a Plt/Plh appointment (the earliest, should there be two). An item is marked
    when its step's role is such an office. One small query: the same label as per-row subqueries
    of the item query cost ~4 ms of SQL compiling a request (bench/admin_bench.py)."""
    labels = {}
    appointments = (
        acting_appointments()
        .filter(acting=user, role__in=[role.value for role in ACTING_OFFICES])
        .order_by("start_date", "id")
        .values_list("role", "kind", "absent__first_name", "absent__last_name")
    )
    for role, kind, first_name, last_name in appointments:
        if role not in labels:
            title = {"plt": "Plt.", "plh": "Plh."}.get(kind, "")
            name = f"{first_name} {last_name}".strip()
            labels[role] = _("%(title)s %(role)s a.n. %(name)s") % {
                "title": title,
                "role": rules.Role(role).label,
                "name": name,
            }
    return labels


class InboxOrder(StrEnum):
    """How the inbox may be sorted (the ``urut`` parameter)."""

    LATEST = "terlambat"  # most minutes over first, then the oldest: the default
    DUE = "tenggat"  # earliest due time first
    AGE = "umur"  # longest waiting first


INBOX_ORDER_LABELS = {
    InboxOrder.LATEST: gettext_lazy("Paling terlambat"),
    InboxOrder.DUE: gettext_lazy("Jatuh tempo terdekat"),
    InboxOrder.AGE: gettext_lazy("Paling lama menunggu"),
}
# The ``keadaan`` parameter, in the office's words.
STATE_PARAMS = {
    "tepat-waktu": rules.DueState.ON_TIME,
    "segera": rules.DueState.DUE_SOON,
    "terlambat": rules.DueState.OVERDUE,
}
_SORT_KEYS = {
    InboxOrder.LATEST: lambda clock: (-clock.minutes_over, clock.started_at),
    InboxOrder.DUE: lambda clock: (clock.due_at, clock.started_at),
    InboxOrder.AGE: lambda clock: (clock.started_at, clock.due_at),
}


def sort_steps(open_steps: list[OpenStep], *orders: InboxOrder) -> list[OpenStep]:
    """By the first order, ties by the next, and last by the database's order: one total order,
    so the pages of a list neither repeat nor skip an entry."""
    keys = [_SORT_KEYS[order] for order in orders or (InboxOrder.LATEST,)]
    return sorted(open_steps, key=lambda s: (*(part for key in keys for part in key(s.clock)), s.rank))


def _inbox_rows(user):
    """The agenda items and Liputan whose open step ``user`` holds (querysets, not yet read)."""
    agendas = AgendaItem.objects.filter(
        created_by=user, status__in=[AgendaItem.Status.DRAFT, AgendaItem.Status.PLANNED]
    )
    items = Liputan.objects.filter(holder=user, status=Liputan.Status.ACTIVE)
    return agendas, items


def inbox_for(
    *,
    user,
    now: dt.datetime | None = None,
    calendar: rules.WorkingCalendar | None = None,
    order: InboxOrder = InboxOrder.LATEST,
    limit: int | None = None,
) -> list[InboxEntry]:
    """What awaits ``user`` (the first ``limit`` entries, or all): open agenda steps they hold and
    items whose step they hold, timed in working time (``calendar``: the office's, unless given)."""
    now = now or timezone.now()
    calendar = calendar or _calendar_for(now)
    agendas, items = _inbox_rows(user)
    open_steps, steps = _open_steps(agendas, items, now=now, calendar=calendar)
    shown = sort_steps(open_steps, order)[:limit]
    return _entries_for(shown, items=items, steps=steps, now=now, calendar=calendar, acting_user=user)


@dataclass(frozen=True)
class InboxView:
    """The inbox as shown: one page of the entries after the filter, counts per state before it."""

    entries: list[InboxEntry]  # the page shown
    page: Page  # of OpenSteps: which page of how many
    counts: dict[rules.DueState, int]
    total: int
    state: rules.DueState | None
    order: InboxOrder


def count_states(entries) -> dict[rules.DueState, int]:
    """Entries (or open steps) per due state."""
    counts = dict.fromkeys(rules.DueState, 0)
    for entry in entries:
        counts[entry.clock.state] += 1
    return counts


def inbox_view(
    *,
    user,
    state: str | None = None,
    order: str | None = None,
    page: str | int | None = None,
    per_page: int = 50,
    now: dt.datetime | None = None,
    calendar: rules.WorkingCalendar | None = None,
) -> InboxView:
    """The page ``page`` of ``user``'s inbox, filtered and sorted by the request's parameters (an
    unknown value is ignored, not an error; a page past the end shows the last). Every open step
    is counted and sorted on a few columns; only the page shown is built: six queries at most,
    whatever the number of entries."""
    now = now or timezone.now()
    calendar = calendar or _calendar_for(now)
    chosen_state = STATE_PARAMS.get(state or "")
    try:
        chosen_order = InboxOrder(order or InboxOrder.LATEST)
    except ValueError:
        chosen_order = InboxOrder.LATEST
    agendas, items = _inbox_rows(user)
    open_steps, steps = _open_steps(agendas, items, now=now, calendar=calendar)
    shown = [s for s in open_steps if chosen_state is None or s.clock.state == chosen_state]
    # Ties in the chosen order fall back on lateness, as the default order shows them.
    shown_page = Paginator(sort_steps(shown, chosen_order, InboxOrder.LATEST), per_page).get_page(page)
    return InboxView(
        entries=_entries_for(
            shown_page.object_list,
            items=items,
            steps=steps,
            now=now,
            calendar=calendar,
            acting_user=user,
        ),
        page=shown_page,
        counts=count_states(open_steps),
        total=len(open_steps),
        state=chosen_state,
        order=chosen_order,
    )


# --- what is due, per role (the dashboard) ----------------------------------------------------------


class OverviewScope(StrEnum):
    ALL = "all"  # the site administrator: every open step
    SECTION = "section"  # a Kasi: every open step of the items they planned
    OWN = "own"  # officials and Staf: the steps they hold


@dataclass(frozen=True)
class DueOverview:
    scope: OverviewScope
    counts: dict[rules.DueState, int]
    total: int
    oldest: list[InboxEntry]

    @property
    def states(self) -> list[tuple[rules.DueState, str, int]]:
        return [(state, DUE_STATE_LABELS[state], count) for state, count in self.counts.items()]


def overview_scope(user) -> OverviewScope:
    if not user.is_authenticated:
        return OverviewScope.OWN
    if is_site_admin(user):
        return OverviewScope.ALL
    if has_role(user, rules.Role.KASI):
        return OverviewScope.SECTION
    return OverviewScope.OWN


def due_overview(
    *, user, now: dt.datetime | None = None, calendar: rules.WorkingCalendar | None = None, oldest: int = 5
) -> DueOverview:
    """Counts per state and the longest-waiting open steps that ``user`` answers for (only those
    are built into entries)."""
    now = now or timezone.now()
    calendar = calendar or _calendar_for(now)
    scope = overview_scope(user)
    agendas = AgendaItem.objects.filter(status__in=[AgendaItem.Status.DRAFT, AgendaItem.Status.PLANNED])
    items = Liputan.objects.filter(status=Liputan.Status.ACTIVE)
    if scope == OverviewScope.SECTION:
        agendas, items = agendas.filter(created_by=user), items.filter(agenda__created_by=user)
    elif scope == OverviewScope.OWN:
        agendas, items = agendas.filter(created_by=user), items.filter(holder=user)
    open_steps, steps = _open_steps(agendas, items, now=now, calendar=calendar)
    longest = sort_steps(open_steps, InboxOrder.AGE)[:oldest]
    return DueOverview(
        scope=scope,
        counts=count_states(open_steps),
        total=len(open_steps),
        oldest=_entries_for(longest, items=items, steps=steps, now=now, calendar=calendar),
    )


def agenda_list(*, user):
    qs = AgendaItem.objects.select_related("perangkat_daerah", "created_by").prefetch_related("liputan__writer")
    return qs.order_by("-planned_date", "-id")


def liputan_list(*, status: str | None = None):
    qs = Liputan.objects.select_related("agenda", "page", "holder", "writer")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def liputan_detail(*, pk: int) -> Liputan:
    return Liputan.objects.select_related(
        "agenda__perangkat_daerah",
        "agenda__created_by",
        "disposisi__created_by",
        "sop_version",
        "writer",
        "holder",
        "uploader",
        "page",
    ).get(pk=pk)


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
        .select_related("actor", "on_behalf_of", "revision")
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
            open_clock = StepClock(liputan.step_started_at, step.minutes, now, _calendar_for(now))
        rows.append(TimelineRow(step=step, events=[e for e in events if e.step == step.number], open_clock=open_clock))
    return rows


def record_cites_page_tree(*, page) -> bool:
    """Whether the SOP record cites a revision of ``page`` or of a page below it: such revisions
    are kept as evidence of what was approved (``StepEvent.revision`` is PROTECT)."""
    return StepEvent.objects.filter(
        revision__isnull=False, liputan__page__path__startswith=page.path, liputan__page__depth__gte=page.depth
    ).exists()


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


# --- the review screen: each type's own fields ------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    label: str
    value: str


@dataclass(frozen=True)
class ReviewSheet:
    rows: list[ReviewRow] = field(default_factory=list)
    template: str = ""


def review_sheet(*, page) -> ReviewSheet:
    """What reviewers read of ``page`` besides its text: the fields its content type declares
    (``desk.content_types``), as label and display value. ``page`` is the revision under review
    (``Revision.as_object()``), so nothing is read back from the page's row; the related objects
    named take one query per foreign key, whatever else is shown."""
    content_type = content_type_of(page)
    if content_type is None:
        return ReviewSheet()
    specs = content_type.review_specs
    fields = {spec.name: _model_field(page, spec.name) for spec in specs}
    related = [name for name, f in fields.items() if f is not None and f.many_to_one]
    if related:
        prefetch_related_objects([page], *related)
    rows = [
        ReviewRow(
            label=str(spec.label or capfirst(fields[spec.name].verbose_name)),
            value=_review_value(page, spec, fields[spec.name]),
        )
        for spec in specs
    ]
    return ReviewSheet(rows=rows, template=content_type.review_template)


def _model_field(page, name: str):
    try:
        return page._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _review_value(page, spec: ReviewField, model_field) -> str:
    value = getattr(page, spec.name)
    if model_field is not None and model_field.choices and value not in (None, ""):
        value = dict(model_field.flatchoices).get(value, value)
    text = _display(value)
    return text if text else str(spec.empty)


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, dt.datetime):
        # The office reads WITA whatever zone a request activated.
        return _("%(when)s WITA") % {
            "when": date_format(timezone.localtime(value, timezone.get_default_timezone()), "j F Y, H.i")
        }
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_display(v) for v in value)
    return str(value)  # text, numbers, and related objects by their name


# --- documents of unpublished items ------------------------------------------------------------


def document_published(document) -> bool:
    """Whether the public may download ``document``: a live page without a view restriction
    holds it in a document field of an SOP page type, or links to it (Wagtail's reference index,
    e.g. from rich text), or something other than a page refers to it (a menu, the site's
    settings). A document only a draft uses (the attachment of an announcement still on the
    desk, the file of an unpublished DIP entry) is not; nor is one nobody uses."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import ForeignKey
    from wagtail.documents import get_document_model
    from wagtail.models import Page, ReferenceIndex

    from desk.content_types import installed_content_types
    from portal.serving import public

    document_model = get_document_model()
    for page_class in {content_type.page_class() for content_type in installed_content_types()}:
        for model_field in page_class._meta.get_fields():
            if isinstance(model_field, ForeignKey) and model_field.related_model is document_model:
                if public(page_class.objects.live()).filter(**{model_field.name: document}).exists():
                    return True
    references = ReferenceIndex.get_references_to(document)
    page_type = ContentType.objects.get_for_model(Page)
    if references.exclude(base_content_type=page_type).exists():
        return True
    page_ids = [int(pk) for pk in references.filter(base_content_type=page_type).values_list("object_id", flat=True)]
    return bool(page_ids) and public(Page.objects.live()).filter(pk__in=page_ids).exists()
