"""Two-factor authentication (accounts.two_factor, accounts.middleware): required for Kabid, Sekdis,
Kadis (and their Plt/Plh) and site administrators, optional for others; enrolment with a QR code
and recovery codes shown once; the code step after the password, throttled and single-use; the
person's own page; an administrator's reset, written to the audit log."""

import datetime as dt
import re

import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry, PageViewRestriction, Site

from accounts import two_factor
from accounts.models import ActingAppointment
from accounts.roles import wita_today
from accounts.testing import enrol_device, force_login_verified, totp_code
from accounts.tests.helpers import login_form, logout_form
from lontar.testing import build_world, make_user
from sop.rules import Role

ENROL = "/admin/dua-langkah/pasang/"
VERIFY = "/admin/dua-langkah/verifikasi/"
MANAGE = "/admin/dua-langkah/"
CODES = "/admin/dua-langkah/kode-cadangan/"


def secret_on_page(response) -> str:
    """The base32 secret printed for manual entry, back to django-otp's hex."""
    from base64 import b32decode

    text = re.search(r'id="kunci-rahasia">([A-Z2-7 ]+)<', response.content.decode()).group(1).replace(" ", "")
    return b32decode(text + "=" * (-len(text) % 8)).hex()


def wrong_code(key_hex: str) -> str:
    valid = {totp_code(key_hex, steps_ahead=s) for s in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


@override_settings(LONTAR_REQUIRE_2FA=True)
class TwoFactorTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def sign_in(self, who, client=None, **kwargs):
        client = client or self.client
        response = login_form(client, self.people[who].username, **kwargs)
        self.assertEqual(response.status_code, 302, "the password step")
        return response

    def assertRedirectsTo(self, response, path):
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"].split("?")[0], path)


class RequirementTest(TwoFactorTestCase):
    def test_who_must_use_it(self):
        p = self.people
        for who in ("kabid", "sekdis", "kadis", "admin"):
            self.assertTrue(two_factor.two_factor_required(p[who]), who)
        for who in ("kasi", "staf", "staf2"):
            self.assertFalse(two_factor.two_factor_required(p[who]), who)
        group_admin = make_user("admin2")
        group_admin.groups.add(p["admin"].groups.get())
        self.assertTrue(two_factor.two_factor_required(group_admin))

    def test_a_plt_of_an_official_must_use_it_on_the_days_of_the_appointment(self):
        p = self.people
        appointment = ActingAppointment.objects.create(
            role=Role.KADIS.value,
            absent=p["kadis"],
            acting=p["kasi"],
            start_date=wita_today(),
            end_date=wita_today(),
            created_by=p["admin"],
        )
        self.assertTrue(two_factor.two_factor_required(p["kasi"]))
        appointment.start_date = appointment.end_date = wita_today() + dt.timedelta(days=3)
        appointment.save()
        self.assertFalse(two_factor.two_factor_required(p["kasi"]))


class EnrolmentTest(TwoFactorTestCase):
    def test_an_official_without_a_device_can_open_nothing_but_the_enrolment(self):
        r = self.sign_in("kabid")
        self.assertEqual(r["Location"], "/admin/")
        for path in ["/admin/", "/admin/meja/", "/admin/pages/", MANAGE, "/admin/users/", "/admin/plt-plh/"]:
            with self.subTest(path=path):
                r = self.client.get(path)
                self.assertRedirectsTo(r, ENROL)
                self.assertIn("next=" + path.replace("/", "%2F"), r["Location"])
        r = self.client.post(reverse("desk:act", args=[1]), {"action": "forward"})
        self.assertRedirectsTo(r, ENROL)
        self.assertEqual(self.client.get(ENROL).status_code, 200)
        # Signing out is always possible.
        self.assertRedirectsTo(logout_form(self.client), "/admin/login/")
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_the_enrolment_page_is_made_for_a_phone_and_never_cached(self):
        self.sign_in("kabid")
        r = self.client.get(ENROL)
        page = r.content.decode()
        self.assertIn("<svg", page)
        self.assertIn("Jabatan Anda wajib memakai verifikasi dua langkah.", page)
        self.assertRegex(page, r'id="kunci-rahasia">([A-Z2-7]{4} ){7}[A-Z2-7]{4}<')
        self.assertIn('inputmode="numeric"', page)
        self.assertIn('autocomplete="one-time-code"', page)
        self.assertIn("no-store", r["Cache-Control"])
        # The same secret until it is confirmed: a reload does not invalidate a scanned QR code.
        self.assertEqual(secret_on_page(self.client.get(ENROL)), secret_on_page(r))
        self.assertNotIn(secret_on_page(r), page)  # only the base32 form is shown, never the hex

    def test_a_wrong_code_is_refused_and_nothing_is_created(self):
        self.sign_in("kabid")
        key = secret_on_page(self.client.get(ENROL))
        r = self.client.post(ENROL, {"code": wrong_code(key)})
        self.assertEqual(r.status_code, 400)
        self.assertIn("Kode tidak cocok", r.content.decode())
        self.assertFalse(TOTPDevice.objects.filter(user=self.people["kabid"]).exists())
        self.assertRedirectsTo(self.client.get("/admin/"), ENROL)

    def test_the_right_code_turns_it_on_and_the_recovery_codes_are_shown_once(self):
        kabid = self.people["kabid"]
        self.sign_in("kabid")
        key = secret_on_page(self.client.get(ENROL + "?next=/admin/meja/"))
        before = self.client.session.session_key
        r = self.client.post(ENROL, {"code": totp_code(key), "next": "/admin/meja/"})
        self.assertRedirectsTo(r, CODES)
        self.assertIn("next=%2Fadmin%2Fmeja%2F", r["Location"])
        self.assertNotEqual(self.client.session.session_key, before)
        device = TOTPDevice.objects.get(user=kabid)
        self.assertTrue(device.confirmed)
        self.assertEqual(device.key, key)
        self.assertEqual(StaticToken.objects.filter(device__user=kabid).count(), 10)
        self.assertTrue(ModelLogEntry.objects.filter(action="lontar.account.2fa_enrol", user=kabid).exists())

        page = self.client.get(r["Location"]).content.decode()
        shown = re.findall(r"<code>([a-z2-7]{5}-[a-z2-7]{5})</code>", page)
        self.assertEqual(len(shown), 10)
        stored = set(StaticToken.objects.filter(device__user=kabid).values_list("token", flat=True))
        self.assertEqual({c.replace("-", "") for c in shown}, stored)
        self.assertIn('href="/admin/meja/"', page)
        again = self.client.get(CODES).content.decode()
        self.assertEqual(re.findall(r"<code>", again), [])
        self.assertIn("hanya ditampilkan sekali", again)
        self.assertEqual(self.client.get("/admin/meja/").status_code, 200)

    def test_an_optional_user_is_not_pushed_but_may_turn_it_on(self):
        self.sign_in("kasi")
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        page = self.client.get(MANAGE).content.decode()
        self.assertIn("Belum aktif", page)
        self.assertNotIn("Wajib untuk jabatan Anda", page)
        key = secret_on_page(self.client.get(ENROL))
        self.assertRedirectsTo(self.client.post(ENROL, {"code": totp_code(key)}), CODES)
        self.assertTrue(TOTPDevice.objects.filter(user=self.people["kasi"], confirmed=True).exists())
        # From now on the Kasi's sign-ins ask for the code too.
        logout_form(self.client)
        self.sign_in("kasi")
        self.assertRedirectsTo(self.client.get("/admin/"), VERIFY)

    def test_a_second_enrolment_is_not_possible_while_a_device_is_active(self):
        force_login_verified(self.client, self.people["kadis"])
        self.assertRedirectsTo(self.client.get(ENROL), MANAGE)


class VerificationTest(TwoFactorTestCase):
    def setUp(self):
        self.kadis = self.people["kadis"]
        self.device = enrol_device(self.kadis)
        self.codes = two_factor._replace_recovery_codes(self.kadis)

    def test_a_password_alone_opens_nothing(self):
        """Not the admin, and outside the admin the session counts as anonymous: a page for
        signed-in readers only asks for a login."""
        home = Site.objects.get(is_default_site=True).root_page
        PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
        self.sign_in("kadis")
        for path in ["/admin/", "/admin/meja/", "/admin/reports/site-history/", MANAGE, ENROL]:
            with self.subTest(path=path):
                self.assertRedirectsTo(self.client.get(path), VERIFY)
        self.assertIn("/_util/login/", self.client.get("/")["Location"])
        self.client.post(VERIFY, {"code": totp_code(self.device.key)})
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_the_code_from_the_app_opens_the_admin_with_a_new_session_key(self):
        self.sign_in("kadis", next_url="/admin/meja/")
        r = self.client.get("/admin/meja/")
        self.assertEqual(r["Location"], VERIFY + "?next=%2Fadmin%2Fmeja%2F")
        page = self.client.get(r["Location"])
        self.assertContains(page, 'inputmode="numeric"')
        self.assertContains(page, 'autocomplete="one-time-code"')
        self.assertContains(page, "Pakai kode cadangan")
        before = self.client.session.session_key
        r = self.client.post(VERIFY, {"code": totp_code(self.device.key), "next": "/admin/meja/"})
        self.assertEqual(r["Location"], "/admin/meja/")
        self.assertNotEqual(self.client.session.session_key, before)
        self.assertEqual(self.client.get("/admin/meja/").status_code, 200)

    def test_wrong_codes_are_refused_and_slow_the_next_try(self):
        self.sign_in("kadis")
        r = self.client.post(VERIFY, {"code": wrong_code(self.device.key)})
        self.assertEqual(r.status_code, 400)
        self.assertIn("Kode salah atau sudah kedaluwarsa", r.content.decode())
        # At once after a failure even the right code is not tried: django-otp's back-off.
        r = self.client.post(VERIFY, {"code": totp_code(self.device.key)})
        self.assertEqual(r.status_code, 400)
        self.assertIn("Terlalu banyak kode yang salah. Tunggu", r.content.decode())
        self.assertRedirectsTo(self.client.get("/admin/"), VERIFY)
        with time_machine.travel(timezone.now() + dt.timedelta(seconds=3), tick=False):
            r = self.client.post(VERIFY, {"code": totp_code(self.device.key)})
        self.assertEqual(r["Location"], "/admin/")

    def test_the_back_off_doubles_with_each_wrong_code(self):
        self.sign_in("kadis")
        start = timezone.now()
        for i in range(6):
            with time_machine.travel(start + dt.timedelta(seconds=100 * i), tick=False):
                self.client.post(VERIFY, {"code": wrong_code(self.device.key)})
        self.device.refresh_from_db()
        self.assertEqual(self.device.throttling_failure_count, 6)
        allowed, data = self.device.verify_is_allowed()
        self.assertFalse(allowed)
        self.assertEqual(data["locked_until"] - self.device.throttling_failure_timestamp, dt.timedelta(seconds=32))

    def test_a_code_is_accepted_only_once(self):
        """A code seen over someone's shoulder (or replayed) does not open a second session."""
        code = totp_code(self.device.key)
        self.sign_in("kadis")
        self.assertEqual(self.client.post(VERIFY, {"code": code})["Location"], "/admin/")
        other = self.client_class()
        self.sign_in("kadis", client=other)
        r = other.post(VERIFY, {"code": code})
        self.assertEqual(r.status_code, 400)
        self.assertRedirectsTo(other.get("/admin/"), VERIFY)

    def test_a_recovery_code_opens_the_admin_once(self):
        code = two_factor.format_code(self.codes[3]).upper()  # as typed from paper
        self.sign_in("kadis")
        r = self.client.post(VERIFY, {"metode": "cadangan", "code": code}, follow=True)
        self.assertEqual(r.redirect_chain[0][0], "/admin/")
        self.assertContains(r, "sisa 9 kode")
        self.assertEqual(two_factor.recovery_codes_left(self.kadis), 9)
        other = self.client_class()
        self.sign_in("kadis", client=other)
        r = other.post(VERIFY, {"metode": "cadangan", "code": code})
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "Kode salah", status_code=400)

    def test_with_the_requirement_off_a_device_still_asks_for_its_code(self):
        kasi = self.people["kasi"]
        device = enrol_device(kasi)
        with self.settings(LONTAR_REQUIRE_2FA=False):
            self.sign_in("kasi")
            self.assertRedirectsTo(self.client.get("/admin/"), VERIFY)
            self.client.post(VERIFY, {"code": totp_code(device.key)})
            self.assertEqual(self.client.get("/admin/").status_code, 200)
            # and an official without one is let through (the test settings' default)
            other = self.client_class()
            self.sign_in("kabid", client=other)
            self.assertEqual(other.get("/admin/").status_code, 200)

    def test_the_verify_page_of_a_session_that_needs_none_goes_on(self):
        force_login_verified(self.client, self.kadis)
        self.assertEqual(self.client.get(VERIFY + "?next=/admin/meja/")["Location"], "/admin/meja/")


class ManageTest(TwoFactorTestCase):
    def test_the_account_page_links_to_it(self):
        self.client.force_login(self.people["kasi"])
        self.assertContains(self.client.get(reverse("wagtailadmin_account")), f'href="{MANAGE}"')

    def test_turning_it_off_needs_a_current_code(self):
        kasi = self.people["kasi"]
        device = force_login_verified(self.client, kasi)
        page = self.client.get(MANAGE)
        self.assertContains(page, "Aktif")
        r = self.client.post(reverse("two_factor:remove"), {"code": wrong_code(device.key)})
        self.assertEqual(r.status_code, 400)
        self.assertTrue(TOTPDevice.objects.filter(user=kasi).exists())
        with time_machine.travel(timezone.now() + dt.timedelta(seconds=3), tick=False):
            r = self.client.post(reverse("two_factor:remove"), {"code": totp_code(device.key, steps_ahead=1)})
        self.assertRedirectsTo(r, MANAGE)
        self.assertFalse(TOTPDevice.objects.filter(user=kasi).exists())
        self.assertFalse(StaticDevice.objects.filter(user=kasi).exists())
        self.assertTrue(ModelLogEntry.objects.filter(action="lontar.account.2fa_remove", user=kasi).exists())
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_an_official_who_turns_it_off_must_set_it_up_again_at_once(self):
        """Changing phones: off with the old phone's code, then straight to the new phone."""
        device = force_login_verified(self.client, self.people["kabid"])
        r = self.client.post(reverse("two_factor:remove"), {"code": totp_code(device.key, steps_ahead=1)})
        self.assertRedirectsTo(r, ENROL)
        self.assertRedirectsTo(self.client.get("/admin/meja/"), ENROL)

    def test_new_recovery_codes_replace_the_old_ones(self):
        sekdis = self.people["sekdis"]
        device = force_login_verified(self.client, sekdis)
        old = two_factor._replace_recovery_codes(sekdis)
        r = self.client.post(reverse("two_factor:regenerate"), {"code": "12345"})
        self.assertEqual(r.status_code, 400)
        r = self.client.post(reverse("two_factor:regenerate"), {"code": totp_code(device.key, steps_ahead=1)})
        self.assertRedirectsTo(r, CODES)
        shown = re.findall(r"<code>([a-z2-7-]{11})</code>", self.client.get(r["Location"]).content.decode())
        self.assertEqual(len(shown), 10)
        self.assertFalse(StaticToken.objects.filter(token__in=old).exists())
        with self.assertRaises(two_factor.CodeRefused):
            two_factor.check_code(user=sekdis, code=old[0], recovery=True)


class ResetTest(TwoFactorTestCase):
    def setUp(self):
        self.kabid = self.people["kabid"]
        self.kabid_device = enrol_device(self.kabid)
        two_factor._replace_recovery_codes(self.kabid)

    def test_only_a_site_administrator_resets(self):
        force_login_verified(self.client, self.people["kadis"])
        url = reverse("two_factor:reset", args=[self.kabid.pk])
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.assertTrue(TOTPDevice.objects.filter(user=self.kabid).exists())

    def test_an_administrator_resets_a_lost_phone_and_the_audit_log_says_who(self):
        # The Kabid's own session, verified earlier on the lost phone.
        kabid_client = self.client_class()
        force_login_verified(kabid_client, self.kabid)
        self.assertEqual(kabid_client.get("/admin/").status_code, 200)

        admin = self.people["admin"]
        force_login_verified(self.client, admin)
        self.assertContains(
            self.client.get(reverse("wagtailusers_users:index")), f"/admin/dua-langkah/atur-ulang/{self.kabid.pk}/"
        )
        url = reverse("two_factor:reset", args=[self.kabid.pk])
        self.assertContains(self.client.get(url), "Atur ulang")
        r = self.client.post(url)
        self.assertRedirectsTo(r, reverse("wagtailusers_users:index"))
        self.assertFalse(TOTPDevice.objects.filter(user=self.kabid).exists())
        self.assertFalse(StaticDevice.objects.filter(user=self.kabid).exists())
        entry = ModelLogEntry.objects.get(action="lontar.account.2fa_reset")
        self.assertEqual((entry.user, entry.object_id), (admin, str(self.kabid.pk)))
        self.assertEqual(
            entry.data, {"username": "kabid", "authenticator_apps_removed": 1, "recovery_codes_removed": 10}
        )
        # The Kabid's old session lost its verification at once: set it up again.
        self.assertRedirectsTo(kabid_client.get("/admin/"), ENROL)

    def test_an_administrator_cannot_reset_their_own(self):
        admin = self.people["admin"]
        force_login_verified(self.client, admin)
        self.assertEqual(self.client.post(reverse("two_factor:reset", args=[admin.pk])).status_code, 403)
        self.assertTrue(TOTPDevice.objects.filter(user=admin).exists())
