"""What a Staf may save on a potensi: coordinates inside Tabanan, a usable phone number and web
address; with messages in Indonesian that say how to put it right."""

import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from desk.tests import sop_driver as D
from desk.tests.helpers import client_for, text_of
from lontar.testing import build_world
from potensi.jsonld import json_for_script
from potensi.models import PotensiPage, validate_latitude, validate_longitude, validate_phone
from potensi.tests.utils import KIND


def messages(error: ValidationError) -> dict[str, list[str]]:
    return {field: [str(m) for m in msgs] for field, msgs in error.message_dict.items()}


class CoordinateValidationTest(TestCase):  # building a page reads its content type (cached only after a query)
    def test_points_in_tabanan_pass(self):
        for lat, lon in [("-8.6212", "115.0868"), ("-8.3703", "115.1317"), ("-8.75", "114.9"), ("-8.2", "115.3")]:
            validate_latitude(Decimal(lat))
            validate_longitude(Decimal(lon))

    def test_a_latitude_outside_tabanan_is_refused_with_a_message_that_says_how_to_fix_it(self):
        for value in ("8.6212", "-8.19", "-8.76", "0", "-90"):
            with self.subTest(value=value), self.assertRaises(ValidationError) as caught:
                validate_latitude(Decimal(value))
            self.assertEqual(
                caught.exception.messages,
                [
                    f"Lintang {value} berada di luar wilayah Kabupaten Tabanan. Isi angka antara -8.75 dan -8.2 "
                    "(lintang selatan bernilai negatif), misalnya -8.6212 untuk Tanah Lot."
                ],
            )

    def test_a_longitude_outside_tabanan_is_refused(self):
        validate_longitude(Decimal("115.2625"))  # the eastern border: still inside
        with self.assertRaises(ValidationError) as caught:
            validate_longitude(Decimal("115.35"))  # Denpasar, further east
        self.assertEqual(
            caught.exception.messages,
            [
                "Bujur 115.35 berada di luar wilayah Kabupaten Tabanan. Isi angka antara 114.9 dan 115.3, "
                "misalnya 115.0868 untuk Tanah Lot."
            ],
        )

    def test_swapped_or_half_given_coordinates_are_refused(self):
        swapped = PotensiPage(title="x", latitude=Decimal("115.0868"), longitude=Decimal("-8.6212"))
        with self.assertRaises(ValidationError) as caught:
            swapped.clean()
        self.assertEqual(
            messages(caught.exception),
            {"latitude": ["Lintang dan bujur tampaknya tertukar: lintang Tabanan sekitar -8.5, bujur sekitar 115.1."]},
        )
        for page, field in [
            (PotensiPage(title="x", latitude=Decimal("-8.6")), "longitude"),
            (PotensiPage(title="x", longitude=Decimal("115.1")), "latitude"),
        ]:
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                page.clean()
            self.assertEqual(
                messages(caught.exception), {field: ["Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."]}
            )
        PotensiPage(title="x").clean()  # no location at all is fine while writing


class ContactValidationTest(TestCase):  # building a page reads its content type (cached only after a query)
    def test_phone_numbers(self):
        for ok in ("(0361) 811047", "+62 812 3456 7890", "0812-3456-7890", "0361.811047"):
            validate_phone(ok)
        for bad in ("12345", "telepon kantor", "0361 811047 ext 2", "+62 812 3456 7890 1234 5678", "++62 812 345"):
            with self.subTest(phone=bad), self.assertRaises(ValidationError) as caught:
                validate_phone(bad)
            self.assertIn("Nomor telepon tidak valid.", caught.exception.messages[0])

    def test_website_must_be_http_or_https_and_email_must_be_an_address(self):
        page = PotensiPage(title="x")
        website = PotensiPage._meta.get_field("contact_website")
        for url in ("javascript:alert(1)", "ftp://tabanankab.go.id/", "tabanankab.go.id", "https://"):
            with self.subTest(url=url), self.assertRaises(ValidationError) as caught:
                website.clean(url, page)
            self.assertEqual(
                caught.exception.messages, ["Masukkan alamat situs web lengkap yang diawali http:// atau https://."]
            )
        for url in ("https://www.tabanankab.go.id/wisata", "http://desa-jatiluwih.id"):
            website.clean(url, page)
        with self.assertRaises(ValidationError):
            PotensiPage._meta.get_field("contact_email").clean("bukan-email", page)

    def test_links_for_phone_and_map(self):
        page = PotensiPage(
            contact_phone="(0361) 811047", latitude=Decimal("-8.621200"), longitude=Decimal("115.086800")
        )
        self.assertEqual(page.phone_href, "tel:+62361811047")
        self.assertEqual(PotensiPage(contact_phone="+62 812-3456-7890").phone_href, "tel:+6281234567890")
        self.assertEqual(PotensiPage(contact_phone="").phone_href, "")
        self.assertEqual(
            page.map_url, "https://www.openstreetmap.org/?mlat=-8.6212&mlon=115.0868#map=16/-8.6212/115.0868"
        )
        # Whole degrees stay plain decimals, never 1.15E+2.
        self.assertEqual(
            PotensiPage(latitude=Decimal("-8.500000"), longitude=Decimal("115.000000")).coordinates, ("-8.5", "115")
        )
        self.assertEqual(PotensiPage().map_url, "")


class JsonForScriptTest(SimpleTestCase):
    def test_text_that_could_end_the_script_element_is_escaped_and_the_json_still_reads_back(self):
        data = {"name": "</script><script>alert('x')</script> & <!-- \u2028", "n": -8.6}
        text = json_for_script(data)
        for raw in ("<", ">", "&", "\u2028"):
            self.assertNotIn(raw, text)
        self.assertEqual(json.loads(text), data)
        self.assertIn("Pura", json_for_script({"name": "Pura"}))  # non-ASCII stays readable (ensure_ascii off)
        self.assertIn("Désa", json_for_script({"name": "Désa"}))


class EditorValidationTest(TestCase):
    """The Staf writing a potensi in Wagtail's editor is told, in Indonesian, what is wrong."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def form(self, page, **fields):
        data = {
            "title": page.title,
            "slug": page.slug,
            "sektor": "pariwisata",
            "summary": "",
            "body": rich_text("<p>Uraian.</p>"),
            "images": inline_formset([]),
            "comments": inline_formset([]),
            "kecamatan": "kediri",
            "desa": "Beraban",
            "latitude": "",
            "longitude": "",
            "contact_name": "",
            "contact_phone": "",
            "contact_email": "",
            "contact_website": "",
            "perangkat_daerah": "",
        }
        data.update(fields)
        return nested_form_data(data)

    def test_coordinates_outside_tabanan_are_refused_in_the_editor(self):
        liputan = D.start_item(self.people, topic="Tanah Lot", kind=KIND)
        page = D.draft(liputan)
        client = client_for(self.people["staf"])
        url = f"/admin/pages/{page.pk}/edit/"
        r = client.post(url, self.form(page, latitude="8.6212", longitude="115.0868"))
        self.assertEqual(r.status_code, 200)  # the form again, with the error
        self.assertIn(
            "Lintang 8.6212 berada di luar wilayah Kabupaten Tabanan. Isi angka antara -8.75 dan -8.2",
            text_of(r),
        )
        page.refresh_from_db()
        self.assertIsNone(page.specific.latitude)

        r = client.post(
            url, self.form(page, latitude="-8.6212", longitude="115.0868", contact_website="tabanankab.go.id")
        )
        self.assertRedirects(r, url, fetch_redirect_response=False)
        page.refresh_from_db()
        latest = page.get_latest_revision_as_object()
        self.assertEqual((latest.latitude, latest.longitude), (Decimal("-8.6212"), Decimal("115.0868")))
        # A web address without its scheme is taken as https.
        self.assertEqual(latest.contact_website, "https://tabanankab.go.id")

    def test_saving_a_draft_outside_the_editor_checks_the_same_rules(self):
        liputan = D.start_item(self.people, topic="Jatiluwih", kind=KIND)
        with self.assertRaises(ValidationError) as caught:
            D.draft(liputan, latitude=Decimal("-8.37"), longitude=Decimal("151.13"))
        self.assertIn(
            "Bujur 151.13 berada di luar wilayah Kabupaten Tabanan.", caught.exception.message_dict["longitude"][0]
        )
