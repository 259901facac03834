"""The office's working calendar, from the database and Indonesia's national holidays: what the
rules module (``sop.rules.WorkingCalendar``) counts time standards in.

Office hours (``OfficeHours``) and the office's own days off (``LocalHoliday``: cuti bersama,
Nyepi, Galungan, Kuningan…) are kept by the site administrator in the admin; national holidays
come from the ``holidays`` library. Building the calendar takes two queries and the library's
computation, so it is cached and dropped whenever a row changes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import holidays
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from sop import rules
from sop.models import LocalHoliday, OfficeHours

CACHE_KEY = "sop:office-calendar:v1"  # {year: WorkingCalendar}
# The cache is dropped on every change in this process; the timeout bounds how long another
# process with its own local-memory cache can go on using the old calendar.
CACHE_SECONDS = 300


def national_holidays(years) -> frozenset[dt.date]:
    return frozenset(holidays.Indonesia(years=list(years)).keys())


def build_calendar(*, years) -> rules.WorkingCalendar:
    """The calendar from the rows as they are now, with the national holidays of ``years``."""
    hours = defaultdict(list)
    for weekday, opens_at, closes_at in OfficeHours.objects.values_list("weekday", "opens_at", "closes_at"):
        hours[weekday].append((opens_at, closes_at))
    local = frozenset(LocalHoliday.objects.values_list("date", flat=True))
    return rules.WorkingCalendar(
        # No rows at all is a fresh database (or every row deleted by mistake), not an office that
        # never works: the defaults hold until the administrator enters hours.
        hours=dict(hours) if hours else dict(rules.DEFAULT_OFFICE_HOURS),
        holidays=national_holidays(years) | local,
    )


def office_calendar(*, around: dt.date | None = None) -> rules.WorkingCalendar:
    """The working calendar in force, with the national holidays of the year of ``around`` (today
    in WITA) and its neighbours."""
    year = (around or timezone.localdate()).year
    by_year = cache.get(CACHE_KEY) or {}
    calendar = by_year.get(year)
    if calendar is None:
        calendar = build_calendar(years=range(year - 1, year + 2))
        cache.set(CACHE_KEY, {**by_year, year: calendar}, CACHE_SECONDS)
    return calendar


def forget_office_calendar() -> None:
    cache.delete(CACHE_KEY)


@receiver(post_save, sender=OfficeHours)
@receiver(post_delete, sender=OfficeHours)
@receiver(post_save, sender=LocalHoliday)
@receiver(post_delete, sender=LocalHoliday)
def _calendar_changed(**kwargs):
    forget_office_calendar()
    # Again after commit: a request that read the old rows while this transaction was open must
    # not keep its stale calendar in the cache.
    transaction.on_commit(forget_office_calendar)
