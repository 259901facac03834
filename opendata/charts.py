"""A bar chart drawn on the server as SVG: no JavaScript library to download on a phone, readable
by screen readers (a <title> per bar) and printable.

``bar_chart`` only does the geometry; ``templates/opendata/includes/bar_chart.html`` draws it, so
every label goes through the template's escaping. Coordinates are preformatted text with a
decimal point: the template is rendered with Indonesian number formatting, which would write
"12,5" inside an SVG attribute.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format

from opendata.tables import NUMERIC_TYPES

MAX_BARS = 30
WIDTH = 640
LABEL_WIDTH = 180
VALUE_WIDTH = 96
ROW_HEIGHT = 28
BAR_HEIGHT = 18
PADDING = 8
LABEL_CHARS = 26


@dataclass(frozen=True)
class Bar:
    label: str  # as shown, shortened if long
    full_label: str
    value_text: str
    x: str
    y: str
    width: str
    text_y: str
    value_x: str


@dataclass(frozen=True)
class BarChart:
    label_column: str
    value_column: str
    bars: list[Bar]
    width: int
    height: int
    label_x: str
    zero_x: str
    total: int  # rows with a value; more than len(bars) when the chart is cut short

    @property
    def truncated(self) -> bool:
        return self.total > len(self.bars)


def chart_columns(table: dict) -> tuple[int, int] | None:
    """The first text column (labels) and the first numeric column (values), if both exist."""
    types = table.get("types") or []
    rows = table.get("rows") or []
    value = next((i for i, kind in enumerate(types) if kind in NUMERIC_TYPES), None)
    label = next(
        (i for i, kind in enumerate(types) if kind == "string" and any(row[i] is not None for row in rows)),
        None,
    )
    if value is None or label is None:
        return None
    return label, value


def _fmt(number: float) -> str:
    return f"{number:.1f}"


def format_value(value) -> str:
    """A value as Indonesians write it: 28.154 and 6,12."""
    if isinstance(value, float) and not value.is_integer():
        return number_format(round(value, 2), decimal_pos=None, force_grouping=True)
    return number_format(int(value), force_grouping=True)


def _shorten(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "\u2026"


def bar_chart(table: dict, *, max_bars: int = MAX_BARS) -> BarChart | None:
    """Horizontal bars of the first numeric column against the first text column, for the rows
    that have a number (at most ``max_bars``); ``None`` when the table has no such pair."""
    columns = chart_columns(table)
    if columns is None:
        return None
    label_index, value_index = columns
    points = [
        (row[label_index], row[value_index])
        for row in table["rows"]
        if isinstance(row[value_index], int | float) and not isinstance(row[value_index], bool)
    ]
    if not points:
        return None
    shown = points[:max_bars]
    values = [value for _label, value in shown]
    low, high = min(0, min(values)), max(0, max(values))
    span = (high - low) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH

    def x_of(value) -> float:
        return LABEL_WIDTH + (value - low) / span * plot

    bars = []
    for n, (label, value) in enumerate(shown):
        top = PADDING + n * ROW_HEIGHT
        start, end = sorted((x_of(0), x_of(value)))
        full = "" if label is None else str(label)
        bars.append(
            Bar(
                label=_shorten(full),
                full_label=full,
                value_text=format_value(value),
                x=_fmt(start),
                y=_fmt(top),
                width=_fmt(max(end - start, 0.5)),  # a zero still shows as a hairline
                text_y=_fmt(top + BAR_HEIGHT / 2 + 4.5),
                value_x=_fmt(max(end, x_of(0)) + 6),
            )
        )
    return BarChart(
        label_column=table["columns"][label_index],
        value_column=table["columns"][value_index],
        bars=bars,
        width=WIDTH,
        height=PADDING * 2 + len(bars) * ROW_HEIGHT,
        label_x=_fmt(LABEL_WIDTH - 8),
        zero_x=_fmt(x_of(0)),
        total=len(points),
    )
