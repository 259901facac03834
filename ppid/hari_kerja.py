"""Working days for statutory deadlines: Monday to Friday, without Indonesia's national holidays.

UU 14/2008 counts its deadlines in *hari kerja*. The holidays come from the ``holidays`` library
(its "public" category: the national holidays of the Keppres/SKB). Cuti bersama (the library's
"government" category) and Bali's regional holidays (Galungan, Kuningan) are not counted as
holidays here; the working-time calendar of issue 5 may take this over and add them.
"""

import datetime as dt
from functools import cache

import holidays

HOLIDAY_CATEGORIES = ("public",)
ANSWER_WORKING_DAYS = 10  # UU 14/2008 Pasal 22 ayat (7)


@cache
def _national_holidays() -> holidays.HolidayBase:
    # Years are added lazily as dates are looked up (expand=True).
    return holidays.country_holidays("ID", categories=HOLIDAY_CATEGORIES, language="id")


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _national_holidays()


def holiday_name(day: dt.date) -> str | None:
    return _national_holidays().get(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start``; the day of receipt itself is not counted,
    whether or not it is a working day."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def answer_deadline(received: dt.date) -> dt.date:
    """The last day on which the PPID must answer a request received on ``received``."""
    return add_working_days(received, ANSWER_WORKING_DAYS)
