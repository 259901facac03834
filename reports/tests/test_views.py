"""The report screen and its exports: who may see them, that the exports open and hold the same
figures as the page, and that the page's queries do not grow with the history."""

import csv
import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import SITE_ADMIN_GROUP
from desk.models import AgendaItem, StepEvent
from lontar.testing import PASSWORD, build_world, make_user
from reports.periods import Period
from reports.selectors import compliance_report
from reports.tables import report_tables
from reports.tests.fixture import EMERGENCY_REASON, RETURN_REASON, HistoryWriter, wita, write_history

MARCH = {"dari": "2026-03-01", "sampai": "2026-03-31"}
# Where PNG renders of the PDF are kept for a person to look at (LONTAR_REPORT_PNG_DIR).
PNG_DIR = Path(tempfile.gettempdir()) / "lontar-report-png"


class ReportScreen(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.items = write_history(cls.people)

    def login(self, who):
        self.client.login(username=self.people[who].username, password=PASSWORD)

    # --- who may see it ---------------------------------------------------------------------

    def test_officials_and_site_administrators_see_the_report(self):
        for who in ("kasi", "kabid", "sekdis", "kadis", "admin"):
            self.login(who)
            response = self.client.get(reverse("reports:report"), MARCH)
            assert response.status_code == 200, who
            self.assertContains(response, "Laporan kepatuhan SOP")

    def test_a_site_administrator_without_superuser_sees_it(self):
        plain_admin = make_user("admin2", is_staff=True)
        plain_admin.groups.add(Group.objects.get(name=SITE_ADMIN_GROUP))
        self.client.login(username="admin2", password=PASSWORD)
        assert self.client.get(reverse("reports:report"), MARCH).status_code == 200

    def test_staf_is_refused_on_the_server_and_has_no_menu_item(self):
        self.login("staf")
        for url in (
            reverse("reports:report"),
            reverse("reports:export", args=["csv"]),
            reverse("reports:export", args=["pdf"]),
        ):
            response = self.client.get(url, MARCH)
            assert response.status_code == 403, url
            self.assertContains(response, "hanya untuk Kasi", status_code=403)
        dashboard = self.client.get(reverse("wagtailadmin_home"))
        self.assertNotContains(dashboard, reverse("reports:report"))

    def test_the_menu_shows_the_report_to_officials(self):
        self.login("kabid")
        self.assertContains(self.client.get(reverse("wagtailadmin_home")), reverse("reports:report"))

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.client.get(reverse("reports:report"))
        assert response.status_code == 302 and "login" in response["Location"]

    # --- the page ---------------------------------------------------------------------------

    def test_the_page_shows_figures_charts_and_reasons(self):
        self.login("kadis")
        response = self.client.get(reverse("reports:report"), MARCH)
        html = response.content.decode()
        assert html.count('class="report-chart"') == 2
        assert RETURN_REASON in html
        assert "Darurat: banjir bandang" in html
        assert "01-03-2026 s.d. 31-03-2026" in html
        assert "78,3" in html  # 18 of 23 steps within their standard

    def test_bad_dates_say_why_and_show_this_month(self):
        self.login("kasi")
        response = self.client.get(reverse("reports:report"), {"dari": "2026-03-31", "sampai": "2026-03-01"})
        assert response.status_code == 400
        self.assertContains(response, "Tanggal akhir harus sama dengan atau sesudah tanggal awal", status_code=400)
        response = self.client.get(reverse("reports:export", args=["csv"]), {"dari": "kemarin", "sampai": "2026-03-01"})
        assert response.status_code == 400

    def test_presets(self):
        self.login("kasi")
        for preset in ("bulan-ini", "bulan-lalu", "tahun-ini"):
            assert self.client.get(reverse("reports:report"), {"periode": preset}).status_code == 200
        assert self.client.get(reverse("reports:report"), {"periode": "abad-ini"}).status_code == 400

    def test_the_page_runs_the_same_queries_for_a_longer_history(self):
        self.login("sekdis")
        url = reverse("reports:report")
        self.client.get(url, MARCH)  # warm: session, Wagtail's site and menu caches
        with CaptureQueriesContext(connection) as before:
            self.client.get(url, MARCH)
        # Twenty more items of other kinds, by new people, with returns and emergencies.
        writer = HistoryWriter(self.people)
        for i in range(20):
            kind = list(AgendaItem.Kind)[i % len(AgendaItem.Kind)]
            agenda, liputan = writer.item(f"Tambahan {i}", kind)
            other = make_user(f"kabid{i}")
            at = writer.run(agenda, liputan, [(1, i + 1), (2, 3), (3, 90 + i)], wita(3, 12, 8))
            writer.event(
                agenda,
                liputan,
                4,
                12,
                at + dt.timedelta(minutes=12),
                action="return",
                to_step=3,
                comment=f"=alasan {i}",
                actor=other,
            )
            writer.event(
                agenda,
                liputan,
                4,
                None,
                at + dt.timedelta(minutes=20),
                action="emergency_publish",
                comment="darurat",
                actor=self.people["admin"],
                flagged=True,
            )
        assert StepEvent.objects.count() > 100
        with CaptureQueriesContext(connection) as after:
            response = self.client.get(url, MARCH)
        assert response.status_code == 200
        assert len(after) == len(before), [q["sql"][:120] for q in after.captured_queries]
        # The admin's frame (session, user, permissions, menu, notices) takes about 11 of them.
        assert len(after) <= 26, "\n".join(q["sql"][:150] for q in after.captured_queries)
        # The report itself: SOP version and steps (2), the monthly totals, three breakdowns of the
        # days outside whole months, the people, lead time, return/emergency counts, the two lists.
        with self.assertNumQueries(11):
            report = compliance_report(Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))
            report_tables(report)

    # --- exports ----------------------------------------------------------------------------

    def _export(self, fmt):
        self.login("kasi")
        response = self.client.get(reverse("reports:export", args=[fmt]), MARCH)
        assert response.status_code == 200
        assert "laporan-sop-20260301-20260331" in response["Content-Disposition"]
        return response.content

    def test_csv_opens_and_holds_the_figures(self):
        rows = list(csv.reader(io.StringIO(self._export("csv").decode("utf-8-sig"))))
        step3 = next(row for row in rows if row[:1] == ["3"] and len(row) > 8)
        # Langkah, Kegiatan, Pelaksana, Standar, Penyelesaian, Median, P90, Rata-rata, Dalam standar, %, Pengembalian
        assert step3[3:] == ["180", "4", "125.0", "185.0", "127.5", "3", "75.0", "0"]
        summary = {row[0]: row[1] for row in rows if len(row) == 2}
        assert summary["% langkah dalam standar waktu"] == "78.3"
        assert summary["Waktu total median (mnt)"] == "330.0"
        assert summary["Waktu total standar SOP (mnt)"] == "330"
        assert any(RETURN_REASON in row for row in rows)
        # A reason that starts like a formula stays text.
        assert any("'" + EMERGENCY_REASON in row for row in rows)
        assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)

    def test_xlsx_opens_and_holds_the_figures(self):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(self._export("xlsx")))
        assert "Per langkah" in workbook.sheetnames
        steps = workbook["Per langkah"]
        header = [cell.value for cell in steps[1]]
        step3 = next(row for row in steps.iter_rows(min_row=2, values_only=True) if row[0] == 3)
        got = dict(zip(header, step3, strict=True))
        assert (got["Median (mnt)"], got["P90 (mnt)"], got["% dalam standar"], got["Penyelesaian"]) == (
            125.0,
            185.0,
            75.0,
            4,
        )
        lead = workbook["Waktu total langkah 1–10"]
        assert [cell.value for cell in lead[2]] == [2, 330.0, 350.0, 330.0, 1, 50.0, 330]
        reasons = [row[-1] for row in workbook["Terbit darurat"].iter_rows(min_row=2, max_row=2, values_only=True)]
        assert reasons == ["'" + EMERGENCY_REASON]

    def test_pdf_is_a_pdf_with_the_figures_and_renders(self):
        body = self._export("pdf")
        assert body.startswith(b"%PDF") and len(body) > 5000
        pdftoppm, pdftotext = shutil.which("pdftoppm"), shutil.which("pdftotext")
        if not pdftoppm:
            pytest.skip("pdftoppm (poppler-utils) is not installed")
        PNG_DIR.mkdir(parents=True, exist_ok=True)
        for old in PNG_DIR.glob("laporan-*.png"):
            old.unlink()
        pdf = PNG_DIR / "laporan.pdf"
        pdf.write_bytes(body)
        subprocess.run([pdftoppm, "-png", "-r", "60", str(pdf), str(PNG_DIR / "laporan")], check=True, timeout=60)
        pages = sorted(PNG_DIR.glob("laporan-*.png"))
        assert pages and pages[0].stat().st_size > 10_000
        if pdftotext:
            text = subprocess.run(
                [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
            ).stdout
            assert "Laporan kepatuhan SOP" in text
            assert "78,3" in text and "125" in text and "185" in text
            assert RETURN_REASON in text
