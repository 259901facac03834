"""Charts as SVG markup built on the server: they print, need no script, and WeasyPrint draws them
in the PDF. Text is escaped; sizes are in user units and scale with the page."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reports.selectors import StepRow

WIDTH = 680
LABEL_W = 150
VALUE_W = 140
ROW_H = 26
TOP = 30
BAR_H = 16
# Medians beyond three times the standard are drawn to the edge with their value written out.
RATIO_MAX = 3.0
ON_TIME = "#2e7d32"
LATE = "#c62828"
EMPTY = "#9e9e9e"


def _svg(height: int, body: list[str], title: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="report-chart" font-family="sans-serif" font-size="12">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def median_vs_standard(steps: list[StepRow], title: str) -> SafeString:
    """One bar per step: its median as a share of its standard, with the standard as a line."""
    plot_w = WIDTH - LABEL_W - VALUE_W
    height = TOP + ROW_H * len(steps) + 24
    x0 = LABEL_W
    body = []
    for tick in (0, 1, 2, 3):
        x = x0 + plot_w * tick / RATIO_MAX
        dash = "" if tick != 1 else ' stroke-dasharray="4 3"'
        colour = "#333" if tick == 1 else "#ccc"
        body.append(f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height - 20}" stroke="{colour}"{dash}/>')
        label = "standar" if tick == 1 else f"{tick}×"
        body.append(f'<text x="{x:.1f}" y="{TOP - 10}" text-anchor="middle" fill="#333">{label}</text>')
    for i, row in enumerate(steps):
        y = TOP + i * ROW_H
        body.append(
            f'<text x="{x0 - 8}" y="{y + BAR_H - 3}" text-anchor="end">{row.number}. {escape(row.actors)}</text>'
        )
        median, standard = row.figures.median, row.standard
        if median is None or not standard:
            body.append(f'<text x="{x0 + 4}" y="{y + BAR_H - 3}" fill="{EMPTY}">tidak ada data</text>')
            continue
        ratio = median / standard
        w = plot_w * min(ratio, RATIO_MAX) / RATIO_MAX
        colour = ON_TIME if median <= standard else LATE
        body.append(f'<rect x="{x0}" y="{y}" width="{max(w, 1):.1f}" height="{BAR_H}" fill="{colour}"/>')
        body.append(f'<text x="{x0 + plot_w + 8}" y="{y + BAR_H - 3}">{_fmt(median)} / {standard} mnt</text>')
    body.append(
        f'<text x="{x0}" y="{height - 4}" fill="#555">median durasi ÷ standar waktu langkah '
        f"(hijau: dalam standar, merah: melebihi)</text>"
    )
    return _svg(height, body, title)


def share_within(steps: list[StepRow], title: str) -> SafeString:
    """One bar per step: the share of its runs that kept the standard (0–100 %)."""
    plot_w = WIDTH - LABEL_W - VALUE_W
    height = TOP + ROW_H * len(steps) + 8
    x0 = LABEL_W
    body = []
    for tick in (0, 25, 50, 75, 100):
        x = x0 + plot_w * tick / 100
        body.append(f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height - 4}" stroke="#ccc"/>')
        body.append(f'<text x="{x:.1f}" y="{TOP - 10}" text-anchor="middle" fill="#333">{tick}%</text>')
    for i, row in enumerate(steps):
        y = TOP + i * ROW_H
        body.append(
            f'<text x="{x0 - 8}" y="{y + BAR_H - 3}" text-anchor="end">{row.number}. {escape(row.actors)}</text>'
        )
        share = row.figures.share_within
        if share is None:
            body.append(f'<text x="{x0 + 4}" y="{y + BAR_H - 3}" fill="{EMPTY}">tidak ada data</text>')
            continue
        body.append(f'<rect x="{x0}" y="{y}" width="{plot_w:.1f}" height="{BAR_H}" fill="#eee"/>')
        body.append(
            f'<rect x="{x0}" y="{y}" width="{max(plot_w * share / 100, 1):.1f}" height="{BAR_H}" fill="#1565c0"/>'
        )
        body.append(f'<text x="{x0 + plot_w + 8}" y="{y + BAR_H - 3}">{_fmt(share)}% dari {row.figures.runs}</text>')
    return _svg(height, body, title)
