"""The report as CSV, XLSX and PDF, from the same tables as the page (``reports.tables``).

Text cells pass through ``lontar.spreadsheet.safe_cell``: a return reason typed as ``=HYPERLINK(…)``
must stay text when an official opens the export."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone

from lontar.spreadsheet import safe_cell, safe_row
from reports import charts
from reports.selectors import Report
from reports.tables import Table, report_tables

TITLE = "Laporan kepatuhan SOP Pengelolaan Website"


def _blank(value):
    return "" if value is None else value


def report_csv(report: Report) -> bytes:
    """Each table in turn: its title, its header row, its rows, then an empty line. UTF-8 with a
    byte-order mark so Excel reads the Indonesian text right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row([TITLE, report.period.label]))
    writer.writerow([])
    for table in report_tables(report):
        writer.writerow(safe_row([table.title]))
        writer.writerow(safe_row(table.headers))
        for row in table.rows:
            writer.writerow(safe_row(_blank(value) for value in row))
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_name(table: Table) -> str:
    # Excel allows 31 characters and none of []:*?/\ in a sheet name.
    name = table.title
    for char in "[]:*?/\\":
        name = name.replace(char, "-")
    return name[:31]


def report_xlsx(report: Report) -> bytes:
    """One sheet per table; numbers are numbers, so officials can sum and chart them."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in report_tables(report):
        sheet = workbook.create_sheet(_sheet_name(table))
        sheet.append(safe_row(table.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([safe_cell(value) for value in row])
        if table.note:
            sheet.append([])
            sheet.append([safe_cell(table.note)])
        for index, header in enumerate(table.headers, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
                12, min(len(header) + 2, 50)
            )
        sheet.freeze_panes = "A2"
    workbook.properties.title = f"{TITLE} {report.period.label}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def chart_context(report: Report) -> dict:
    return {
        "median_chart": charts.median_vs_standard(report.steps, "Median durasi terhadap standar per langkah"),
        "share_chart": charts.share_within(report.steps, "Bagian langkah dalam standar waktu"),
    }


def report_pdf(report: Report, *, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "tables": report_tables(report),
            "title": TITLE,
            "generated_at": timezone.localtime(),
            **chart_context(report),
        },
    )
    return HTML(string=html, base_url=base_url).write_pdf()
