"""Demo days off for the working calendar: Bali's own holy days of 2026/2027 as the administrator
would enter them. (Nyepi is also a national holiday in the ``holidays`` library; entering it
again does no harm and keeps the office's list complete.) Galungan falls every 210 days on a
Wednesday, Kuningan ten days later. The cuti bersama are the government's (SKB) as the
``holidays`` library lists them; the office enters the ones it actually keeps."""

import datetime as dt

import holidays

from sop.models import LocalHoliday

K = LocalHoliday.Kind
DEMO_HOLIDAYS = [
    (dt.date(2026, 6, 16), "Penampahan Galungan", K.HARI_RAYA_LOKAL),
    (dt.date(2026, 6, 17), "Hari Raya Galungan", K.HARI_RAYA_LOKAL),
    (dt.date(2026, 6, 18), "Umanis Galungan", K.HARI_RAYA_LOKAL),
    (dt.date(2026, 6, 27), "Hari Raya Kuningan", K.HARI_RAYA_LOKAL),
    (dt.date(2027, 1, 12), "Penampahan Galungan", K.HARI_RAYA_LOKAL),
    (dt.date(2027, 1, 13), "Hari Raya Galungan", K.HARI_RAYA_LOKAL),
    (dt.date(2027, 1, 14), "Umanis Galungan", K.HARI_RAYA_LOKAL),
    (dt.date(2027, 1, 23), "Hari Raya Kuningan", K.HARI_RAYA_LOKAL),
    (dt.date(2027, 3, 8), "Hari Suci Nyepi Tahun Baru Saka 1949", K.HARI_RAYA_LOKAL),
    (dt.date(2027, 3, 9), "Ngembak Geni", K.HARI_RAYA_LOKAL),
]


def cuti_bersama(years) -> list[tuple[dt.date, str, str]]:
    listed = holidays.country_holidays("ID", categories=("government",), years=list(years), language="id")
    return [(date, name, K.CUTI_BERSAMA) for date, name in sorted(listed.items())]


def demo_holidays() -> int:
    """Idempotent: adds the days not yet entered; returns how many were added. A Balinese holy
    day keeps its date when the SKB also lists a cuti bersama on it."""
    added = 0
    for date, name, kind in DEMO_HOLIDAYS + cuti_bersama([2026, 2027]):
        _, created = LocalHoliday.objects.get_or_create(date=date, defaults={"name": name, "kind": kind})
        added += created
    return added
