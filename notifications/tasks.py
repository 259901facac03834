from django_tasks import task


@task()
def deliver_notification(notification_id: int) -> None:
    """First attempt of a notice's e-mail/webhook deliveries, right after the commit that wrote it."""
    from notifications.models import Delivery
    from notifications.services import delivery_attempt

    for delivery_id in Delivery.objects.filter(
        notification_id=notification_id, status=Delivery.Status.PENDING
    ).values_list("pk", flat=True):
        delivery_attempt(delivery_id)


@task()
def send_due_deliveries() -> dict:
    from notifications.services import deliveries_send_due

    return deliveries_send_due()


@task()
def scan_step_alerts() -> int:
    from notifications.reminders import step_alerts_scan

    return len(step_alerts_scan())
