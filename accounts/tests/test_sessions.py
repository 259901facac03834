"""Sessions and cookies: the cookie flags in development and production; a new session key at
login (no fixation); logout ends the session on the server; a disabled account or a changed
password ends its sessions at once; a change of privileges ends the session; the admin signs out
after 30 idle minutes and after a working day, while the public site is unaffected."""

import datetime as dt

import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import TestCase, override_settings
from django.utils import timezone

from accounts.roles import GROUP_NAMES
from accounts.sessions import SEEN_KEY
from accounts.tests.helpers import login_form, logout_form, production_settings
from lontar.testing import PASSWORD, build_world
from sop.rules import Role

LOGIN = "/admin/login/"


class CookieSettingsTest(TestCase):
    def test_development(self):
        from lontar.settings import base

        self.assertEqual(base.SESSION_COOKIE_AGE, 9 * 3600)
        self.assertEqual((base.LONTAR_ADMIN_IDLE_MINUTES, base.LONTAR_SESSION_MAX_HOURS), (30, 9))
        self.assertTrue(base.LONTAR_REQUIRE_2FA)
        self.assertTrue(settings.SESSION_COOKIE_HTTPONLY)
        self.assertEqual(settings.SESSION_COOKIE_SAMESITE, "Lax")
        self.assertEqual(settings.CSRF_COOKIE_SAMESITE, "Lax")

    def test_production(self):
        prod = production_settings()
        self.assertTrue(prod.SESSION_COOKIE_SECURE)
        self.assertTrue(prod.CSRF_COOKIE_SECURE)
        self.assertTrue(prod.SESSION_COOKIE_HTTPONLY)
        self.assertEqual(prod.SESSION_COOKIE_SAMESITE, "Lax")
        self.assertEqual(prod.CSRF_COOKIE_NAME, "__Host-csrftoken")
        self.assertTrue(prod.SECURE_SSL_REDIRECT)
        self.assertGreaterEqual(prod.SECURE_HSTS_SECONDS, 31536000)
        self.assertTrue(prod.SECURE_HSTS_INCLUDE_SUBDOMAINS)
        self.assertTrue(prod.LONTAR_REQUIRE_2FA)
        self.assertEqual(prod.SESSION_COOKIE_AGE, 9 * 3600)
        self.assertEqual(prod.LONTAR_ADMIN_IDLE_MINUTES, 30)
        self.assertEqual(prod.LONTAR_SESSION_MAX_HOURS, 9)
        self.assertIn("axes", prod.INSTALLED_APPS)
        self.assertIn("accounts.middleware.AccountSecurityMiddleware", prod.MIDDLEWARE)
        self.assertEqual(prod.MIDDLEWARE[-1], "axes.middleware.AxesMiddleware")


class SessionTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def session_cookie(self):
        return self.client.cookies[settings.SESSION_COOKIE_NAME].value

    @override_settings(SESSION_COOKIE_AGE=9 * 3600)
    def test_the_session_cookie_is_httponly_and_samesite(self):
        r = login_form(self.client, "kasi")
        cookie = r.cookies[settings.SESSION_COOKIE_NAME]
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")
        self.assertEqual(cookie["max-age"], "")  # "remember me" off: gone when the browser closes
        r = self.client.post(LOGIN, {"username": "kabid", "password": PASSWORD, "remember": "on"})
        self.assertEqual(r.cookies[settings.SESSION_COOKIE_NAME]["max-age"], 9 * 3600)

    def test_login_gives_a_new_session_key(self):
        """Session fixation: a key planted before login (a shared computer, a forged cookie) is
        not the key of the signed-in session, and is no longer valid at all."""
        session = self.client.session
        session["ditanam"] = "oleh penyerang"
        session.save()
        planted = session.session_key
        login_form(self.client, "kadis")
        self.assertNotEqual(self.session_cookie(), planted)
        self.assertFalse(Session.objects.filter(session_key=planted).exists())
        attacker = self.client_class()
        attacker.cookies[settings.SESSION_COOKIE_NAME] = planted
        self.assertEqual(attacker.get("/admin/").status_code, 302)

    def test_logout_ends_the_session_on_the_server(self):
        login_form(self.client, "kabid")
        old = self.session_cookie()
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        r = logout_form(self.client)
        self.assertEqual(r["Location"], LOGIN)
        self.assertFalse(Session.objects.filter(session_key=old).exists())
        replay = self.client_class()
        replay.cookies[settings.SESSION_COOKIE_NAME] = old
        r = replay.get("/admin/")
        self.assertEqual(r.status_code, 302)
        self.assertTrue(r["Location"].startswith(LOGIN))

    def test_a_disabled_account_loses_its_sessions_at_once(self):
        staf = self.people["staf"]
        login_form(self.client, "staf1")
        self.assertEqual(self.client.get("/admin/meja/").status_code, 200)
        staf.is_active = False
        staf.save()
        r = self.client.get("/admin/meja/")
        self.assertEqual(r.status_code, 302)
        self.assertTrue(r["Location"].startswith(LOGIN))

    def test_a_changed_password_ends_the_sessions_made_with_the_old_one(self):
        """Django's session auth hash: a session cookie someone kept stops working when the
        owner's password changes (e.g. reset by the administrator)."""
        sekdis = self.people["sekdis"]
        login_form(self.client, "sekdis")
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        sekdis.set_password("pohon kelapa di halaman")
        sekdis.save()
        self.assertEqual(self.client.get("/admin/").status_code, 302)


class PrivilegeChangeTest(TestCase):
    """A session established with some privileges does not silently carry new ones: the person
    signs in again (password, and a code where the new role requires it)."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def assertSignedOut(self, response, message="Hak akses akun Anda baru saja diubah"):
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(LOGIN))
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertContains(self.client.get(response["Location"]), message)

    def test_joining_a_group_ends_the_session(self):
        kasi = self.people["kasi"]
        login_form(self.client, "kasi")
        old = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        kasi.groups.add(Group.objects.get(name=GROUP_NAMES[Role.KABID]))
        self.assertSignedOut(self.client.get("/admin/meja/"))
        self.assertFalse(Session.objects.filter(session_key=old).exists())

    def test_leaving_a_group_ends_the_session(self):
        kabid = self.people["kabid"]
        login_form(self.client, "kabid")
        kabid.groups.remove(Group.objects.get(name=GROUP_NAMES[Role.KABID]))
        self.assertSignedOut(self.client.get("/admin/"))

    def test_becoming_a_superuser_ends_the_session(self):
        staf = self.people["staf"]
        login_form(self.client, "staf1")
        staf.is_superuser = True
        staf.save()
        self.assertSignedOut(self.client.get("/admin/"))

    @override_settings(LONTAR_REQUIRE_2FA=True)
    def test_after_a_promotion_the_new_role_requires_its_code(self):
        kasi = self.people["kasi"]
        login_form(self.client, "kasi")
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        kasi.groups.add(Group.objects.get(name=GROUP_NAMES[Role.KADIS]))
        self.assertSignedOut(self.client.get("/admin/"))
        login_form(self.client, "kasi")
        self.assertEqual(self.client.get("/admin/")["Location"].split("?")[0], "/admin/dua-langkah/pasang/")

    def test_other_changes_to_the_account_do_not(self):
        kasi = self.people["kasi"]
        login_form(self.client, "kasi")
        kasi.first_name = "Ni Made Ayu"
        kasi.email = "ayu@tabanankab.go.id"
        kasi.save()
        self.assertEqual(self.client.get("/admin/").status_code, 200)


@override_settings(LONTAR_ADMIN_IDLE_MINUTES=30, LONTAR_SESSION_MAX_HOURS=9, SESSION_COOKIE_AGE=9 * 3600)
class TimeoutTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def at(self, minutes):
        return time_machine.travel(self.start + dt.timedelta(minutes=minutes), tick=False)

    def setUp(self):
        self.start = timezone.now()
        with self.at(0):
            login_form(self.client, "kabid")

    def test_thirty_idle_minutes_sign_the_admin_out(self):
        with self.at(29):
            self.assertEqual(self.client.get("/admin/meja/").status_code, 200)
        with self.at(29 + 29):
            self.assertEqual(self.client.get("/admin/").status_code, 200)
        with self.at(29 + 29 + 31):
            r = self.client.get("/admin/meja/")
            self.assertEqual(r["Location"], LOGIN + "?next=%2Fadmin%2Fmeja%2F")
            self.assertNotIn(SESSION_KEY, self.client.session)
            page = self.client.get(r["Location"]).content.decode()
        self.assertIn("Anda keluar otomatis karena tidak ada kegiatan selama 30 menit", page)

    def test_the_public_site_neither_counts_nor_ends_the_admin_session(self):
        with self.at(20):
            self.assertEqual(self.client.get("/").status_code, 200)
        with self.at(45):
            r = self.client.get("/")
            self.assertEqual(r.status_code, 200)
            self.assertTrue(r.wsgi_request.user.is_authenticated)
            # ...but reading the public site did not keep the admin open.
            self.assertEqual(self.client.get("/admin/").status_code, 302)

    def test_the_editors_background_ping_is_not_activity(self):
        # Whatever the ping answers, it must not move the activity time.
        ping = "/admin/editing-sessions/ping/wagtailcore/page/1/0/"
        with self.at(20):
            self.client.post(ping)
        with self.at(35):
            self.assertEqual(self.client.get("/admin/").status_code, 302)

    def test_activity_is_written_at_most_once_a_minute(self):
        with self.at(5):
            self.client.get("/admin/")
        seen = self.client.session[SEEN_KEY]
        with self.at(5.5):
            self.client.get("/admin/")
        self.assertEqual(self.client.session[SEEN_KEY], seen)
        with self.at(6.1):
            self.client.get("/admin/")
        self.assertGreater(self.client.session[SEEN_KEY], seen)

    def test_a_working_day_at_most_however_busy(self):
        for minutes in range(20, 9 * 60, 20):
            with self.at(minutes):
                self.assertEqual(self.client.get("/admin/").status_code, 200, minutes)
        with self.at(9 * 60 + 1):
            r = self.client.get("/admin/")
            self.assertTrue(r["Location"].startswith(LOGIN))
            page = self.client.get(r["Location"]).content.decode()
        self.assertIn("Sesi Anda sudah berlangsung lebih dari 9 jam", page)
