"""How events are shown: dates in WITA and in Indonesian, the month grid, and the schema.org data.
Plain functions over datetimes and pages; no queries."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from portal.sanitise import plain_text

_MONTH_PARAM = re.compile(r"^(\d{4})-(\d{1,2})$")


def site_zone() -> dt.tzinfo:
    """The office's time zone (WITA), whatever zone a request may have activated."""
    return timezone.get_default_timezone()


def today() -> dt.date:
    return timezone.localdate(timezone=site_zone())


def local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value, site_zone())


def parse_month(value: str) -> tuple[int, int] | None:
    """``"2026-11"`` (the value of an ``<input type="month">``) → ``(2026, 11)``; anything else → None."""
    match = _MONTH_PARAM.match(value.strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    return (year, month) if 1 <= month <= 12 else None


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight at the start of the month and of the next one (aware, WITA)."""
    zone = site_zone()
    next_year, next_month = shift_month(year, month, 1)
    return dt.datetime(year, month, 1, tzinfo=zone), dt.datetime(next_year, next_month, 1, tzinfo=zone)


def event_dates(start: dt.datetime, end: dt.datetime | None, *, all_day: bool) -> tuple[dt.date, dt.date]:
    """The first and last local day an event takes place on (an event ending at midnight does
    not spill into the next day)."""
    first = local(start)
    last = local(end) if end is not None and end >= start else first
    last_day = last.date()
    if not all_day and last > first and last.time() == dt.time(0, 0):
        last_day -= dt.timedelta(days=1)
    return first.date(), max(first.date(), last_day)


def _time(value: dt.datetime) -> str:
    return date_format(local(value), "H.i")


def _date(value: dt.date, with_weekday: bool = True) -> str:
    return date_format(value, "l, j F Y" if with_weekday else "j F Y")


def when_text(start: dt.datetime | None, end: dt.datetime | None, *, all_day: bool = False) -> str:
    """The date and time of an event in Indonesian and in WITA, e.g. ``Selasa, 3 November 2026,
    09.00–12.00 WITA`` or ``30 November – 2 Desember 2026``."""
    if start is None:
        return ""
    first, last = event_dates(start, end, all_day=all_day)
    if all_day:
        if first == last:
            return _date(first)
        if (first.year, first.month) == (last.year, last.month):
            return _("%(first)s–%(last)s") % {"first": first.day, "last": _date(last, with_weekday=False)}
        if first.year == last.year:
            return _("%(first)s – %(last)s") % {
                "first": date_format(first, "j F"),
                "last": _date(last, with_weekday=False),
            }
        return _("%(first)s – %(last)s") % {"first": _date(first, False), "last": _date(last, False)}
    if end is None or end <= start:
        return _("%(date)s, %(time)s WITA") % {"date": _date(first), "time": _time(start)}
    if first == last:
        return _("%(date)s, %(start)s–%(end)s WITA") % {"date": _date(first), "start": _time(start), "end": _time(end)}
    return _("%(first)s, %(start)s – %(last)s, %(end)s WITA") % {
        "first": _date(first),
        "start": _time(start),
        "last": _date(local(end).date()),
        "end": _time(end),
    }


# --- The month grid -----------------------------------------------------------------------------


@dataclass
class DayEntry:
    page: object
    label: str  # "09.00", "Sepanjang hari" or "Berlanjut"


@dataclass
class Day:
    date: dt.date
    in_month: bool
    is_today: bool
    entries: list[DayEntry] = field(default_factory=list)


def weekday_names() -> list[str]:
    """Monday first, as calendars in Indonesia are printed."""
    monday = dt.date(2024, 1, 1)
    return [date_format(monday + dt.timedelta(days=i), "l") for i in range(7)]


def month_grid(year: int, month: int, events, *, today: dt.date) -> list[list[Day]]:
    """The weeks (Monday first) of a month, each day with the events that take place on it; days
    of the neighbouring months fill the first and last week and carry no events."""
    weeks = [
        [Day(date=d, in_month=d.month == month, is_today=d == today) for d in week]
        for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    ]
    days = {day.date: day for week in weeks for day in week if day.in_month}
    for event in events:
        first, last = event_dates(event.start, event.end, all_day=event.all_day)
        current = max(first, dt.date(year, month, 1))
        while current <= last and current in days:
            if event.all_day:
                label = _("Sepanjang hari")
            elif current == first:
                label = _time(event.start)
            else:
                label = _("Berlanjut")
            days[current].entries.append(DayEntry(page=event, label=label))
            current += dt.timedelta(days=1)
    return weeks


# --- schema.org ----------------------------------------------------------------------------------

_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """``<script type="application/ld+json">`` with ``data``; ``<``, ``>`` and ``&`` are escaped so
    no text inside (a title with ``</script>``) can end the element early."""
    payload = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


def _iso(value: dt.datetime, *, all_day: bool) -> str:
    return local(value).date().isoformat() if all_day else local(value).isoformat()


def event_json_ld(page, *, request, image_url: str | None = None) -> dict:
    """A schema.org ``Event`` for search engines, from a ``KegiatanPage``."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "url": page.get_full_url(request),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
    }
    if page.start:
        data["startDate"] = _iso(page.start, all_day=page.all_day)
        data["endDate"] = _iso(page.end or page.start, all_day=page.all_day)
    place = page.place or settings.LONTAR_PUBLIC_SITE_NAME
    data["location"] = {
        "@type": "Place",
        "name": place,
        "address": {"@type": "PostalAddress", "streetAddress": place, "addressRegion": "Bali", "addressCountry": "ID"},
    }
    organisers = [name for name in (page.organiser.name if page.organiser_id else "", page.organiser_text) if name]
    organisers = organisers or [settings.LONTAR_PUBLIC_SITE_NAME]
    data["organizer"] = [{"@type": "Organization", "name": name} for name in organisers]
    description = plain_text(page.body).strip()
    if description:
        data["description"] = Truncator(" ".join(description.split())).words(60)
    if image_url:
        data["image"] = [image_url]
    return data
