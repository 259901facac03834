"""Reads of the events calendar. Every public list goes through ``_kegiatan_public``: live pages
outside any private section, with their organiser, in one query however many there are."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from kegiatan import presentation
from kegiatan.models import KegiatanIndexPage, KegiatanPage
from portal.serving import public


def _kegiatan_public() -> QuerySet[KegiatanPage]:
    return (
        public(KegiatanPage.objects.live())
        .filter(start__isnull=False, end__isnull=False)
        .select_related("organiser")
    )


def kegiatan_upcoming(*, now: dt.datetime | None = None, limit: int | None = None) -> QuerySet[KegiatanPage]:
    """Events not over yet (those under way included), the soonest first."""
    events = _kegiatan_public().filter(end__gte=now or timezone.now()).order_by("start", "end", "id")
    return events[:limit] if limit is not None else events


def kegiatan_past(*, now: dt.datetime | None = None) -> QuerySet[KegiatanPage]:
    """Events that are over, the latest first."""
    return _kegiatan_public().filter(end__lt=now or timezone.now()).order_by("-start", "-id")


def kegiatan_in_month(*, year: int, month: int) -> QuerySet[KegiatanPage]:
    """Events that take place on at least one day of the month (in WITA)."""
    month_start, next_month_start = presentation.month_bounds(year, month)
    # An event that ends at the stroke of midnight on the 1st belongs to the month before.
    overlaps = Q(end__gt=month_start) | Q(start__gte=month_start)
    return _kegiatan_public().filter(overlaps, start__lt=next_month_start).order_by("start", "end", "id")


def kegiatan_feed() -> QuerySet[KegiatanPage]:
    """Every published event, for the iCalendar feed."""
    return _kegiatan_public().order_by("start", "id")


def kegiatan_index() -> KegiatanIndexPage | None:
    return KegiatanIndexPage.objects.order_by("path").first()
