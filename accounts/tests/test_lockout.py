"""Login throttling (accounts.lockout on django-axes): brute force on one account and credential
stuffing from one address are locked out with an Indonesian page in the login's style; a success
forgives only one's own mistakes; the lock lifts after the cool-off; the address that counts cannot
be chosen by the client."""

import datetime as dt

import time_machine
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory, TestCase, override_settings
from django.utils import timezone

from accounts.tests.helpers import login_form, production_settings
from lontar.testing import build_world

OFFICE = "10.20.30.40"  # the office's NAT address
ELSEWHERE = "10.99.0.7"


def signed_in(response) -> bool:
    return response.status_code == 302 and SESSION_KEY in response.wsgi_request.session


@override_settings(AXES_ENABLED=True)
class LockoutTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def fail_login(self, username="kadis", *, ip=OFFICE, times=1, **extra):
        for _ in range(times):
            response = login_form(self.client, username, "salah-sekali-lagi", ip=ip, **extra)
        return response

    def test_five_wrong_passwords_lock_the_name_at_that_address(self):
        """Brute force: the fifth failure is answered with the lockout page, and then even the right
        password is refused from there."""
        r = self.fail_login(times=4)
        self.assertEqual(r.status_code, 200)  # the login form again, with its error
        r = self.fail_login()
        self.assertEqual(r.status_code, 429)
        r = login_form(self.client, "kadis")
        self.assertEqual(r.status_code, 429)
        self.assertNotIn(SESSION_KEY, self.client.session)
        page = r.content.decode()
        self.assertIn("Masuk dikunci sementara", page)
        self.assertIn("Terlalu banyak percobaan masuk yang gagal.", page)
        self.assertIn("15 menit", page)
        self.assertIn('class="login lontar-account', page)  # Wagtail's login frame
        self.assertIn('href="/admin/login/"', page)
        self.assertEqual(r["Retry-After"], "900")

    def test_the_same_name_from_another_address_still_signs_in(self):
        """Nobody can lock an official out by failing on their name from elsewhere."""
        self.fail_login(times=6, ip="203.0.113.9")
        self.assertTrue(signed_in(login_form(self.client, "kadis", ip=OFFICE)))

    def test_credential_stuffing_from_one_address_is_locked_across_names(self):
        """Thirty failures on thirty different names from one address lock that address for
        everyone; other addresses are unaffected."""
        names = [f"pegawai{i}" for i in range(28)] + ["kasi", "staf1"]
        for name in names[:-1]:
            self.assertEqual(self.fail_login(name).status_code, 200)
        self.assertEqual(self.fail_login(names[-1]).status_code, 429)
        self.assertEqual(login_form(self.client, "kabid", ip=OFFICE).status_code, 429)
        self.assertTrue(signed_in(login_form(self.client, "kabid", ip=ELSEWHERE)))

    def test_a_success_forgives_ones_own_failures_only(self):
        """Four typos then the right password: the count starts again. But a valid account signing
        in does not wipe the address's failures on other names (the stuffing limit)."""
        self.fail_login("kasi", times=4)
        self.assertTrue(signed_in(login_form(self.client, "kasi")))
        self.client.logout()
        self.assertFalse(AccessAttempt.objects.filter(username="kasi").exists())
        self.assertEqual(self.fail_login("kasi", times=4).status_code, 200)

        for i in range(25):
            self.fail_login(f"tebakan{i}")
        self.client.logout()
        # 4 (kasi) + 25 = 29 failures from the office: still open, and kabid signs in...
        self.assertTrue(signed_in(login_form(self.client, "kabid")))
        self.client.logout()
        # ...which leaves the other 29 in place: the thirtieth failure locks the address.
        self.assertEqual(self.fail_login("tebakan-lagi").status_code, 429)

    def test_the_lock_lifts_after_the_cool_off(self):
        self.fail_login(times=5)
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=14), tick=False):
            self.assertEqual(login_form(self.client, "kadis").status_code, 429)
        # The failure during the lock extended it by 15 minutes from then.
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=14 + 16), tick=False):
            self.assertTrue(signed_in(login_form(self.client, "kadis")))

    def test_a_forged_x_forwarded_for_does_not_escape_the_lock(self):
        """In development and tests the address is the TCP peer's; X-Forwarded-For is ignored."""
        for i in range(5):
            self.fail_login(HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        r = login_form(self.client, "kadis", HTTP_X_FORWARDED_FOR="198.51.100.77")
        self.assertEqual(r.status_code, 429)
        self.assertEqual(set(AccessAttempt.objects.values_list("ip_address", flat=True)), {OFFICE})

    def test_successful_logins_are_recorded_with_their_address(self):
        self.assertTrue(signed_in(login_form(self.client, "sekdis")))
        self.assertTrue(AccessLog.objects.filter(username="sekdis", ip_address=OFFICE).exists())

    def test_english_users_get_the_page_in_english(self):
        self.fail_login(times=5)
        r = login_form(self.client, "kadis", HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(r.status_code, 429)
        self.assertIn("Too many failed sign-in attempts.", r.content.decode())


class ClientAddressTest(TestCase):
    """Which address counts: the peer's here; behind nginx in production, the entry nginx appends
    to X-Forwarded-For (a client's own entries stand to its left)."""

    def address(self, **meta):
        return get_client_ip_address(RequestFactory().get("/admin/login/", **meta))

    def test_development_reads_the_peer_only(self):
        self.assertEqual(settings.AXES_IPWARE_META_PRECEDENCE_ORDER, ("REMOTE_ADDR",))
        self.assertEqual(self.address(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.1"), "10.0.0.5")

    def test_production_reads_the_entry_nginx_appended(self):
        prod = production_settings()
        names = [
            "AXES_IPWARE_META_PRECEDENCE_ORDER",
            "AXES_IPWARE_PROXY_ORDER",
            "AXES_IPWARE_PROXY_COUNT",
            "IPWARE_STRICT",
        ]
        with override_settings(**{name: getattr(prod, name) for name in names}):
            nginx = "127.0.0.1"
            # An honest phone on mobile data: nginx's X-Forwarded-For is just its address.
            self.assertEqual(self.address(REMOTE_ADDR=nginx, HTTP_X_FORWARDED_FOR="114.4.5.6"), "114.4.5.6")
            # A client sends its own X-Forwarded-For; nginx appends the real peer after it.
            forged = "203.0.113.66, 114.4.5.6"
            self.assertEqual(self.address(REMOTE_ADDR=nginx, HTTP_X_FORWARDED_FOR=forged), "114.4.5.6")
            forged = "1.1.1.1, 2.2.2.2, 10.20.30.40"
            self.assertEqual(self.address(REMOTE_ADDR=nginx, HTTP_X_FORWARDED_FOR=forged), "10.20.30.40")
            # A request that did not come through nginx: its peer.
            self.assertEqual(self.address(REMOTE_ADDR="10.0.0.9"), "10.0.0.9")
        # One load balancer in front of nginx: the entry before the balancer's.
        with override_settings(**{**{name: getattr(prod, name) for name in names}, "AXES_IPWARE_PROXY_COUNT": 1}):
            chain = "203.0.113.66, 114.4.5.6, 10.0.0.2"
            self.assertEqual(self.address(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=chain), "114.4.5.6")
