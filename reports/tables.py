"""The report as plain tables of values: the page, the CSV, the XLSX and the PDF all print these,
so every format shows the same figures. Minutes and percentages are rounded to one decimal here,
once; a missing figure (nothing to measure) is None."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from reports import stats
from reports.selectors import LIST_LIMIT, Figures, LeadTime, Report

r = stats.rounded


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    # Columns holding numbers (right-aligned on the page and in the PDF).
    numeric: frozenset[int] = frozenset()


def _figures(f: Figures) -> list:
    return [f.runs, r(f.median), r(f.p90), r(f.mean), f.within, r(f.share_within), f.returns]


def figure_headers() -> list[str]:
    # Translated when a table is built, in the reader's language.
    return [
        _("Penyelesaian"),
        _("Median (mnt)"),
        _("P90 (mnt)"),
        _("Rata-rata (mnt)"),
        _("Dalam standar"),
        _("% dalam standar"),
        _("Pengembalian"),
    ]


def _lead(lead: LeadTime) -> list:
    return [lead.items, r(lead.median), r(lead.p90), r(lead.mean), lead.within, r(lead.share_within)]


def _when(event) -> str:
    return timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M")


def _item(event) -> str:
    return event.liputan.title if event.liputan_id else event.agenda.topic


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _actor(event) -> str:
    if event.on_behalf_of_id:
        return f"{_person(event.actor)} a.n. {_person(event.on_behalf_of)}"
    return _person(event.actor)


def report_tables(report: Report) -> list[Table]:
    total = report.sop_total_minutes
    lead = report.lead
    summary = Table(
        "ringkasan",
        _("Ringkasan"),
        [_("Ukuran"), _("Nilai")],
        [
            [_("Periode (WITA)"), report.period.label],
            [_("SOP"), report.sop_label],
            [_("Langkah diselesaikan"), report.runs],
            [_("Langkah dalam standar waktu"), report.within],
            [_("% langkah dalam standar waktu"), r(report.share_within)],
            [_("Item terbit melalui langkah 10"), lead.items],
            [_("Waktu total standar SOP (mnt)"), total],
            [_("Waktu total median (mnt)"), r(lead.median)],
            [_("Waktu total P90 (mnt)"), r(lead.p90)],
            [_("% item dalam waktu total SOP"), r(lead.share_within)],
            [_("Pengembalian"), report.returns_count],
            [_("Terbit darurat"), report.emergency_count],
        ],
        numeric=frozenset({1}),
    )
    steps = Table(
        "langkah",
        _("Per langkah"),
        [_("Langkah"), _("Kegiatan"), _("Pelaksana"), _("Standar (mnt)"), *figure_headers()],
        [[row.number, row.activity, row.actors, row.standard, *_figures(row.figures)] for row in report.steps],
        note=_(
            "Penyelesaian: berapa kali langkah berakhir (diteruskan, ditugaskan, diterbitkan, atau dikembalikan) "
            "dalam periode; langkah yang diulang setelah pengembalian dihitung setiap kali. Durasi dalam menit kerja."
        ),
        numeric=frozenset({0, *range(3, 11)}),
    )
    people = Table(
        "pelaksana",
        _("Per pelaksana"),
        [_("Nama"), _("Peran"), _("a.n."), *figure_headers()],
        [[row.name, row.role, row.on_behalf_of, *_figures(row.figures)] for row in report.people],
        note=_(
            "Langkah dihitung pada orang yang mengakhirinya; di langkah 3 itu Kasi, dan durasinya mencakup "
            "penulisan oleh Staf. Pengembalian: yang dilakukan orang itu."
        ),
        numeric=frozenset(range(3, 10)),
    )
    kinds = Table(
        "jenis",
        _("Per jenis konten"),
        [
            _("Jenis"),
            *figure_headers(),
            _("Terbit"),
            _("Waktu total median (mnt)"),
            _("Waktu total P90 (mnt)"),
            _("Waktu total rata-rata (mnt)"),
            _("Dalam waktu total SOP"),
            _("% dalam waktu total SOP"),
        ],
        [[row.label, *_figures(row.figures), *_lead(row.lead)] for row in report.kinds],
        numeric=frozenset(range(1, 14)),
    )
    lead_table = Table(
        "waktu-total",
        _("Waktu total langkah 1–10"),
        [
            _("Item terbit"),
            _("Median (mnt)"),
            _("P90 (mnt)"),
            _("Rata-rata (mnt)"),
            _("Dalam standar"),
            _("% dalam standar"),
            _("Standar SOP (mnt)"),
        ],
        [[*_lead(lead), total]],
        note=_(
            "Waktu total satu item = jumlah durasi (menit kerja) semua langkah yang dijalaninya, dari perencanaan "
            "sampai terbit, termasuk pengulangan setelah pengembalian. Langkah berjalan berurutan tanpa jeda, "
            "jadi ini sama dengan waktu kerja dari awal langkah 1 sampai terbit. Dibandingkan dengan jumlah "
            "waktu standar SOP (%(total)s menit). Item yang terbit darurat tidak dihitung di sini."
        )
        % {"total": total},
        numeric=frozenset(range(7)),
    )
    flows = Table(
        "alur-pengembalian",
        _("Pengembalian per langkah"),
        [_("Dari langkah"), _("Ke langkah"), _("Jumlah")],
        [[flow.from_step, flow.to_step, flow.count] for flow in report.return_flows],
        numeric=frozenset({0, 1, 2}),
    )
    returns = Table(
        "pengembalian",
        _("Pengembalian dan alasannya"),
        [_("Waktu (WITA)"), _("Item"), _("Dari langkah"), _("Ke langkah"), _("Oleh"), _("Alasan")],
        [[_when(e), _item(e), e.step, e.to_step, _actor(e), e.comment] for e in report.returns],
        note=_("Ditampilkan %(shown)s dari %(total)s pengembalian (paling banyak %(limit)s, yang terawal dahulu).")
        % {"shown": len(report.returns), "total": report.returns_count, "limit": LIST_LIMIT},
        numeric=frozenset({2, 3}),
    )
    emergencies = Table(
        "terbit-darurat",
        _("Terbit darurat"),
        [_("Waktu (WITA)"), _("Item"), _("Di langkah"), _("Oleh"), _("Alasan")],
        [[_when(e), _item(e), e.step, _actor(e), e.comment] for e in report.emergencies],
        note=_("Ditampilkan %(shown)s dari %(total)s terbit darurat.")
        % {"shown": len(report.emergencies), "total": report.emergency_count},
        numeric=frozenset({2}),
    )
    return [summary, steps, lead_table, people, kinds, flows, returns, emergencies]
