"""Reads of the announcements. Validity is decided by today's date in WITA when a list is shown,
so an announcement leaves the current lists at midnight without any job running."""

import datetime as dt

from django.db.models import F, Q, QuerySet

from pengumuman.models import PengumumanIndexPage, PengumumanPage, today_wita
from portal.serving import public


def _pengumuman_public() -> QuerySet[PengumumanPage]:
    return public(PengumumanPage.objects.live()).select_related("attachment")


def _not_expired(today: dt.date) -> Q:
    return Q(berlaku_sampai__isnull=True) | Q(berlaku_sampai__gte=today)


def pengumuman_current(limit: int | None = None, *, today: dt.date | None = None) -> QuerySet[PengumumanPage]:
    """Announcements valid today (WITA), the most recently in force first."""
    today = today or today_wita()
    items = (
        _pengumuman_public()
        .filter(_not_expired(today), berlaku_mulai__lte=today)
        .order_by("-berlaku_mulai", F("first_published_at").desc(nulls_last=True), "-id")
    )
    return items[:limit] if limit is not None else items


def pengumuman_not_expired(*, today: dt.date | None = None) -> QuerySet[PengumumanPage]:
    """Valid today or later (those whose period has not begun yet included), most recent first."""
    today = today or today_wita()
    return (
        _pengumuman_public()
        .filter(_not_expired(today))
        .order_by("-berlaku_mulai", F("first_published_at").desc(nulls_last=True), "-id")
    )


def pengumuman_archive(*, today: dt.date | None = None) -> QuerySet[PengumumanPage]:
    """Announcements no longer valid, the most recently expired first."""
    today = today or today_wita()
    return _pengumuman_public().filter(berlaku_sampai__lt=today).order_by("-berlaku_sampai", "-berlaku_mulai", "-id")


def pengumuman_index() -> PengumumanIndexPage | None:
    return PengumumanIndexPage.objects.order_by("path").first()
