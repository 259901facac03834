"""Tugas saya: what awaits each person, since when and how far past the SOP's time standard.

The clock is frozen (time_machine) so every "since" and "lewat N menit" is exact.
"""

import datetime as dt
import re
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.db.models.signals import post_init
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from desk import selectors
from desk.models import AgendaItem, Liputan
from desk.tests import sop_driver as D
from desk.tests.helpers import client_for, text_of
from desk.views import INBOX_PAGE_SIZE
from lontar.testing import build_world

WITA = ZoneInfo("Asia/Makassar")
BASE = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WITA)  # a Monday morning
NOW = BASE + dt.timedelta(hours=5)  # 13:00 WITA, when the inboxes are read


def ago(minutes: int):
    """Freeze the clock ``minutes`` before NOW."""
    return time_machine.travel(NOW - dt.timedelta(minutes=minutes), tick=False)


def at_now():
    return time_machine.travel(NOW, tick=False)


def item_at(people, topic: str, *, step: int, phase: int = 0, minutes_ago: int, staf="staf", uploader="staf2"):
    """An item that arrived at (step, phase) ``minutes_ago`` minutes before NOW.

    For step 3 the clock runs from the disposisi (the step starts then, whichever phase it is in).
    """
    with ago(minutes_ago):
        liputan = D.start_item(people, topic=topic, staf=staf)
        return D.advance(liputan, people, to_step=step, to_phase=phase, uploader=uploader)


def cards(response) -> list[str]:
    """The inbox cards, in the order shown, as whitespace-normalised text."""
    html = text_of(response)
    return [re.sub(r"<[^>]+>", " ", card.split("</li>")[0]) for card in html.split('<li class="desk-card')[1:]]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class InboxTest(TestCase):
    """Every open position of the SOP, each held by the person the SOP names."""

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        kasi = p["kasi"]
        # Kasi: step 1 (a draft plan) and step 2 (a plan waiting for its disposisi).
        with ago(30):
            D.agenda_draft(kasi, topic="Rencana: musim tanam subak")
        with ago(5):
            D.agenda_planned(kasi, topic="Rencana: festival Tanah Lot")
        # Step 3, phase 0 (Staf writes) and phase 1 (the Kasi checks what the Staf reported).
        item_at(p, "Naskah ditulis Staf", step=3, phase=0, minutes_ago=200)
        with ago(60):
            checking = D.start_item(p, topic="Naskah diperiksa Kasi")
        with ago(10):
            D.advance(checking, p, to_step=3, to_phase=1)
        # Steps 4 to 10, each by its holder.
        item_at(p, "Naskah telaah Kabid", step=4, minutes_ago=45)
        item_at(p, "Naskah telaah Sekdis", step=5, minutes_ago=31)
        item_at(p, "Naskah koreksi Kadis", step=6, minutes_ago=90)
        item_at(p, "Naskah serah Sekdis", step=7, minutes_ago=2)
        item_at(p, "Naskah serah Kabid", step=8, minutes_ago=8)
        item_at(p, "Naskah tugaskan Kasi", step=9, minutes_ago=25)
        item_at(p, "Naskah unggah Staf", step=10, minutes_ago=12, staf="staf2", uploader="staf")
        # Returns: the Sekdis sends one back to the Kabid, the Kabid one back to its writer.
        back_to_kabid = item_at(p, "Naskah kembali ke Kabid", step=5, minutes_ago=100)
        with ago(40):
            D.act(back_to_kabid, "return", return_to=4, comment="Periksa lagi angka produksinya.")
        back_to_staf = item_at(p, "Naskah kembali ke Staf", step=4, minutes_ago=100)
        with ago(3):
            D.act(back_to_staf, "return", return_to=3, comment="Tambahkan kutipan narasumber.")
        # Published items await nobody.
        with ago(300):
            D.publish_berita(p, topic="Berita sudah terbit")

    def entries(self, who: str):
        return [
            (e.title, e.step.number, e.phase_actor, e.clock.elapsed_minutes, e.clock.minutes_over, e.returned)
            for e in selectors.inbox_for(user=self.people[who], now=NOW)
        ]

    def test_each_role_sees_exactly_what_awaits_them_most_overdue_first(self):
        # (title, step, actor of the phase, minutes elapsed, minutes over the standard, returned)
        expected = {
            "kasi": [
                ("Rencana: musim tanam subak", 1, "Kasi", 30, 20, False),
                ("Naskah tugaskan Kasi", 9, "Kasi", 25, 15, False),
                ("Naskah diperiksa Kasi", 3, "Kasi", 60, 0, False),
                ("Rencana: festival Tanah Lot", 2, "Kasi", 5, 0, False),
            ],
            "staf": [
                ("Naskah ditulis Staf", 3, "Staf", 200, 20, False),
                ("Naskah unggah Staf", 10, "Staf", 12, 2, False),
                ("Naskah kembali ke Staf", 3, "Staf", 3, 0, True),
            ],
            "staf2": [],
            "kabid": [
                ("Naskah telaah Kabid", 4, "Kabid", 45, 15, False),
                ("Naskah kembali ke Kabid", 4, "Kabid", 40, 10, True),
                ("Naskah serah Kabid", 8, "Kabid", 8, 0, False),
            ],
            "sekdis": [
                ("Naskah telaah Sekdis", 5, "Sekdis", 31, 1, False),
                ("Naskah serah Sekdis", 7, "Sekdis", 2, 0, False),
            ],
            "kadis": [("Naskah koreksi Kadis", 6, "Kadis", 90, 60, False)],
            "admin": [],
        }
        for who, rows in expected.items():
            with self.subTest(who=who):
                self.assertEqual(self.entries(who), rows)

    def test_entries_link_to_where_the_holder_acts(self):
        kasi = {e.title: e for e in selectors.inbox_for(user=self.people["kasi"], now=NOW)}
        draft = kasi["Rencana: musim tanam subak"]
        planned = kasi["Rencana: festival Tanah Lot"]
        self.assertEqual(draft.url, reverse("desk:agenda_edit", args=[AgendaItem.objects.get(topic=draft.title).pk]))
        self.assertEqual(
            planned.url, reverse("desk:disposisi_create", args=[AgendaItem.objects.get(topic=planned.title).pk])
        )
        item = kasi["Naskah tugaskan Kasi"]
        liputan = Liputan.objects.get(agenda__topic="Naskah tugaskan Kasi")
        self.assertEqual(item.url, reverse("desk:liputan", args=[liputan.pk]))
        self.assertEqual(item.kind_label, "Berita")

    def test_clock_says_since_when_and_when_due(self):
        kabid = {e.title: e for e in selectors.inbox_for(user=self.people["kabid"], now=NOW)}
        clock = kabid["Naskah telaah Kabid"].clock
        self.assertEqual(clock.started_at, NOW - dt.timedelta(minutes=45))
        self.assertEqual(clock.standard_minutes, 30)
        self.assertEqual(clock.due_at, NOW - dt.timedelta(minutes=15))
        self.assertTrue(clock.late)
        self.assertFalse(kabid["Naskah serah Kabid"].clock.late)

    def test_an_item_the_holder_has_passed_on_leaves_their_inbox(self):
        self.assertIn("Naskah telaah Kabid", [e[0] for e in self.entries("kabid")])
        with at_now():
            D.act(Liputan.objects.get(agenda__topic="Naskah telaah Kabid"), "forward")
        self.assertNotIn("Naskah telaah Kabid", [e[0] for e in self.entries("kabid")])
        self.assertEqual(self.entries("sekdis")[-1], ("Naskah telaah Kabid", 5, "Sekdis", 0, 0, False))

    def test_the_mark_goes_once_the_returned_step_is_passed_on(self):
        with at_now():
            D.act(Liputan.objects.get(agenda__topic="Naskah kembali ke Kabid"), "forward")
        sekdis = {e[0]: e for e in self.entries("sekdis")}
        self.assertFalse(sekdis["Naskah kembali ke Kabid"][5])

    def test_inbox_page_for_the_kabid(self):
        with at_now():
            r = client_for(self.people["kabid"]).get(reverse("desk:inbox"))
        self.assertEqual(r.status_code, 200)
        shown = [squash(c) for c in cards(r)]
        self.assertEqual(len(shown), 3)
        late, returned, on_time = shown
        self.assertIn("Langkah 4 · Kabid", late)
        self.assertIn("Naskah telaah Kabid", late)
        self.assertIn("sejak 23 Nov 2026 12:15", late)  # WITA
        self.assertIn("lewat 15 menit", late)
        self.assertNotIn("Dikembalikan", late)

        self.assertIn("Naskah kembali ke Kabid", returned)
        self.assertIn("Dikembalikan", returned)
        self.assertIn("lewat 10 menit", returned)

        self.assertIn("Langkah 8 · Kabid", on_time)
        self.assertIn("8 dari 10 menit", on_time)
        self.assertNotIn("lewat", on_time)
        self.assertEqual(text_of(r).count("desk-card--late"), 2)

    def test_inbox_page_for_the_staf_and_the_kasi(self):
        with at_now():
            staf = [squash(c) for c in cards(client_for(self.people["staf"]).get(reverse("desk:inbox")))]
            kasi = [squash(c) for c in cards(client_for(self.people["kasi"]).get(reverse("desk:inbox")))]
        self.assertEqual(len(staf), 3)
        self.assertIn("Langkah 3 · Staf", staf[0])
        self.assertIn("lewat 20 menit", staf[0])
        self.assertIn("Langkah 10 · Staf", staf[1])
        self.assertIn("lewat 2 menit", staf[1])
        self.assertIn("Naskah kembali ke Staf", staf[2])
        self.assertIn("Dikembalikan", staf[2])
        self.assertIn("3 dari 180 menit", staf[2])

        self.assertEqual(
            [re.search(r"Langkah \d+ · \w+", c).group(0) for c in kasi],
            ["Langkah 1 · Kasi", "Langkah 9 · Kasi", "Langkah 3 · Kasi", "Langkah 2 · Kasi"],
        )
        self.assertIn("Berita · sejak 23 Nov 2026 12:30", kasi[0])
        self.assertIn("lewat 20 menit", kasi[0])
        self.assertIn("5 dari 10 menit", kasi[3])

    def test_an_empty_inbox_says_so(self):
        with at_now():
            r = client_for(self.people["staf2"]).get(reverse("desk:inbox"))
        self.assertEqual(r.status_code, 200)
        self.assertEqual(cards(r), [])
        self.assertIn("Tidak ada tugas yang menunggu Anda.", text_of(r))

    def test_the_inbox_needs_a_login(self):
        r = self.client.get(reverse("desk:inbox"))
        self.assertEqual(r.status_code, 302)
        self.assertIn(reverse("wagtailadmin_login"), r["Location"])


class InboxPagesTest(TestCase):
    """A long inbox is shown a page at a time; the counts per state still cover every entry."""

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        # Seven plans, the oldest waiting longest: overdue ones first, then the one still on time.
        for n in range(1, 8):
            with ago(10 * (8 - n) if n < 7 else 2):
                D.agenda_draft(p["kasi"], topic=f"Rencana {n}")

    def test_pages_of_three_keep_order_state_and_counts(self):
        client = client_for(self.people["kasi"])
        with mock.patch("desk.views.INBOX_PAGE_SIZE", 3), at_now():
            first = client.get(reverse("desk:inbox"), {"urut": "umur"})
            last = client.get(reverse("desk:inbox"), {"urut": "umur", "halaman": 3})
            late = client.get(reverse("desk:inbox"), {"keadaan": "terlambat", "halaman": 2})
            beyond = client.get(reverse("desk:inbox"), {"halaman": 99})
        titles = [re.search(r"Rencana \d", c).group(0) for c in cards(first)]
        self.assertEqual(titles, ["Rencana 1", "Rencana 2", "Rencana 3"])
        self.assertEqual([re.search(r"Rencana \d", c).group(0) for c in cards(last)], ["Rencana 7"])
        page = text_of(first)
        self.assertIn('Semua <span class="desk-filter__count">(7)</span>', page)
        self.assertIn("Halaman 1 dari 3", page)
        self.assertIn('href="?urut=umur&amp;halaman=2" rel="next"', page)
        self.assertNotIn('rel="prev"', page)
        self.assertIn('href="?urut=umur&amp;halaman=2" rel="prev"', text_of(last))
        # Six plans are past their 10 minutes: two pages of three, the filter kept in the links.
        self.assertEqual(len(cards(late)), 3)
        self.assertIn("Halaman 2 dari 2", text_of(late))
        self.assertIn('href="?keadaan=terlambat&amp;urut=terlambat&amp;halaman=1" rel="prev"', text_of(late))
        # A page past the end shows the last one, as Django's paginator does.
        self.assertEqual(len(cards(beyond)), 1)

    def test_a_short_inbox_has_no_page_links(self):
        with at_now():
            r = client_for(self.people["kasi"]).get(reverse("desk:inbox"))
        self.assertEqual(len(cards(r)), 7)
        self.assertNotIn("desk-pagination", text_of(r))


# A state filter's label and count: "Terlambat <span class="desk-filter__count">(6)</span>".
FILTER_COUNT = r'class="desk-filter[^"]*"(?: aria-current="true")?>([^<]+?) <span class="desk-filter__count">\((\d+)\)'


class InboxPagingOrderTest(TestCase):
    """Walking the pages of any order and state gives each entry once, in the order of the whole
    inbox sorted that way (ties by lateness, then as the database lists them)."""

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        # Ties on purpose: plans opened at the same instant, and plans and items as late as each other.
        with ago(30):
            for n in range(1, 5):
                D.agenda_draft(p["kasi"], topic=f"Rencana kembar {n}")
        with ago(15):
            for n in range(1, 3):
                D.agenda_planned(p["kasi"], topic=f"Rencana ditetapkan {n}")
        with ago(4):
            D.agenda_draft(p["kasi"], topic="Rencana baru")
        item_at(p, "Naskah periksa", step=3, phase=1, minutes_ago=20)
        item_at(p, "Naskah tugaskan 1", step=9, minutes_ago=25)
        item_at(p, "Naskah tugaskan 2", step=9, minutes_ago=25)

    # Each order's own key; ties fall back on the order the whole inbox comes in (most late first).
    ORDERS = {
        "terlambat": lambda c: (-c.minutes_over, c.started_at),
        "tenggat": lambda c: (c.due_at, c.started_at),
        "umur": lambda c: (c.started_at, c.due_at),
    }

    def walk(self, client, params) -> tuple[list[str], dict[str, int]]:
        """Every page's titles in turn, and the counts the first page shows."""
        titles, page, counts = [], 1, None
        while True:
            r = client.get(reverse("desk:inbox"), {**params, "halaman": page})
            titles += [
                squash(re.search(r'desk-card__title">([^<]+)<', c).group(1))
                for c in text_of(r).split('<li class="desk-card')[1:]
            ]
            if counts is None:
                counts = dict(re.findall(FILTER_COUNT, text_of(r)))
            if 'rel="next"' not in text_of(r):
                return titles, {label: int(n) for label, n in counts.items()}
            page += 1

    def test_pages_follow_the_whole_inbox_in_every_order_and_state(self):
        whole = selectors.inbox_for(user=self.people["kasi"], now=NOW)  # most late first
        self.assertEqual(len(whole), 10)
        client = client_for(self.people["kasi"])
        for order, key in self.ORDERS.items():
            for param, state in [("", None), *selectors.STATE_PARAMS.items()]:
                expected = [
                    e.title for e in sorted(whole, key=lambda e: key(e.clock)) if state in (None, e.clock.state)
                ]
                with self.subTest(order=order, state=param), mock.patch("desk.views.INBOX_PAGE_SIZE", 3), at_now():
                    titles, counts = self.walk(client, {"urut": order, **({"keadaan": param} if param else {})})
                    self.assertEqual(titles, expected)
                    self.assertEqual(len(set(titles)), len(titles))
                    # The counts per state cover the whole inbox whichever page or filter is shown.
                    self.assertEqual(
                        counts,
                        {
                            "Semua": 10,
                            "Tepat waktu": sum(e.clock.state == "on_time" for e in whole),
                            "Segera jatuh tempo": sum(e.clock.state == "due_soon" for e in whole),
                            "Terlambat": sum(e.clock.state == "overdue" for e in whole),
                        },
                    )

    def test_ties_keep_the_order_of_the_whole_inbox(self):
        with mock.patch("desk.views.INBOX_PAGE_SIZE", 4), at_now():
            titles, _ = self.walk(client_for(self.people["kasi"]), {})
        # Most late first; equals as the database lists them (the newest plan, then the newest item).
        expected = [
            *("Rencana kembar 4", "Rencana kembar 3", "Rencana kembar 2", "Rencana kembar 1"),  # 20 over
            *("Naskah tugaskan 2", "Naskah tugaskan 1"),  # 15 over
            *("Rencana ditetapkan 2", "Rencana ditetapkan 1"),  # 5 over
            *("Naskah periksa", "Rencana baru"),  # on time, the longer waiting first
        ]
        self.assertEqual(titles, expected)
        self.assertEqual([e.title for e in selectors.inbox_for(user=self.people["kasi"], now=NOW)], expected)


class InboxAtScaleTest(TestCase):
    """A long inbox costs what a short one does: the same queries, and only the page shown is
    built (its agenda items, Liputan, pages and holders); the rest is counted and sorted on a few
    columns."""

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        # The two items are the most late, so the first page holds plans and items in both cases.
        item_at(p, "Naskah tugaskan 1", step=9, minutes_ago=200)
        item_at(p, "Naskah tugaskan 2", step=9, minutes_ago=190)
        with ago(30):
            D.agenda_draft(p["kasi"], topic="Rencana 1")

    def built_rows(self, client, params=None):
        """The response, and how many agenda items and Liputan the request built as model objects."""
        built = []

        def count(sender, instance, **kwargs):
            built.append(sender)

        for model in (AgendaItem, Liputan):
            post_init.connect(count, sender=model, weak=False)
        try:
            r = client.get(reverse("desk:inbox"), params or {})
        finally:
            for model in (AgendaItem, Liputan):
                post_init.disconnect(count, sender=model)
        return r, {model: built.count(model) for model in (AgendaItem, Liputan)}

    def inbox(self, params=None):
        client = client_for(self.people["kasi"])
        with at_now():
            client.get(reverse("desk:inbox"))  # session, menus and caches as on any later visit
            with CaptureQueriesContext(connection) as queries:
                r, built = self.built_rows(client, params)
        self.assertEqual(r.status_code, 200)
        return r, len(queries), built

    def test_three_or_a_hundred_and_twenty_open_steps_cost_the_same(self):
        r, queries, built = self.inbox()
        self.assertEqual(len(cards(r)), 3)
        self.assertEqual(queries, QUERIES_INBOX)
        self.assertEqual(built, {AgendaItem: 3, Liputan: 2})  # one plan, two items and their plans

        with ago(20):
            AgendaItem.objects.bulk_create(
                [
                    AgendaItem(
                        sop_version=AgendaItem.objects.get(topic="Rencana 1").sop_version,
                        topic=f"Rencana massal {n}",
                        planned_date=NOW.date(),
                        created_by=self.people["kasi"],
                        step_started_at=NOW - dt.timedelta(minutes=n),
                        status=AgendaItem.Status.PLANNED if n % 3 else AgendaItem.Status.DRAFT,
                    )
                    for n in range(2, 119)
                ]
            )
        r, queries, built = self.inbox()
        self.assertEqual(len(selectors.inbox_for(user=self.people["kasi"], now=NOW)), 120)
        self.assertEqual(len(cards(r)), INBOX_PAGE_SIZE)
        self.assertIn('Semua <span class="desk-filter__count">(120)</span>', text_of(r))
        self.assertIn("Halaman 1 dari 3", text_of(r))
        self.assertEqual(queries, QUERIES_INBOX)
        # 48 plans and the two items with their two plans: the page, not the 120.
        self.assertEqual(built, {AgendaItem: INBOX_PAGE_SIZE, Liputan: 2})

        r, queries, built = self.inbox({"halaman": 3})
        self.assertEqual(len(cards(r)), 20)
        self.assertEqual(queries, QUERIES_INBOX - 2)  # a page of plans only: no Liputan, no appointments
        self.assertEqual(built, {AgendaItem: 20, Liputan: 0})


class InboxQueryCountTest(TestCase):
    """The inbox costs the same number of queries for 2 or 20 waiting entries."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def assert_inbox_queries(self, who: str, *, entries: int, queries: int):
        client = client_for(self.people[who])
        with at_now():
            client.get(reverse("desk:inbox"))  # session, menus and caches as on any later visit
            with self.assertNumQueries(queries):
                r = client.get(reverse("desk:inbox"))
        self.assertEqual(r.status_code, 200)
        self.assertEqual(len(cards(r)), entries)
        self.assertEqual(len(selectors.inbox_for(user=self.people[who], now=NOW)), entries)
        return r

    def test_kasi_inbox_with_plans_and_items(self):
        p = self.people
        with ago(30):
            D.agenda_draft(p["kasi"], topic="Rencana 1")
        item_at(p, "Naskah 1", step=3, phase=1, minutes_ago=20)
        self.assert_inbox_queries("kasi", entries=2, queries=QUERIES_INBOX)

        with ago(25):
            for n in range(2, 7):
                D.agenda_draft(p["kasi"], topic=f"Rencana {n}")
            for n in range(7, 12):
                D.agenda_planned(p["kasi"], topic=f"Rencana {n}", kind="data")
        for n in range(2, 6):
            item_at(p, f"Naskah {n}", step=3, phase=1, minutes_ago=20 + n, staf=("staf", "staf2")[n % 2])
        for n in range(6, 10):
            item_at(p, f"Naskah {n}", step=9, minutes_ago=n)
        self.assert_inbox_queries("kasi", entries=20, queries=QUERIES_INBOX)

    def test_kabid_inbox_with_returned_items(self):
        p = self.people
        item_at(p, "Naskah 1", step=4, minutes_ago=20)
        returned = item_at(p, "Naskah 2", step=5, minutes_ago=30)
        with ago(10):
            D.act(returned, "return", return_to=4, comment="Perbaiki judul.")
        r = self.assert_inbox_queries("kabid", entries=2, queries=QUERIES_INBOX)
        self.assertEqual(text_of(r).count("Dikembalikan"), 1)

        for n in range(3, 13):
            item_at(p, f"Naskah {n}", step=4, minutes_ago=n)
        for n in range(13, 17):
            returned = item_at(p, f"Naskah {n}", step=5, minutes_ago=60)
            with ago(n):
                D.act(returned, "return", return_to=4, comment="Perbaiki judul.")
        for n in range(17, 21):
            item_at(p, f"Naskah {n}", step=8, minutes_ago=n)
        r = self.assert_inbox_queries("kabid", entries=20, queries=QUERIES_INBOX)
        self.assertEqual(text_of(r).count("Dikembalikan"), 5)


class TimelineQueryCountTest(TestCase):
    """An item's page (desk:liputan) costs the same for a short history and a long one."""

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        with ago(120):
            cls.short = item_at(p, "Naskah lurus", step=6, minutes_ago=120)
            cls.long = D.start_item(p, topic="Naskah bolak-balik")
            # Twice back to the Staf and once back to the Kabid before it reaches the Kadis.
            D.advance(cls.long, p, to_step=4)
            D.act(cls.long, "return", return_to=3, comment="Lengkapi data produksi.")
            D.write(cls.long, body="<p>Data produksi: 227 hektare.</p>")
            D.advance(cls.long, p, to_step=6)
            D.act(cls.long, "return", return_to=3, comment="Tambahkan kutipan.")
            D.write(cls.long, body="<p>Data produksi: 227 hektare. Kutipan kepala subak.</p>")
            D.advance(cls.long, p, to_step=5)
            D.act(cls.long, "return", return_to=4, comment="Periksa angka.")
            D.advance(cls.long, p, to_step=6)
        cls.short_done = item_at(p, "Terbit lurus", step=10, minutes_ago=60)
        cls.long_done = item_at(p, "Terbit bolak-balik", step=4, minutes_ago=60)
        with ago(50):
            D.act(cls.long_done, "return", return_to=3, comment="Perbaiki.")
            D.advance(cls.long_done, p, to_step=9)
            D.advance(cls.long_done, p, to_step=10)
        with ago(40):
            D.act(cls.short_done, "publish")
            D.act(cls.long_done, "publish")

    def assert_timeline_queries(self, who: str, liputan: Liputan, *, queries: int):
        client = client_for(self.people[who])
        url = reverse("desk:liputan", args=[liputan.pk])
        with at_now():
            client.get(url)
            with self.assertNumQueries(queries):
                r = client.get(url)
        self.assertEqual(r.status_code, 200)
        return text_of(r)

    def test_histories_differ_in_length(self):
        self.assertEqual(self.short.events.count(), 4)  # submit, then forward at 3, 4 and 5
        # 3 submits, 3 returns and 8 forwards on the way to the Kadis.
        self.assertEqual(self.long.events.count(), 14)
        self.assertEqual(self.long.events.filter(action="return").count(), 3)

    def test_holder_sees_a_long_history_at_the_same_cost(self):
        short = self.assert_timeline_queries("kadis", self.short, queries=QUERIES_TIMELINE_HOLDER)
        long = self.assert_timeline_queries("kadis", self.long, queries=QUERIES_TIMELINE_HOLDER)
        self.assertIn("Telaah dan putuskan", short)
        self.assertIn("Telaah dan putuskan", long)
        self.assertEqual(long.count("Mengembalikan"), 3)
        self.assertIn("Lengkapi data produksi.", long)
        self.assertIn("Periksa angka.", long)
        self.assertNotIn("Mengembalikan", short)

    def test_others_see_a_long_history_at_the_same_cost(self):
        self.assert_timeline_queries("staf2", self.short, queries=QUERIES_TIMELINE_READER)
        long = self.assert_timeline_queries("staf2", self.long, queries=QUERIES_TIMELINE_READER)
        self.assertIn("Baca naskah", long)
        self.assertIn("Sedang berjalan sejak", long)

    def test_published_items_at_the_same_cost(self):
        short = self.assert_timeline_queries("kasi", self.short_done, queries=QUERIES_TIMELINE_PUBLISHED)
        long = self.assert_timeline_queries("kasi", self.long_done, queries=QUERIES_TIMELINE_PUBLISHED)
        self.assertIn("Lihat di situs", short)
        self.assertEqual(long.count("Mengembalikan"), 1)
        self.assertNotIn("Sedang berjalan sejak", long)


# Measured on SQLite and PostgreSQL; the same for any number of entries or events. The inbox's
# own six: its open steps as a few columns (plans, items), the SOP's steps, then for the page
# shown only: the plans, the items, the holder's Plt/Plh appointments (none without items).
QUERIES_INBOX = 16
QUERIES_TIMELINE_HOLDER = 16
QUERIES_TIMELINE_READER = 15
QUERIES_TIMELINE_PUBLISHED = 14
