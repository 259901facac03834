"""The desk says what happened; this decides who hears of it and how."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from desk.signals import item_published, step_entered
from notifications.models import Notification
from notifications.services import notification_create


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@receiver(step_entered)
def notify_step_holder(sender, liputan, holder, actor, returned, comment, **kwargs):
    if holder is None or holder == actor:
        return
    url = reverse("desk:liputan", args=[liputan.pk])
    params = {"step": liputan.step, "title": liputan.title, "actor": _name(actor)}
    if returned:
        notification_create(
            recipient=holder,
            kind=Notification.Kind.RETURNED,
            title=_("Dikembalikan ke langkah %(step)s: %(title)s") % params,
            message=_("%(actor)s mengembalikan naskah ini dengan alasan: %(reason)s") % {**params, "reason": comment},
            url=url,
        )
    else:
        notification_create(
            recipient=holder,
            kind=Notification.Kind.STEP,
            title=_("Langkah %(step)s menunggu Anda: %(title)s") % params,
            message=_("Dikirim oleh %(actor)s.") % params + (f"\n{comment}" if comment else ""),
            url=url,
        )


@receiver(item_published)
def notify_writer_published(sender, liputan, actor, **kwargs):
    for person in {liputan.writer, liputan.uploader} - {None, actor}:
        notification_create(
            recipient=person,
            kind=Notification.Kind.PUBLISHED,
            title=_("Terbit: %(title)s") % {"title": liputan.title},
            url=liputan.page.url if liputan.page_id else "",
        )
