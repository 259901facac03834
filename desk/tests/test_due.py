"""Seeing what is due: the desk counts every step in the office's working time (Mon–Thu
07:30–16:00, Fri 07:30–13:30 WITA, minus holidays), and shows each person — and each role's
overview — the due time, the working time left and the state of every open step.

The inboxes are read on Monday 30 November 2026 at 08:00 WITA, half an hour after the office
opened; the Kabid's items arrived on Friday afternoon and on Monday morning."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import SITE_ADMIN_GROUP
from desk import selectors
from desk.models import Liputan, StepEvent
from desk.tests import sop_driver as D
from desk.tests.helpers import client_for, text_of
from lontar.testing import build_world, make_user
from sop.models import LocalHoliday
from sop.rules import DueState, Role

WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=WITA)  # Monday


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=WITA), tick=False)


def at_now():
    return time_machine.travel(NOW, tick=False)


def item_at_step(people, topic, *, step, arrived, staf="staf"):
    """An item that reached ``step`` at ``arrived`` (WITA, a tuple), the earlier steps just before."""
    with at(*arrived):
        liputan = D.start_item(people, topic=topic, staf=staf)
        return D.advance(liputan, people, to_step=step)


def cards(response) -> list[str]:
    html = text_of(response)
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card.split("</li>")[0])).strip()
        for card in html.split('<li class="desk-card')[1:]
    ]


def titles(response) -> list[str]:
    return [re.search(r"Naskah \w+", c).group(0) for c in cards(response)]


class DueTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        # Step 4 (Kabid, 30 minutes) and step 8 (Kabid, 10 minutes).
        item_at_step(p, "Naskah Alfa", step=4, arrived=(2026, 11, 27, 13, 20))  # Friday: 10 min + 30 Monday
        item_at_step(p, "Naskah Beta", step=4, arrived=(2026, 11, 27, 13, 25))  # 5 + 30
        item_at_step(p, "Naskah Gama", step=4, arrived=(2026, 11, 30, 7, 40))  # 20 of 30
        item_at_step(p, "Naskah Delta", step=8, arrived=(2026, 11, 30, 7, 52))  # 8 of 10
        # Disposed on Sunday evening: the Staf's 180 minutes start when the office opens.
        with at(2026, 11, 29, 20, 0):
            D.start_item(p, topic="Naskah Minggu", staf="staf2")
        # Another Kasi's section: not the first Kasi's business.
        cls.kasi2 = make_user("kasi2", role=Role.KASI)
        item_at_step({**p, "kasi": cls.kasi2}, "Naskah Seksi2", step=4, arrived=(2026, 11, 30, 7, 45))

    def inbox(self, who):
        return {e.title: e for e in selectors.inbox_for(user=self.people[who], now=NOW)}

    def test_the_clock_counts_working_time_over_the_weekend(self):
        kabid = selectors.inbox_for(user=self.people["kabid"], now=NOW)
        rows = [
            (e.title, e.clock.elapsed_minutes, e.clock.remaining_minutes, e.clock.state, e.clock.due_at) for e in kabid
        ]
        # Most over first, then the longest waiting.
        self.assertEqual(
            rows,
            [
                ("Naskah Alfa", 40, -10, DueState.OVERDUE, dt.datetime(2026, 11, 30, 7, 50, tzinfo=WITA)),
                ("Naskah Beta", 35, -5, DueState.OVERDUE, dt.datetime(2026, 11, 30, 7, 55, tzinfo=WITA)),
                ("Naskah Gama", 20, 10, DueState.ON_TIME, dt.datetime(2026, 11, 30, 8, 10, tzinfo=WITA)),
                ("Naskah Seksi2", 15, 15, DueState.ON_TIME, dt.datetime(2026, 11, 30, 8, 15, tzinfo=WITA)),
                ("Naskah Delta", 8, 2, DueState.DUE_SOON, dt.datetime(2026, 11, 30, 8, 2, tzinfo=WITA)),
            ],
        )
        sunday = self.inbox("staf2")["Naskah Minggu"].clock
        self.assertEqual((sunday.elapsed_minutes, sunday.state), (30, DueState.ON_TIME))
        self.assertEqual(sunday.due_at, dt.datetime(2026, 11, 30, 10, 30, tzinfo=WITA))

    def test_a_holiday_the_administrator_enters_stops_the_clock(self):
        LocalHoliday.objects.create(date=dt.date(2026, 11, 30), name="Hari libur uji", kind=LocalHoliday.Kind.LAINNYA)
        alfa = self.inbox("kabid")["Naskah Alfa"].clock
        self.assertEqual((alfa.elapsed_minutes, alfa.state), (10, DueState.ON_TIME))
        self.assertEqual(alfa.due_at, dt.datetime(2026, 12, 1, 7, 50, tzinfo=WITA))

    def test_the_record_keeps_working_minutes(self):
        p = self.people
        item_at_step(p, "Naskah Kamis", step=4, arrived=(2026, 11, 26, 15, 50))  # Thursday afternoon
        with at(2026, 11, 27, 7, 50):  # Friday morning: 10 + 20 working minutes, 16 hours on the wall
            D.act(Liputan.objects.get(agenda__topic="Naskah Kamis"), "forward")
        event = StepEvent.objects.get(liputan__agenda__topic="Naskah Kamis", step=4)
        self.assertEqual((event.elapsed_minutes, event.standard_minutes, event.on_time), (30, 30, True))
        with at_now():
            D.act(Liputan.objects.get(agenda__topic="Naskah Alfa"), "forward")
        event = StepEvent.objects.get(liputan__agenda__topic="Naskah Alfa", step=4)
        self.assertEqual((event.elapsed_minutes, event.on_time), (40, False))

    def test_the_inbox_shows_due_time_time_left_and_state_in_words(self):
        with at_now():
            r = client_for(self.people["kabid"]).get(reverse("desk:inbox"))
        shown = {re.search(r"Naskah \w+", c).group(0): c for c in cards(r)}
        self.assertIn("terlambat", shown["Naskah Alfa"])
        self.assertIn("Jatuh tempo 30 Nov 2026 07:50 WITA", shown["Naskah Alfa"])
        self.assertIn("lewat 10 menit", shown["Naskah Alfa"])
        self.assertNotIn("sisa", shown["Naskah Alfa"])
        self.assertIn("tepat waktu", shown["Naskah Gama"])
        self.assertIn("Jatuh tempo 30 Nov 2026 08:10 WITA · sisa 10 menit waktu kerja", shown["Naskah Gama"])
        self.assertIn("segera jatuh tempo", shown["Naskah Delta"])
        self.assertIn("sisa 2 menit waktu kerja", shown["Naskah Delta"])
        html = text_of(r)
        for label, count in [("Semua", 5), ("Tepat waktu", 2), ("Segera jatuh tempo", 1), ("Terlambat", 2)]:
            self.assertRegex(html, rf"{label} <span class=\"desk-filter__count\">\({count}\)</span>")

    def test_times_are_shown_in_wita_whatever_the_profile_says(self):
        from wagtail.users.models import UserProfile

        profile = UserProfile.get_for_user(self.people["kabid"])
        profile.current_time_zone = "Asia/Jakarta"
        profile.save()
        with at_now():
            r = client_for(self.people["kabid"]).get(reverse("desk:inbox"))
        alfa = next(c for c in cards(r) if "Naskah Alfa" in c)
        self.assertIn("sejak 27 Nov 2026 13:20", alfa)
        self.assertIn("Jatuh tempo 30 Nov 2026 07:50 WITA", alfa)

    def test_filter_by_state_and_sort(self):
        client = client_for(self.people["kabid"])

        def shown(query):
            with at_now():
                return titles(client.get(reverse("desk:inbox") + query))

        default = ["Naskah Alfa", "Naskah Beta", "Naskah Gama", "Naskah Seksi2", "Naskah Delta"]
        self.assertEqual(shown(""), default)
        self.assertEqual(shown("?keadaan=terlambat"), ["Naskah Alfa", "Naskah Beta"])
        self.assertEqual(shown("?keadaan=segera"), ["Naskah Delta"])
        self.assertEqual(shown("?keadaan=tepat-waktu"), ["Naskah Gama", "Naskah Seksi2"])
        self.assertEqual(shown("?urut=tenggat"), ["Naskah Alfa", "Naskah Beta", "Naskah Delta", "Naskah Gama", "Naskah Seksi2"])
        self.assertEqual(shown("?urut=umur"), ["Naskah Alfa", "Naskah Beta", "Naskah Gama", "Naskah Seksi2", "Naskah Delta"])
        self.assertEqual(shown("?keadaan=tepat-waktu&urut=tenggat"), ["Naskah Gama", "Naskah Seksi2"])
        # Unknown values are ignored, not errors.
        self.assertEqual(shown("?keadaan=overdue&urut=acak"), default)
        self.assertEqual(shown("?keadaan=%3Cscript%3E&urut=%00"), default)
        with at_now():
            r = client.get(reverse("desk:inbox") + "?keadaan=terlambat&urut=umur")
        self.assertIn('href="?keadaan=terlambat&amp;urut=umur" class="desk-filter desk-filter--overdue" aria-current="true"', text_of(r))

    def test_a_filter_with_nothing_in_it_says_so(self):
        with at_now():
            r = client_for(self.people["staf2"]).get(reverse("desk:inbox") + "?keadaan=terlambat")
        self.assertEqual(cards(r), [])
        self.assertIn("Tidak ada tugas dalam keadaan ini.", text_of(r))

    def test_the_inbox_costs_the_same_for_more_items(self):
        client = client_for(self.people["kabid"])
        url = reverse("desk:inbox") + "?keadaan=terlambat&urut=tenggat"

        def count():
            with at_now():
                client.get(url)
                with CaptureQueriesContext(connection) as ctx:
                    r = client.get(url)
            return len(ctx), len(cards(r))

        queries, shown = count()
        for n in range(6):
            item_at_step(self.people, f"Naskah Tambah{n}", step=4, arrived=(2026, 11, 27, 9, n))
        self.assertEqual(count(), (queries, shown + 6))


class OverviewTest(TestCase):
    """Per role: the Kasi their section (every open step of the plans they made), officials and
    Staf their own steps, the site administrator everything."""

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        item_at_step(p, "Naskah Alfa", step=4, arrived=(2026, 11, 27, 13, 20))  # late
        item_at_step(p, "Naskah Delta", step=8, arrived=(2026, 11, 30, 7, 52))  # due soon
        with at(2026, 11, 30, 7, 55):
            D.agenda_draft(p["kasi"], topic="Naskah Rencana")  # step 1, on time
        cls.kasi2 = make_user("kasi2", role=Role.KASI)
        item_at_step({**p, "kasi": cls.kasi2}, "Naskah Seksi2", step=3, arrived=(2026, 11, 27, 8, 0))
        cls.site_admin = make_user("pengelola", is_staff=True)
        cls.site_admin.groups.add(Group.objects.get(name=SITE_ADMIN_GROUP))

    def overview(self, user):
        o = selectors.due_overview(user=user, now=NOW)
        return o.scope, {s.value: n for s, n in o.counts.items()}, [e.title for e in o.oldest]

    def test_each_role_sees_its_own_scope(self):
        p = self.people
        self.assertEqual(
            self.overview(p["kasi"]),
            ("section", {"on_time": 1, "due_soon": 1, "overdue": 1}, ["Naskah Alfa", "Naskah Delta", "Naskah Rencana"]),
        )
        self.assertEqual(
            self.overview(self.kasi2), ("section", {"on_time": 0, "due_soon": 0, "overdue": 1}, ["Naskah Seksi2"])
        )
        self.assertEqual(
            self.overview(p["kabid"]),
            ("own", {"on_time": 0, "due_soon": 1, "overdue": 1}, ["Naskah Alfa", "Naskah Delta"]),
        )
        self.assertEqual(self.overview(p["sekdis"]), ("own", {"on_time": 0, "due_soon": 0, "overdue": 0}, []))
        everything = ("all", {"on_time": 1, "due_soon": 1, "overdue": 2},
                      ["Naskah Seksi2", "Naskah Alfa", "Naskah Delta", "Naskah Rencana"])
        self.assertEqual(self.overview(p["admin"]), everything)
        self.assertEqual(self.overview(self.site_admin), everything)

    def test_the_overview_page(self):
        with at_now():
            r = client_for(self.people["kasi"]).get(reverse("desk:overview"))
        self.assertEqual(r.status_code, 200)
        html = text_of(r)
        self.assertIn("Langkah yang sedang berjalan pada rencana liputan seksi Anda.", html)
        self.assertRegex(html, r'<strong class="desk-count__n">1</strong>\s*<span class="desk-state desk-state--overdue">terlambat</span>')
        self.assertIn("Pemegang: I Gede Suardana", html)  # the Kabid holds Naskah Alfa
        with at_now():
            r = client_for(self.site_admin).get(reverse("desk:overview"))
        self.assertEqual(r.status_code, 200)
        self.assertIn("Naskah Seksi2", text_of(r))

    def test_people_outside_the_sop_are_refused(self):
        tamu = D.make_no_role_user()
        r = client_for(tamu).get(reverse("desk:overview"))
        self.assertEqual(r.status_code, 403)

    def test_the_overview_costs_the_same_for_more_items(self):
        client = client_for(self.people["admin"])

        def count():
            with at_now():
                client.get(reverse("desk:overview"))
                with CaptureQueriesContext(connection) as ctx:
                    client.get(reverse("desk:overview"))
            return len(ctx)

        before = count()
        for n in range(5):
            item_at_step(self.people, f"Naskah Tambah{n}", step=5, arrived=(2026, 11, 27, 9, n))
        self.assertEqual(count(), before)

    def test_the_admin_dashboard_has_the_panel(self):
        with at_now():
            r = client_for(self.people["kabid"]).get(reverse("wagtailadmin_home"))
        html = text_of(r)
        self.assertIn("Keadaan tugas", html)
        self.assertIn("segera jatuh tempo", html)
        with at_now():
            r = client_for(D.make_no_role_user()).get(reverse("wagtailadmin_home"))
        self.assertNotIn("Keadaan tugas", text_of(r))
