"""The public's information requests (PPID permohonan): flooding the form, guessing receipts,
officials outside PPID reading applicants' personal data, script in the form's fields, fields
added to the form."""

import datetime as dt
import uuid

import time_machine
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client, TestCase, override_settings

from desk.tests.helpers import client_for, text_of
from desk.tests.sop_driver import make_no_role_user
from lontar.testing import build_world, make_user
from ppid.models import PermohonanInformasi
from ppid.services import PPID_GROUP, ppid_group_sync
from ppid.tests.utils import PERSONAL, VALID, WITA
from tests.security.support import MARK, assert_inert, unchanged

URL = "/ppid/permohonan/"
LIST = "/admin/ppid/permohonan/"
NOW = dt.datetime(2026, 12, 18, 10, 15, tzinfo=WITA)


def one_digit_off(token: uuid.UUID) -> str:
    """The token with its last digit changed (a "0" put in its place was the token itself for
    one token in sixteen: the guess answered 200 and the test failed by chance)."""
    text = str(token)
    return text[:-1] + ("1" if text[-1] == "0" else "0")


def submit(client, **changes):
    return client.post(URL, {**VALID, **changes})


class PpidTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        p["tamu"] = make_no_role_user()
        ppid_group_sync()
        p["ppid"] = make_user("petugas_ppid", first_name="Ni Wayan", last_name="Petugas")
        p["ppid"].groups.add(Group.objects.get(name=PPID_GROUP))
        cache.clear()  # the rate limit counts in the cache, which outlives the previous class
        with time_machine.travel(NOW, tick=False):
            response = submit(Client())
        cls.receipt = response["Location"]
        cls.request = PermohonanInformasi.objects.get()

    def setUp(self):
        cache.clear()


@override_settings(PPID_PERMOHONAN_RATE=(5, 3600))
class FloodTest(PpidTestCase):
    def test_the_sixth_request_in_an_hour_is_refused_with_429(self):
        client = Client()
        with time_machine.travel(NOW, tick=False):
            for n in range(5):
                self.assertEqual(submit(client, nama=f"Pemohon {n}").status_code, 302)
            with unchanged(self):
                response = submit(client, nama="Pemohon keenam")
                self.assertEqual(response.status_code, 429)
                self.assertIn("Terlalu banyak permohonan dari alamat Anda dalam satu jam terakhir.", text_of(response))
                # A forged X-Forwarded-For or X-Real-IP is not another client.
                for header in ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_CLIENT_IP"):
                    self.assertEqual(submit(client, **{header: f"10.9.9.{len(header)}"}).status_code, 429)

    def test_a_flood_of_honeypot_hits_stores_nothing(self):
        client = Client()
        with time_machine.travel(NOW, tick=False), unchanged(self):
            for _ in range(3):
                response = submit(client, situs_web="http://spam.example")
                self.assertEqual(response.status_code, 400)
                self.assertIn("Permohonan tidak dapat diproses.", text_of(response))


class ReceiptGuessingTest(PpidTestCase):
    def test_the_near_miss_guess_is_never_the_token_itself(self):
        for token in (uuid.UUID(int=0), uuid.UUID(int=1), uuid.UUID(int=15), self.request.token):
            with self.subTest(token=token):
                guess = one_digit_off(token)
                self.assertNotEqual(guess, str(token))
                self.assertEqual(guess[:-1], str(token)[:-1])

    def test_guessed_receipt_addresses_are_404(self):
        guesses = [
            f"{URL}tanda-terima/{uuid.uuid4()}/",
            f"{URL}tanda-terima/{self.request.pk}/",
            f"{URL}tanda-terima/{self.request.nomor}/",
            f"{URL}tanda-terima/{one_digit_off(self.request.token)}/",
            f"{URL}tanda-terima/{str(self.request.token).upper()}/",
            f"{URL}tanda-terima/../../admin/",
            f"{URL}tanda-terima/%2e%2e%2f/",
            f"{URL}{self.request.pk}/",
        ]
        for url in guesses:
            with self.subTest(url=url):
                response = Client().get(url)
                self.assertIn(response.status_code, (301, 404))
                for value in PERSONAL:
                    self.assertNotIn(value, response.content.decode())

    def test_the_receipt_itself_shows_no_personal_data_and_is_not_cached(self):
        response = Client().get(self.receipt)
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn(self.request.nomor, text_of(response))
        for value in PERSONAL:
            self.assertNotIn(value, response.content.decode())


class PersonalDataAccessTest(PpidTestCase):
    def admin_urls(self):
        pk = self.request.pk
        return [
            LIST,
            f"{LIST}?q={VALID['nik']}",
            f"{LIST}inspect/{pk}/",
            f"{LIST}edit/{pk}/",
            f"{LIST}history/{pk}/",
            f"{LIST}usage/{pk}/",
            f"{LIST}delete/{pk}/",
            f"{LIST}new/",
        ]

    def test_officials_outside_ppid_cannot_read_or_change_requests(self):
        for who in ("kasi", "staf", "staf2", "kabid", "sekdis", "kadis", "tamu"):
            client = client_for(self.people[who])
            for url in self.admin_urls():
                with self.subTest(who=who, url=url), unchanged(self):
                    response = client.get(url)
                    self.assertIn(response.status_code, (302, 403, 404))
                    if response.status_code == 302:
                        self.assertFalse(response["Location"].startswith(LIST))
                    for value in PERSONAL:
                        self.assertNotIn(value, response.content.decode())
            with self.subTest(who=who, action="edit"), unchanged(self):
                response = client.post(f"{LIST}edit/{self.request.pk}/", {"status": "ditolak", "catatan": "x"})
                self.assertIn(response.status_code, (302, 403))
                response = client.post(f"{LIST}delete/{self.request.pk}/")
                self.assertIn(response.status_code, (302, 403, 404))

    def test_personal_data_is_not_found_by_the_admins_other_searches(self):
        for who in ("kasi", "admin"):
            client = client_for(self.people[who])
            for url in ("/admin/pages/search/", "/admin/documents/", "/admin/users/", "/admin/reports/site-history/"):
                with self.subTest(who=who, url=url):
                    response = client.get(url, {"q": VALID["nik"]})
                    self.assertIn(response.status_code, (200, 302))
                    self.assertNotIn(VALID["nama"], response.content.decode())

    def test_personal_data_is_on_no_public_page(self):
        visitor = Client()
        for url in (
            "/",
            "/ppid/",
            URL,
            "/sitemap.xml",
            "/feed/berita.rss",
            "/data/data.json",
            f"/cari/?q={VALID['nama']}",
            f"/cari/?q={VALID['nik']}",
            "/tidak-ada/",
        ):
            with self.subTest(url=url):
                response = visitor.get(url)
                body = response.content.decode()
                if url.startswith("/cari/"):
                    self.assertIn("Tidak ada hasil", body)
                    continue
                for value in PERSONAL:
                    self.assertNotIn(value, body)

    def test_the_ppid_officer_may_read_them(self):
        response = client_for(self.people["ppid"]).get(f"{LIST}inspect/{self.request.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertIn(VALID["nik"], text_of(response))


class HostileFormTest(PpidTestCase):
    def test_script_in_the_form_reaches_the_officers_screens_as_text(self):
        hostile = {
            "nama": f"<script>alert('{MARK}nama')</script>",
            "alamat": f"\"><img src=x onerror=alert('{MARK}alamat')>",
            "pekerjaan": f"<svg onload=alert('{MARK}kerja')>",
            "rincian": f"<a href=\"javascript:alert('{MARK}rincian')\">x</a> data bibit",
            "tujuan": f"</textarea><script>alert('{MARK}tujuan')</script>",
        }
        with time_machine.travel(NOW, tick=False):
            response = submit(Client(), **hostile)
        self.assertEqual(response.status_code, 302)
        assert_inert(self, Client().get(response["Location"]).content.decode(), "receipt")
        stored = PermohonanInformasi.objects.get(nama=hostile["nama"])
        officer = client_for(self.people["ppid"])
        for url in (
            LIST,
            f"{LIST}?q=script",
            f"{LIST}inspect/{stored.pk}/",
            f"{LIST}edit/{stored.pk}/",
            f"{LIST}history/{stored.pk}/",
        ):
            with self.subTest(url=url):
                response = officer.get(url)
                self.assertEqual(response.status_code, 200)
                assert_inert(self, response.content.decode(), url)

    def test_fields_added_to_the_public_form_are_ignored(self):
        forged = {
            "status": "selesai",
            "catatan": "Disetujui",
            "nomor": "PPID/1999/01/000001",
            "token": "00000000-0000-0000-0000-000000000000",
            "deadline": "2099-01-01",
            "created_at": "2000-01-01 00:00",
            "id": "1",
            "pk": "1",
        }
        with time_machine.travel(NOW, tick=False):
            response = submit(Client(), nama="Pemohon Kedua", **forged)
        self.assertEqual(response.status_code, 302)
        stored = PermohonanInformasi.objects.get(nama="Pemohon Kedua")
        self.assertEqual((stored.status, stored.catatan), ("baru", ""))
        self.assertEqual(stored.nomor, "PPID/2026/12/000002")
        self.assertNotEqual(str(stored.token), forged["token"])
        self.assertEqual(stored.created_at, NOW)
        self.assertNotEqual(stored.deadline, dt.date(2099, 1, 1))
        # The first request was not overwritten through "id".
        self.request.refresh_from_db()
        self.assertEqual(self.request.nama, VALID["nama"])

    def test_fields_added_to_the_officers_form_are_ignored(self):
        response = client_for(self.people["ppid"]).post(
            f"{LIST}edit/{self.request.pk}/",
            {
                "status": "diproses",
                "catatan": "Diteruskan.",
                "nik": "0000000000000000",
                "nama": "Diganti",
                "nomor": "X",
                "token": str(uuid.uuid4()),
                "deadline": "2099-01-01",
                "email": "lain@contoh.id",
            },
        )
        self.assertEqual(response.status_code, 302)
        stored = PermohonanInformasi.objects.get(pk=self.request.pk)
        self.assertEqual((stored.status, stored.catatan), ("diproses", "Diteruskan."))
        self.assertEqual(
            (stored.nik, stored.nama, stored.nomor, stored.token, stored.deadline, stored.email),
            (
                self.request.nik,
                self.request.nama,
                self.request.nomor,
                self.request.token,
                self.request.deadline,
                self.request.email,
            ),
        )
