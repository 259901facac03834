"""Plt/Plh appointments: the rules, who may appoint, and who acts for an office on a given day."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from accounts import acting as svc
from accounts.models import ActingAppointment
from accounts.roles import may_act_as, official_for, stand_in_for
from desk.tests.helpers import client_for, text_of
from lontar.testing import build_world, make_user
from sop.rules import Role

WITA = ZoneInfo("Asia/Makassar")
TODAY = dt.date(2026, 12, 2)  # a Wednesday
NOON = dt.datetime(2026, 12, 2, 12, 0, tzinfo=WITA)


def on(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=WITA), tick=False)


def appoint(user, *, role=Role.KADIS, absent, acting, start=TODAY, end=TODAY + dt.timedelta(days=2), **extra):
    fields = {"kind": "plt", "reason": "dinas_luar", "note": "", **extra}
    with on(TODAY):
        return svc.appointment_create(
            user=user, role=role.value, absent=absent, acting=acting, start_date=start, end_date=end, **fields
        )


class AppointmentRulesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = build_world()
        cls.kasi2 = make_user("kasi2", role=Role.KASI, first_name="Ni Kadek", last_name="Sari")
        cls.gone = make_user("pensiun", role=Role.SEKDIS, first_name="Pejabat", last_name="Lama", is_active=False)

    def refused(self, field, says, **kwargs):
        kwargs.setdefault("absent", self.p["kadis"])
        kwargs.setdefault("acting", self.p["sekdis"])
        with self.assertRaises(ValidationError) as caught:
            appoint(self.p["admin"], **kwargs)
        self.assertIn(field, caught.exception.message_dict, caught.exception.message_dict)
        self.assertIn(says, " ".join(caught.exception.message_dict[field]))
        self.assertEqual(ActingAppointment.objects.count(), self._before)

    def setUp(self):
        self._before = ActingAppointment.objects.count()

    def test_a_valid_appointment_is_stored(self):
        a = appoint(self.p["admin"], absent=self.p["kadis"], acting=self.p["sekdis"], note="Surat tugas 090/12")
        self.assertEqual((a.role, a.absent, a.acting, a.kind), ("kadis", self.p["kadis"], self.p["sekdis"], "plt"))
        self.assertEqual(a.title, "Plt. Kadis")
        self.assertEqual(a.created_by, self.p["admin"])
        self.assertIsNone(a.revoked_at)

    def test_end_before_start(self):
        self.refused("end_date", "tidak boleh sebelum tanggal mulai", start=TODAY, end=TODAY - dt.timedelta(days=1))

    def test_days_already_past(self):
        self.refused("end_date", "sudah lewat", start=TODAY - dt.timedelta(days=5), end=TODAY - dt.timedelta(days=1))

    def test_acting_is_not_the_absent_one(self):
        self.refused("acting", "tidak boleh pejabat yang berhalangan sendiri", acting=self.p["kadis"])

    def test_acting_must_be_active(self):
        self.refused("acting", "bukan pengguna aktif", acting=self.gone)

    def test_acting_is_at_most_one_level_below(self):
        # A Kasi is two levels below the Kadis; a Staf holds no office at all.
        self.refused("acting", "setingkat atau satu tingkat di bawahnya", acting=self.p["kasi"])
        self.refused("acting", "setingkat atau satu tingkat di bawahnya", role=Role.KASI,
                     absent=self.p["kasi"], acting=self.p["staf"])
        # The Kabid is one level below the Kadis; a Kasi may stand in for the Kabid and another Kasi.
        appoint(self.p["admin"], absent=self.p["kadis"], acting=self.p["kabid"])
        appoint(self.p["admin"], role=Role.KABID, absent=self.p["kabid"], acting=self.p["kasi"],
                start=TODAY + dt.timedelta(days=10), end=TODAY + dt.timedelta(days=11))
        appoint(self.p["admin"], role=Role.KASI, absent=self.p["kasi"], acting=self.kasi2)

    def test_absent_must_hold_the_office(self):
        self.refused("absent", "tidak memegang jabatan Kadis", absent=self.p["sekdis"], acting=self.p["kabid"])

    def test_other_reason_needs_a_note(self):
        self.refused("note", "Tuliskan keterangan", reason="lainnya")

    def test_no_overlap_for_the_same_office(self):
        appoint(self.p["admin"], absent=self.p["kadis"], acting=self.p["sekdis"])
        self._before = ActingAppointment.objects.count()
        self.refused("start_date", "Sudah ada Plt. Kadis A.A. Ngurah Mahendra", acting=self.p["kabid"],
                     kind="plh", start=TODAY + dt.timedelta(days=2), end=TODAY + dt.timedelta(days=4))
        # The day after it ends is free, and a revoked appointment blocks nothing.
        appoint(self.p["admin"], absent=self.p["kadis"], acting=self.p["kabid"],
                start=TODAY + dt.timedelta(days=3), end=TODAY + dt.timedelta(days=3))

    def test_two_kasi_may_be_away_at_once(self):
        appoint(self.p["admin"], role=Role.KASI, absent=self.p["kasi"], acting=self.kasi2)
        appoint(self.p["admin"], role=Role.KASI, absent=self.kasi2, acting=self.p["kabid"],
                start=TODAY + dt.timedelta(days=5), end=TODAY + dt.timedelta(days=6))
        self.assertEqual(ActingAppointment.objects.filter(role="kasi").count(), 2)

    def test_stand_ins_are_one_level_deep(self):
        appoint(self.p["admin"], absent=self.p["kadis"], acting=self.p["sekdis"])
        self._before = ActingAppointment.objects.count()
        # The Plt Kadis cannot be given a Plh of their own for those days…
        self.refused("absent", "sedang menjadi Plt/Plh", role=Role.SEKDIS, absent=self.p["sekdis"], acting=self.p["kabid"])
        # …and nobody away on those days stands in for someone else.
        appoint(self.p["admin"], role=Role.KASI, absent=self.p["kasi"], acting=self.kasi2,
                start=TODAY + dt.timedelta(days=20), end=TODAY + dt.timedelta(days=21))
        self._before = ActingAppointment.objects.count()
        self.refused("acting", "sendiri berhalangan", role=Role.KABID, absent=self.p["kabid"], acting=self.p["kasi"],
                     start=TODAY + dt.timedelta(days=21), end=TODAY + dt.timedelta(days=22))

    def test_revoked_appointment_no_longer_blocks(self):
        a = appoint(self.p["admin"], absent=self.p["kadis"], acting=self.p["sekdis"])
        with on(TODAY):
            svc.appointment_revoke(user=self.p["admin"], appointment=a)
            with self.assertRaises(ValidationError):
                svc.appointment_revoke(user=self.p["admin"], appointment=a)
        appoint(self.p["admin"], absent=self.p["kadis"], acting=self.p["kabid"])


class WhoMayAppointTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = build_world()

    def test_administrator_for_any_office_official_for_their_own(self):
        p = self.p
        appoint(p["admin"], role=Role.KABID, absent=p["kabid"], acting=p["kasi"], kind="plh")
        appoint(p["kadis"], absent=p["kadis"], acting=p["sekdis"])
        self.assertEqual(ActingAppointment.objects.count(), 2)
        for who, role, absent in (("kabid", Role.KADIS, "kadis"), ("sekdis", Role.KADIS, "kadis"),
                                  ("staf", Role.KASI, "kasi"), ("kasi", Role.KABID, "kabid")):
            with self.subTest(who=who), self.assertRaises(PermissionDenied):
                appoint(p[who], role=role, absent=p[absent], acting=p["kabid"] if who != "kabid" else p["sekdis"],
                        start=TODAY + dt.timedelta(days=30), end=TODAY + dt.timedelta(days=31))
        self.assertEqual(ActingAppointment.objects.count(), 2)

    def post_form(self, who, **changes):
        data = {"role": "kadis", "absent": self.p["kadis"].pk, "acting": self.p["sekdis"].pk, "kind": "plt",
                "start_date": TODAY.isoformat(), "end_date": (TODAY + dt.timedelta(days=1)).isoformat(),
                "reason": "cuti", "note": "", **changes}
        with on(TODAY):
            return client_for(self.p[who]).post(reverse("accounts:acting_create"), data)

    def test_screen_administrator_creates(self):
        response = self.post_form("admin")
        self.assertRedirects(response, reverse("accounts:acting_list"), fetch_redirect_response=False)
        a = ActingAppointment.objects.get()
        self.assertEqual((a.absent, a.acting, a.reason), (self.p["kadis"], self.p["sekdis"], "cuti"))
        with on(TODAY):
            listing = text_of(client_for(self.p["sekdis"]).get(reverse("accounts:acting_list")))
        self.assertIn("Plt. Kadis", listing)
        self.assertIn("Berlaku", listing)

    def test_screen_official_for_own_office(self):
        response = self.post_form("kadis")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(ActingAppointment.objects.get().created_by, self.p["kadis"])

    def test_screen_others_are_refused_and_nothing_changes(self):
        for who, data in (
            ("kabid", {}),  # another official's office
            ("sekdis", {"role": "kabid", "absent": self.p["kabid"].pk}),
            ("staf", {}),
        ):
            with self.subTest(who=who):
                response = self.post_form(who, **data)
                self.assertEqual(response.status_code, 403)
                self.assertIn("Tidak ada yang berubah.", text_of(response))
                self.assertFalse(ActingAppointment.objects.exists())
        with on(TODAY):
            self.assertEqual(client_for(self.p["staf"]).get(reverse("accounts:acting_create")).status_code, 403)

    def test_screen_shows_rule_messages(self):
        for changes, says in (
            ({"end_date": (TODAY - dt.timedelta(days=1)).isoformat()}, "Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ({"acting": self.p["kasi"].pk}, "setingkat atau satu tingkat di bawahnya"),
            ({"acting": self.p["kadis"].pk}, "tidak boleh pejabat yang berhalangan sendiri"),
            ({"reason": "lainnya"}, "Tuliskan keterangan alasan berhalangan."),
        ):
            with self.subTest(says=says):
                response = self.post_form("admin", **changes)
                self.assertEqual(response.status_code, 400)
                self.assertIn(says, text_of(response))
                self.assertFalse(ActingAppointment.objects.exists())

    def test_revoke_by_others_is_refused(self):
        a = appoint(self.p["kadis"], absent=self.p["kadis"], acting=self.p["sekdis"])
        with on(TODAY):
            response = client_for(self.p["sekdis"]).post(reverse("accounts:acting_revoke", args=[a.pk]))
        self.assertEqual(response.status_code, 403)
        a.refresh_from_db()
        self.assertIsNone(a.revoked_at)
        with on(TODAY):
            response = client_for(self.p["kadis"]).post(reverse("accounts:acting_revoke", args=[a.pk]))
        self.assertEqual(response.status_code, 302)
        a.refresh_from_db()
        self.assertEqual(a.revoked_by, self.p["kadis"])


class ResolutionByDateTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = build_world()
        cls.a = appoint(cls.p["admin"], absent=cls.p["kadis"], acting=cls.p["sekdis"],
                        start=dt.date(2026, 12, 3), end=dt.date(2026, 12, 4))

    def test_official_for_by_date(self):
        p = self.p
        self.assertEqual(official_for(Role.KADIS, at=dt.date(2026, 12, 2)), p["kadis"])
        self.assertEqual(official_for(Role.KADIS, at=dt.date(2026, 12, 3)), p["sekdis"])
        self.assertEqual(official_for(Role.KADIS, at=dt.date(2026, 12, 4)), p["sekdis"])  # inclusive
        self.assertEqual(official_for(Role.KADIS, at=dt.date(2026, 12, 5)), p["kadis"])
        self.assertEqual(official_for(Role.SEKDIS, at=dt.date(2026, 12, 3)), p["sekdis"])
        self.assertEqual(stand_in_for(p["staf"], Role.STAF, at=dt.date(2026, 12, 3)), p["staf"])

    def test_today_is_the_wita_day(self):
        # 2 Dec 23:30 UTC is already 3 Dec 07:30 WITA: the appointment is in force.
        with time_machine.travel(dt.datetime(2026, 12, 2, 23, 30, tzinfo=dt.UTC), tick=False):
            self.assertEqual(official_for(Role.KADIS), self.p["sekdis"])
            self.assertTrue(may_act_as(self.p["sekdis"], Role.KADIS))
        # 4 Dec 16:30 UTC is 5 Dec 00:30 WITA: it has ended.
        with time_machine.travel(dt.datetime(2026, 12, 4, 16, 30, tzinfo=dt.UTC), tick=False):
            self.assertEqual(official_for(Role.KADIS), self.p["kadis"])
            self.assertFalse(may_act_as(self.p["sekdis"], Role.KADIS))

    def test_revoked_appointment_no_longer_resolves(self):
        with on(dt.date(2026, 12, 3)):
            svc.appointment_revoke(user=self.p["admin"], appointment=self.a)
            self.assertEqual(official_for(Role.KADIS), self.p["kadis"])
