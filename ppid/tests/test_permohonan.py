"""The public request form at /ppid/permohonan/ (Perki 1/2021): what it stores, what it refuses,
and that the requester's personal data never appears on a public page."""

import datetime as dt
import re

import time_machine
from django.core.cache import cache
from django.test import Client, TestCase, override_settings

from desk.tests.helpers import text_of
from lontar.testing import build_world
from ppid.models import KategoriInformasi, PermohonanInformasi
from ppid.tests.utils import PERSONAL, START, VALID, WITA, publish_informasi

URL = "/ppid/permohonan/"
FRIDAY = dt.datetime(2026, 12, 18, 10, 15, tzinfo=WITA)


def post(client, **changes):
    return client.post(URL, {**VALID, **changes})


class PermohonanTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def setUp(self):
        cache.clear()  # the rate limit counts in the cache

    def test_the_form_shows_every_field_of_perki_1_2021(self):
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "ppid/permohonan_form.html")
        text = text_of(r)
        for label in ("Nama lengkap", "NIK (Nomor Induk Kependudukan)", "Alamat", "Pekerjaan", "Nomor telepon/HP",
                      "Alamat email", "Rincian informasi yang dibutuhkan", "Tujuan penggunaan informasi",
                      "Cara memperoleh informasi", "Cara mendapatkan salinan informasi",
                      "Melihat/membaca/mendengarkan/mencatat", "Mendapatkan salinan informasi",
                      "Mengambil langsung", "Pos", "Dikirim melalui email", "10 hari kerja"):
            self.assertIn(label, text)
        self.assertIn('name="csrfmiddlewaretoken"', text)
        # The honeypot is present, hidden from people and out of the tab order.
        self.assertIn('<div class="ppid-hp" aria-hidden="true">', text)
        self.assertRegex(text, r'<input type="text" name="situs_web"[^>]*tabindex="-1"')

    def test_a_valid_request_is_stored_with_its_number_and_deadline(self):
        with time_machine.travel(FRIDAY, tick=False):
            r = post(self.client)
        self.assertEqual(PermohonanInformasi.objects.count(), 1)
        p = PermohonanInformasi.objects.get()
        self.assertEqual(p.nomor, "PPID/2026/12/000001")
        # Friday 18 December 2026: ten working days skip two weekends, Natal (25 Dec), Tahun Baru
        # (1 Jan) and Isra Mikraj (5 Jan): Wednesday 6 January 2027.
        self.assertEqual(p.deadline, dt.date(2027, 1, 6))
        self.assertEqual(p.created_at, FRIDAY)
        self.assertEqual(p.status, PermohonanInformasi.Status.BARU)
        # Stored as typed, separators removed from the numbers.
        self.assertEqual(p.nik, "5102014506900003")
        self.assertEqual(p.telepon, "081239876543")
        self.assertEqual(p.email, VALID["email"])
        self.assertEqual((p.cara_memperoleh, p.cara_mendapatkan_salinan), ("salinan", "email"))

        # Post/redirect/get to the receipt at an unguessable address.
        self.assertEqual(r.status_code, 302)
        self.assertEqual(r["Location"], f"/ppid/permohonan/tanda-terima/{p.token}/")
        receipt = self.client.get(r["Location"])
        self.assertEqual(receipt.status_code, 200)
        self.assertIn("no-store", receipt["Cache-Control"])
        text = text_of(receipt)
        self.assertIn("PPID/2026/12/000001", text)
        self.assertIn("Rabu, 6 Januari 2027", text)
        self.assertIn('datetime="2027-01-06"', text)
        self.assertIn(VALID["rincian"], text)
        self.assertIn('<meta name="robots" content="noindex">', text)

    def test_numbers_are_unique_and_run_per_year(self):
        with time_machine.travel(FRIDAY, tick=False):
            post(self.client)
            post(self.client, nama="Pemohon Kedua")
        with time_machine.travel(dt.datetime(2026, 12, 31, 23, 50, tzinfo=WITA), tick=False):
            post(self.client, nama="Pemohon Ketiga")
        # 1 January 2027 00:10 WITA is still 31 December in UTC: the WITA year counts.
        with time_machine.travel(dt.datetime(2027, 1, 1, 0, 10, tzinfo=WITA), tick=False):
            post(self.client, nama="Pemohon Keempat")
        numbers = list(PermohonanInformasi.objects.order_by("id").values_list("nomor", flat=True))
        self.assertEqual(
            numbers, ["PPID/2026/12/000001", "PPID/2026/12/000002", "PPID/2026/12/000003", "PPID/2027/01/000001"]
        )
        self.assertEqual(len(set(PermohonanInformasi.objects.values_list("token", flat=True))), 4)

    def test_the_deadline_follows_the_wita_date_of_receipt(self):
        # 23:30 UTC on Thursday 17 December is 07:30 WITA on Friday 18 December.
        with time_machine.travel(dt.datetime(2026, 12, 17, 23, 30, tzinfo=dt.UTC), tick=False):
            post(self.client)
        self.assertEqual(PermohonanInformasi.objects.get().deadline, dt.date(2027, 1, 6))

    def test_invalid_nik_gives_a_clear_message_and_stores_nothing(self):
        for nik in ("12345", "51020145069000031", "5102O14506900003", "abcdefghijklmnop", ""):
            with self.subTest(nik=nik):
                r = post(self.client, nik=nik)
                self.assertEqual(r.status_code, 200)
                message = "NIK wajib diisi." if nik == "" else "NIK harus terdiri atas 16 angka."
                self.assertIn(message, text_of(r))
                self.assertIn("Permohonan belum dapat dikirim. Periksa isian berikut:", text_of(r))
        self.assertEqual(PermohonanInformasi.objects.count(), 0)
        # Spaces and dots between the groups of digits are fine.
        post(self.client, nik="5102 0145 0690 0003")
        self.assertEqual(PermohonanInformasi.objects.get().nik, "5102014506900003")

    def test_invalid_email_and_phone_give_clear_messages(self):
        r = post(self.client, email="bukan-email")
        self.assertIn("Alamat email tidak valid.", text_of(r))
        r = post(self.client, telepon="12345")
        self.assertIn("Nomor telepon tidak valid. Tulis nomor Indonesia, misalnya 081234567890.", text_of(r))
        r = post(self.client, email="")  # a copy by e-mail needs an address
        self.assertIn("Email wajib diisi bila salinan dikirim melalui email.", text_of(r))
        r = post(self.client, cara_mendapatkan_salinan="")
        self.assertIn("Pilih cara mendapatkan salinan informasi.", text_of(r))
        r = post(self.client, cara_memperoleh="dibawa-pulang")
        self.assertIn("Pilih cara memperoleh informasi.", text_of(r))
        self.assertEqual(PermohonanInformasi.objects.count(), 0)

    def test_an_empty_form_names_every_missing_field(self):
        r = self.client.post(URL, {"situs_web": ""})
        self.assertEqual(r.status_code, 200)
        text = text_of(r)
        for message in ("Nama wajib diisi.", "NIK wajib diisi.", "Alamat wajib diisi.", "Pekerjaan wajib diisi.",
                        "Nomor telepon wajib diisi.", "Rincian informasi yang dibutuhkan wajib diisi.",
                        "Tujuan penggunaan informasi wajib diisi.", "Pilih cara memperoleh informasi."):
            self.assertIn(message, text)
        # Blanks are blanks.
        r = post(self.client, nama="   ", rincian="\n\n")
        self.assertIn("Nama wajib diisi.", text_of(r))
        self.assertIn("Rincian informasi yang dibutuhkan wajib diisi.", text_of(r))
        self.assertEqual(PermohonanInformasi.objects.count(), 0)

    def test_reading_on_site_needs_neither_a_copy_method_nor_an_email(self):
        post(self.client, cara_memperoleh="melihat", cara_mendapatkan_salinan="pos", email="")
        p = PermohonanInformasi.objects.get()
        self.assertEqual((p.cara_memperoleh, p.cara_mendapatkan_salinan, p.email), ("melihat", "", ""))

    def test_a_filled_honeypot_is_refused_with_400_and_stores_nothing(self):
        r = post(self.client, situs_web="http://spam.example")
        self.assertEqual(r.status_code, 400)
        self.assertIn("Permohonan tidak dapat diproses.", text_of(r))
        self.assertNotIn("situs_web", text_of(r))
        self.assertEqual(PermohonanInformasi.objects.count(), 0)

    def test_csrf_is_required(self):
        client = Client(enforce_csrf_checks=True)
        r = client.post(URL, VALID)
        self.assertEqual(r.status_code, 403)
        self.assertEqual(PermohonanInformasi.objects.count(), 0)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(URL).content.decode()).group(1)
        r = client.post(URL, {**VALID, "csrfmiddlewaretoken": token})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(PermohonanInformasi.objects.count(), 1)

    def test_other_methods_are_not_allowed(self):
        self.assertEqual(self.client.put(URL).status_code, 405)

    def test_an_unknown_receipt_is_404(self):
        self.assertEqual(self.client.get("/ppid/permohonan/tanda-terima/00000000-0000-0000-0000-000000000000/").status_code, 404)
        self.assertEqual(self.client.get("/ppid/permohonan/tanda-terima/1/").status_code, 404)


@override_settings(PPID_PERMOHONAN_RATE=(5, 3600))
class RateLimitTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def setUp(self):
        cache.clear()

    def test_the_sixth_request_within_an_hour_gets_429(self):
        with time_machine.travel(FRIDAY, tick=False):
            for n in range(5):
                self.assertEqual(post(self.client, nama=f"Pemohon {n}").status_code, 302)
            r = post(self.client, nama="Pemohon keenam")
        self.assertEqual(r.status_code, 429)
        self.assertIn("Terlalu banyak permohonan dari alamat Anda dalam satu jam terakhir.", text_of(r))
        self.assertEqual(PermohonanInformasi.objects.count(), 5)
        self.assertFalse(PermohonanInformasi.objects.filter(nama="Pemohon keenam").exists())

        # Another address has its own count; a forged X-Forwarded-For does not change the address.
        with time_machine.travel(FRIDAY, tick=False):
            self.assertEqual(post(self.client, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code, 429)
            other = self.client.post(URL, VALID, REMOTE_ADDR="10.0.0.2")
            self.assertEqual(other.status_code, 302)
        # An hour later the first address may send again.
        with time_machine.travel(FRIDAY + dt.timedelta(minutes=61), tick=False):
            self.assertEqual(post(self.client).status_code, 302)
        self.assertEqual(PermohonanInformasi.objects.count(), 7)

    def test_mistyped_forms_do_not_use_up_the_limit_but_honeypot_hits_do(self):
        with time_machine.travel(FRIDAY, tick=False):
            for _ in range(8):
                self.assertEqual(post(self.client, nik="123").status_code, 200)
            for _ in range(4):
                self.assertEqual(post(self.client, situs_web="spam").status_code, 400)
            self.assertEqual(post(self.client).status_code, 302)
            self.assertEqual(post(self.client).status_code, 429)
        self.assertEqual(PermohonanInformasi.objects.count(), 1)

    def test_viewing_the_form_is_never_limited(self):
        with time_machine.travel(FRIDAY, tick=False):
            for _ in range(6):
                post(self.client)
            self.assertEqual(self.client.get(URL).status_code, 200)


class PersonalDataTest(TestCase):
    """NIK, telephone, e-mail, address (and the requester's name and purpose) appear on no public
    page: not the DIP, not an entry, not the form, not the receipt."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.entry = publish_informasi(
            cls.people, topic="Daftar penerima bantuan bibit", when=START,
            kategori=KategoriInformasi.BERKALA, ringkasan="Penerima bantuan per subak.",
        )

    def setUp(self):
        cache.clear()

    def test_personal_data_is_absent_from_every_public_page(self):
        with time_machine.travel(FRIDAY, tick=False):
            r = post(self.client)
        receipt_url = r["Location"]
        visitor = Client()  # a stranger, and the requester herself, see the same public pages
        urls = ["/", "/berita/", "/ppid/", "/ppid/?kategori=berkala", URL, self.entry.url, receipt_url]
        for client in (visitor, self.client):
            for url in urls:
                with self.subTest(url=url):
                    response = client.get(url)
                    self.assertEqual(response.status_code, 200)
                    html = response.content.decode()
                    for value in PERSONAL:
                        self.assertNotIn(value, html)
        # The receipt shows the number, the deadline and the request itself.
        text = text_of(visitor.get(receipt_url))
        p = PermohonanInformasi.objects.get()
        self.assertIn(p.nomor, text)
        self.assertIn(VALID["rincian"], text)
