import datetime as dt
import logging
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import webhook
from notifications.models import Delivery, Notification, NotificationPreference

logger = logging.getLogger(__name__)


def notification_create(
    *, recipient, kind: str, title: str, message: str = "", url: str = "", alert=None
) -> Notification:
    """Write the in-app notice and one pending delivery per outside channel the recipient chose;
    the deliveries are attempted after commit (a rolled-back action sends nothing) and retried
    by ``deliveries_send_due`` until they go out."""
    notification = Notification(
        recipient=recipient, kind=kind, title=title[:255], message=message, url=url, alert=alert
    )
    notification.full_clean()
    notification.save()
    channels = channels_for(recipient)
    if channels:
        Delivery.objects.bulk_create(
            [
                Delivery(notification=notification, channel=channel, next_attempt_at=notification.created_at)
                for channel in channels
            ]
        )
        from notifications.tasks import deliver_notification

        transaction.on_commit(lambda: deliver_notification.enqueue(notification.pk))
    return notification


def notifications_mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


# --- channels ------------------------------------------------------------------------------------


def webhook_configured() -> bool:
    return bool(settings.LONTAR_WEBHOOK_URL and settings.LONTAR_WEBHOOK_SECRET)


def preference_for(user) -> NotificationPreference:
    """The person's choices; someone who never chose gets e-mail (and the in-app list)."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def channels_for(user) -> list[str]:
    preference = preference_for(user)
    channels = []
    if preference.email and user.email:
        channels.append(Delivery.Channel.EMAIL)
    if preference.webhook and webhook_configured():
        channels.append(Delivery.Channel.WEBHOOK)
    return channels


def preference_update(*, user, email: bool, webhook: bool) -> NotificationPreference:
    """Save the channels ``user`` chose for their own notices. Refuses a channel that cannot reach
    them, so nobody believes they will be told when they will not."""
    errors = {}
    current = preference_for(user)
    if email and not user.email:
        errors["email"] = _("Akun Anda belum memiliki alamat e-mail; isi dulu di pengaturan akun.")
    if webhook and not current.webhook and not webhook_configured():
        errors["webhook"] = _("Webhook kantor belum dipasang oleh administrator.")
    if errors:
        raise ValidationError(errors)
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": email, "webhook": webhook}
    )
    return preference


# --- sending, with retries -----------------------------------------------------------------------


def backoff_seconds(attempt: int, *, base: int | None = None, cap: int | None = None) -> int:
    """Wait before the attempt after failed attempt number ``attempt`` (1, 2, …): doubling from
    ``base``, never more than ``cap``."""
    base = settings.LONTAR_DELIVERY_RETRY_SECONDS if base is None else base
    cap = settings.LONTAR_DELIVERY_RETRY_CAP_SECONDS if cap is None else cap
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    return min(cap, base * 2 ** min(attempt - 1, 32))


def _claim(delivery_id: int, now: dt.datetime) -> Delivery | None:
    """Take a due delivery for one attempt. Its next attempt is moved to the backoff time before
    sending, so a worker that dies while sending leaves it to be retried, and a second worker
    neither waits for the lock (skip_locked) nor finds it due."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return None
        attempts = delivery.attempts + 1
        next_attempt_at = now + dt.timedelta(seconds=backoff_seconds(attempts))
        # Compare-and-set on the attempt count: SQLite has no row locks, so two processes may both
        # read the row as due; only the one whose update still finds the old count sends.
        won = Delivery.objects.filter(
            pk=delivery.pk, status=Delivery.Status.PENDING, attempts=delivery.attempts
        ).update(attempts=attempts, next_attempt_at=next_attempt_at)
        if not won:
            return None
        delivery.attempts, delivery.next_attempt_at = attempts, next_attempt_at
    return delivery


def delivery_message_id(delivery: Delivery) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "lontar.invalid"
    return f"<lontar-delivery-{delivery.pk}@{domain}>"


def _send(delivery: Delivery) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=delivery.notification_id)
    if delivery.channel == Delivery.Channel.EMAIL:
        context = {
            "notification": notification,
            "recipient": notification.recipient,
            "base_url": settings.WAGTAILADMIN_BASE_URL,
        }
        subject = " ".join(render_to_string("notifications/email/notification_subject.txt", context).split())
        body = render_to_string("notifications/email/notification.txt", context)
        if not notification.recipient.email:
            raise ValueError("recipient has no e-mail address")
        # One Message-ID per delivery, the same on every attempt: if a sender dies after the mail
        # server accepted a message but before the delivery was marked sent, the retry is the
        # same message, which many mail servers and clients recognise as a duplicate.
        headers = {"Message-ID": delivery_message_id(delivery)}
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email], headers=headers).send()
    elif delivery.channel == Delivery.Channel.WEBHOOK:
        if not webhook_configured():
            raise ValueError("LONTAR_WEBHOOK_URL / LONTAR_WEBHOOK_SECRET are not set")
        body = webhook.payload(notification, delivery_id=delivery.pk, base_url=settings.WAGTAILADMIN_BASE_URL)
        webhook.post(
            settings.LONTAR_WEBHOOK_URL,
            settings.LONTAR_WEBHOOK_SECRET,
            body,
            delivery_id=delivery.pk,
            timeout=settings.LONTAR_WEBHOOK_TIMEOUT,
        )
    else:  # pragma: no cover - the choices allow nothing else
        raise ValueError(f"unknown channel {delivery.channel}")


def delivery_attempt(delivery_id: int, *, now: dt.datetime | None = None) -> bool | None:
    """Try one delivery if it is due: True sent, False failed (retried later or given up), None
    not due or taken by another worker."""
    delivery = _claim(delivery_id, now or timezone.now())
    if delivery is None:
        return None
    try:
        _send(delivery)
    except Exception as exc:  # any failure of the outside world is recorded and retried
        error = f"{type(exc).__name__}: {exc}"[:2000]
        given_up = 0 < settings.LONTAR_DELIVERY_MAX_ATTEMPTS <= delivery.attempts
        Delivery.objects.filter(pk=delivery.pk).update(
            last_error=error, status=Delivery.Status.FAILED if given_up else Delivery.Status.PENDING
        )
        logger.warning(
            "delivery %s (%s) attempt %s failed: %s", delivery.pk, delivery.channel, delivery.attempts, error
        )
        return False
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENT, sent_at=timezone.now(), last_error="")
    return True


def deliveries_send_due(*, now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Attempt every delivery whose time has come (first tries the after-commit task missed, and
    retries after backoff). Returns counts by outcome."""
    now = now or timezone.now()
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for delivery_id in ids:
        outcome = delivery_attempt(delivery_id, now=now)
        counts["sent" if outcome else "skipped" if outcome is None else "failed"] += 1
    return counts
