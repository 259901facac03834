"""The SOP as the official document (Permenpan RB No. 35 Tahun 2012), in HTML and PDF.

The document is drawn from the same ``SopDefinition`` that drives the workflow, so what is printed
and what the desk enforces cannot drift apart. ``build_layout`` is pure: it turns a definition into
rows, columns, flowchart symbols and connector polylines with coordinates, so the drawing can be
tested without rendering anything. The templates only place what the layout computed.

The flowchart is one coordinate space spanning the pelaksana columns. Each table row carries an SVG
whose viewBox is that row's slice of the space, so rows may break across pages (the header repeats)
while the lines still meet at the row boundaries. For that the row heights are fixed here, from a
conservative estimate of how many lines the row's text takes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field

from sop import rules

# Bump when the layout or templates change, so cached PDFs of an unchanged SOP are redrawn.
FORMAT_VERSION = 1

# --- geometry (CSS px, 96 per inch; A4 landscape less 10 mm margins is 1047 px wide) -------------

COL_NO = 24
COL_ACTIVITY = 296
COL_ROLE = 76
COL_INPUT = 74
COL_TIME = 54
COL_OUTPUT = 74
COL_REMARKS = 145  # the rest of the width

SYMBOL_W = 50
SYMBOL_H = {"capsule": 22, "rect": 24, "diamond": 28}
LANE = 7  # distance of a return line from the side of the symbol it enters
ROW_MIN = 56
FONT_PX = 8 * 96 / 72  # 8 pt
LINE_PX = FONT_PX * 1.25
CELL_PAD = 4
# Wider than the average glyph of Liberation Sans/Arial so an estimate never falls short: a row
# whose text took more lines than estimated would leave a gap in the flowchart's lines.
CHAR_EM = 0.52
ARROW_LEN = 6
ARROW_HALF = 3

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def format_minutes(minutes: int) -> str:
    """A time standard as the SOP writes it: ``30 menit``, ``3 jam``, ``5 jam 30 menit``."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} jam")
    if rest or not hours:
        parts.append(f"{rest} menit")
    return " ".join(parts)


def format_date(value: dt.date | None) -> str:
    """Dates in Indonesian whatever the reader's language: the document is an official form."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_nip(nip: str) -> str:
    """An 18-digit NIP grouped as printed on official documents: birth date, appointment, sex, serial."""
    if len(nip) == 18 and nip.isdigit():
        return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    return nip


def wrapped_lines(text: str, width_px: float, font_px: float = FONT_PX) -> int:
    """How many lines ``text`` takes in a box ``width_px`` wide (greedy word wrap, conservative)."""
    per_line = max(1, int(width_px // (font_px * CHAR_EM)))
    lines, used = 0, per_line  # ``used`` full: the first word opens a line
    for word in text.split():
        while len(word) > per_line:  # a long word (a URL) breaks anywhere
            lines, used, word = lines + 1, per_line, word[per_line:]
        if used + (1 if used else 0) + len(word) > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return max(lines, 1)


def text_height(texts: list[str], width_px: float) -> float:
    return sum(wrapped_lines(t, width_px) for t in texts if t) * LINE_PX + 2 * CELL_PAD


# --- the layout ----------------------------------------------------------------------------------

Point = tuple[float, float]


@dataclass
class Symbol:
    step: int
    phase: int
    role: rules.Role
    column: int
    kind: str  # capsule (first and last step), rect (activity), diamond (decision: may return)
    cx: float
    cy: float
    row_top: float
    row_bottom: float
    used: set[str] = field(default_factory=set, repr=False)
    return_exit: str | None = field(default=None, repr=False)
    return_entry: str | None = field(default=None, repr=False)

    @property
    def w(self) -> float:
        return SYMBOL_W

    @property
    def h(self) -> float:
        return SYMBOL_H[self.kind]

    def port(self, side: str) -> Point:
        return {
            "top": (self.cx, self.cy - self.h / 2),
            "bottom": (self.cx, self.cy + self.h / 2),
            "left": (self.cx - self.w / 2, self.cy),
            "right": (self.cx + self.w / 2, self.cy),
        }[side]

    @property
    def x(self) -> float:
        return self.cx - self.w / 2

    @property
    def y(self) -> float:
        return self.cy - self.h / 2

    @property
    def rx(self) -> float:
        return self.h / 2 if self.kind == "capsule" else 0

    @property
    def points(self) -> str:
        """The diamond's corners, for an SVG polygon."""
        corners = (self.port("top"), self.port("right"), self.port("bottom"), self.port("left"))
        return " ".join(f"{x:g},{y:g}" for x, y in corners)


@dataclass(frozen=True)
class Connector:
    points: tuple[Point, ...]
    kind: str  # forward (solid) or return (dashed)
    source: tuple[int, int]  # (step, phase) of the symbols it joins
    target: tuple[int, int]
    label: str = ""  # "ya" / "tidak" where it leaves a decision
    label_at: Point | None = None
    label_anchor: str = "start"

    def crosses(self, top: float, bottom: float) -> bool:
        ys = [y for _, y in self.points]
        if self.label_at:
            ys.append(self.label_at[1])
        return min(ys) - ARROW_LEN <= bottom and max(ys) + ARROW_LEN >= top

    @property
    def path(self) -> str:
        return " ".join(f"{x:g},{y:g}" for x, y in self.points)

    @property
    def arrowhead(self) -> str:
        """A triangle at the last point, pointing along the last segment (no SVG markers: renderers
        differ on them)."""
        (x0, y0), (x1, y1) = self.points[-2], self.points[-1]
        length = math.hypot(x1 - x0, y1 - y0) or 1
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        bx, by = x1 - ux * ARROW_LEN, y1 - uy * ARROW_LEN
        pts = [(x1, y1), (bx - uy * ARROW_HALF, by + ux * ARROW_HALF), (bx + uy * ARROW_HALF, by - ux * ARROW_HALF)]
        return " ".join(f"{x:g},{y:g}" for x, y in pts)


@dataclass(frozen=True)
class Column:
    role: rules.Role
    label: str
    title: str
    x: float


@dataclass(frozen=True)
class Row:
    step: rules.Step
    top: float
    height: float
    symbols: tuple[Symbol, ...]
    waktu: str
    remarks: tuple[str, ...]
    width: float
    connectors: tuple[Connector, ...] = ()
    return_segments: tuple[tuple[Point, Point], ...] = ()

    @property
    def forward_connectors(self) -> list[Connector]:
        return [c for c in self.connectors if c.kind == "forward"]

    @property
    def number(self) -> int:
        return self.step.number

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def view_box(self) -> str:
        return f"0 {self.top:g} {self.width:g} {self.height:g}"


@dataclass(frozen=True)
class SopDocumentLayout:
    identity: dict
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    connectors: tuple[Connector, ...]
    flow_width: float
    flow_height: float
    total_minutes: int

    @property
    def symbols(self) -> list[Symbol]:
        return [symbol for row in self.rows for symbol in row.symbols]

    def symbol(self, step: int, phase: int = 0) -> Symbol:
        return next(s for s in self.symbols if (s.step, s.phase) == (step, phase))

    @property
    def total_waktu(self) -> str:
        return format_minutes(self.total_minutes)

    @property
    def organisation(self) -> list[str]:
        return self.identity.get("organisasi") or [self.identity.get("instansi") or self.identity["judul"]]

    @property
    def dates(self) -> dict[str, str]:
        keys = ("tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif")
        return {key: format_date(self.identity.get(key)) for key in keys}

    @property
    def nip(self) -> str:
        return format_nip(self.identity["pengesahan"]["nip"])

    @property
    def separators(self) -> list[float]:
        return [c.x + COL_ROLE for c in self.columns[:-1]]


def return_note(step: rules.Step, defn: rules.SopDefinition) -> str:
    targets = [t for t in step.returns_to if t != step.number]
    own = step.number in step.returns_to
    parts = []
    if own:
        parts.append(f"{step.actors[0].label} (langkah {step.number})")
    if targets:
        listed = ", ".join(str(t) for t in targets[:-1])
        parts.append(f"langkah {listed + ' atau ' if listed else ''}{targets[-1]}")
    return "Tidak sesuai: dikembalikan ke " + " atau ".join(parts) + "."


def build_layout(defn: rules.SopDefinition) -> SopDocumentLayout:
    """Rows, columns, symbols and connectors of the procedure table, from the definition alone."""
    roles = list(rules.Role)  # the SOP table's pelaksana columns, in its order
    columns = tuple(
        Column(role=r, label=r.label, title=defn.role_titles.get(r, r.label), x=i * COL_ROLE)
        for i, r in enumerate(roles)
    )
    steps = defn.in_order()
    first, last = steps[0].number, steps[-1].number

    rows, top = [], 0.0
    for step in steps:
        remarks = tuple(x for x in (step.remarks, return_note(step, defn) if step.returns_to else "") if x)
        height = max(
            ROW_MIN,
            text_height([step.activity], COL_ACTIVITY - 2 * CELL_PAD),
            text_height([step.input], COL_INPUT - 2 * CELL_PAD),
            text_height([step.output], COL_OUTPUT - 2 * CELL_PAD),
            text_height(list(remarks), COL_REMARKS - 2 * CELL_PAD),
        )
        height = float(math.ceil(height))
        symbols = []
        for phase, role in enumerate(step.actors):
            completing = phase == len(step.actors) - 1
            if step.number in (first, last) and len(step.actors) == 1:
                kind = "capsule"
            elif completing and step.returns_to:
                kind = "diamond"
            else:
                kind = "rect"
            column = roles.index(role)
            symbols.append(
                Symbol(
                    step=step.number,
                    phase=phase,
                    role=role,
                    column=column,
                    kind=kind,
                    cx=column * COL_ROLE + COL_ROLE / 2,
                    cy=top + height / 2,
                    row_top=top,
                    row_bottom=top + height,
                )
            )
        rows.append(
            Row(
                step=step,
                top=top,
                height=height,
                symbols=tuple(symbols),
                waktu=format_minutes(step.minutes),
                remarks=remarks,
                width=len(columns) * COL_ROLE,
            )
        )
        top += height

    nodes = [s for row in rows for s in row.symbols]
    connectors = [_forward(a, b) for a, b in zip(nodes, nodes[1:], strict=False)]
    by_key = {(s.step, s.phase): s for s in nodes}
    for step in steps:
        decision = by_key[(step.number, len(step.actors) - 1)]
        for i, target in enumerate(sorted(step.returns_to, reverse=True)):
            connectors.append(_return(decision, by_key[(target, 0)], labelled=i == 0))
    segments = merged_segments([c for c in connectors if c.kind == "return"])
    # Each row's SVG draws only what passes through its slice.
    rows = [
        dataclasses.replace(
            row,
            connectors=tuple(c for c in connectors if c.crosses(row.top, row.bottom)),
            return_segments=tuple(
                seg
                for seg in segments
                if min(seg[0][1], seg[1][1]) <= row.bottom and max(seg[0][1], seg[1][1]) >= row.top
            ),
        )
        for row in rows
    ]
    return SopDocumentLayout(
        identity=defn.identity,
        columns=columns,
        rows=tuple(rows),
        connectors=tuple(connectors),
        flow_width=len(columns) * COL_ROLE,
        flow_height=top,
        total_minutes=defn.total_minutes,
    )


def merged_segments(connectors: list[Connector]) -> list[tuple[Point, Point]]:
    """The straight pieces of ``connectors``, each drawn once: returns share their last segments,
    and dashed lines drawn over each other at different dash offsets would look solid."""
    spans: dict[tuple[str, float], list[list[float]]] = {}
    for connector in connectors:
        for (x0, y0), (x1, y1) in zip(connector.points, connector.points[1:], strict=False):
            if x0 == x1:
                spans.setdefault(("v", x0), []).append(sorted((y0, y1)))
            elif y0 == y1:
                spans.setdefault(("h", y0), []).append(sorted((x0, x1)))
            else:  # never produced by the router; drawn as it is
                spans.setdefault(("d", len(spans)), []).append([x0, y0, x1, y1])
    segments = []
    for (axis, at), intervals in spans.items():
        if axis == "d":
            x0, y0, x1, y1 = intervals[0]
            segments.append(((x0, y0), (x1, y1)))
            continue
        merged: list[list[float]] = []
        for lo, hi in sorted(intervals):
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        for lo, hi in merged:
            segments.append(((at, lo), (at, hi)) if axis == "v" else ((lo, at), (hi, at)))
    return segments


def _facing(a: Symbol, b: Symbol) -> str:
    return "right" if b.column > a.column else "left"


def _forward(a: Symbol, b: Symbol) -> Connector:
    """A solid connector from one symbol to the next in the procedure: sideways within a step,
    straight down within a column, otherwise out of the side and down into the next symbol's top.
    A decision's "ya" leaves from its bottom, keeping its sides for the returns."""
    label, label_at = "", None
    if a.step == b.step:
        side = _facing(a, b)
        points = (a.port(side), b.port(_facing(b, a)))
        a.used.add(side)
        b.used.add(_facing(b, a))
    elif a.column == b.column:
        points = (a.port("bottom"), b.port("top"))
        a.used.add("bottom")
        b.used.add("top")
    elif a.kind != "diamond" and _facing(a, b) not in a.used:
        side = _facing(a, b)
        start = a.port(side)
        points = (start, (b.cx, start[1]), b.port("top"))
        a.used.add(side)
        b.used.add("top")
    else:
        start = a.port("bottom")
        # Halfway to the row's border, so the line does not read as a second border.
        y = (start[1] + a.row_bottom) / 2 + 1
        points = (start, (a.cx, y), (b.cx, y), b.port("top"))
        a.used.add("bottom")
        b.used.add("top")
    anchor = "start"
    if a.kind == "diamond":
        # Beside the drop, on the side the line does not turn to.
        bottom = a.port("bottom")[1]
        anchor = "end" if points[-1][0] > a.cx else "start"
        label, label_at = "ya", (a.cx + (-3 if anchor == "end" else 3), bottom + 7)
    return Connector(
        points=points,
        kind="forward",
        source=(a.step, a.phase),
        target=(b.step, b.phase),
        label=label,
        label_at=label_at,
        label_anchor=anchor,
    )


def _return(d: Symbol, t: Symbol, *, labelled: bool) -> Connector:
    """A dashed "tidak" line from a decision back to the first symbol of an earlier step. All the
    returns of one decision leave by one side, and all the returns into one symbol enter by one
    side, so they share segments and read as one line that branches."""
    if d.step == t.step:  # the step's last pelaksana hands it back to its first (Kasi to Staf)
        y = d.row_top + 6
        start = d.port("top")
        points = (start, (d.cx, y), (t.cx, y), t.port("top"))
        label_at, anchor = (d.cx + 3, y + 9), "start"
    else:
        if d.return_exit is None:
            preferred = "left" if t.column < d.column else "right"
            other = {"left": "right", "right": "left"}[preferred]
            d.return_exit = preferred if preferred not in d.used else other
            d.used.add(d.return_exit)
        start = d.port(d.return_exit)
        if t.return_entry is None:
            facing = "right" if d.column >= t.column else "left"
            t.return_entry = facing if facing not in t.used else ("bottom" if "bottom" not in t.used else facing)
            t.used.add(t.return_entry)
        end = t.port(t.return_entry)
        if t.return_entry == "bottom":
            points = (start, (end[0], start[1]), end)
        else:
            lane = end[0] + (LANE if t.return_entry == "right" else -LANE)
            points = (start, (lane, start[1]), (lane, end[1]), end)
        if d.return_exit == "left":
            label_at, anchor = (start[0] - 2, start[1] - 3), "end"
        else:
            label_at, anchor = (start[0] + 2, start[1] - 3), "start"
    return Connector(
        points=points,
        kind="return",
        source=(d.step, d.phase),
        target=(t.step, t.phase),
        label="tidak" if labelled else "",
        label_at=label_at if labelled else None,
        label_anchor=anchor,
    )


# --- rendering -----------------------------------------------------------------------------------


def document_context(version) -> dict:
    """What ``sop/document.html`` needs for one stored ``SopVersion``."""
    return {
        "layout": build_layout(version.definition()),
        "version": version,
        "widths": {
            "no": COL_NO,
            "activity": COL_ACTIVITY,
            "role": COL_ROLE,
            "input": COL_INPUT,
            "time": COL_TIME,
            "output": COL_OUTPUT,
        },
    }


def render_pdf(version) -> bytes:
    """The document as PDF, drawn once per version of the file (and of this module's format)."""
    from django.core.cache import cache

    key = f"sop-document-pdf:{FORMAT_VERSION}:{version.checksum}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = _draw_pdf(version)
        cache.set(key, pdf, timeout=None)
    return pdf


def _draw_pdf(version) -> bytes:
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    with translation.override("id"):
        html = render_to_string("sop/document.html", {**document_context(version), "for_pdf": True})
    # Everything the document needs is inline; a fetcher that refuses keeps rendering off the network.
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def _refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"the SOP document loads nothing from outside ({url})")


def pdf_filename(version) -> str:
    nomor = "".join(ch if ch.isalnum() else "-" for ch in version.nomor)
    return f"SOP-{nomor}-v{version.version}.pdf"
