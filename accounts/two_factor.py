"""Two-factor authentication (TOTP with django-otp) and recovery codes.

Who must use it: Kabid, Sekdis and Kadis (by group, or as their Plt/Plh on the day they sign in)
and site administrators — the people whose approval publishes on behalf of the regency or who can
change anything. Everybody else may turn it on. ``LONTAR_REQUIRE_2FA`` (on in production and
development, off in the test settings) switches the requirement, never the check: a person with a
device is always asked for a code.

Devices: one ``TOTPDevice`` (an authenticator app on the phone) and one ``StaticDevice`` holding
``LONTAR_RECOVERY_CODES`` single-use recovery codes. django-otp throttles both (exponential
back-off after each wrong code), and a TOTP code is refused a second time (``last_t``).

Where the session stands is kept in the session under ``STATE_KEY`` (accounts.sessions writes it at
login, accounts.middleware enforces it): ``verify`` (must enter a code), ``enrol`` (must set up a
device), ``done`` (verified with a device this session) or ``exempt`` (nothing to do).
"""

from __future__ import annotations

import math
import secrets
from base64 import b32encode
from binascii import unhexlify
from io import BytesIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp import verify_token as otp_verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from wagtail.log_actions import log

from accounts.roles import acting_appointments, is_site_admin, user_roles
from sop.rules import Role

OFFICIALS = (Role.KABID, Role.SEKDIS, Role.KADIS)

STATE_KEY = "lontar_2fa"
VERIFY, ENROL, DONE, EXEMPT = "verify", "enrol", "done", "exempt"
PENDING = (VERIFY, ENROL)
# The secret offered on the enrolment page, kept server-side until a code proves the app has it.
ENROL_SECRET_KEY = "lontar_2fa_secret"
# Recovery codes to show once, on the page after they were made.
NEW_CODES_KEY = "lontar_2fa_new_codes"

# Recovery codes: 10 characters of base32 (50 bits), shown as two groups of five.
RECOVERY_CODE_LENGTH = 10


def concrete(user):
    """The user object behind ``request.user``. django-otp wraps Django's lazy user in a second
    lazy object, and Wagtail's audit log looks up the *type* of the instance it is given (and
    silently writes nothing for a lazy wrapper)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def two_factor_required(user) -> bool:
    """Whether ``user`` must use two-factor authentication (when ``LONTAR_REQUIRE_2FA`` is on)."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if is_site_admin(user) or user_roles(user) & set(OFFICIALS):
        return True
    # A Plt/Plh signs with the official's authority on the days of the appointment.
    return acting_appointments().filter(acting=user, role__in=[r.value for r in OFFICIALS]).exists()


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device else 0


def state_for(user) -> str:
    """What a new session of ``user`` must do before using the admin."""
    if totp_device(user) is not None:
        return VERIFY
    if settings.LONTAR_REQUIRE_2FA and two_factor_required(user):
        return ENROL
    return EXEMPT


# --- enrolment ------------------------------------------------------------------------------------


def new_secret() -> str:
    """A TOTP secret as hex (django-otp's format): 20 random bytes, as RFC 4226 recommends."""
    return random_hex(20)


def secret_base32(secret_hex: str) -> str:
    """The secret as people type it into an authenticator app: base32 in groups of four."""
    text = b32encode(unhexlify(secret_hex)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(user, secret_hex: str) -> str:
    """The otpauth:// address the QR code carries (issuer and user name as the app shows them)."""
    return TOTPDevice(user=user, key=secret_hex).config_url


def qr_svg(data: str) -> str:
    """``data`` as an SVG QR code: crisp at any screen density, inline in the page (the secret is
    never an image file or a URL that a cache or a log could keep)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    # Drop the XML declaration: the SVG goes inline into HTML.
    return svg[svg.index("<svg") :]


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _totp_matches(secret_hex: str, code: str) -> tuple[int, int] | None:
    """(time step, drift) at which ``code`` is valid for ``secret_hex`` (±1 step), or None."""
    code = _normalise_code(code)
    if not code.isdigit() or len(code) != 6:
        return None
    totp = TOTP(unhexlify(secret_hex), step=30, t0=0, digits=6)
    if totp.verify(int(code), tolerance=1):
        return totp.t(), totp.drift
    return None


def new_recovery_codes(count: int | None = None) -> list[str]:
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    count = count or settings.LONTAR_RECOVERY_CODES
    return ["".join(secrets.choice(alphabet) for _ in range(RECOVERY_CODE_LENGTH)) for _ in range(count)]


def format_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


@transaction.atomic
def _replace_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Kode cadangan", confirmed=True)
    codes = new_recovery_codes()
    device.token_set.bulk_create([device.token_set.model(device=device, token=code) for code in codes])
    return codes


def two_factor_enrol(*, user, secret_hex: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turn on two-factor authentication for ``user`` with the secret shown at enrolment, once
    ``code`` proves the phone has it. Returns the device and the new recovery codes (shown once).
    Raises ValidationError (wrong code) or PermissionDenied (already on)."""
    matched = _totp_matches(secret_hex, code)
    if matched is None:
        raise ValidationError(
            _("Kode tidak cocok. Periksa jam ponsel Anda, lalu ketik kode yang sedang tampil di aplikasi."),
            code="wrong_code",
        )
    with transaction.atomic():
        # One device per person: a second enrolment racing this one finds the first.
        get_user_model().objects.select_for_update().get(pk=user.pk)
        if totp_device(user) is not None:
            raise PermissionDenied(_("Verifikasi dua langkah sudah aktif untuk akun ini."))
        TOTPDevice.objects.filter(user=user).delete()
        # The code just used may not be used again (django-otp refuses t <= last_t).
        step, drift = matched
        device = TOTPDevice.objects.create(
            user=user, name="Ponsel", key=secret_hex, confirmed=True, last_t=step, drift=drift
        )
        codes = _replace_recovery_codes(user)
        log(instance=concrete(user), action="lontar.account.2fa_enrol", user=concrete(user))
    return device, codes


# --- verification ----------------------------------------------------------------------------------


class CodeRefused(Exception):
    """A code was not accepted; ``message`` says why, for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _throttle_message(device) -> str | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    now = timezone.now()
    seconds = max(1, math.ceil(((data or {}).get("locked_until", now) - now).total_seconds()))
    return _("Terlalu banyak kode yang salah. Tunggu %(seconds)d detik sebelum mencoba lagi.") % {"seconds": seconds}


def check_code(*, user, code: str, recovery: bool = False):
    """The device that accepts ``code`` for ``user``: the authenticator app, or with
    ``recovery=True`` a recovery code (used up). Raises CodeRefused. Wrong codes count towards
    django-otp's throttle; a throttled device is not even asked, so waiting is the only way on."""
    device = recovery_device(user) if recovery else totp_device(user)
    if device is None:
        raise CodeRefused(
            _("Akun ini tidak punya kode cadangan.") if recovery else _("Verifikasi dua langkah belum aktif.")
        )
    throttled = _throttle_message(device)
    if throttled:
        raise CodeRefused(throttled)
    token = _normalise_code(code)
    # A malformed code is not a guess: refused without counting towards the throttle.
    if recovery and len(token) != RECOVERY_CODE_LENGTH:
        raise CodeRefused(_("Kode cadangan terdiri atas 10 huruf dan angka, misalnya abcde-fghij."))
    if not recovery and (len(token) != 6 or not token.isdigit()):
        raise CodeRefused(_("Ketik kode 6 angka dari aplikasi autentikator."))
    verified = otp_verify_token(user, device.persistent_id, token)
    if verified is None:
        raise CodeRefused(_("Kode salah atau sudah kedaluwarsa. Coba lagi dengan kode yang sedang tampil."))
    return verified


def session_verified(request, device) -> None:
    """Mark the session as verified with ``device``. A new session key: the session now carries
    more authority than the one that existed before the code (no fixation across the step)."""
    otp_login(request, device)
    request.session.cycle_key()
    request.session[STATE_KEY] = DONE


# --- changes from the person's own page and by an administrator -----------------------------------


def recovery_codes_regenerate(*, user) -> list[str]:
    """New recovery codes for ``user`` (the old ones stop working). Caller checked a current code."""
    if totp_device(user) is None:
        raise PermissionDenied(_("Verifikasi dua langkah belum aktif."))
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        log(instance=concrete(user), action="lontar.account.2fa_recovery_codes", user=concrete(user))
    return codes


@transaction.atomic
def two_factor_remove(*, user) -> None:
    """Turn off two-factor authentication for ``user`` (caller checked a current code). A person
    who must use it is sent to set it up again at their next admin page."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    log(instance=concrete(user), action="lontar.account.2fa_remove", user=concrete(user))


def two_factor_reset(*, actor, user) -> None:
    """A site administrator turns off another person's two-factor authentication (a lost phone
    and no recovery codes). Their sessions lose the verification at once; at their next sign-in
    they set it up again if their role requires it. Written to the audit log."""
    if not is_site_admin(actor):
        raise PermissionDenied(_("Hanya administrator situs yang dapat mengatur ulang verifikasi dua langkah."))
    if actor.pk == user.pk:
        raise PermissionDenied(
            _("Atur ulang verifikasi dua langkah Anda sendiri dari halaman Verifikasi dua langkah, dengan kode Anda.")
        )
    with transaction.atomic():
        apps = TOTPDevice.objects.filter(user=user).delete()[1]
        recovery = StaticDevice.objects.filter(user=user).delete()[1]
        log(
            instance=concrete(user),
            action="lontar.account.2fa_reset",
            user=concrete(actor),
            data={
                "username": user.get_username(),
                "authenticator_apps_removed": apps.get("otp_totp.TOTPDevice", 0),
                "recovery_codes_removed": recovery.get("otp_static.StaticToken", 0),
            },
        )


def forget_device_in_session(request) -> None:
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
