"""The events calendar as a visitor sees it: upcoming and past lists, the month view, an event,
and the iCalendar feed. Every event went live through the ten steps of the SOP
(``desk.tests.sop_driver.publish_kind``); items still on the desk never show."""

import datetime as dt
import json
import re
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from desk.models import PerangkatDaerah
from desk.tests import sop_driver as D
from desk.tests.helpers import text_of
from kegiatan.models import KegiatanPage
from lontar.testing import assert_public_page_queries, build_world

WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=WITA)  # a Friday morning in Tabanan
PUBLISHED_AT = dt.datetime(2026, 11, 2, 9, 0, tzinfo=WITA)


def at(day: int, hour: int = 0, minute: int = 0, *, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WITA)


def publish_event(people, *, minutes: int = 0, **fields) -> KegiatanPage:
    """An event carried through all ten SOP steps, published before ``NOW``."""
    with time_machine.travel(PUBLISHED_AT + dt.timedelta(minutes=minutes), tick=False):
        return D.publish_kind(people, kind="kegiatan", **fields)


def hidden_event(people, topic: str, to_step: int, to_phase: int = 0, **fields):
    """An event still on the desk at (to_step, to_phase)."""
    with time_machine.travel(PUBLISHED_AT, tick=False):
        liputan = D.start_item(people, topic=topic, kind="kegiatan")
        D.draft(liputan, **fields)
        return D.advance(liputan, people, to_step=to_step, to_phase=to_phase)


def event_titles(response) -> list[str]:
    """The event titles on a list, in the order shown."""
    return re.findall(r'<h2 class="agenda-item__title"><a href="[^"]*">([^<]*)</a></h2>', response.content.decode())


def month_days(response) -> dict[str, list[str]]:
    """Day (ISO date) → the event titles listed on it, from the month grid."""
    html = response.content.decode()
    days = {}
    for cell in re.findall(r'<li class="kal__day(?! kal__day--out)[^"]*">(.*?)</li>\s*(?=<li class="kal__day|</ol>)', html, re.S):
        date = re.search(r'<time datetime="([0-9-]+)">', cell).group(1)
        days[date] = re.findall(r'<a href="[^"]*">([^<]*)</a>', cell)
    return days


class CalendarTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        cls.opd = PerangkatDaerah.objects.create(name="Dinas Pariwisata", short_name="Dispar")
        cls.rapat = publish_event(
            p, topic="Rapat koordinasi penanganan sampah", start=at(23, 9), end=at(23, 12),
            place="Ruang Rapat Kantor Bupati", organiser_text="Sekretariat Daerah", minutes=1,
        )
        cls.festival = publish_event(
            p, topic="Festival Tanah Lot", start=at(28, 9), end=at(30, 21), place="Tanah Lot, Beraban",
            organiser=cls.opd, organiser_text="Desa Adat Beraban", minutes=2,
            body="<p>Parade baleganjur &amp; lomba penjor.</p>",
        )
        cls.pameran = publish_event(
            p, topic="Pameran UMKM", start=at(2, 8, month=12), end=at(2, 8, month=12), all_day=True,
            place="Gedung Mario", minutes=3,
        )
        cls.donor = publish_event(p, topic="Donor darah", start=at(10, 8), end=at(10, 11), place="PMI", minutes=4)
        cls.ongoing = publish_event(p, topic="Senam bersama", start=at(20, 8), end=at(20, 12), minutes=5)
        # Ends at the stroke of midnight on 1 November: an October event only.
        cls.malam = publish_event(
            p, topic="Malam budaya", start=at(31, 20, month=10), end=at(1, 0), minutes=6,
        )
        november = {"start": at(24, 9), "end": at(24, 10)}
        cls.hidden = [
            hidden_event(p, "Kegiatan draf Staf", 3, **november),
            hidden_event(p, "Kegiatan di meja Kasi", 3, 1, **november),
            hidden_event(p, "Kegiatan di meja Kadis", 6, **november),
            hidden_event(p, "Kegiatan menunggu unggah", 10, **november),
        ]
        returned = hidden_event(p, "Kegiatan dikembalikan", 5, **november)
        with time_machine.travel(PUBLISHED_AT, tick=False):
            D.act(returned, "return", return_to=3, comment="Lengkapi lokasi.")
        cls.hidden.append(returned)
        cls.hidden_titles = [liputan.title for liputan in cls.hidden]

    def get(self, url, **params):
        with time_machine.travel(NOW, tick=False):
            return self.client.get(url, params)

    def test_index_lists_upcoming_events_soonest_first(self):
        r = self.get("/agenda/")
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "kegiatan/kegiatan_index_page.html")
        # The one under way is listed first; past ones are not.
        self.assertEqual(
            event_titles(r),
            ["Senam bersama", "Rapat koordinasi penanganan sampah", "Festival Tanah Lot", "Pameran UMKM"],
        )
        text = text_of(r)
        self.assertIn("Senin, 23 November 2026, 09.00–12.00 WITA", text)
        self.assertIn("Sabtu, 28 November 2026, 09.00 – Senin, 30 November 2026, 21.00 WITA", text)
        self.assertIn("Rabu, 2 Desember 2026", text)
        self.assertIn("Dinas Pariwisata · Desa Adat Beraban", text)
        self.assertIn('href="/agenda/lalu/"', text)
        self.assertIn('href="/agenda/2026/11/"', text)
        self.assertIn('href="/agenda/kalender.ics"', text)
        self.assertIn('<link rel="stylesheet" href="/static/kegiatan/kegiatan.css">', text)

    def test_past_events_latest_first(self):
        r = self.get("/agenda/lalu/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(event_titles(r), ["Donor darah", "Malam budaya"])
        self.assertIn("Kegiatan yang telah berlangsung", text_of(r))

    def test_lists_are_paginated_with_halaman(self):
        with mock.patch("kegiatan.models.KEGIATAN_PER_PAGE", 3):
            first, second = self.get("/agenda/"), self.get("/agenda/", halaman=2)
            self.assertEqual(len(event_titles(first)), 3)
            self.assertEqual(event_titles(second), ["Pameran UMKM"])
            self.assertIn("Halaman 2 dari 2", text_of(second))
            self.assertIn('href="?halaman=1"', text_of(second))
            # Out of range or not a number: the last or the first page, as on the berita list.
            self.assertEqual(event_titles(self.get("/agenda/", halaman=9)), ["Pameran UMKM"])
            self.assertEqual(event_titles(self.get("/agenda/", halaman="x")), event_titles(first))

    def test_an_event_becomes_past_when_it_ends(self):
        with time_machine.travel(at(20, 12), tick=False):
            self.assertIn("Senam bersama", event_titles(self.client.get("/agenda/")))
        with time_machine.travel(at(20, 12, 1), tick=False):
            self.assertNotIn("Senam bersama", event_titles(self.client.get("/agenda/")))
            self.assertEqual(event_titles(self.client.get("/agenda/lalu/"))[0], "Senam bersama")

    def test_an_all_day_event_is_upcoming_until_the_end_of_its_day(self):
        with time_machine.travel(dt.datetime(2026, 12, 2, 23, 59, tzinfo=WITA), tick=False):
            self.assertEqual(event_titles(self.client.get("/agenda/")), ["Pameran UMKM"])
        with time_machine.travel(dt.datetime(2026, 12, 3, 0, 0, tzinfo=WITA), tick=False):
            self.assertEqual(event_titles(self.client.get("/agenda/")), [])
            self.assertIn("Belum ada kegiatan yang akan datang.", text_of(self.client.get("/agenda/")))

    def test_month_view_puts_each_event_on_its_days(self):
        r = self.get("/agenda/2026/11/")
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "kegiatan/kegiatan_month.html")
        days = month_days(r)
        self.assertEqual(len(days), 30)
        self.assertEqual(days["2026-11-10"], ["Donor darah"])
        self.assertEqual(days["2026-11-20"], ["Senam bersama"])
        self.assertEqual(days["2026-11-23"], ["Rapat koordinasi penanganan sampah"])
        for day in ("2026-11-28", "2026-11-29", "2026-11-30"):
            self.assertEqual(days[day], ["Festival Tanah Lot"])
        # The event ending at midnight on the 1st stays in October.
        self.assertEqual(days["2026-11-01"], [])
        self.assertEqual(sum(len(titles) for titles in days.values()), 6)
        text = text_of(r)
        self.assertIn("<h1>Agenda November 2026</h1>", text)
        self.assertIn('<li><a href="/agenda/">Agenda Kegiatan</a></li><li><span aria-current="page">November 2026</span>', text)
        self.assertIn('<a class="kal-nav__prev" rel="prev" href="/agenda/2026/10/">← Oktober 2026</a>', text)
        self.assertIn('<a class="kal-nav__next" rel="next" href="/agenda/2026/12/">Desember 2026 →</a>', text)
        # Labels: the start time, then "Berlanjut" on the following days; today is marked.
        self.assertIn('<span class="kal__time">09.00</span> <a href="/agenda/', text)
        self.assertIn('<span class="kal__time">Berlanjut</span>', text)
        self.assertIn("kal__day--today", text)
        # Days without events are in the grid for wide screens and hidden on phones by CSS.
        self.assertEqual(text.count("kal__day--empty"), 30 - 6)
        # Monday first: November 2026 starts on a Sunday, after six days of October.
        self.assertEqual(text.count('kal__day--out" aria-hidden="true"'), 6 + 6)

    def test_month_view_of_other_months(self):
        october = month_days(self.get("/agenda/2026/10/"))
        self.assertEqual(october["2026-10-31"], ["Malam budaya"])
        december = self.get("/agenda/2026/12/")
        self.assertEqual(month_days(december)["2026-12-02"], ["Pameran UMKM"])
        self.assertIn('<span class="kal__time">Sepanjang hari</span>', text_of(december))
        empty = self.get("/agenda/2027/1/")
        self.assertEqual(empty.status_code, 200)
        self.assertIn("Tidak ada kegiatan pada bulan ini.", text_of(empty))
        self.assertIn('href="/agenda/2027/02/"', text_of(empty))

    def test_month_parameter_and_impossible_months(self):
        r = self.get("/agenda/", bulan="2026-12")
        self.assertRedirects(r, "/agenda/2026/12/", fetch_redirect_response=False)
        self.assertEqual(self.get("/agenda/", bulan="kemarin").status_code, 200)
        for url in ("/agenda/2026/13/", "/agenda/2026/0/", "/agenda/1999/12/", "/agenda/2101/01/"):
            with self.subTest(url=url):
                self.assertEqual(self.get(url).status_code, 404)
        # The last month answered has no link further on.
        self.assertNotIn('rel="next"', text_of(self.get("/agenda/2100/12/")))

    def test_items_on_the_desk_never_appear(self):
        pages = [self.get(url) for url in ("/", "/agenda/", "/agenda/lalu/", "/agenda/2026/11/", "/agenda/kalender.ics")]
        for r in pages:
            self.assertEqual(r.status_code, 200)
            for title in self.hidden_titles:
                self.assertNotIn(title, r.content.decode())
        self.assertNotIn("2026-11-24", [d for d, titles in month_days(pages[3]).items() if titles])

    def test_items_on_the_desk_are_404_to_the_public(self):
        for liputan in self.hidden:
            with self.subTest(item=liputan.title, step=liputan.step):
                liputan.refresh_from_db()
                page = liputan.page.specific
                self.assertFalse(page.live)
                self.assertEqual(self.get(page.url).status_code, 404)
        self.assertEqual(self.get(self.rapat.url).status_code, 200)

    def test_a_private_event_is_left_out_like_wagtail_public_does(self):
        PageViewRestriction.objects.create(page=self.rapat, restriction_type="password", password="rahasia")
        from kegiatan.selectors import kegiatan_feed

        self.assertEqual(
            {p.pk for p in kegiatan_feed()},
            set(KegiatanPage.objects.live().public().values_list("pk", flat=True)),
        )
        for url in ("/agenda/", "/agenda/2026/11/", "/agenda/kalender.ics", "/"):
            self.assertNotIn("Rapat koordinasi penanganan sampah", self.get(url).content.decode())
        self.assertIn("Festival Tanah Lot", self.get("/agenda/").content.decode())

    def test_detail_shows_the_event_with_schema_org_data(self):
        r = self.get(self.festival.url)
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "kegiatan/kegiatan_page.html")
        text = text_of(r)
        self.assertIn("<h1>Festival Tanah Lot</h1>", text)
        self.assertIn("Sabtu, 28 November 2026, 09.00 – Senin, 30 November 2026, 21.00 WITA", text)
        self.assertIn('datetime="2026-11-28T09:00:00+08:00"', text)
        self.assertIn("<dd>Tanah Lot, Beraban</dd>", text)
        self.assertIn("<dd>Dinas Pariwisata · Desa Adat Beraban</dd>", text)
        self.assertIn("<p>Parade baleganjur &amp; lomba penjor.</p>", text)
        self.assertIn('<a href="/agenda/">Agenda Kegiatan</a>', text)
        self.assertNotIn("telah berlangsung.", text)

        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text).group(1))
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["@type"], "Event")
        self.assertEqual(data["name"], "Festival Tanah Lot")
        self.assertEqual(data["startDate"], "2026-11-28T09:00:00+08:00")
        self.assertEqual(data["endDate"], "2026-11-30T21:00:00+08:00")
        self.assertEqual(data["location"]["@type"], "Place")
        self.assertEqual(data["location"]["name"], "Tanah Lot, Beraban")
        self.assertEqual(
            data["organizer"],
            [{"@type": "Organization", "name": "Dinas Pariwisata"}, {"@type": "Organization", "name": "Desa Adat Beraban"}],
        )
        self.assertEqual(data["url"], "http://localhost" + self.festival.url)
        self.assertEqual(data["description"], "Parade baleganjur & lomba penjor.")

    def test_past_event_detail_says_so(self):
        text = text_of(self.get(self.donor.url))
        self.assertIn("Kegiatan ini telah berlangsung.", text)
        self.assertIn("Selasa, 10 November 2026, 08.00–11.00 WITA", text)

    def test_schema_org_data_cannot_close_its_script_element(self):
        page = publish_event(
            self.people, topic="Lomba </script><script>alert(1)</script> & tari", start=at(25, 9), end=at(25, 10),
            minutes=30,
        )
        html = self.get(page.url).content.decode()
        script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
        self.assertNotIn("<", script)
        self.assertIn("\\u003C/script\\u003E", script)
        self.assertEqual(json.loads(script)["name"], "Lomba </script><script>alert(1)</script> & tari")

    def test_all_day_event_detail_and_schema_dates(self):
        text = text_of(self.get(self.pameran.url))
        self.assertIn("Rabu, 2 Desember 2026", text)
        self.assertNotIn("08.00", text)
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text).group(1))
        self.assertEqual((data["startDate"], data["endDate"]), ("2026-12-02", "2026-12-02"))
        self.assertEqual(data["organizer"], [{"@type": "Organization", "name": "Pemerintah Kabupaten Tabanan"}])

    def test_home_shows_the_next_three_events(self):
        r = self.get("/")
        text = text_of(r)
        titles = re.findall(r'<h3 class="card__title agenda-card__title"><a href="[^"]*">([^<]*)</a></h3>', text)
        self.assertEqual(titles, ["Senam bersama", "Rapat koordinasi penanganan sampah", "Festival Tanah Lot"])
        self.assertIn('href="/agenda/"', text)


class FeedTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        cls.rapat = publish_event(
            p, topic="Rapat, koordinasi; sampah", start=at(23, 9), end=at(23, 12), place="Kantor Bupati", minutes=1,
        )
        cls.pameran = publish_event(
            p, topic="Pameran UMKM", start=at(2, 8, month=12), end=at(4, 8, month=12), all_day=True, minutes=2,
        )
        # 23:30 UTC on 30 November is 07:30 WITA on 1 December.
        cls.pagi = publish_event(
            p, topic="Jalan sehat", start=dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC),
            end=dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC), minutes=3,
        )
        cls.donor = publish_event(p, topic="Donor darah", start=at(10, 8), end=at(10, 11), minutes=4)
        cls.hidden = hidden_event(p, "Kegiatan di meja Kadis", 6, start=at(24, 9), end=at(24, 10))

    def feed(self):
        r = self.client.get("/agenda/kalender.ics")
        self.assertEqual(r.status_code, 200)
        return r, Calendar.from_ical(r.content)

    def test_the_feed_is_valid_icalendar_with_every_published_event(self):
        r, calendar = self.feed()
        self.assertEqual(r["Content-Type"], "text/calendar; charset=utf-8")
        self.assertEqual(reverse("kegiatan_kalender"), "/agenda/kalender.ics")
        self.assertTrue(r.content.startswith(b"BEGIN:VCALENDAR\r\n"))
        self.assertEqual(str(calendar["VERSION"]), "2.0")
        self.assertIn("PRODID", calendar)
        self.assertEqual(str(calendar["X-WR-TIMEZONE"]), "Asia/Makassar")
        # Every TZID used is defined in a VTIMEZONE, as RFC 5545 requires.
        self.assertEqual([str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")], ["Asia/Makassar"])
        events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
        self.assertEqual(set(events), {"Rapat, koordinasi; sampah", "Pameran UMKM", "Jalan sehat", "Donor darah"})
        uids = [str(e["UID"]) for e in events.values()]
        self.assertEqual(len(set(uids)), 4)
        for event in events.values():
            for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "URL"):
                self.assertIn(prop, event)
        self.assertNotIn("Kegiatan di meja Kadis", r.content.decode())
        self.assertIn(b"SUMMARY:Rapat\\, koordinasi\\; sampah\r\n", r.content)

    def test_times_are_wita_and_all_day_events_are_dates(self):
        _, calendar = self.feed()
        events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
        rapat = events["Rapat, koordinasi; sampah"]
        self.assertEqual(rapat["DTSTART"].params["TZID"], "Asia/Makassar")
        self.assertEqual(rapat.decoded("DTSTART"), at(23, 9))
        self.assertEqual(rapat.decoded("DTEND"), at(23, 12))
        self.assertEqual(rapat.decoded("DTSTART").utcoffset(), dt.timedelta(hours=8))
        self.assertEqual(str(rapat["LOCATION"]), "Kantor Bupati")
        self.assertEqual(str(rapat["URL"]), "http://localhost" + self.rapat.url)
        pagi = events["Jalan sehat"]
        self.assertEqual(pagi.decoded("DTSTART"), dt.datetime(2026, 12, 1, 7, 30, tzinfo=WITA))
        self.assertEqual(pagi["DTSTART"].params["TZID"], "Asia/Makassar")
        pameran = events["Pameran UMKM"]
        self.assertEqual(pameran.decoded("DTSTART"), dt.date(2026, 12, 2))
        self.assertEqual(pameran.decoded("DTEND"), dt.date(2026, 12, 5))  # the day after the last
        self.assertEqual(pameran["DTSTART"].params.get("VALUE"), "DATE")
        self.assertNotIn("LOCATION", pameran)

    def test_an_event_drops_in_once_published(self):
        self.assertNotIn(b"Kegiatan di meja Kadis", self.client.get("/agenda/kalender.ics").content)
        with time_machine.travel(PUBLISHED_AT, tick=False):
            D.publish(self.hidden, self.people)
        _, calendar = self.feed()
        self.assertIn("Kegiatan di meja Kadis", [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")])


class ValidationTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_an_event_cannot_end_before_it_starts(self):
        page = KegiatanPage(title="Rapat", slug="rapat", start=at(23, 12), end=at(23, 9))
        with self.assertRaises(ValidationError) as caught:
            page.clean()
        self.assertEqual(
            caught.exception.message_dict,
            {"end": ["Waktu selesai tidak boleh lebih awal daripada waktu mulai kegiatan."]},
        )
        # Ending when it starts is allowed.
        KegiatanPage(title="Rapat", slug="rapat", start=at(23, 9), end=at(23, 9)).clean()

    def test_an_all_day_event_compares_days_not_hours(self):
        page = KegiatanPage(title="Pameran", slug="pameran", start=at(23, 15), end=at(23, 9), all_day=True)
        page.clean()
        self.assertEqual((page.start, page.end), (at(23, 0), dt.datetime(2026, 11, 23, 23, 59, 59, tzinfo=WITA)))
        page = KegiatanPage(title="Pameran", slug="pameran", start=at(24, 9), end=at(23, 9), all_day=True)
        with self.assertRaises(ValidationError):
            page.clean()

    def test_start_and_end_are_required_to_publish(self):
        # A draft may lack them (the desk creates it empty); a live page may not.
        KegiatanPage(title="Rapat", slug="rapat", live=False).clean()
        with self.assertRaises(ValidationError) as caught:
            KegiatanPage(title="Rapat", slug="rapat", live=True).clean()
        self.assertEqual(
            caught.exception.message_dict,
            {"start": ["Isi waktu mulai kegiatan."], "end": ["Isi waktu selesai kegiatan."]},
        )

    def test_an_event_ending_before_it_starts_cannot_even_be_saved_as_a_draft(self):
        with time_machine.travel(PUBLISHED_AT, tick=False):
            liputan = D.start_item(self.people, topic="Kegiatan terbalik", kind="kegiatan")
            with self.assertRaises(ValidationError) as caught:
                D.draft(liputan, start=at(23, 12), end=at(23, 9))
        self.assertEqual(
            caught.exception.message_dict["end"], ["Waktu selesai tidak boleh lebih awal daripada waktu mulai kegiatan."]
        )

    def test_the_editor_shows_the_message_to_the_staf(self):
        from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

        from desk.tests.helpers import client_for

        with time_machine.travel(PUBLISHED_AT, tick=False):
            liputan = D.start_item(self.people, topic="Rapat koordinasi", kind="kegiatan")
            page = D.draft(liputan)
        data = nested_form_data({
            "title": "Rapat koordinasi", "slug": page.slug,
            "start": "2026-11-23 12:00", "end": "2026-11-23 09:00", "place": "Kantor Bupati",
            "organiser": "", "organiser_text": "", "body": rich_text("<p>Isi.</p>"), "image": "",
            "comments": inline_formset([]),
        })
        r = client_for(self.people["staf"]).post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
        self.assertEqual(r.status_code, 200)
        self.assertIn("Waktu selesai tidak boleh lebih awal daripada waktu mulai kegiatan.", r.content.decode())


class QueryBoundsTest(TestCase):
    """Every public view of the calendar costs the same number of queries for 3 or 15 events,
    within the bound of 8.

    Measured with an empty cache, then warm (``lontar.testing.assert_public_page_queries``).
    Warm: serving 2 at any depth, the frame none (cached). The views' own queries: list 2
    (paginator count, the events with their organiser and the view-restriction test in one
    query); month view 1 (the events); event 2 (organiser, image; its rendition is cached, an
    empty cache adds it). An empty cache adds 3 to every page (sites, site root paths, chrome).
    The feed is served outside the page tree: 1 query for every event.
    """

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.opd = PerangkatDaerah.objects.create(name="Dinas Kesehatan", short_name="Dinkes")
        cls.image = D.make_image("Foto kegiatan", colour="green")
        cls.pages = [cls.publish(i) for i in range(3)]

    @classmethod
    def publish(cls, i: int) -> KegiatanPage:
        # Half in the past, half to come, all in November.
        start = at(5 + i % 25, 9) if i % 2 else at(21 + i % 9, 9)
        return publish_event(
            cls.people, topic=f"Kegiatan ke-{i:02d}", start=start, end=start + dt.timedelta(hours=3),
            place="Gedung Mario", organiser=cls.opd, organiser_text="Panitia", image=cls.image, minutes=i,
        )

    def assert_queries(self, url: str, *, cold: int, warm: int):
        with time_machine.travel(NOW, tick=False):
            return assert_public_page_queries(self, url, cold=cold, warm=warm)

    def check_all(self, *, listed: int, past: int):
        r = self.assert_queries("/agenda/", cold=7, warm=4)
        self.assertEqual(len(event_titles(r)), listed)
        r = self.assert_queries("/agenda/lalu/", cold=7, warm=4)
        self.assertEqual(len(event_titles(r)), past)
        r = self.assert_queries("/agenda/2026/11/", cold=6, warm=3)
        self.assertEqual(sum(len(t) for t in month_days(r).values()), listed + past)
        self.assert_queries(self.pages[0].url, cold=8, warm=4)
        r = self.assert_queries("/agenda/kalender.ics", cold=2, warm=1)
        self.assertEqual(len(Calendar.from_ical(r.content).walk("VEVENT")), listed + past)

    def test_query_counts_do_not_grow_with_the_number_of_events(self):
        self.check_all(listed=2, past=1)
        self.pages += [self.publish(i) for i in range(3, 15)]
        self.assertEqual(KegiatanPage.objects.live().count(), 15)
        self.check_all(listed=8, past=7)
