from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_notification_email(notification_id: int) -> None:
    from notifications.models import Notification

    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or not notification.recipient.email:
        return
    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
    }
    subject = " ".join(render_to_string("notifications/email/notification_subject.txt", context).split())
    body = render_to_string("notifications/email/notification.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email])
