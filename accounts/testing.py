"""Helpers for tests that run with two-factor authentication on (``LONTAR_REQUIRE_2FA``).

The test settings switch the requirement off, so the suite's ``force_login`` of officials keeps
working. A test that turns it on signs people in with ``force_login_verified``: a TOTP device for
the person and a session that has passed the code step, as after a real sign-in."""

import time
from binascii import unhexlify

from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor


def enrol_device(user) -> TOTPDevice:
    device = two_factor.totp_device(user)
    return device or TOTPDevice.objects.create(user=user, name="Ponsel uji", confirmed=True)


def totp_code(key_hex: str, *, steps_ahead: int = 0, at: float | None = None) -> str:
    """The code an authenticator app shows for ``key_hex`` now (or at ``at``), ``steps_ahead``
    30-second steps later: a step ahead is still accepted (tolerance 1) and is newer than any code
    already used, which django-otp refuses to take twice."""
    totp = TOTP(unhexlify(key_hex), step=30, t0=0, digits=6)
    totp.time = (at if at is not None else time.time()) + 30 * steps_ahead
    return f"{totp.token():06d}"


def force_login_verified(client, user) -> TOTPDevice:
    """``client`` signed in as ``user`` with the two-factor step done (device created if needed)."""
    device = enrol_device(user)
    client.force_login(user)
    session = client.session
    assert session[SESSION_KEY] == str(user.pk)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[two_factor.STATE_KEY] = two_factor.DONE
    session.save()
    return device
