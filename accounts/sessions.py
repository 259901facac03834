"""What a session remembers about its sign-in, written when someone logs in (``user_logged_in``).

- ``PRIVILEGES_KEY``: a fingerprint of what the account could do at sign-in (superuser, staff,
  group names — a group's name is what makes someone Kabid or Administrator Situs). When it no
  longer matches, the session ends (accounts.middleware): new powers are used only after the
  person proves again who they are (password and, where required, a code), and a session cookie
  stolen before a promotion is worth nothing after it.
- ``LOGIN_AT_KEY``: when the person signed in (the longest admin session, LONTAR_SESSION_MAX_HOURS).
- ``SEEN_KEY``: the last admin request (idle timeout, LONTAR_ADMIN_IDLE_MINUTES).
- ``two_factor.STATE_KEY``: what the session must still do for two-factor authentication.

Django itself cycles the session key at login (no fixation), flushes the session at logout, ends
other sessions when the password changes (session auth hash) and refuses a disabled account's
session (ModelBackend.get_user).
"""

import hashlib
import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts import two_factor
from accounts.roles import group_names

PRIVILEGES_KEY = "lontar_privileges"
LOGIN_AT_KEY = "lontar_login_at"
SEEN_KEY = "lontar_seen"


def privileges_fingerprint(user) -> str:
    """A short digest of the account's privileges; no query when the groups were already read for
    this request (accounts.roles.group_names caches them on the user)."""
    parts = [f"su={int(user.is_superuser)}", f"staff={int(user.is_staff)}", *sorted(group_names(user))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def now() -> int:
    return int(time.time())


@receiver(user_logged_in, dispatch_uid="accounts.sessions.remember_sign_in")
def remember_sign_in(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    # Another account's groups may have been cached on this object earlier in the request.
    for attr in ("_lontar_group_names", "_lontar_roles"):
        user.__dict__.pop(attr, None)
    session[PRIVILEGES_KEY] = privileges_fingerprint(user)
    session[LOGIN_AT_KEY] = session[SEEN_KEY] = now()
    session[two_factor.STATE_KEY] = two_factor.state_for(user)
