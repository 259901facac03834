"""The report's period: whole days in WITA, from the presets or two dates the reader picks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PRESETS = {
    "bulan-ini": gettext_lazy("Bulan ini"),
    "bulan-lalu": gettext_lazy("Bulan lalu"),
    "tahun-ini": gettext_lazy("Tahun ini"),
}
DEFAULT_PRESET = "bulan-ini"
# Longer spans are allowed, but a report over decades is a typing mistake, not a question.
MAX_DAYS = 366 * 5


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date  # inclusive
    preset: str = ""

    @property
    def start(self) -> dt.datetime:
        """The first instant, midnight WITA (the office's time zone, settings.TIME_ZONE)."""
        return dt.datetime.combine(self.first, dt.time.min, tzinfo=timezone.get_default_timezone())

    @property
    def end(self) -> dt.datetime:
        """The instant after the last day (exclusive bound)."""
        return dt.datetime.combine(
            self.last + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_default_timezone()
        )

    @property
    def label(self) -> str:
        return f"{self.first:%d-%m-%Y} s.d. {self.last:%d-%m-%Y}"

    @property
    def slug(self) -> str:
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}"


def preset_period(name: str, *, today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    if name == "bulan-lalu":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return Period(last.replace(day=1), last, name)
    if name == "tahun-ini":
        return Period(today.replace(month=1, day=1), today.replace(month=12, day=31), name)
    if name == "bulan-ini":
        next_month = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return Period(today.replace(day=1), next_month - dt.timedelta(days=1), name)
    raise KeyError(name)


class PeriodError(ValueError):
    """The dates asked for cannot make a period; the message is for people."""


def period_from_query(params, *, today: dt.date | None = None) -> Period:
    """``?periode=bulan-lalu`` or ``?dari=2026-01-01&sampai=2026-03-31``; nothing means this month.
    Raises ``PeriodError`` with an Indonesian message for dates that do not make a period."""
    first_raw, last_raw = (params.get("dari") or "").strip(), (params.get("sampai") or "").strip()
    if first_raw or last_raw:
        try:
            first = dt.date.fromisoformat(first_raw)
            last = dt.date.fromisoformat(last_raw)
        except ValueError:
            raise PeriodError(_("Tanggal tidak dikenali. Tulis kedua tanggal sebagai TTTT-BB-HH.")) from None
        if last < first:
            raise PeriodError(_("Tanggal akhir harus sama dengan atau sesudah tanggal awal."))
        if (last - first).days > MAX_DAYS:
            raise PeriodError(_("Periode laporan paling panjang lima tahun."))
        return Period(first, last)
    name = params.get("periode") or DEFAULT_PRESET
    if name not in PRESETS:
        raise PeriodError(_("Periode tidak dikenal."))
    return preset_period(name, today=today)
