from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.tasks import send_notification_email


def notification_create(*, recipient, kind: str, title: str, message: str = "", url: str = "") -> Notification:
    notification = Notification(recipient=recipient, kind=kind, title=title[:255], message=message, url=url)
    notification.full_clean()
    notification.save()
    if recipient.email:
        # After commit: a rolled-back action must not have sent mail.
        transaction.on_commit(lambda: send_notification_email.enqueue(notification.pk))
    return notification


def notifications_mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
