"""The editorial desk: agenda (step 1), disposisi (step 2), the item each Staf carries from step 3
to publication (``Liputan``), and the SOP record (``StepEvent``).

State changes happen only in ``desk.services``; these classes store what the rules decided.
"""

import contextvars

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState, Workflow

from desk import record
from sop import rules


class PerangkatDaerah(models.Model):
    """A regional government body (OPD) that news and data come from."""

    name = models.CharField(_("nama"), max_length=255, unique=True)
    short_name = models.CharField(_("singkatan"), max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Perangkat Daerah")
        verbose_name_plural = _("Perangkat Daerah")

    def __str__(self):
        return self.name


def perangkat_daerah_field(verbose_name, *, on_delete=models.SET_NULL, **kwargs) -> models.ForeignKey:
    """A page's optional link to a Perangkat Daerah, without a reverse accessor: the same FK in
    every section app, so the desk can fill it from the agenda and show it on review."""
    return models.ForeignKey(
        PerangkatDaerah,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name="+",
        **kwargs,
    )


def perangkat_daerah_fields(
    verbose_name, other_verbose_name, *, other_help_text, on_delete=models.SET_NULL
) -> tuple[models.ForeignKey, models.CharField]:
    """The Perangkat Daerah FK and, beside it, a free-text name for bodies outside the list (a
    desa adat, BPS, a committee): ``organiser, organiser_text = perangkat_daerah_fields(...)``."""
    return (
        perangkat_daerah_field(verbose_name, on_delete=on_delete),
        models.CharField(other_verbose_name, max_length=255, blank=True, help_text=other_help_text),
    )


class AgendaItem(models.Model):
    """Step 1: what the Kasi plans to cover."""

    class Kind(models.TextChoices):
        # Each kind is written as one page type (desk.content_types).
        BERITA = "berita", _("Berita")
        PENGUMUMAN = "pengumuman", _("Pengumuman")
        KEGIATAN = "kegiatan", _("Agenda kegiatan")
        POTENSI = "potensi_daerah", _("Potensi daerah")
        DATA = "data", _("Data")
        INFORMASI = "informasi", _("Informasi / profil")
        PPID = "ppid", _("Informasi publik (PPID)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Rencana (draf)")
        PLANNED = "planned", _("Rencana ditetapkan")
        DISPOSED = "disposed", _("Sudah didisposisikan")

    sop_version = models.ForeignKey("sop.SopVersion", on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topik"), max_length=255)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.BERITA)
    perangkat_daerah = models.ForeignKey(
        PerangkatDaerah, verbose_name=_("Perangkat Daerah"), on_delete=models.PROTECT, null=True, blank=True
    )
    place = models.CharField(_("tempat"), max_length=255, blank=True)
    planned_date = models.DateField(_("tanggal rencana"))
    notes = models.TextField(_("catatan"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    # When the step now open on the agenda started (step 1 at creation, step 2 once planned).
    step_started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-planned_date", "-id"]
        verbose_name = _("agenda liputan")
        verbose_name_plural = _("agenda liputan")
        indexes = [models.Index(fields=["created_by", "status"])]

    def __str__(self):
        return self.topic

    @property
    def step(self) -> int | None:
        return {self.Status.DRAFT: 1, self.Status.PLANNED: 2}.get(self.status)


class Disposisi(models.Model):
    """Step 2: the Kasi's written assignment of an agenda item to one or more Staf."""

    class Sifat(models.TextChoices):
        BIASA = "biasa", _("Biasa")
        SEGERA = "segera", _("Segera")
        SANGAT_SEGERA = "sangat_segera", _("Sangat segera")

    agenda = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="disposisi")
    instruction = models.TextField(_("instruksi"))
    sifat = models.CharField(_("sifat"), max_length=16, choices=Sifat.choices, default=Sifat.BIASA)
    batas_waktu = models.DateTimeField(_("batas waktu"))
    catatan = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pemberi disposisi"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("dikirim pada"), default=timezone.now)

    class Meta:
        verbose_name = _("disposisi")
        verbose_name_plural = _("disposisi")

    def __str__(self):
        return str(self.agenda)


class Liputan(models.Model):
    """One Staf's assignment from a disposisi, carried from step 3 to publication.

    ``step``/``phase``/``holder`` say who must act now; the Wagtail workflow mirrors it for the
    page editor, and ``StepEvent`` keeps how it got here.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Berjalan")
        PUBLISHED = "published", _("Terbit")

    disposisi = models.ForeignKey(Disposisi, on_delete=models.PROTECT, related_name="liputan")
    agenda = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="liputan")
    sop_version = models.ForeignKey("sop.SopVersion", on_delete=models.PROTECT, related_name="+")
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staf penulis"), on_delete=models.PROTECT, related_name="+"
    )
    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, blank=True, related_name="liputan"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    step = models.PositiveSmallIntegerField(_("langkah"))
    phase = models.PositiveSmallIntegerField(default=0)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pemegang langkah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    step_started_at = models.DateTimeField(default=timezone.now)
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staf pengunggah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    emergency_published = models.BooleanField(_("terbit darurat"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("liputan")
        verbose_name_plural = _("liputan")
        permissions = [("emergency_publish", _("Dapat menerbitkan darurat (dengan alasan tertulis)"))]
        indexes = [models.Index(fields=["holder", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["disposisi", "writer"], name="liputan_one_per_staf"),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if self.page_id:
            # draft_title follows the latest revision; title only changes when published.
            return self.page.draft_title or self.page.title
        return self.agenda.topic

    @property
    def position(self) -> rules.Position:
        return rules.Position(self.step, self.phase)


class StepEventQuerySet(models.QuerySet):
    """The record only grows: bulk changes and removals are refused here, single ones in
    ``StepEvent``, and every UPDATE or DELETE by the database's triggers (desk.record)."""

    def update(self, **kwargs):
        raise record.RecordIsAppendOnly()

    def delete(self):
        raise record.RecordIsAppendOnly()

    def bulk_update(self, objs, fields, batch_size=None):
        raise record.RecordIsAppendOnly()

    def bulk_create(self, objs, *args, **kwargs):
        # Each entry is linked to the one before it when it is saved; a bulk insert would skip that.
        raise record.RecordIsAppendOnly(_("Entri catatan SOP ditambahkan satu per satu agar tersambung dalam rantai."))


class RecordHead(models.Model):
    """The end of the SOP record's hash chain: the last entry's seq and hash. One row, locked by
    every append until its transaction commits (desk.record.seal), and compared with the last
    entry by ``verify_record`` so entries removed from the end are noticed too."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("kepala rantai catatan SOP")
        verbose_name_plural = _("kepala rantai catatan SOP")

    def __str__(self):
        return f"seq {self.seq}"


class StepEvent(models.Model):
    """The SOP record: one row per action taken on an item, never changed afterwards.

    A completing action (plan, dispose, forward, assign, publish, return) carries the step's
    duration against its standard; the submit within step 3 does not end the step.

    Append-only and tamper-evident (desk.record): each entry carries ``seq``, its place in one
    chain for the whole office, the hash of the entry before it and its own SHA-256 over every
    field. The ORM refuses to change or delete an entry, and so do database triggers. On SQLite a
    migration that rebuilds this table drops its triggers: such a migration must install them
    again (``desk.record.install_triggers``); desk/tests/test_record.py fails if it does not.
    """

    class Action(models.TextChoices):
        PLAN = rules.Action.PLAN, _("Menetapkan rencana")
        DISPOSE = rules.Action.DISPOSE, _("Mendisposisikan")
        SUBMIT = rules.Action.SUBMIT, _("Melaporkan hasil liputan")
        FORWARD = rules.Action.FORWARD, _("Meneruskan")
        RETURN = rules.Action.RETURN, _("Mengembalikan")
        ASSIGN = rules.Action.ASSIGN, _("Menugaskan pengunggah")
        PUBLISH = rules.Action.PUBLISH, _("Mengunggah / menerbitkan")
        EMERGENCY_PUBLISH = "emergency_publish", _("Terbit darurat")

    agenda = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="events")
    liputan = models.ForeignKey(Liputan, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    sop_version = models.ForeignKey("sop.SopVersion", on_delete=models.PROTECT, related_name="+")
    step = models.PositiveSmallIntegerField(_("langkah"))
    phase = models.PositiveSmallIntegerField(default=0)
    action = models.CharField(_("tindakan"), max_length=20, choices=Action.choices)
    to_step = models.PositiveSmallIntegerField(_("ke langkah"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelaku"), on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(_("peran"), max_length=16)
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    step_started_at = models.DateTimeField(_("langkah dimulai"))
    elapsed_minutes = models.PositiveIntegerField(_("durasi (menit)"), null=True, blank=True)
    standard_minutes = models.PositiveIntegerField(_("standar (menit)"))
    comment = models.TextField(_("catatan"), blank=True)
    # The text each official approved is part of the record: a cited revision is kept.
    # SET_NULL would let Wagtail's purge_revisions (or a page deletion) rewrite recorded entries;
    # with PROTECT purge_revisions skips and counts them, and deleting a page whose revisions
    # the record cites is refused (desk.wagtail_hooks) — it can still be unpublished.
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    flagged = models.BooleanField(_("ditandai"), default=False)
    # Set when the actor acted as Plt/Plh: the official they signed for ("a.n."), and as what.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("atas nama"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acting_kind = models.CharField(_("sebagai"), max_length=4, blank=True, help_text=_("plt atau plh"))
    # The hash chain (desk.record); set when the entry is saved, never by the caller.
    seq = models.PositiveBigIntegerField(_("urutan dalam rantai"), unique=True, editable=False)
    prev_hash = models.CharField(_("hash entri sebelumnya"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = StepEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("catatan langkah SOP")
        verbose_name_plural = _("catatan langkah SOP")
        indexes = [
            models.Index(fields=["liputan", "at"]),
            models.Index(fields=["agenda", "at"]),
            models.Index(fields=["step", "at"]),
            # The compliance report: days of a period outside whole months, and returns and
            # emergency publishes in a period (reports.selectors, bench/RESULTS.md).
            models.Index(fields=["at"], name="desk_stepevent_at_idx"),
            models.Index(fields=["action", "at"], name="desk_stepevent_action_at_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} — langkah {self.step}"

    def save(self, *args, using=None, **kwargs):
        if not self._state.adding:
            raise record.RecordIsAppendOnly()
        using = using or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            record.seal(self, using=using)
            kwargs["force_insert"] = True
            super().save(*args, using=using, **kwargs)

    def delete(self, *args, **kwargs):
        raise record.RecordIsAppendOnly()

    @property
    def acting_title(self) -> str:
        """What the actor signed as when acting for someone: "Plt. Kadis"."""
        if not self.on_behalf_of_id:
            return ""
        kind = {"plt": "Plt.", "plh": "Plh."}.get(self.acting_kind, "")
        return f"{kind} {rules.Role(self.actor_role).label}".strip()

    @property
    def on_time(self) -> bool | None:
        if self.elapsed_minutes is None:
            return None
        return rules.is_on_time(self.elapsed_minutes, self.standard_minutes)


# --- Wagtail workflow: one task per page step of an SOP version ----------------------------------

# Set only while the desk publishes at the last step or in an emergency; pages of the SOP refuse
# to go live otherwise, whatever path (editor, bulk action, API, schedule) asks them to.
sop_publish_authorised = contextvars.ContextVar("sop_publish_authorised", default=False)


class SopStepTask(Task):
    """A page step of the SOP inside a Wagtail workflow. Held by one named person at a time."""

    sop_step = models.OneToOneField("sop.SopStep", on_delete=models.PROTECT, related_name="task")

    task_state_class = None  # set below, after SopTaskState is defined
    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("langkah SOP")
        verbose_name_plural = _("langkah SOP")

    @property
    def step_number(self) -> int:
        return self.sop_step.number

    def start(self, workflow_state, user=None):
        from desk.workflow import task_start

        return task_start(task=self, workflow_state=workflow_state, user=user)

    def on_action(self, task_state, user, action_name, **kwargs):
        from desk.workflow import task_on_action

        return task_on_action(task=self, task_state=task_state, user=user, action_name=action_name, **kwargs)

    def user_can_access_editor(self, obj, user):
        return self._holds(obj, user)

    def locked_for_user(self, obj, user):
        return not (self._holds(obj, user) and self.sop_step.may_edit)

    def user_can_lock(self, obj, user):
        return False

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        from desk.workflow import task_actions

        return task_actions(task=self, page=obj, user=user)

    def get_form_for_action(self, action):
        from desk.workflow import task_form_for_action

        return task_form_for_action(task=self, action=action)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        # Wagtail ORs these querysets across every task type (TaskState.objects.reviewable_by), so
        # the result must be a plain TaskState queryset, not one of the subclass.
        return TaskState.objects.filter(
            task=self, status=TaskState.STATUS_IN_PROGRESS, soptaskstate__holder=user
        )

    @classmethod
    def get_description(cls):
        return _("Satu langkah SOP; hanya pemegang langkah yang dapat bertindak")

    def _holds(self, obj, user) -> bool:
        state = SopTaskState.objects.filter(
            task=self,
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__object_id=str(obj.pk),
        ).values_list("holder_id", flat=True).first()
        return state is not None and state == user.pk


class SopTaskState(TaskState):
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    liputan = models.ForeignKey(Liputan, on_delete=models.CASCADE, related_name="task_states")

    class Meta:
        verbose_name = _("status langkah SOP")
        verbose_name_plural = _("status langkah SOP")
        indexes = [models.Index(fields=["holder"])]


SopStepTask.task_state_class = SopTaskState


class SopWorkflow(Workflow):
    """An SOP version's Wagtail workflow as its pages see it (``SopItemPageMixin.get_workflow``).

    The page editor's submit inserts Wagtail's WorkflowState before any desk code runs; two
    submits at the same moment then collided on Wagtail's one-running-workflow constraint and the
    second got a server error. Starting under the item's lock makes the second wait, then be
    refused (``desk.services.workflow_start_check``).
    """

    class Meta:
        proxy = True

    @transaction.atomic
    def start(self, obj, user):
        from desk.services import workflow_start_check

        workflow_start_check(page=obj)
        return super().start(obj, user)


class SopItemPageMixin(models.Model):
    """For page types that are produced by the SOP: their workflow is the one of the SOP version
    their item started under, and they go live only through the SOP's last step."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.live and not sop_publish_authorised.get():
            was = Page.objects.filter(pk=self.pk).values("live", "live_revision_id").first() if self.pk else None
            if was is None or not was["live"] or was["live_revision_id"] != self.live_revision_id:
                raise PermissionDenied(
                    _("Naskah SOP hanya terbit melalui langkah terakhir SOP atau terbit darurat.")
                )
        return super().save(*args, **kwargs)

    @property
    def sop_liputan(self):
        try:
            return Liputan.objects.select_related("sop_version__workflow").get(page_id=self.pk)
        except Liputan.DoesNotExist:
            return None

    def get_workflow(self):
        liputan = self.sop_liputan
        if liputan is None or liputan.status != Liputan.Status.ACTIVE:
            return None
        workflow = liputan.sop_version.workflow
        if workflow is None:
            return None
        names = [f.attname for f in Workflow._meta.concrete_fields]
        return SopWorkflow.from_db(workflow._state.db, names, [getattr(workflow, name) for name in names])

    @property
    def has_workflow(self):
        return self.get_workflow() is not None
