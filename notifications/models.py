from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app message to one person: what arrived for them and where to act on it."""

    class Kind(models.TextChoices):
        STEP = "step", _("Tugas baru")
        RETURNED = "returned", _("Dikembalikan")
        PUBLISHED = "published", _("Terbit")
        REMINDER = "reminder", _("Pengingat")
        OVERDUE = "overdue", _("Melewati batas waktu")
        ESCALATION = "escalation", _("Eskalasi")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=255)
    message = models.TextField(_("pesan"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set on reminders and escalations: the alert this notice was written for.
    alert = models.ForeignKey("StepAlert", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class StepAlert(models.Model):
    """One reminder or escalation for one run of a step (the log that makes sending idempotent).

    ``occurrence`` names the run: the item, the step and when the step started (a return or the
    next step starts a new run). The unique constraint is what stops a second scan, or a second
    worker scanning at the same moment, from alerting twice: the insert comes first, and an
    ``IntegrityError`` means someone already did it."""

    class Level(models.TextChoices):
        REMINDER = "reminder", _("Pengingat")
        ESCALATION = "escalation", _("Eskalasi")

    occurrence = models.CharField(max_length=120)
    level = models.CharField(max_length=16, choices=Level.choices)
    agenda = models.ForeignKey("desk.AgendaItem", on_delete=models.CASCADE, related_name="+")
    liputan = models.ForeignKey("desk.Liputan", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    step = models.PositiveSmallIntegerField(_("langkah"))
    step_started_at = models.DateTimeField()
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    elapsed_minutes = models.PositiveIntegerField()
    standard_minutes = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pengingat langkah")
        verbose_name_plural = _("pengingat langkah")
        constraints = [models.UniqueConstraint(fields=["occurrence", "level"], name="step_alert_once")]

    def __str__(self):
        return f"{self.get_level_display()} — {self.occurrence}"


class NotificationPreference(models.Model):
    """The channels a person wants besides the in-app list (which always keeps every notice)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference")
    email = models.BooleanField(_("Kirim lewat e-mail"), default=True)
    webhook = models.BooleanField(_("Kirim ke webhook kantor"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pilihan pemberitahuan")
        verbose_name_plural = _("pilihan pemberitahuan")

    def __str__(self):
        return str(self.user)


class Delivery(models.Model):
    """One notice on one outside channel: sent, waiting for its next attempt, or given up.

    A row is written with the notice, in the same transaction, so a notice whose mail server is
    down is not lost: the sender retries it with backoff until it goes out."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pengiriman pemberitahuan")
        verbose_name_plural = _("pengiriman pemberitahuan")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.notification_id} {self.channel} {self.status}"
