"""How many requests one client may send through the public form, counted in Django's cache.

The client is ``REMOTE_ADDR`` and nothing else: ``X-Forwarded-For`` is written by the client and
would let anyone choose their own key. Behind a reverse proxy, the proxy must hand the real client
address to the application server as REMOTE_ADDR (nginx ``real_ip`` with ``set_real_ip_from`` the
proxy only, or gunicorn's ``--forwarded-allow-ips`` with a middleware that trusts exactly that
proxy); otherwise every visitor shares the proxy's address and its limit.

The window is fixed: it starts at a client's first counted request and lasts ``window`` seconds.
With several processes the cache must be shared (Redis/Memcached); the default local-memory cache
counts per process.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMIT = 5
DEFAULT_WINDOW = 60 * 60


def _limit() -> tuple[int, int]:
    limit, window = getattr(settings, "PPID_PERMOHONAN_RATE", (DEFAULT_LIMIT, DEFAULT_WINDOW))
    return int(limit), int(window)


def client_key(request) -> str:
    # Hashed: the cache need not hold visitors' addresses.
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return "ppid:permohonan:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def take(request) -> bool:
    """Count one attempt for this client; False when it is over the limit."""
    limit, window = _limit()
    key = client_key(request)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit


def give_back(request) -> None:
    """Return an attempt that stored nothing because a person mistyped (a form error)."""
    try:
        cache.decr(client_key(request))
    except ValueError:
        pass
