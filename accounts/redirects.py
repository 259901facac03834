"""Where to go after a step of signing in: only to a place on this site."""

from urllib.parse import urlsplit

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str | None = None) -> str:
    """The ``next`` of the request (POST, then GET) when it stays on this host and scheme, else
    ``default`` (the admin's dashboard). Django's check refuses other hosts, scheme-relative
    ``//host``, ``/\\host``, ``javascript:`` and the like, and control characters; a relative
    path (``evil.example``, ``%2F%2Fhost``) is refused too: every page of ours is a path from /."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    parts = urlsplit(candidate)
    if (
        candidate
        and (parts.netloc or candidate.startswith("/"))
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return default or reverse("wagtailadmin_home")
