"""Roles are Django groups (see accounts.roles). The one table of our own records who stands in for
an official who is away: a Plt or Plh (``ActingAppointment``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sop.rules import Role

# The offices a Plt/Plh can be appointed for. Staf are named per item (the writer, the uploader),
# so a Staf's absence is handled by the Kasi's disposisi, not by an appointment.
ACTING_OFFICES = (Role.KASI, Role.KABID, Role.SEKDIS, Role.KADIS)

# Echelon of each office, highest first (Kadis II, Sekdis and Kabid III, Kasi IV). An acting
# official holds an office of the same level or one level below (SE Kepala BKN 1/2021).
OFFICE_LEVEL = {Role.KADIS: 3, Role.SEKDIS: 2, Role.KABID: 2, Role.KASI: 1}


class ActingAppointment(models.Model):
    """While ``absent`` is away from ``role`` on the days ``start_date``–``end_date`` (inclusive,
    WITA), ``acting`` holds the office's steps and signs "a.n." the absent official.

    Written once; an appointment that should no longer apply is revoked (``revoked_at``), never
    deleted, so the record of who acted for whom keeps its reason.
    """

    class Kind(models.TextChoices):
        PLT = "plt", _("Plt. (pelaksana tugas)")
        PLH = "plh", _("Plh. (pelaksana harian)")

    class Reason(models.TextChoices):
        DINAS_LUAR = "dinas_luar", _("Dinas luar")
        CUTI = "cuti", _("Cuti")
        LAINNYA = "lainnya", _("Lainnya")

    role = models.CharField(
        _("jabatan"), max_length=16, choices=[(r.value, r.label) for r in ACTING_OFFICES]
    )
    absent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pejabat yang berhalangan"),
        on_delete=models.PROTECT,
        related_name="absences",
    )
    acting = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pejabat pelaksana"),
        on_delete=models.PROTECT,
        related_name="acting_appointments",
    )
    kind = models.CharField(_("jenis"), max_length=4, choices=Kind.choices, default=Kind.PLH)
    start_date = models.DateField(_("mulai tanggal"))
    end_date = models.DateField(_("sampai tanggal"))
    reason = models.CharField(_("alasan"), max_length=16, choices=Reason.choices, default=Reason.DINAS_LUAR)
    note = models.CharField(_("keterangan"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ditetapkan oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ditetapkan pada"), default=timezone.now)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicabut oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("penunjukan Plt/Plh")
        verbose_name_plural = _("penunjukan Plt/Plh")
        indexes = [
            models.Index(fields=["acting", "start_date", "end_date"]),
            models.Index(fields=["absent", "role", "start_date", "end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="acting_end_after_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
            models.CheckConstraint(
                condition=~Q(acting=models.F("absent")),
                name="acting_not_self",
                violation_error_message=_("Pejabat pelaksana tidak boleh pejabat yang berhalangan sendiri."),
            ),
        ]

    def __str__(self):
        return f"{self.kind_short} {self.role_label} — {self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y}"

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def kind_short(self) -> str:
        return {self.Kind.PLT: "Plt.", self.Kind.PLH: "Plh."}[self.kind]

    @property
    def title(self) -> str:
        """What the acting official signs as: "Plt. Kadis"."""
        return f"{self.kind_short} {self.role_label}"

    def covers(self, day) -> bool:
        return self.revoked_at is None and self.start_date <= day <= self.end_date
