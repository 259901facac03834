"""English on the public site: Bahasa Indonesia unless the visitor asks for English, through the
language switch in the header (Django's set_language, a cookie) or the browser's Accept-Language."""

import re

from django.conf import settings
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from wagtail.users.models import UserProfile

from desk.tests.helpers import client_for, text_of
from lontar.testing import build_world
from ppid.tests.utils import VALID

PERMOHONAN = "/ppid/permohonan/"


def switch_form(response) -> str:
    return re.search(r'<form class="lang-switch".*?</form>', response.content.decode(), re.DOTALL).group(0)


class LanguageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def setUp(self):
        cache.clear()  # the permohonan rate limit counts in the cache

    def in_english(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def test_without_a_preference_the_site_speaks_indonesian(self):
        r = self.client.get("/")
        text = text_of(r)
        self.assertIn('<html lang="id">', text)
        self.assertIn("Langsung ke isi", text)
        self.assertIn('<a href="/berita/">Berita</a>', text)
        self.assertIn("Navigasi utama", text)
        self.assertNotIn("Skip to content", text)
        # The switch offers English, named in English.
        self.assertIn('<button type="submit" name="language" value="en" lang="en">English</button>', switch_form(r))

    def test_the_language_cookie_turns_the_home_page_english(self):
        self.in_english()
        r = self.client.get("/")
        text = text_of(r)
        self.assertIn('<html lang="en">', text)
        self.assertIn("Skip to content", text)
        self.assertIn('<a href="/berita/">News</a>', text)
        self.assertIn('<a href="/pengumuman/">Announcements</a>', text)
        self.assertIn('aria-label="Main navigation"', text)
        self.assertNotIn("Langsung ke isi", text)
        form = switch_form(r)
        self.assertIn('value="id" lang="id">Bahasa Indonesia</button>', form)
        self.assertNotIn('value="en"', form)

    def test_accept_language_english_is_honoured(self):
        r = self.client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
        text = text_of(r)
        self.assertIn('<html lang="en">', text)
        self.assertIn("Skip to content", text)

    def test_the_permohonan_form_labels_and_errors_follow_the_language(self):
        r = self.client.get(PERMOHONAN)
        self.assertIn("Nama lengkap", text_of(r))
        self.in_english()
        r = self.client.get(PERMOHONAN)
        text = text_of(r)
        for label in ("Full name", "NIK (national identity number)", "Telephone/mobile number",
                      "Details of the information requested", "How to obtain the information",
                      "Collect in person", "Send request", "Public information request"):  # fmt: skip
            self.assertIn(label, text)
        self.assertNotIn("Nama lengkap", text)
        # Error messages too, including the ones built from the field's name.
        r = self.client.post(PERMOHONAN, {**VALID, "nama": "", "nik": "123"})
        self.assertEqual(r.status_code, 200)
        text = text_of(r)
        self.assertIn("Name is required.", text)
        self.assertIn("The NIK must consist of 16 digits.", text)
        self.assertNotIn("wajib diisi", text)

    def test_the_switch_posts_to_set_language_and_returns_to_the_same_page(self):
        r = self.client.get("/ppid/permohonan/?kategori=berkala")
        form = switch_form(r)
        self.assertIn(f'action="{reverse("set_language")}" method="post"', form)
        # No token: public pages set no cookie and are the same for every reader (cacheable).
        self.assertNotIn("csrfmiddlewaretoken", form)
        # Back to the same page, by its path: the query string is visitor input and is never echoed.
        self.assertIn('<input type="hidden" name="next" value="/ppid/permohonan/">', form)
        self.assertNotIn("berkala", form)

        r = self.client.post(reverse("set_language"), {"language": "en", "next": "/ppid/permohonan/"})
        self.assertRedirects(r, "/ppid/permohonan/", fetch_redirect_response=False)
        self.assertEqual(r.cookies[settings.LANGUAGE_COOKIE_NAME].value, "en")
        self.assertIn("Skip to content", text_of(self.client.get("/ppid/permohonan/")))

        # And back: the next page is Indonesian again.
        self.client.post(reverse("set_language"), {"language": "id", "next": "/"})
        self.assertIn("Langsung ke isi", text_of(self.client.get("/")))

    def test_public_pages_set_no_cookie_and_the_switch_works_without_one(self):
        from django.test import Client

        browser = Client(enforce_csrf_checks=True)
        for url in ("/", "/berita/", "/profil/kontak/"):
            with self.subTest(url=url):
                self.assertEqual(dict(browser.get(url).cookies), {})
        r = browser.post(reverse("set_language"), {"language": "en", "next": "/"})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(r.cookies[settings.LANGUAGE_COOKIE_NAME].value, "en")

    def test_set_language_refuses_to_redirect_off_the_site(self):
        r = self.client.post(reverse("set_language"), {"language": "en", "next": "https://phishing.example/"})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(r["Location"], "/")

    def test_the_admin_keeps_indonesian_and_an_editors_own_language_choice(self):
        # Wagtail's admin follows the active language unless the user chose one in their profile;
        # without a cookie that is Indonesian, with Wagtail's own Indonesian strings.
        client = client_for(self.people["admin"])
        text = client.get("/admin/pages/").content.decode()
        self.assertIn('<html lang="id"', text)
        self.assertIn("Halaman", text)
        # An editor who set Bahasa Indonesia in their Wagtail profile keeps it on a browser in English.
        profile = UserProfile.get_for_user(self.people["admin"])
        profile.preferred_language = "id"
        profile.save()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        text = client.get("/admin/pages/").content.decode()
        self.assertIn('<html lang="id"', text)
