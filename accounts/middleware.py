"""The admin's session rules and two-factor enforcement, after Django's and django-otp's
authentication middleware.

On every admin request (under Wagtail's admin, ``/admin/``: Wagtail and the desk) of a signed-in person, in this order:

1. privileges changed since sign-in (groups, superuser, staff) → signed out, with a message;
2. signed in longer than ``LONTAR_SESSION_MAX_HOURS`` → signed out;
3. no admin request for ``LONTAR_ADMIN_IDLE_MINUTES`` → signed out;
4. two-factor authentication outstanding → sent to the code page (``verify``) or the set-up page
   (``enrol``); only those pages, sign-in and sign-out answer until it is done.

Outside the admin a session with two-factor authentication outstanding counts as anonymous, so a
password alone opens no private document or restricted page either. Public pages read nothing
here for visitors without a session cookie.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from accounts import two_factor
from accounts.sessions import LOGIN_AT_KEY, PRIVILEGES_KEY, SEEN_KEY, now, privileges_fingerprint
from lontar.security_headers import is_admin_request

# Write the activity time at most once a minute: a session save per request would cost a query.
SEEN_RESOLUTION_SECONDS = 60
# Open while two-factor authentication is outstanding (url names, with namespace): signing in and
# out, what their pages load, and the one page that settles the state.
OPEN_WHILE_PENDING = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
}
PAGE_FOR_STATE = {two_factor.VERIFY: "two_factor:verify", two_factor.ENROL: "two_factor:enrol"}
# Requests a page makes by itself (the editor's "who else is editing" ping) are not activity.
NOT_ACTIVITY = {"wagtailadmin_editing_sessions:ping"}


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def _to_login(request, message: str):
    logout(request)
    messages.warning(request, message)
    url = reverse("wagtailadmin_login")
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)


def _with_next(request, name: str):
    return redirect(reverse(name) + "?" + urlencode({"next": request.get_full_path()}))


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_authenticated:
            return self.get_response(request)
        if not is_admin_request(request):
            if request.session.get(two_factor.STATE_KEY) in two_factor.PENDING:
                request.user = AnonymousUser()

                async def anonymous():
                    return AnonymousUser()

                request.auser = anonymous
            return self.get_response(request)
        return self._session_rules(request) or self._two_factor(request) or self.get_response(request)

    def _session_rules(self, request):
        session, user = request.session, request.user
        fingerprint = privileges_fingerprint(user)
        if session.setdefault(PRIVILEGES_KEY, fingerprint) != fingerprint:
            return _to_login(request, _("Hak akses akun Anda baru saja diubah. Silakan masuk kembali."))
        moment = now()
        login_at = session.setdefault(LOGIN_AT_KEY, moment)
        max_hours = settings.LONTAR_SESSION_MAX_HOURS
        if max_hours and moment - login_at > max_hours * 3600:
            return _to_login(
                request,
                _("Sesi Anda sudah berlangsung lebih dari %(hours)d jam. Silakan masuk kembali.")
                % {"hours": max_hours},
            )
        idle = settings.LONTAR_ADMIN_IDLE_MINUTES
        seen = session.get(SEEN_KEY)
        if idle and seen is not None and moment - seen > idle * 60:
            return _to_login(
                request,
                _("Anda keluar otomatis karena tidak ada kegiatan selama %(minutes)d menit. Silakan masuk kembali.")
                % {"minutes": idle},
            )
        if seen is None or moment - seen >= SEEN_RESOLUTION_SECONDS:
            if _url_name(request) not in NOT_ACTIVITY:
                session[SEEN_KEY] = moment
        return None

    def _two_factor(self, request):
        session, user = request.session, request.user
        state = session.get(two_factor.STATE_KEY)
        if state is None or (state == two_factor.DONE and not user.is_verified()):
            # A session from before this rule, or its device was removed or reset since.
            two_factor.forget_device_in_session(request)
            state = session[two_factor.STATE_KEY] = two_factor.state_for(user)
        if state not in two_factor.PENDING:
            return None
        name = _url_name(request)
        if name in OPEN_WHILE_PENDING or name == PAGE_FOR_STATE[state]:
            return None
        return _with_next(request, PAGE_FOR_STATE[state])
