"""The events calendar as an iCalendar file (RFC 5545), built with the ``icalendar`` library."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from kegiatan import presentation
from portal.sanitise import plain_text

PRODID = "-//Pemerintah Kabupaten Tabanan//Lontar Agenda Kegiatan//ID"


def _description(page, url: str) -> str:
    lines = []
    if page.organiser_name:
        lines.append(_("Penyelenggara: %(name)s") % {"name": page.organiser_name})
    text = " ".join(plain_text(page.body).split())
    if text:
        lines.append(text)
    lines.append(url)
    return "\n\n".join(lines)


def kalender_build(events, *, request) -> bytes:
    """One VEVENT per event: times in WITA (``TZID=Asia/Makassar``, with its VTIMEZONE), all-day
    events as dates (``DTEND`` the day after the last, as RFC 5545 wants)."""
    name = _("Agenda Kegiatan — %(site)s") % {"site": settings.LONTAR_PUBLIC_SITE_NAME}
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    now = timezone.now()
    for page in events:
        url = page.get_full_url(request)
        event = Event()
        event.add("uid", f"{page.translation_key}@kegiatan")
        event.add("dtstamp", page.last_published_at or now)
        if page.all_day:
            first, last = presentation.event_dates(page.start, page.end, all_day=True)
            event.add("dtstart", first)
            event.add("dtend", last + dt.timedelta(days=1))
        else:
            event.add("dtstart", presentation.local(page.start))
            event.add("dtend", presentation.local(max(page.end, page.start)))
        event.add("summary", page.title)
        if page.place:
            event.add("location", page.place)
        event.add("url", url)
        event.add("description", _description(page, url))
        event.add("status", "CONFIRMED")
        if page.first_published_at:
            event.add("created", page.first_published_at)
        if page.last_published_at:
            event.add("last-modified", page.last_published_at)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
