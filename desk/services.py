"""Every change to the desk's state goes through these functions.

Each one: lock the row, ask ``sop.rules`` whether the person may do it, write the change and one
``StepEvent`` (the SOP record) and one Wagtail audit-log entry, then send a signal for the
notifiers — all in one transaction, so a refused or failed action changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, TaskState, WorkflowState

from accounts.models import ActingAppointment
from accounts.roles import acting_as, has_role, office_holder, stand_in_for, user_roles, wita_today
from desk import signals
from desk.content_types import content_type_for
from desk.models import (
    AgendaItem,
    Disposisi,
    Liputan,
    PerangkatDaerah,
    SopTaskState,
    StepEvent,
    sop_publish_authorised,
)
from sop import rules
from sop.calendar import office_calendar
from sop.selectors import sop_current

InvalidTransition = rules.InvalidTransition

# What the services read with an item they lock (``_lock``).
_LIPUTAN_RELATED = ("sop_version", "disposisi__created_by", "agenda", "writer", "uploader", "holder")


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _require_role(user, role: rules.Role, *, what: str) -> None:
    if not has_role(user, role):
        raise InvalidTransition(
            _("%(what)s hanya dapat dilakukan oleh %(role)s.") % {"what": what, "role": role.label}
        )


def _record(
    *,
    agenda: AgendaItem,
    liputan: Liputan | None,
    step: rules.Step,
    phase: int,
    action: str,
    actor,
    role: rules.Role,
    started_at: dt.datetime,
    now: dt.datetime,
    completes_step: bool,
    comment: str = "",
    to_step: int | None = None,
    revision=None,
    flagged: bool = False,
    acting=None,
) -> StepEvent:
    event = StepEvent(
        agenda=agenda,
        liputan=liputan,
        sop_version_id=(liputan or agenda).sop_version_id,
        step=step.number,
        phase=phase,
        action=action,
        to_step=to_step,
        actor=actor,
        actor_role=role.value,
        at=now,
        step_started_at=started_at,
        # Working minutes: the standard counts office hours only (sop.calendar).
        elapsed_minutes=(
            rules.elapsed_minutes(started_at, now, office_calendar(around=timezone.localdate(now)))
            if completes_step
            else None
        ),
        standard_minutes=step.minutes,
        comment=comment,
        revision=revision,
        flagged=flagged,
        on_behalf_of=acting.absent if acting else None,
        acting_kind=acting.kind if acting else "",
    )
    event.full_clean()
    event.save()
    return event


# --- step 1: agenda ------------------------------------------------------------------------------


@transaction.atomic
def agenda_create(
    *,
    user,
    topic: str,
    kind: str,
    planned_date: dt.date,
    perangkat_daerah: PerangkatDaerah | None = None,
    place: str = "",
    notes: str = "",
    plan: bool = False,
) -> AgendaItem:
    version = sop_current()
    if version is None:
        raise InvalidTransition(_("Belum ada SOP yang berlaku. Muat definisi SOP terlebih dahulu."))
    plan_step = version.definition().step_of_kind(rules.StepKind.PLAN)
    _require_role(user, plan_step.completing_actor, what=_("Menyusun rencana liputan"))
    now = timezone.now()
    agenda = AgendaItem(
        sop_version=version,
        topic=topic.strip(),
        kind=kind,
        planned_date=planned_date,
        perangkat_daerah=perangkat_daerah,
        place=place.strip(),
        notes=notes.strip(),
        created_by=user,
        created_at=now,
        step_started_at=now,
    )
    agenda.full_clean()
    agenda.save()
    log(instance=agenda, action="lontar.agenda.create", user=user)
    if plan:
        agenda_plan(agenda=agenda, user=user)
        agenda.refresh_from_db()
    return agenda


@transaction.atomic
def agenda_update(*, agenda: AgendaItem, user, **fields) -> AgendaItem:
    agenda = AgendaItem.objects.select_for_update().get(pk=agenda.pk)
    if agenda.created_by_id != user.pk:
        raise InvalidTransition(_("Hanya Kasi penyusun rencana ini yang dapat mengubahnya."))
    if agenda.status == AgendaItem.Status.DISPOSED:
        raise InvalidTransition(_("Rencana ini sudah didisposisikan dan tidak dapat diubah lagi."))
    allowed = {"topic", "kind", "planned_date", "perangkat_daerah", "place", "notes"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(agenda, name, value.strip() if isinstance(value, str) else value)
    agenda.full_clean()
    agenda.save()
    log(instance=agenda, action="wagtail.edit", user=user)
    return agenda


@transaction.atomic
def agenda_plan(*, agenda: AgendaItem, user) -> AgendaItem:
    """Step 1 done: the plan is set and the disposisi (step 2) is due."""
    agenda = AgendaItem.objects.select_for_update().get(pk=agenda.pk)
    defn = agenda.sop_version.definition()
    step = defn.step_of_kind(rules.StepKind.PLAN)
    if agenda.status != AgendaItem.Status.DRAFT:
        raise InvalidTransition(_("Rencana ini sudah ditetapkan."))
    if agenda.created_by_id != user.pk:
        raise InvalidTransition(_("Hanya Kasi penyusun rencana ini yang dapat menetapkannya."))
    _require_role(user, step.completing_actor, what=_("Menetapkan rencana"))
    rules.next_position(defn, rules.Position(step.number), step.completing_actor, rules.Action.PLAN)
    now = timezone.now()
    _record(
        agenda=agenda,
        liputan=None,
        step=step,
        phase=0,
        action=StepEvent.Action.PLAN,
        actor=user,
        role=step.completing_actor,
        started_at=agenda.step_started_at,
        now=now,
        completes_step=True,
        to_step=step.next,
    )
    agenda.status = AgendaItem.Status.PLANNED
    agenda.step_started_at = now
    agenda.save(update_fields=["status", "step_started_at"])
    log(instance=agenda, action="lontar.agenda.plan", user=user)
    return agenda


# --- step 2: disposisi ---------------------------------------------------------------------------


@transaction.atomic
def disposisi_send(
    *,
    agenda: AgendaItem,
    user,
    recipients,
    instruction: str,
    sifat: str,
    batas_waktu: dt.datetime,
    catatan: str = "",
) -> Disposisi:
    """Step 2 done: each chosen Staf gets a ``Liputan`` at the start of the gathering step."""
    agenda = AgendaItem.objects.select_for_update().get(pk=agenda.pk)
    defn = agenda.sop_version.definition()
    step = defn.step_of_kind(rules.StepKind.DISPOSE)
    if agenda.status == AgendaItem.Status.DRAFT:
        raise InvalidTransition(_("Tetapkan rencana (langkah 1) sebelum mendisposisikan."))
    if agenda.status == AgendaItem.Status.DISPOSED:
        raise InvalidTransition(_("Agenda ini sudah didisposisikan."))
    if agenda.created_by_id != user.pk:
        raise InvalidTransition(_("Hanya Kasi penyusun rencana ini yang dapat mendisposisikannya."))
    _require_role(user, step.completing_actor, what=_("Disposisi"))
    rules.next_position(defn, rules.Position(step.number), step.completing_actor, rules.Action.DISPOSE)
    gather = defn.step_of_kind(rules.StepKind.GATHER)
    recipients = list(dict.fromkeys(recipients))
    if not recipients:
        raise ValidationError({"recipients": _("Pilih setidaknya satu staf.")})
    for staf in recipients:
        if not staf.is_active or gather.actors[0] not in user_roles(staf):
            raise ValidationError(
                {"recipients": _("%(name)s bukan staf aktif.") % {"name": _name(staf)}}
            )
    now = timezone.now()
    disposisi = Disposisi(
        agenda=agenda,
        instruction=instruction.strip(),
        sifat=sifat,
        batas_waktu=batas_waktu,
        catatan=catatan.strip(),
        created_by=user,
        sent_at=now,
    )
    disposisi.full_clean()
    if batas_waktu <= now:
        raise ValidationError({"batas_waktu": _("Batas waktu harus setelah saat ini.")})
    disposisi.save()
    _record(
        agenda=agenda,
        liputan=None,
        step=step,
        phase=0,
        action=StepEvent.Action.DISPOSE,
        actor=user,
        role=step.completing_actor,
        started_at=agenda.step_started_at,
        now=now,
        completes_step=True,
        to_step=step.next,
        comment=disposisi.instruction,
    )
    agenda.status = AgendaItem.Status.DISPOSED
    agenda.save(update_fields=["status"])
    items = [
        Liputan.objects.create(
            disposisi=disposisi,
            agenda=agenda,
            sop_version=agenda.sop_version,
            writer=staf,
            step=gather.number,
            phase=0,
            holder=staf,
            step_started_at=now,
            created_at=now,
        )
        for staf in recipients
    ]
    log(instance=disposisi, action="lontar.disposisi.send", user=user, data={"staf": [s.pk for s in recipients]})
    for item in items:
        _announce(item, actor=user)
    return disposisi


# --- steps 3–10: the item on its page ------------------------------------------------------------


def named_holder(liputan: Liputan, position: rules.Position):
    """The official who holds ``position`` by the SOP's naming, before any Plt/Plh: the Staf who
    wrote it writes; the Staf chosen at the assigning step uploads; the Kasi who gave the
    disposisi checks; an official who already held a step of this item (in person, or through a
    Plt/Plh who signed for them) holds the next one of the same role; otherwise the office holder.
    May be None or inactive; ``holder_for`` says so."""
    defn = liputan.sop_version.definition()
    step = defn.step(position.step)
    role = rules.actor_at(defn, position)
    if step.kind == rules.StepKind.PUBLISH:
        return liputan.uploader
    if step.kind == rules.StepKind.GATHER and position.phase == 0:
        return liputan.writer
    if role == rules.Role.KASI and liputan.disposisi.created_by.is_active:
        return liputan.disposisi.created_by
    earlier = (
        StepEvent.objects.filter(liputan=liputan, actor_role=role.value)
        .filter(
            models.Q(on_behalf_of__isnull=True, actor__is_active=True)
            | models.Q(on_behalf_of__is_active=True)
        )
        .select_related("actor", "on_behalf_of")
        .order_by("-at", "-id")
        .first()
    )
    if earlier:
        return earlier.on_behalf_of or earlier.actor
    return office_holder(role)


def holder_for(liputan: Liputan, position: rules.Position, *, at: dt.date | None = None):
    """The named person who must act at ``position`` on the day ``at`` (WITA, default today): the
    official named by the SOP (``named_holder``), or their Plt/Plh when an appointment covers that
    day."""
    defn = liputan.sop_version.definition()
    step = defn.step(position.step)
    role = rules.actor_at(defn, position)
    person = named_holder(liputan, position)
    if person is not None and person.is_active:
        person = stand_in_for(person, role, at=at)
    if person is None or not person.is_active:
        raise InvalidTransition(
            _("Belum ada pengguna aktif dengan peran %(role)s untuk langkah %(step)s.")
            % {"role": role.label, "step": step.number}
        )
    return person


# --- acting officials (Plt/Plh) -----------------------------------------------------------------


def _acting_log_data(acting) -> dict:
    return {
        "on_behalf_of": acting.absent_id,
        "on_behalf_of_name": _name(acting.absent),
        "acting_kind": acting.kind,
        "acting_title": acting.title,
        "appointment": acting.pk,
    }


def _refresh_holder(liputan: Liputan, *, actor=None, today: dt.date | None = None) -> bool:
    """Move the open step to whoever holds it on ``today`` when a Plt/Plh appointment for its
    named official began, ended or was revoked since the step arrived. Only moves between the
    named official and their stand-ins: a holder chosen otherwise is left alone."""
    if liputan.status != Liputan.Status.ACTIVE or liputan.holder_id is None:
        return False
    defn = liputan.sop_version.definition()
    role = rules.actor_at(defn, liputan.position)
    if role == rules.Role.STAF:
        return False
    named = named_holder(liputan, liputan.position)
    if named is None or not named.is_active:
        return False
    expected = stand_in_for(named, role, at=today)
    if expected.pk == liputan.holder_id:
        return False
    stand_in_before = ActingAppointment.objects.filter(
        absent=named, acting_id=liputan.holder_id, role=role.value
    ).exists()
    if liputan.holder_id != named.pk and not stand_in_before:
        return False
    _reassign(liputan, to=expected, named=named, role=role, actor=actor, today=today)
    return True


def _reassign(liputan: Liputan, *, to, named, role: rules.Role, actor, today) -> None:
    previous = liputan.holder
    liputan.holder = to
    liputan.save(update_fields=["holder"])
    SopTaskState.objects.filter(liputan=liputan, status=TaskState.STATUS_IN_PROGRESS).update(holder=to)
    data = {
        "step": liputan.step,
        "from": previous.pk,
        "from_name": _name(previous),
        "to": to.pk,
        "to_name": _name(to),
    }
    if to.pk != named.pk:
        appointment = acting_as(to, role, absent=named, at=today)
        data.update(_acting_log_data(appointment))
        comment = _("%(acting)s memegang langkah ini sebagai %(title)s a.n. %(absent)s sampai %(end)s.") % {
            "acting": _name(to),
            "title": appointment.title,
            "absent": _name(named),
            "end": appointment.end_date.strftime("%d/%m/%Y"),
        }
    else:
        comment = _("%(name)s kembali memegang langkah ini; masa Plt/Plh %(previous)s berakhir.") % {
            "name": _name(named),
            "previous": _name(previous),
        }
    log(
        instance=liputan.page.specific if liputan.page_id else liputan,
        action="lontar.sop.reassign",
        user=actor,
        data={**data, "comment": comment},
    )
    _announce(liputan, actor=actor or previous, comment=comment)


@transaction.atomic
def acting_holders_refresh(*, people_ids, actor=None, today: dt.date | None = None) -> int:
    """Move the open steps held by ``people_ids`` to whoever holds them on ``today`` (WITA):
    to a Plt/Plh whose appointment covers that day, back to the official when it does not.
    Returns how many steps moved. Called when an appointment is made or revoked, and daily by
    ``manage.py acting_sync`` for appointments that begin or end."""
    today = today or wita_today()
    # Locked first and read afterwards, as in ``_lock``: a step taken meanwhile is seen whole.
    locked = list(
        Liputan.objects.select_for_update()
        .filter(status=Liputan.Status.ACTIVE, holder_id__in=list(people_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    items = (
        Liputan.objects.filter(pk__in=locked, status=Liputan.Status.ACTIVE, holder_id__in=list(people_ids))
        .select_related(*_LIPUTAN_RELATED)
        .order_by("pk")
    )
    moved = 0
    for item in items:
        try:
            moved += _refresh_holder(item, actor=actor, today=today)
        except InvalidTransition:
            continue
    return moved


def acting_sync(*, today: dt.date | None = None, slack_days: int = 7) -> int:
    """The daily run: steps move for appointments that began or ended in the last ``slack_days``
    days (so a missed run catches up)."""
    today = today or wita_today()
    since = today - dt.timedelta(days=slack_days)
    changed = ActingAppointment.objects.filter(
        models.Q(start_date__range=(since, today)) | models.Q(end_date__range=(since - dt.timedelta(days=1), today))
    ).values_list("absent_id", "acting_id")
    people = {pk for pair in changed for pk in pair}
    return acting_holders_refresh(people_ids=people, today=today) if people else 0


def _lock(liputan: Liputan) -> Liputan:
    """The item, locked for this transaction and read as it is once the lock is ours.

    Locking and reading are two queries on purpose. When ``SELECT … FOR UPDATE`` waits for
    someone else's change, PostgreSQL re-reads only the locked row afterwards; rows joined to it
    stay as they were, so a joined holder who changed meanwhile came back as NULL (a double
    approve then named the new holder "-"). Read after the wait, everything is current.
    """
    Liputan.objects.select_for_update().filter(pk=liputan.pk).values_list("pk", flat=True).get()
    return Liputan.objects.select_related(*_LIPUTAN_RELATED).get(pk=liputan.pk)


def _check_holder(liputan: Liputan, user) -> tuple[rules.SopDefinition, rules.Step, rules.Role]:
    defn, step, role, _acting = _check_holder_acting(liputan, user)
    return defn, step, role


def _check_holder_acting(liputan: Liputan, user):
    """As ``_check_holder``, plus the Plt/Plh appointment under which ``user`` acts (or None).

    The holder is brought up to date first (``_refresh_holder``): an appointment that began or
    ended since the step arrived decides who holds it today. A refusal rolls that back too.
    """
    defn = liputan.sop_version.definition()
    if liputan.status != Liputan.Status.ACTIVE:
        raise InvalidTransition(_("Naskah ini sudah terbit; tidak ada langkah yang terbuka."))
    step = defn.step(liputan.step)
    _refresh_holder(liputan, actor=user)
    if liputan.holder_id != user.pk:
        raise InvalidTransition(
            _("Langkah %(step)s dipegang oleh %(holder)s; Anda hanya dapat melihat naskah ini.")
            % {"step": step.number, "holder": _name(liputan.holder) if liputan.holder else "-"}
        )
    role = rules.actor_at(defn, liputan.position)
    acting = _acting_appointment(liputan, user, role)
    if acting is None:
        _require_role(user, role, what=_("Langkah %(step)s") % {"step": step.number})
    return defn, step, role, acting


def _acting_appointment(liputan: Liputan, user, role: rules.Role):
    """The appointment under which ``user`` holds this step today for someone else, if any."""
    if role == rules.Role.STAF:
        return None
    named = named_holder(liputan, liputan.position)
    if named is not None and named.pk != user.pk:
        return acting_as(user, role, absent=named)
    return None


@transaction.atomic
def liputan_page_create(*, liputan: Liputan, user, parent: Page | None = None, page_class=None) -> Page:
    """The Staf starts writing: a draft page linked to the item, owned by the Staf.

    The page type and the section it goes under follow the agenda's kind (desk.content_types).
    """
    liputan = _lock(liputan)
    defn, step, role = _check_holder(liputan, user)
    if step.kind != rules.StepKind.GATHER or liputan.phase != 0:
        raise InvalidTransition(_("Naskah hanya ditulis pada langkah liputan."))
    if liputan.page_id:
        return liputan.page.specific
    content_type = content_type_for(liputan.agenda.kind)
    page_class = page_class or content_type.page_class()
    parent = parent or content_type.index_page()
    if parent is None:
        raise InvalidTransition(
            _("Bagian situs untuk %(kind)s belum disiapkan.") % {"kind": content_type.label}
        )
    page = page_class(
        title=liputan.agenda.topic,
        slug=f"{slugify(liputan.agenda.topic)[:60] or 'berita'}-{liputan.pk}",
        live=False,
        owner=user,
        **_draft_fields_from_agenda(liputan.agenda, content_type, page_class),
    )
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    liputan.page = page
    liputan.save(update_fields=["page"])
    return page


def _draft_fields_from_agenda(agenda: AgendaItem, content_type, page_class) -> dict:
    """What the agenda already says, in the fields ``page_class`` has for it (desk.content_types).
    A test may write a kind as another page type: fields that type lacks are left out."""
    fields = {}
    for agenda_attr, page_field in content_type.from_agenda:
        field = _model_field(page_class, page_field)
        value = getattr(agenda, agenda_attr)
        if field is None or value in (None, ""):
            continue
        if isinstance(field, models.DateTimeField) and not isinstance(value, dt.datetime):
            # A planned day starts at midnight WITA, not UTC.
            value = dt.datetime.combine(value, dt.time.min, tzinfo=timezone.get_default_timezone())
        fields[field.name] = value
    return fields


def _model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def workflow_start_check(*, page: Page) -> None:
    """Before a workflow starts on an SOP page (``SopWorkflow.start``, the editor's submit): lock
    the page's item, then refuse if a workflow already runs for it — a submit that came second.
    Wagtail would otherwise refuse it with an error page (its one-running-workflow constraint)."""
    if not Liputan.objects.select_for_update().filter(page_id=page.pk).values_list("pk", flat=True):
        return  # not a page of the SOP
    if WorkflowState.objects.active().for_instance(page).exists():
        raise PermissionDenied(_("Naskah ini sudah dilaporkan dan sedang dalam alur SOP. Muat ulang halaman."))


@transaction.atomic
def liputan_submit(*, liputan: Liputan, user) -> WorkflowState:
    """The Staf reports the hasil liputan: the page enters the SOP workflow at the Kasi's check.

    The Wagtail editor's own submit button reaches ``record_submission`` through the same task
    start, so both ways run the same checks.
    """
    liputan = _lock(liputan)
    defn, step, role = _check_holder(liputan, user)
    rules.next_position(defn, liputan.position, role, rules.Action.SUBMIT)
    if not liputan.page_id:
        raise InvalidTransition(_("Tulis naskah hasil liputan terlebih dahulu."))
    page = liputan.page.specific
    if page.get_latest_revision() is None:
        page.save_revision(user=user)
    return liputan.sop_version.workflow.start(page, user)


def record_submission(*, liputan: Liputan, user, revision) -> None:
    """Called from the gathering task's start, inside the workflow's transaction."""
    liputan = _lock(liputan)
    defn, step, role = _check_holder(liputan, user)
    target = rules.next_position(defn, liputan.position, role, rules.Action.SUBMIT)
    now = timezone.now()
    _record(
        agenda=liputan.agenda,
        liputan=liputan,
        step=step,
        phase=liputan.phase,
        action=StepEvent.Action.SUBMIT,
        actor=user,
        role=role,
        started_at=liputan.step_started_at,
        now=now,
        completes_step=False,
        to_step=target.step,
        revision=revision,
    )
    liputan.phase = target.phase
    liputan.holder = holder_for(liputan, target)
    liputan.save(update_fields=["phase", "holder"])
    _announce(liputan, actor=user)


@transaction.atomic
def liputan_act(
    *,
    liputan: Liputan,
    user,
    action: str,
    comment: str = "",
    return_to: int | None = None,
    uploader=None,
    task_state_id: int | None = None,
) -> Liputan:
    """The holder of steps 3–10 completes the step (forward, assign, publish) or returns it."""
    liputan = _lock(liputan)
    defn, step, role, acting = _check_holder_acting(liputan, user)
    try:
        action = rules.Action(action)
    except ValueError:
        raise InvalidTransition(_("Tindakan tidak dikenal.")) from None
    if action == rules.Action.SUBMIT:
        raise InvalidTransition(_("Gunakan tombol kirim pada naskah untuk melaporkan hasil liputan."))
    target = rules.next_position(defn, liputan.position, role, action, return_to=return_to)
    comment = (comment or "").strip()
    if action == rules.Action.RETURN and not comment:
        raise ValidationError({"comment": _("Tuliskan alasan pengembalian.")})
    if action == rules.Action.ASSIGN:
        publish_step = defn.step(target.step)
        if uploader is None or not uploader.is_active or publish_step.actors[0] not in user_roles(uploader):
            raise ValidationError({"uploader": _("Pilih staf aktif yang akan mengunggah.")})

    workflow_state = (
        WorkflowState.objects.active().for_instance(liputan.page).select_related("current_task_state").first()
        if liputan.page_id
        else None
    )
    if workflow_state is None or workflow_state.current_task_state is None:
        raise InvalidTransition(_("Naskah ini belum dilaporkan ke dalam alur SOP."))
    task_state = workflow_state.current_task_state.specific
    if task_state_id is not None and task_state.pk != int(task_state_id):
        raise InvalidTransition(
            _("Naskah ini sudah berpindah langkah sejak halaman Anda dibuka. Muat ulang halaman.")
        )
    if task_state.task.specific.sop_step.number != step.number:
        raise InvalidTransition(_("Alur SOP naskah ini tidak sesuai; hubungi administrator."))

    page = liputan.page.specific
    revision = page.get_latest_revision()
    now = timezone.now()
    _record(
        agenda=liputan.agenda,
        liputan=liputan,
        step=step,
        phase=liputan.phase,
        action=action.value,
        actor=user,
        role=role,
        started_at=liputan.step_started_at,
        now=now,
        completes_step=True,
        comment=comment,
        to_step=target.step if target else None,
        revision=revision,
        acting=acting,
    )
    log_data = {"step": step.number, "to_step": target.step if target else None, "comment": comment}
    if acting is not None:
        log_data.update(_acting_log_data(acting))

    if target is rules.DONE:
        liputan.status = Liputan.Status.PUBLISHED
        liputan.holder = None
        liputan.save(update_fields=["status", "holder"])
        # The workflow's finish action publishes (desk.workflow.publish_finished_workflow).
        task_state.approve(user=user, comment=comment)
        log(instance=page, action="lontar.sop.publish", user=user, data=log_data, revision=revision)
        signals.item_published.send(sender=Liputan, liputan=liputan, actor=user)
        return liputan

    if action == rules.Action.ASSIGN:
        liputan.uploader = uploader
    liputan.step, liputan.phase = target.step, target.phase
    liputan.holder = holder_for(liputan, target)
    liputan.step_started_at = now
    liputan.save(update_fields=["step", "phase", "holder", "step_started_at", "uploader"])

    if action == rules.Action.RETURN:
        # A return ends this run of the workflow; the item then passes every step from the
        # target onwards again, so each approval in the record covers the text that goes live.
        workflow_state.cancel(user=user)
        type(task_state).objects.filter(pk=task_state.pk).update(comment=comment)
        log(instance=page, action="lontar.sop.return", user=user, data=log_data, revision=revision)
        if not (defn.step(target.step).kind == rules.StepKind.GATHER and target.phase == 0):
            liputan.sop_version.workflow.start(page, user)
        _announce(liputan, actor=user, returned=True, comment=comment)
    else:
        task_state.approve(user=user, comment=comment)
        log(instance=page, action=f"lontar.sop.{action.value}", user=user, data=log_data, revision=revision)
        _announce(liputan, actor=user, comment=comment)
    return liputan


@transaction.atomic
def liputan_emergency_publish(*, liputan: Liputan, user, reason: str) -> Liputan:
    """A site administrator publishes outside the chain; written reason, recorded and flagged."""
    if not user.has_perm("desk.emergency_publish"):
        raise InvalidTransition(_("Hanya administrator situs yang dapat menerbitkan darurat."))
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError({"reason": _("Tuliskan alasan terbit darurat (minimal 10 karakter).")})
    liputan = _lock(liputan)
    if liputan.status != Liputan.Status.ACTIVE:
        raise InvalidTransition(_("Naskah ini sudah terbit."))
    if not liputan.page_id:
        raise InvalidTransition(_("Belum ada naskah yang dapat diterbitkan."))
    page = liputan.page.specific
    revision = page.get_latest_revision() or page.save_revision(user=user)
    defn = liputan.sop_version.definition()
    now = timezone.now()
    _record(
        agenda=liputan.agenda,
        liputan=liputan,
        step=defn.step(liputan.step),
        phase=liputan.phase,
        action=StepEvent.Action.EMERGENCY_PUBLISH,
        actor=user,
        role=rules.actor_at(defn, liputan.position),
        started_at=liputan.step_started_at,
        now=now,
        completes_step=False,
        comment=reason,
        revision=revision,
        flagged=True,
    )
    workflow_state = page.current_workflow_state
    if workflow_state is not None:
        workflow_state.cancel(user=user)
    liputan.status = Liputan.Status.PUBLISHED
    liputan.emergency_published = True
    liputan.holder = None
    liputan.save(update_fields=["status", "emergency_published", "holder"])
    token = sop_publish_authorised.set(True)
    try:
        revision.publish(user=user, skip_permission_checks=True)
    finally:
        sop_publish_authorised.reset(token)
    log(instance=page, action="lontar.sop.emergency_publish", user=user, data={"reason": reason}, revision=revision)
    signals.item_published.send(sender=Liputan, liputan=liputan, actor=user)
    return liputan


def _announce(liputan: Liputan, *, actor, returned: bool = False, comment: str = "") -> None:
    signals.step_entered.send(
        sender=Liputan, liputan=liputan, holder=liputan.holder, actor=actor, returned=returned, comment=comment
    )
