"""Loaded SOP versions, and the working calendar their time standards are counted in.

Version rows are written only by ``sop.loader``; a version never changes after it is loaded, so
an item can always be judged by the standards it started under. The calendar rows (office hours,
the office's own days off) are the site administrator's."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sop import rules


class SopVersion(models.Model):
    nomor = models.CharField(_("nomor SOP"), max_length=64)
    version = models.PositiveIntegerField(_("versi"))
    judul = models.CharField(_("judul"), max_length=255)
    instansi = models.CharField(_("instansi"), max_length=255, blank=True)
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    tanggal_pembuatan = models.DateField(_("tanggal pembuatan"))
    tanggal_revisi = models.DateField(_("tanggal revisi"), null=True, blank=True)
    tanggal_efektif = models.DateField(_("tanggal efektif"), null=True, blank=True)
    pengesah_jabatan = models.CharField(_("disahkan oleh (jabatan)"), max_length=255)
    pengesah_nama = models.CharField(_("nama pengesah"), max_length=255)
    pengesah_pangkat = models.CharField(_("pangkat pengesah"), max_length=255, blank=True)
    pengesah_nip = models.CharField(_("NIP pengesah"), max_length=18)
    dasar_hukum = models.JSONField(_("dasar hukum"), default=list, blank=True)
    kualifikasi_pelaksana = models.JSONField(_("kualifikasi pelaksana"), default=list, blank=True)
    keterkaitan = models.JSONField(_("keterkaitan"), default=list, blank=True)
    peralatan = models.JSONField(_("peralatan/perlengkapan"), default=list, blank=True)
    peringatan = models.JSONField(_("peringatan"), default=list, blank=True)
    pencatatan = models.JSONField(_("pencatatan dan pendataan"), default=list, blank=True)
    role_titles = models.JSONField(_("jabatan pelaksana"), default=dict, blank=True)
    source = models.TextField(_("isi berkas definisi"))
    checksum = models.CharField(max_length=64)
    is_current = models.BooleanField(_("berlaku"), default=False)
    loaded_at = models.DateTimeField(_("dimuat pada"), auto_now_add=True)
    workflow = models.OneToOneField(
        "wagtailcore.Workflow", on_delete=models.PROTECT, null=True, related_name="sop_version"
    )

    class Meta:
        verbose_name = _("versi SOP")
        verbose_name_plural = _("versi SOP")
        constraints = [
            models.UniqueConstraint(fields=["nomor", "version"], name="sop_version_unique"),
            # One version of each SOP is in force at a time.
            models.UniqueConstraint(fields=["nomor"], condition=Q(is_current=True), name="sop_one_current"),
        ]

    def __str__(self):
        return f"SOP {self.nomor} v{self.version}"

    @property
    def total_minutes(self) -> int:
        return sum(step.minutes for step in self.steps.all())

    def definition(self) -> rules.SopDefinition:
        """The validated rules for this version (parsed from the stored file, cached per instance)."""
        if not hasattr(self, "_definition"):
            self._definition = rules.parse_definition(self.source)
        return self._definition


class SopStep(models.Model):
    version = models.ForeignKey(SopVersion, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("no."))
    activity = models.TextField(_("uraian kegiatan"))
    actors = models.JSONField(_("pelaksana"))
    kind = models.CharField(_("tindakan"), max_length=16, choices=[(k.value, k.value) for k in rules.StepKind])
    input = models.CharField(_("kelengkapan"), max_length=255)
    minutes = models.PositiveIntegerField(_("waktu (menit)"))
    output = models.CharField(_("output"), max_length=255)
    next_number = models.PositiveSmallIntegerField(_("langkah berikutnya"), null=True, blank=True)
    returns_to = models.JSONField(_("dapat dikembalikan ke"), default=list, blank=True)
    may_edit = models.BooleanField(_("boleh mengubah naskah"), default=False)
    remarks = models.TextField(_("keterangan"), blank=True)

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("langkah SOP")
        verbose_name_plural = _("langkah SOP")
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="sop_step_unique")]

    def __str__(self):
        return f"{self.number}. {self.activity[:60]}"

    @property
    def actor_labels(self) -> str:
        return " → ".join(rules.Role(a).label for a in self.actors)


# --- the working calendar (sop.calendar turns these rows into rules.WorkingCalendar) -------------


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Senin")
    TUESDAY = 1, _("Selasa")
    WEDNESDAY = 2, _("Rabu")
    THURSDAY = 3, _("Kamis")
    FRIDAY = 4, _("Jumat")
    SATURDAY = 5, _("Sabtu")
    SUNDAY = 6, _("Minggu")


class OfficeHours(models.Model):
    """One period the office works on a weekday (WITA). A weekday without a period is closed; a
    day may have two periods (a break between them). Every time standard counts only these."""

    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    opens_at = models.TimeField(_("jam mulai"))
    closes_at = models.TimeField(_("jam selesai"), help_text=_("Paling lambat 23.59; jam kerja tidak melewati tengah malam."))

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name = _("jam kerja")
        verbose_name_plural = _("jam kerja")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="sop_office_hours_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens_at:%H.%M}–{self.closes_at:%H.%M}"

    def clean(self):
        if self.opens_at is None or self.closes_at is None or self.weekday is None:
            return
        if self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Jam selesai harus sesudah jam mulai.")})
        overlapping = (
            OfficeHours.objects.filter(weekday=self.weekday, opens_at__lt=self.closes_at, closes_at__gt=self.opens_at)
            .exclude(pk=self.pk)
            .first()
        )
        if overlapping:
            raise ValidationError(
                _("Jam kerja ini bertumpang tindih dengan jam kerja yang sudah ada: %(other)s.") % {"other": overlapping}
            )


class LocalHoliday(models.Model):
    """A day the office is closed besides Indonesia's national holidays (which come from the
    ``holidays`` library): cuti bersama and Bali's own holy days, entered by the administrator."""

    class Kind(models.TextChoices):
        CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
        HARI_RAYA_LOKAL = "hari_raya_lokal", _("Hari raya lokal (Nyepi, Galungan, Kuningan, …)")
        LAINNYA = "lainnya", _("Lainnya")

    date = models.DateField(
        _("tanggal"), unique=True, error_messages={"unique": _("Tanggal ini sudah tercatat sebagai hari libur.")}
    )
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.HARI_RAYA_LOKAL)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur kantor")
        verbose_name_plural = _("hari libur kantor")

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.name}"

    def clean(self):
        self.name = (self.name or "").strip()
        if not self.name:
            raise ValidationError({"name": _("Nama hari libur wajib diisi.")})
