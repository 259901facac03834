"""Officials read and answer requests in the Wagtail admin. Only the group "PPID" (and superusers)
see them; the SOP's Kasi, Staf and the others do not. Nobody adds or deletes a request there."""

import datetime as dt

import time_machine
from django.contrib.auth.models import Group
from django.test import TestCase

from desk.tests.helpers import client_for, text_of
from lontar.testing import build_world, make_user
from ppid.models import PermohonanInformasi
from ppid.services import PPID_GROUP, permohonan_create, ppid_group_sync
from ppid.tests.utils import VALID, WITA

LIST = "/admin/ppid/permohonan/"


def request_on(when: dt.datetime, **changes) -> PermohonanInformasi:
    data = {k: v for k, v in {**VALID, **changes}.items() if k != "situs_web"}
    data["telepon"] = "081239876543"
    with time_machine.travel(when, tick=False):
        return permohonan_create(**data)


class PpidGroupTest(TestCase):
    def test_the_group_gets_view_change_and_admin_access_and_is_idempotent(self):
        group = ppid_group_sync()
        again = ppid_group_sync()
        self.assertEqual(group.pk, again.pk)
        self.assertEqual(Group.objects.filter(name=PPID_GROUP).count(), 1)
        self.assertEqual(
            sorted(group.permissions.values_list("content_type__app_label", "codename")),
            [("ppid", "change_permohonaninformasi"), ("ppid", "view_permohonaninformasi"),
             ("wagtailadmin", "access_admin")],
        )


class AdminListTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        ppid_group_sync()
        cls.petugas = make_user("petugas_ppid", first_name="Ni Wayan", last_name="Petugas")
        cls.petugas.groups.add(Group.objects.get(name=PPID_GROUP))
        # Received Monday 2 November 2026: due Monday 16 November, long past on 25 November.
        cls.overdue = request_on(dt.datetime(2026, 11, 2, 9, 0, tzinfo=WITA), nama="Pemohon Terlambat")
        cls.answered = request_on(dt.datetime(2026, 11, 3, 9, 0, tzinfo=WITA), nama="Pemohon Selesai")
        PermohonanInformasi.objects.filter(pk=cls.answered.pk).update(status=PermohonanInformasi.Status.SELESAI)
        cls.fresh = request_on(dt.datetime(2026, 11, 24, 9, 0, tzinfo=WITA), nama="Pemohon Baru")

    def today(self):
        return time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=WITA), tick=False)

    def test_the_ppid_group_sees_the_list_with_overdue_requests_marked(self):
        with self.today():
            r = client_for(self.petugas).get(LIST)
        self.assertEqual(r.status_code, 200)
        text = text_of(r)
        for p in (self.overdue, self.answered, self.fresh):
            self.assertIn(p.nomor, text)
            self.assertIn(p.nama, text)
        for header in ("Nomor registrasi", "Nama", "Diterima pada", "Batas waktu jawaban", "Status"):
            self.assertIn(header, text)
        self.assertIn("16 November 2026", text)
        # Only the open request past its deadline is marked (the answered one is not).
        self.assertEqual(text.count('<span class="w-status w-status--primary">Lewat batas waktu</span>'), 1)
        rows = {p.nomor: next(row for row in text.split("<tr") if p.nomor in row)
                for p in (self.overdue, self.answered, self.fresh)}
        self.assertIn("Lewat batas waktu", rows[self.overdue.nomor])
        # The listing carries no personal data beyond the name.
        for value in (VALID["nik"], "081239876543", VALID["email"], "Gang Cempaka"):
            self.assertNotIn(value, text)
        # The menu offers it.
        self.assertIn("Permohonan informasi", text_of(client_for(self.petugas).get("/admin/")))

    def test_the_list_filters_overdue_requests_and_sorts_by_deadline(self):
        client = client_for(self.petugas)
        with self.today():
            overdue = text_of(client.get(LIST, {"terlambat": "true"}))
            on_time = text_of(client.get(LIST, {"terlambat": "false"}))
            by_deadline = text_of(client.get(LIST, {"ordering": "deadline"}))
            by_status = text_of(client.get(LIST, {"status": "selesai"}))
        self.assertIn(self.overdue.nomor, overdue)
        self.assertNotIn(self.fresh.nomor, overdue)
        self.assertNotIn(self.answered.nomor, overdue)
        self.assertNotIn(self.overdue.nomor, on_time)
        self.assertIn(self.fresh.nomor, on_time)
        self.assertIn(self.answered.nomor, on_time)
        self.assertLess(by_deadline.index(self.overdue.nomor), by_deadline.index(self.fresh.nomor))
        self.assertIn(self.answered.nomor, by_status)
        self.assertNotIn(self.fresh.nomor, by_status)

    def test_the_ppid_group_reads_a_request_and_changes_its_status(self):
        client = client_for(self.petugas)
        r = client.get(f"{LIST}inspect/{self.fresh.pk}/")
        self.assertEqual(r.status_code, 200)
        text = text_of(r)
        for value in (self.fresh.nomor, VALID["nik"], "081239876543", VALID["email"], "Gang Cempaka", VALID["rincian"]):
            self.assertIn(value, text)
        r = client.post(f"{LIST}edit/{self.fresh.pk}/", {"status": "diproses", "catatan": "Diteruskan ke Distan."})
        self.assertEqual(r.status_code, 302)
        self.fresh.refresh_from_db()
        self.assertEqual(self.fresh.status, PermohonanInformasi.Status.DIPROSES)
        self.assertEqual(self.fresh.catatan, "Diteruskan ke Distan.")
        # The handling changes, never the request, its number or its deadline.
        self.assertEqual(self.fresh.nik, VALID["nik"])

    def test_kasi_staf_and_other_officials_cannot_see_requests(self):
        for key in ("kasi", "staf", "staf2", "kabid", "sekdis", "kadis"):
            with self.subTest(role=key):
                client = client_for(self.people[key])
                for url in (LIST, f"{LIST}inspect/{self.fresh.pk}/", f"{LIST}edit/{self.fresh.pk}/"):
                    r = client.get(url)
                    self.assertIn(r.status_code, (302, 403), url)
                    if r.status_code == 302:
                        self.assertFalse(r["Location"].startswith(LIST))
                    self.assertNotIn(self.fresh.nomor, r.content.decode())
                self.assertNotIn("Permohonan informasi", text_of(client.get("/admin/")))
                r = client.post(f"{LIST}edit/{self.fresh.pk}/", {"status": "ditolak", "catatan": ""})
                self.assertIn(r.status_code, (302, 403))
        self.fresh.refresh_from_db()
        self.assertEqual(self.fresh.status, PermohonanInformasi.Status.BARU)

    def test_anonymous_visitors_are_sent_to_the_login(self):
        r = self.client.get(LIST)
        self.assertEqual(r.status_code, 302)
        self.assertIn("/admin/login/", r["Location"])

    def test_superusers_see_requests_but_nobody_adds_or_deletes_them(self):
        admin = client_for(self.people["admin"])
        self.assertEqual(admin.get(LIST).status_code, 200)
        for client in (admin, client_for(self.petugas)):
            for url in (f"{LIST}new/", f"{LIST}delete/{self.fresh.pk}/"):
                with self.subTest(url=url):
                    r = client.get(url)
                    self.assertIn(r.status_code, (302, 403))
            r = client.post(f"{LIST}delete/{self.fresh.pk}/")
            self.assertIn(r.status_code, (302, 403))
        self.assertTrue(PermohonanInformasi.objects.filter(pk=self.fresh.pk).exists())
        self.assertNotIn(f'href="{LIST}new/"', admin.get(LIST).content.decode())
