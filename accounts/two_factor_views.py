"""Two-factor authentication screens: the code after the password, setting up the phone, the
recovery codes shown once, the person's own page, and an administrator's reset. Thin: each parses
a form and calls ``accounts.two_factor``. Every page is ``never_cache``: they carry secrets."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import two_factor
from accounts.forms import OneTimeCodeForm, RecoveryCodeForm
from accounts.redirects import safe_next
from accounts.roles import is_site_admin

RECOVERY = "cadangan"


def _refused(request, message: str):
    return TemplateResponse(
        request, "desk/refused.html", {"message": message, "back": reverse("wagtailadmin_home")}, status=403
    )


@never_cache
def verify(request):
    """The code after the password (a session in state ``verify``)."""
    if request.session.get(two_factor.STATE_KEY) != two_factor.VERIFY:
        return redirect(safe_next(request))
    recovery = request.POST.get("metode") == RECOVERY
    form = OneTimeCodeForm(None if recovery else request.POST or None)
    recovery_form = RecoveryCodeForm(request.POST if recovery else None)
    used = recovery_form if recovery else form
    if request.method == "POST" and used.is_valid():
        try:
            device = two_factor.check_code(user=request.user, code=used.cleaned_data["code"], recovery=recovery)
        except two_factor.CodeRefused as refused:
            used.add_error("code", refused.message)
        else:
            two_factor.session_verified(request, device)
            if recovery:
                left = two_factor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _(
                        "Anda masuk dengan kode cadangan; sisa %(left)d kode. Buat kode baru di halaman "
                        "Verifikasi dua langkah bila ponsel Anda hilang."
                    )
                    % {"left": left},
                )
            return redirect(safe_next(request))
    return TemplateResponse(
        request,
        "accounts/two_factor/verify.html",
        {"form": form, "recovery_form": recovery_form, "recovery": RECOVERY, "next": safe_next(request)},
        status=400 if used.errors else 200,
    )


@never_cache
def enrol(request):
    """Setting up the authenticator app: QR code and the secret as text; a code confirms it."""
    user = request.user
    if two_factor.totp_device(user) is not None:
        messages.info(request, _("Verifikasi dua langkah sudah aktif untuk akun Anda."))
        return redirect("two_factor:manage")
    secret = request.session.get(two_factor.ENROL_SECRET_KEY)
    if not secret:
        secret = request.session[two_factor.ENROL_SECRET_KEY] = two_factor.new_secret()
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor.two_factor_enrol(user=user, secret_hex=secret, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.messages)
        except PermissionDenied:
            return redirect("two_factor:manage")
        else:
            del request.session[two_factor.ENROL_SECRET_KEY]
            two_factor.session_verified(request, device)
            request.session[two_factor.NEW_CODES_KEY] = codes
            return redirect(reverse("two_factor:recovery_codes") + "?" + urlencode({"next": safe_next(request)}))
    return TemplateResponse(
        request,
        "accounts/two_factor/enrol.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(two_factor.provisioning_uri(user, secret)),
            "secret": two_factor.secret_base32(secret),
            "required": request.session.get(two_factor.STATE_KEY) == two_factor.ENROL,
            "next": safe_next(request),
        },
        status=400 if form.errors else 200,
    )


@never_cache
def recovery_codes(request):
    """The new recovery codes, once: they are taken out of the session as they are shown."""
    codes = request.session.pop(two_factor.NEW_CODES_KEY, None)
    return TemplateResponse(
        request,
        "accounts/two_factor/recovery_codes.html",
        {
            "codes": [two_factor.format_code(c) for c in codes or []],
            "next": safe_next(request, reverse("two_factor:manage")),
        },
    )


@never_cache
def manage(request):
    """The person's own page: on or off, codes left, new recovery codes, turning it off."""
    return _manage_page(request)


def _manage_page(request, form=None):
    user = request.user
    device = two_factor.totp_device(user)
    return TemplateResponse(
        request,
        "accounts/two_factor/manage.html",
        {
            "device": device,
            "codes_left": two_factor.recovery_codes_left(user) if device else 0,
            "required": two_factor.two_factor_required(user),
            "blank": OneTimeCodeForm(),
            "form": form,
            "failed_action": request.resolver_match.url_name if form is not None else None,
        },
        status=400 if form is not None else 200,
    )


def _checked_code(request):
    """The form, and whether its code from the app was accepted (errors are on the form)."""
    form = OneTimeCodeForm(request.POST)
    if not form.is_valid():
        return form, False
    try:
        two_factor.check_code(user=request.user, code=form.cleaned_data["code"])
    except two_factor.CodeRefused as refused:
        form.add_error("code", refused.message)
        return form, False
    return form, True


@require_POST
@never_cache
def regenerate(request):
    form, ok = _checked_code(request)
    if not ok:
        return _manage_page(request, form)
    request.session[two_factor.NEW_CODES_KEY] = two_factor.recovery_codes_regenerate(user=request.user)
    return redirect(reverse("two_factor:recovery_codes") + "?" + urlencode({"next": reverse("two_factor:manage")}))


@require_POST
@never_cache
def remove(request):
    form, ok = _checked_code(request)
    if not ok:
        return _manage_page(request, form)
    two_factor.two_factor_remove(user=request.user)
    two_factor.forget_device_in_session(request)
    request.session[two_factor.STATE_KEY] = two_factor.state_for(request.user)
    if request.session[two_factor.STATE_KEY] == two_factor.ENROL:
        messages.warning(
            request, _("Jabatan Anda wajib memakai verifikasi dua langkah: pasang lagi dengan ponsel Anda.")
        )
        return redirect("two_factor:enrol")
    messages.success(request, _("Verifikasi dua langkah dimatikan untuk akun Anda."))
    return redirect("two_factor:manage")


@never_cache
def reset(request, user_id: int):
    """A site administrator turns off someone else's two-factor authentication."""
    if not is_site_admin(request.user):
        return _refused(request, _("Hanya administrator situs yang dapat mengatur ulang verifikasi dua langkah."))
    person = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        try:
            two_factor.two_factor_reset(actor=request.user, user=person)
        except PermissionDenied as exc:
            return _refused(request, str(exc))
        messages.success(
            request,
            _("Verifikasi dua langkah %(name)s diatur ulang. Ia memasangnya lagi saat masuk berikutnya.")
            % {"name": person.get_full_name() or person.get_username()},
        )
        return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request,
        "accounts/two_factor/reset.html",
        {"person": person, "has_device": two_factor.totp_device(person) is not None},
    )
