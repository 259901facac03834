"""Safe redirects: no ``next=`` (or Referer) sends anyone off the site, whatever its spelling, at
the admin's sign-in and sign-out, the two-factor steps and the language switch."""

import re
from urllib.parse import urlsplit

from django.test import TestCase, override_settings

from accounts.redirects import safe_next
from accounts.testing import enrol_device, totp_code
from accounts.tests.helpers import login_form
from lontar.testing import build_world

HOST = "testserver"
OFFSITE = [
    "https://evil.example",
    "http://evil.example/admin/",
    "//evil.example",
    "///evil.example",
    "////evil.example/admin/",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https:evil.example",
    "http:/evil.example",
    "https:/\\evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    "\n//evil.example",
    " //evil.example",
    "//evil%2Eexample",
    "http://testserver@evil.example",
    "http://evil.example\\@testserver",
    "https://testserver.evil.example/",
    "//testserver.evil.example",
    "ftp://evil.example",
    "\x00//evil.example",
]
# Percent-encoded once more than a browser decodes: a path segment, not a host, if let through.
ENCODED = ["%2F%2Fevil.example", "/%2F%2Fevil.example", "%5C%5Cevil.example", "%2F%5Cevil.example", "evil.example"]


def stays_on_site(location: str) -> bool:
    """Whether a browser following ``location`` stays on this site: browsers drop tabs and line
    breaks, trim leading spaces and control characters, and read backslashes as slashes."""
    seen = re.sub(r"[\t\n\r]", "", location).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x1f ")
    seen = seen.replace("\\", "/")
    parts = urlsplit(seen)
    if parts.scheme not in ("", "http", "https"):
        return False
    if seen.startswith("//"):
        return False
    if parts.scheme:
        # "https:evil.example" is https://evil.example to a browser on an http page.
        return parts.netloc == HOST
    return parts.netloc == ""


class SafeNextTest(TestCase):
    """The helper the two-factor views use."""

    def test_offsite_values_fall_back_to_the_dashboard(self):
        from django.test import RequestFactory

        for value in OFFSITE + ENCODED:
            with self.subTest(next=value):
                request = RequestFactory().get("/admin/dua-langkah/verifikasi/", {"next": value})
                if value.startswith("/%"):
                    self.assertEqual(safe_next(request), value)  # a path of this site (a 404)
                else:
                    self.assertEqual(safe_next(request), "/admin/")

    def test_a_path_on_the_site_is_kept(self):
        from django.test import RequestFactory

        for value in ["/admin/meja/", "/admin/pages/3/edit/?tab=content", "http://testserver/admin/meja/"]:
            with self.subTest(next=value):
                self.assertEqual(safe_next(RequestFactory().get("/", {"next": value})), value)


class RedirectEndpointsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def assertStaysOnSite(self, response, value):
        self.assertIn(response.status_code, (301, 302), value)
        self.assertTrue(stays_on_site(response["Location"]), f"{value!r} -> {response['Location']!r}")

    def test_the_checker_itself_sees_the_escapes(self):
        for value in OFFSITE:
            with self.subTest(value=value):
                self.assertFalse(stays_on_site(value))
        self.assertTrue(stays_on_site("/admin/meja/"))

    def test_admin_login(self):
        for value in OFFSITE + ENCODED:
            with self.subTest(next=value):
                client = self.client_class()
                self.assertStaysOnSite(login_form(client, "kasi", next_url=value), value)
                # Already signed in, the login page sends on to ``next`` too.
                self.assertStaysOnSite(client.get("/admin/login/", {"next": value}), value)

    def test_admin_logout(self):
        for value in OFFSITE + ENCODED:
            with self.subTest(next=value):
                client = self.client_class()
                client.force_login(self.people["kasi"])
                self.assertStaysOnSite(client.post("/admin/logout/", {"next": value}), value)
                client.force_login(self.people["kasi"])
                self.assertStaysOnSite(client.post(f"/admin/logout/?next={value}"), value)

    def test_language_switch(self):
        for value in OFFSITE + ENCODED:
            with self.subTest(next=value):
                self.assertStaysOnSite(self.client.post("/i18n/setlang/", {"language": "en", "next": value}), value)
                self.assertStaysOnSite(
                    self.client.post("/i18n/setlang/", {"language": "id"}, HTTP_REFERER=value), value
                )

    @override_settings(LONTAR_REQUIRE_2FA=True)
    def test_two_factor_code_step(self):
        device = enrol_device(self.people["kadis"])
        for value in OFFSITE + ENCODED:
            with self.subTest(next=value):
                client = self.client_class()
                login_form(client, "kadis", next_url=value)
                r = client.post(
                    "/admin/dua-langkah/verifikasi/", {"code": totp_code(device.key, steps_ahead=1), "next": value}
                )
                self.assertStaysOnSite(r, value)
                # The page of a session with nothing to verify sends on to ``next`` too.
                self.assertStaysOnSite(client.get("/admin/dua-langkah/verifikasi/", {"next": value}), value)
                device.refresh_from_db()
                device.last_t = -1  # let the next round's session use a code again
                device.save()

    @override_settings(LONTAR_REQUIRE_2FA=True)
    def test_two_factor_enrolment(self):
        """The recovery-codes page links on to ``next``: it must be a path of this site."""
        import re as _re
        from base64 import b32decode

        for value in OFFSITE[:8]:
            with self.subTest(next=value):
                client = self.client_class()
                login_form(client, "kabid")
                page = client.get("/admin/dua-langkah/pasang/", {"next": value}).content.decode()
                text = _re.search(r'id="kunci-rahasia">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
                key = b32decode(text + "=" * (-len(text) % 8)).hex()
                r = client.post("/admin/dua-langkah/pasang/", {"code": totp_code(key), "next": value})
                self.assertStaysOnSite(r, value)
                codes_page = client.get(r["Location"]).content.decode()
                link = _re.search(r'<a class="button lontar-account__button" href="([^"]*)"', codes_page).group(1)
                self.assertEqual(link, "/admin/")
                from django_otp.plugins.otp_totp.models import TOTPDevice

                TOTPDevice.objects.filter(user=self.people["kabid"]).delete()
