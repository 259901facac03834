"""Reminders and escalation: the scan that runs every minute (``manage.py run_reminders``).

For every open step (agenda steps 1–2, item steps 3–10) it measures the working time used
against the step's standard (``sop.rules.due_state`` with the office calendar):

- at ``LONTAR_REMINDER_SHARE`` of the standard (80 %) the holder gets a *pengingat*;
- past the standard the holder is told it is overdue and the official one role up the chain
  (Staf → Kasi → Kabid → Sekdis → Kadis, ``sop.rules.role_above``) gets an *eskalasi*. The Kasi
  above a Staf is the Kasi who gave the disposisi. The Kadis has nobody above him in the office:
  his overdue step is told to him again, and to nobody else (the site administrators cannot act
  on a Kadis's step, and the SOP names no one above him).

A step first seen when it is already overdue gets only the escalation. Each (run of a step,
level) is alerted once: ``StepAlert``'s unique constraint, inserted first in the same transaction
as the notices, turns a second scan or a second worker into a no-op.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import official_for
from desk.models import AgendaItem, Liputan
from notifications.models import Notification, StepAlert
from notifications.services import notification_create
from sop import rules
from sop.calendar import office_calendar


@dataclass
class OpenStep:
    """One run of a step that someone must finish."""

    key: str
    agenda: AgendaItem
    liputan: Liputan | None
    definition: rules.SopDefinition
    step: rules.Step
    phase: int
    started_at: dt.datetime
    holder: object  # a user, or None when no active person holds the office
    title: str
    url: str

    @property
    def role(self) -> rules.Role:
        return self.step.actors[self.phase]

    def still_current(self) -> bool:
        """Lock the item's row and check it has not moved since the scan read it: the holder may
        have acted in the meantime. A row locked by someone else is left for the next scan."""
        if self.liputan is not None:
            row = (
                Liputan.objects.select_for_update(skip_locked=True)
                .filter(pk=self.liputan.pk)
                .values_list("status", "step", "phase", "holder_id", "step_started_at")
                .first()
            )
            expected = (
                Liputan.Status.ACTIVE,
                self.step.number,
                self.phase,
                getattr(self.holder, "pk", None),
                self.started_at,
            )
        else:
            row = (
                AgendaItem.objects.select_for_update(skip_locked=True)
                .filter(pk=self.agenda.pk)
                .values_list("status", "step_started_at")
                .first()
            )
            expected = (self.agenda.status, self.started_at)
        return row == expected


def occurrence_key(*, agenda_id: int, liputan_id: int | None, step: int, started_at: dt.datetime) -> str:
    started = int(started_at.timestamp() * 1_000_000)
    if liputan_id is not None:
        return f"liputan:{liputan_id}:{step}:{started}"
    return f"agenda:{agenda_id}:{step}:{started}"


def open_steps() -> list[OpenStep]:
    """Every step now waiting for someone, in three queries whatever their number."""
    definitions: dict[int, rules.SopDefinition] = {}

    def definition(version) -> rules.SopDefinition:
        if version.pk not in definitions:
            definitions[version.pk] = version.definition()
        return definitions[version.pk]

    found = []
    items = Liputan.objects.filter(status=Liputan.Status.ACTIVE).select_related(
        "sop_version", "holder", "page", "agenda", "disposisi__created_by"
    )
    for liputan in items:
        defn = definition(liputan.sop_version)
        found.append(
            OpenStep(
                key=occurrence_key(
                    agenda_id=liputan.agenda_id,
                    liputan_id=liputan.pk,
                    step=liputan.step,
                    started_at=liputan.step_started_at,
                ),
                agenda=liputan.agenda,
                liputan=liputan,
                definition=defn,
                step=defn.step(liputan.step),
                phase=liputan.phase,
                started_at=liputan.step_started_at,
                holder=liputan.holder,
                title=liputan.title,
                url=reverse("desk:liputan", args=[liputan.pk]),
            )
        )
    agendas = AgendaItem.objects.filter(status__in=[AgendaItem.Status.DRAFT, AgendaItem.Status.PLANNED]).select_related(
        "sop_version", "created_by"
    )
    for agenda in agendas:
        defn = definition(agenda.sop_version)
        number = agenda.step
        found.append(
            OpenStep(
                key=occurrence_key(
                    agenda_id=agenda.pk, liputan_id=None, step=number, started_at=agenda.step_started_at
                ),
                agenda=agenda,
                liputan=None,
                definition=defn,
                step=defn.step(number),
                phase=0,
                started_at=agenda.step_started_at,
                holder=agenda.created_by if agenda.created_by.is_active else None,
                title=agenda.topic,
                url=reverse(
                    "desk:agenda_edit" if agenda.status == AgendaItem.Status.DRAFT else "desk:disposisi_create",
                    args=[agenda.pk],
                ),
            )
        )
    return found


def superior_of(open_step: OpenStep, officials: dict):
    """The person an overdue step is escalated to, or None (the Kadis's own steps)."""
    above = rules.role_above(open_step.role)
    if above is None:
        return None
    if above == rules.Role.KASI and open_step.liputan is not None:
        kasi = open_step.liputan.disposisi.created_by
        if kasi.is_active:
            return kasi
    if above not in officials:
        officials[above] = official_for(above)
    return officials[above]


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def step_alerts_scan(*, now: dt.datetime | None = None) -> list[StepAlert]:
    """Alert every open step that has reached a threshold and was not alerted for it yet."""
    now = now or timezone.now()
    calendar = office_calendar()
    share = settings.LONTAR_REMINDER_SHARE
    steps = open_steps()
    done = set(StepAlert.objects.filter(occurrence__in=[s.key for s in steps]).values_list("occurrence", "level"))
    officials: dict = {}
    raised = []
    for open_step in steps:
        if open_step.started_at > now:
            continue
        state = rules.due_state(
            open_step.started_at, now, open_step.step.minutes, calendar=calendar, due_soon_share=share
        )
        level = {
            rules.DueState.DUE_SOON: StepAlert.Level.REMINDER,
            rules.DueState.OVERDUE: StepAlert.Level.ESCALATION,
        }.get(state)
        if level is None or (open_step.key, level) in done:
            continue
        alert = _raise(open_step, level, now=now, calendar=calendar, officials=officials)
        if alert is not None:
            raised.append(alert)
    return raised


def _raise(open_step: OpenStep, level: str, *, now, calendar, officials) -> StepAlert | None:
    standard = open_step.step.minutes
    elapsed = rules.elapsed_minutes(open_step.started_at, now, calendar)
    due_at = timezone.localtime(rules.deadline(open_step.started_at, standard, calendar))
    superior = superior_of(open_step, officials) if level == StepAlert.Level.ESCALATION else None
    if superior is not None and open_step.holder is not None and superior.pk == open_step.holder.pk:
        superior = None  # an acting official above himself is told once, as the holder
    try:
        with transaction.atomic():
            if not open_step.still_current():
                return None
            alert = StepAlert.objects.create(
                occurrence=open_step.key,
                level=level,
                agenda=open_step.agenda,
                liputan=open_step.liputan,
                step=open_step.step.number,
                step_started_at=open_step.started_at,
                holder=open_step.holder,
                escalated_to=superior,
                elapsed_minutes=elapsed,
                standard_minutes=standard,
                created_at=now,
            )
            params = {
                "step": open_step.step.number,
                "title": open_step.title,
                "elapsed": elapsed,
                "standard": standard,
                "over": max(0, elapsed - standard),
                "deadline": due_at.strftime("%d-%m-%Y %H:%M"),
                "role": open_step.role.label,
                "holder": _name(open_step.holder) if open_step.holder else _("(belum ada pemegang)"),
            }
            if level == StepAlert.Level.REMINDER:
                _tell_holder_reminder(open_step, alert, params)
            else:
                _tell_overdue(open_step, alert, params, superior)
    except IntegrityError:
        return None  # another scan alerted this run of the step first
    return alert


def _tell_holder_reminder(open_step: OpenStep, alert: StepAlert, params: dict) -> None:
    if open_step.holder is None:
        return
    notification_create(
        recipient=open_step.holder,
        kind=Notification.Kind.REMINDER,
        title=_("Pengingat: langkah %(step)s segera jatuh tempo — %(title)s") % params,
        message=_(
            "Sudah %(elapsed)s dari %(standard)s menit kerja standar langkah ini terpakai. "
            "Batas waktu: %(deadline)s WITA."
        )
        % params,
        url=open_step.url,
        alert=alert,
    )


def _tell_overdue(open_step: OpenStep, alert: StepAlert, params: dict, superior) -> None:
    if open_step.holder is not None:
        message = (
            _("Batas waktu %(deadline)s WITA sudah lewat %(over)s menit kerja (standar %(standard)s menit).") % params
        )
        if superior is not None:
            message += " " + _("%(superior)s sudah diberi tahu.") % {"superior": _name(superior)}
        notification_create(
            recipient=open_step.holder,
            kind=Notification.Kind.OVERDUE,
            title=_("Melewati batas waktu: langkah %(step)s — %(title)s") % params,
            message=message,
            url=open_step.url,
            alert=alert,
        )
    if superior is not None:
        notification_create(
            recipient=superior,
            kind=Notification.Kind.ESCALATION,
            title=_("Eskalasi: langkah %(step)s terlambat — %(title)s") % params,
            message=_(
                "%(holder)s (%(role)s) belum menyelesaikan langkah %(step)s. Batas waktu %(deadline)s WITA; "
                "terlambat %(over)s menit kerja dari standar %(standard)s menit."
            )
            % params,
            url=open_step.url,
            alert=alert,
        )
