"""The report's figures against the hand-worked history in fixture.py.

Percentiles are PostgreSQL's percentile_cont: rank = fraction × (n − 1), interpolated linearly.
The same numbers must come out on SQLite (histogram path) and on PostgreSQL (percentile_cont)."""

import datetime as dt

import pytest
from django.test import TestCase

from desk.models import AgendaItem
from lontar.testing import build_world
from reports.periods import Period
from reports.selectors import compliance_report
from reports.tests.fixture import EMERGENCY_REASON, RETURN_REASON, write_history

MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))

# step: (runs, median, p90, within, returns, total minutes)
EXPECTED_STEPS = {
    1: (2, 6.5, 9.3, 2, 0, 13),  # B 10, C 3 (A's was in February)
    2: (2, 7.0, 9.4, 2, 0, 14),  # B 10, C 4
    3: (4, 125.0, 185.0, 3, 0, 510),  # 60, 100, 150, 200; 200 is over 180
    4: (3, 20.0, 24.0, 3, 1, 60),  # 15 (return), 20, 25
    5: (2, 30.0, 38.0, 1, 0, 60),  # 20, 40
    6: (2, 32.5, 34.5, 1, 0, 65),  # 30, 35
    7: (2, 7.5, 9.5, 2, 0, 15),  # 5, 10
    8: (2, 8.5, 11.3, 1, 0, 17),  # 5, 12
    9: (2, 7.5, 9.5, 2, 0, 15),  # 5, 10
    10: (2, 17.5, 23.5, 1, 0, 35),  # 10, 25
}


def _row(figures):
    f = figures
    return (f.runs, f.median, f.p90, f.within, f.returns, f.total_minutes)


class ComplianceReportFigures(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.items = write_history(cls.people)

    def setUp(self):
        self.report = compliance_report(MARCH)

    def test_per_step(self):
        got = {row.number: _row(row.figures) for row in self.report.steps}
        assert [row.number for row in self.report.steps] == list(range(1, 11))
        for number, expected in EXPECTED_STEPS.items():
            assert got[number][0] == expected[0], number
            assert got[number][1] == pytest.approx(expected[1]), number
            assert got[number][2] == pytest.approx(expected[2]), number
            assert got[number][3:] == expected[3:], number
        step3 = self.report.steps[2]
        assert step3.standard == 180
        assert step3.figures.share_within == pytest.approx(75.0)
        assert step3.figures.mean == pytest.approx(127.5)

    def test_totals_and_share_within(self):
        assert self.report.runs == 23
        assert self.report.within == 18
        assert self.report.share_within == pytest.approx(100 * 18 / 23)
        assert self.report.sop_total_minutes == 330
        assert self.report.returns_count == 1
        assert self.report.emergency_count == 1

    def test_lead_time_from_step_1_to_10(self):
        lead = self.report.lead
        # A: 5+8+200+20+40+30+10+12+5+25 = 355 (its steps 1–2 were in February, still counted);
        # B: 10+10+100+15+60+25+20+35+5+5+10+10 = 305. C was published in an emergency: not here.
        assert lead.items == 2
        assert lead.total_minutes == 660
        assert lead.median == pytest.approx(330.0)
        assert lead.p90 == pytest.approx(350.0)
        assert lead.within == 1
        assert lead.share_within == pytest.approx(50.0)

    def test_per_kind(self):
        kinds = {row.kind: row for row in self.report.kinds}
        assert set(kinds) == {AgendaItem.Kind.BERITA, AgendaItem.Kind.PENGUMUMAN}
        berita = kinds[AgendaItem.Kind.BERITA]
        # A's 8 March runs and C's 3: 3 4 5 10 12 20 25 30 40 150 200
        assert berita.figures.runs == 11
        assert berita.figures.median == pytest.approx(20.0)
        assert berita.figures.p90 == pytest.approx(150.0)
        assert berita.figures.within == 7
        assert (berita.lead.items, berita.lead.median, berita.lead.within) == (1, 355.0, 0)
        pengumuman = kinds[AgendaItem.Kind.PENGUMUMAN]
        # B: 5 5 10 10 10 10 15 20 25 35 60 100
        assert (pengumuman.figures.runs, pengumuman.figures.returns) == (12, 1)
        assert pengumuman.figures.median == pytest.approx(12.5)
        assert pengumuman.figures.p90 == pytest.approx(57.5)
        assert pengumuman.figures.within == 11
        assert (pengumuman.lead.items, pengumuman.lead.median, pengumuman.lead.within) == (1, 305.0, 1)

    def test_per_person(self):
        people = {(row.name, row.role): row.figures for row in self.report.people}
        kasi = people[("Ni Made Ayu Lestari", "Kasi")]
        # 3 4 5 10 10 10 60 100 150 200 (steps 1, 2, 3, 9)
        assert (kasi.runs, kasi.within) == (10, 9)
        assert kasi.median == pytest.approx(10.0)
        assert kasi.p90 == pytest.approx(155.0)
        kabid = people[("I Gede Suardana", "Kabid")]  # 5 12 15 20 25
        assert (kabid.runs, kabid.within, kabid.returns) == (5, 4, 1)
        assert (kabid.median, kabid.p90) == (pytest.approx(15.0), pytest.approx(23.0))
        sekdis = people[("A.A. Ngurah Mahendra", "Sekdis")]  # 5 10 20 40
        assert (sekdis.runs, sekdis.within, sekdis.median, sekdis.p90) == (4, 3, 15.0, pytest.approx(34.0))
        kadis = people[("I Putu Wirawan", "Kadis")]
        assert (kadis.runs, kadis.within, kadis.median) == (2, 1, 32.5)
        staf = people[("I Wayan Sudarsana", "Staf")]
        assert (staf.runs, staf.within, staf.median) == (2, 1, 17.5)
        # The emergency publish completes no step, so the administrator closed none.
        assert len(people) == 5

    def test_returns_and_emergencies_are_listed_with_reasons(self):
        assert [(f.from_step, f.to_step, f.count) for f in self.report.return_flows] == [(4, 3, 1)]
        assert [(e.step, e.to_step, e.comment) for e in self.report.returns] == [(4, 3, RETURN_REASON)]
        assert [(e.step, e.comment, e.actor_id) for e in self.report.emergencies] == [
            (4, EMERGENCY_REASON, self.people["admin"].pk)
        ]

    def test_period_bounds_are_whole_days_in_wita(self):
        # 1 March 00:30 WITA is 28 February in UTC and belongs to March; 28 Feb 23:50 WITA does not.
        february = compliance_report(Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28)))
        assert {row.number: row.figures.runs for row in february.steps if row.figures.runs} == {1: 1, 2: 1}
        april = compliance_report(Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30)))
        assert april.runs == 1 and april.lead.items == 0 and april.emergency_count == 0

    def test_an_empty_period_has_rows_but_no_figures(self):
        empty = compliance_report(Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31)))
        assert len(empty.steps) == 10
        assert all(row.figures.runs == 0 and row.figures.median is None for row in empty.steps)
        assert empty.share_within is None and empty.lead.median is None and empty.kinds == []

    def test_acting_officials_are_shown_a_n_the_absent_official(self):
        from lontar.testing import make_user
        from reports.tests.fixture import HistoryWriter, wita

        plh = make_user("plh", first_name="Ni Kadek", last_name="Sari")
        HistoryWriter(self.people).event(
            self.items["d"].agenda,
            self.items["d"],
            4,
            25,
            wita(4, 2, 9),
            actor=plh,
            on_behalf_of=self.people["kabid"],
            acting_kind="plh",
        )
        april = compliance_report(Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30)))
        rows = [(row.name, row.role, row.on_behalf_of, row.figures.runs) for row in april.people]
        assert ("Ni Kadek Sari", "Plh. Kabid", "I Gede Suardana", 1) in rows

    def test_a_period_of_part_months_reads_the_days_outside_whole_months_from_the_record(self):
        # 15 Feb – 15 Apr: the tail of February (A's steps 1–2), all of March, the start of April (D).
        report = compliance_report(Period(dt.date(2026, 2, 15), dt.date(2026, 4, 15)))
        runs = {row.number: row.figures.runs for row in report.steps}
        assert runs[1] == 4 and runs[2] == 3 and report.runs == 26
        step1 = report.steps[0].figures  # 3 5 9 10
        assert (step1.median, step1.p90, step1.within) == (7.0, pytest.approx(9.7), 4)
        days = compliance_report(Period(dt.date(2026, 3, 10), dt.date(2026, 3, 10)))
        assert {row.number: row.figures.runs for row in days.steps if row.figures.runs} == {1: 1, 2: 1, 3: 1}

    def test_rebuilding_the_totals_from_the_record_gives_the_same_report(self):
        from reports import rollup
        from reports.models import PublishedLead, StepFigure

        before = list(StepFigure.objects.order_by("month", "key", "elapsed_minutes").values_list())
        leads = list(PublishedLead.objects.order_by("pk").values_list())
        rollup.rebuild()
        after = list(StepFigure.objects.order_by("month", "key", "elapsed_minutes").values_list())
        strip = lambda rows: [row[1:] for row in rows]  # noqa: E731 - ids differ after a rebuild
        assert strip(after) == strip(before) and len(before) > 30
        assert list(PublishedLead.objects.order_by("pk").values_list()) == leads
        assert [(r.number, r.figures) for r in compliance_report(MARCH).steps] == [
            (r.number, r.figures) for r in self.report.steps
        ]
