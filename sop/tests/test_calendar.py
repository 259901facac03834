"""The working calendar as data: office hours and the office's own days off, kept by the site
administrator, turned into ``rules.WorkingCalendar`` by ``sop.calendar.office_calendar``."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from accounts.roles import SITE_ADMIN_GROUP
from desk.tests.helpers import client_for
from lontar.testing import build_world, make_user
from sop import rules
from sop.calendar import build_calendar, national_holidays, office_calendar
from sop.demo import DEMO_HOLIDAYS, demo_holidays
from sop.models import LocalHoliday, OfficeHours, Weekday

WITA = ZoneInfo("Asia/Makassar")
AROUND = dt.date(2026, 11, 27)


def wita(*args):
    return dt.datetime(*args, tzinfo=WITA)


class OfficeCalendarTest(TestCase):
    def test_the_migration_seeds_the_office_hours(self):
        rows = list(OfficeHours.objects.values_list("weekday", "opens_at", "closes_at"))
        self.assertEqual(
            rows,
            [(d, dt.time(7, 30), dt.time(16, 0)) for d in range(4)] + [(4, dt.time(7, 30), dt.time(13, 30))],
        )
        calendar = office_calendar(around=AROUND)
        self.assertEqual(calendar.hours, rules.DEFAULT_OFFICE_HOURS)
        self.assertEqual(calendar.holidays, national_holidays([2025, 2026, 2027]))
        self.assertEqual(calendar.add(wita(2026, 11, 27, 12, 30), 180), wita(2026, 11, 30, 9, 30))

    def test_the_calendar_is_cached_and_rebuilt_when_hours_change(self):
        office_calendar(around=AROUND)
        with self.assertNumQueries(0):
            office_calendar(around=AROUND)
        friday = OfficeHours.objects.get(weekday=Weekday.FRIDAY)
        friday.closes_at = dt.time(15, 0)
        friday.save()
        with self.assertNumQueries(2):  # the hours and the local holidays, read again
            calendar = office_calendar(around=AROUND)
        # Friday 12:30–15:00 is 150 minutes now; the last 30 on Monday.
        self.assertEqual(calendar.add(wita(2026, 11, 27, 12, 30), 180), wita(2026, 11, 30, 8, 0))

    def test_a_local_holiday_counts_from_when_it_is_entered_until_it_is_deleted(self):
        start = wita(2027, 1, 12, 15, 0)  # Tuesday; Galungan is Wednesday 13 January 2027
        self.assertEqual(office_calendar(around=AROUND).add(start, 120), wita(2027, 1, 13, 8, 30))
        galungan = LocalHoliday.objects.create(date=dt.date(2027, 1, 13), name="Hari Raya Galungan")
        self.assertEqual(office_calendar(around=AROUND).add(start, 120), wita(2027, 1, 14, 8, 30))
        galungan.delete()
        self.assertEqual(office_calendar(around=AROUND).add(start, 120), wita(2027, 1, 13, 8, 30))

    def test_a_day_with_two_periods_and_a_weekday_added(self):
        monday = OfficeHours.objects.get(weekday=Weekday.MONDAY)
        monday.closes_at = dt.time(12, 0)
        monday.save()
        OfficeHours.objects.create(weekday=Weekday.MONDAY, opens_at=dt.time(13, 0), closes_at=dt.time(16, 0))
        OfficeHours.objects.create(weekday=Weekday.SATURDAY, opens_at=dt.time(8, 0), closes_at=dt.time(12, 0))
        calendar = office_calendar(around=AROUND)
        self.assertEqual(calendar.hours[0], ((dt.time(7, 30), dt.time(12, 0)), (dt.time(13, 0), dt.time(16, 0))))
        self.assertEqual(calendar.add(wita(2026, 11, 30, 11, 30), 60), wita(2026, 11, 30, 13, 30))
        self.assertEqual(calendar.add(wita(2026, 11, 27, 13, 0), 60), wita(2026, 11, 28, 8, 30))  # Saturday

    def test_without_any_row_the_defaults_hold(self):
        OfficeHours.objects.all().delete()
        self.assertEqual(office_calendar(around=AROUND).hours, rules.DEFAULT_OFFICE_HOURS)

    def test_build_calendar_reads_the_rows_as_they_are(self):
        LocalHoliday.objects.create(date=dt.date(2026, 12, 24), name="Cuti bersama Natal", kind=LocalHoliday.Kind.CUTI_BERSAMA)
        calendar = build_calendar(years=[2026])
        self.assertIn(dt.date(2026, 12, 24), calendar.holidays)
        self.assertIn(dt.date(2026, 12, 25), calendar.holidays)
        # 24 and 25 December off: a step started Wednesday 23 December at 15:00 ends Monday.
        self.assertEqual(calendar.add(wita(2026, 12, 23, 15, 0), 180), wita(2026, 12, 28, 9, 30))


class CalendarValidationTest(TestCase):
    def assert_refused(self, instance, message):
        with self.assertRaises(ValidationError) as caught:
            instance.full_clean()
        self.assertIn(message, " ".join(caught.exception.messages))

    def test_hours_must_end_after_they_start(self):
        self.assert_refused(
            OfficeHours(weekday=Weekday.SATURDAY, opens_at=dt.time(12, 0), closes_at=dt.time(8, 0)),
            "Jam selesai harus sesudah jam mulai.",
        )

    def test_hours_of_one_day_must_not_overlap(self):
        self.assert_refused(
            OfficeHours(weekday=Weekday.FRIDAY, opens_at=dt.time(13, 0), closes_at=dt.time(15, 0)),
            "Jam kerja ini bertumpang tindih dengan jam kerja yang sudah ada: Jumat 07.30–13.30.",
        )
        # Touching is not overlapping; the row itself is not its own overlap.
        OfficeHours(weekday=Weekday.FRIDAY, opens_at=dt.time(13, 30), closes_at=dt.time(15, 0)).full_clean()
        OfficeHours.objects.get(weekday=Weekday.FRIDAY).full_clean()

    def test_one_holiday_per_date_with_a_name(self):
        LocalHoliday.objects.create(date=dt.date(2027, 3, 9), name="Ngembak Geni")
        self.assert_refused(
            LocalHoliday(date=dt.date(2027, 3, 9), name="Lagi"), "Tanggal ini sudah tercatat sebagai hari libur."
        )
        self.assert_refused(LocalHoliday(date=dt.date(2027, 3, 10), name="   "), "wajib diisi")

    def test_the_demo_holidays_are_added_once(self):
        added = demo_holidays()
        self.assertEqual(demo_holidays(), 0)
        self.assertEqual(LocalHoliday.objects.count(), added)
        self.assertGreater(added, len(DEMO_HOLIDAYS))
        self.assertEqual(LocalHoliday.objects.get(date=dt.date(2026, 12, 24)).kind, LocalHoliday.Kind.CUTI_BERSAMA)
        self.assertEqual(LocalHoliday.objects.get(date=dt.date(2027, 3, 9)).name, "Ngembak Geni")
        kinds = dict(LocalHoliday.objects.values_list("name", "kind"))
        self.assertEqual(kinds["Hari Raya Galungan"], LocalHoliday.Kind.HARI_RAYA_LOKAL)
        self.assertTrue(all(d.weekday() == 2 for d in LocalHoliday.objects.filter(name="Hari Raya Galungan").values_list("date", flat=True)))


class CalendarAdminTest(TestCase):
    """Only the site administrator (and superusers) keep the calendar; every view checks it."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.site_admin = make_user("pengelola", is_staff=True)
        cls.site_admin.groups.add(Group.objects.get(name=SITE_ADMIN_GROUP))

    def urls(self, model):
        return {
            "list": reverse(f"wagtailsnippets_sop_{model}:list"),
            "add": reverse(f"wagtailsnippets_sop_{model}:add"),
        }

    def test_the_site_administrator_adds_a_local_holiday(self):
        client = client_for(self.site_admin)
        urls = self.urls("localholiday")
        self.assertEqual(client.get(urls["list"]).status_code, 200)
        r = client.post(urls["add"], {"date": "2027-01-13", "name": "Hari Raya Galungan", "kind": "hari_raya_lokal"})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(LocalHoliday.objects.get().name, "Hari Raya Galungan")
        self.assertIn(dt.date(2027, 1, 13), office_calendar(around=dt.date(2027, 1, 1)).holidays)

    def test_overlapping_hours_are_refused_with_the_reason_and_nothing_is_saved(self):
        client = client_for(self.site_admin)
        r = client.post(self.urls("officehours")["add"], {"weekday": "0", "opens_at": "15:00", "closes_at": "17:00"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "bertumpang tindih")
        self.assertEqual(OfficeHours.objects.filter(weekday=0).count(), 1)
        r = client.post(self.urls("officehours")["add"], {"weekday": "5", "opens_at": "12:00", "closes_at": "08:00"})
        self.assertContains(r, "Jam selesai harus sesudah jam mulai.")
        self.assertFalse(OfficeHours.objects.filter(weekday=5).exists())

    def test_nobody_in_the_sop_chain_may_change_the_calendar(self):
        for who in ("kasi", "staf", "kabid", "sekdis", "kadis"):
            client = client_for(self.people[who])
            for model in ("officehours", "localholiday"):
                urls = self.urls(model)
                with self.subTest(who=who, model=model):
                    self.assertNotEqual(client.get(urls["list"]).status_code, 200)
                    client.post(urls["add"], {"date": "2027-01-13", "name": "x", "kind": "lainnya",
                                              "weekday": "5", "opens_at": "08:00", "closes_at": "12:00"})
        self.assertFalse(LocalHoliday.objects.exists())
        self.assertFalse(OfficeHours.objects.filter(weekday=5).exists())
