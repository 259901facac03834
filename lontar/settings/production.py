"""Production: everything from the environment; refuse to start with development values.

Required: DJANGO_SECRET_KEY, DATABASE_URL (PostgreSQL), REDIS_URL, DJANGO_ALLOWED_HOSTS.
Optional: LONTAR_S3_* for media in an S3-compatible object store (lontar/settings/storage.py).
The cache (pages, renditions, sessions' neighbours) and the task queue live in Redis so that
several app servers and workers share them: a purge or a queued e-mail reaches every process."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, SECRET_KEY, env_bool, env_list, tune_sqlite

DEBUG = False


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set {name} for production.")
    return value


if SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY for production.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS for production.")

# PostgreSQL. Persistent connections save a connect per request (~1-3 ms); the health check
# replaces a connection the database closed (restart, failover) instead of failing a request.
import dj_database_url  # noqa: E402

# (SQLite works too, for the benchmark's smoke run on a machine without PostgreSQL.)
DATABASES = {
    "default": tune_sqlite(
        dj_database_url.parse(
            required("DATABASE_URL"),
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    )
}

# Redis: one server, separate key prefixes. Short socket timeouts: a stalled Redis must turn into
# a fast failure (readiness probe 503, page rendered uncached) rather than hung workers.
REDIS_URL = required("REDIS_URL")
_REDIS_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "lontar",
        "OPTIONS": _REDIS_OPTIONS,
    },
    # Wagtail looks renditions up in this alias (one query saved per image on every render).
    "renditions": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "lontar-renditions",
        "TIMEOUT": 60 * 60 * 24 * 7,
        "OPTIONS": _REDIS_OPTIONS,
    },
}

# Background work on RQ (django-tasks-rq): workers are separate processes (manage.py rqworker
# default), as many as needed, on any machine that reaches Redis. TASKS_BACKEND may still name
# django_tasks_db.DatabaseBackend for a one-machine set-up without a Redis queue.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "django_tasks_rq.RQBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
if TASKS_BACKEND.startswith("django_tasks_rq."):
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_QUEUE_URL", REDIS_URL), "DEFAULT_TIMEOUT": 600}}
    # rq retries a job whose worker died only if it was enqueued with a Retry, which
    # django-tasks-rq never does: this worker class runs such a job once more (ops.workers).
    RQ = {"WORKER_CLASS": "ops.workers.RecoveringRQWorker"}
else:
    TASKS["default"].pop("QUEUES")

# HTTPS: TLS ends at nginx/the load balancer, which says so in X-Forwarded-Proto (and must
# overwrite, never pass on, a client's value: see deploy/nginx/lontar.conf).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading binds the whole domain (tabanankab.go.id) to HTTPS in browsers for good: a
    # decision for the regency's domain owner, not for one application.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Media on the filesystem under MEDIA_ROOT (served by nginx), or in an S3-compatible bucket when
# LONTAR_S3_BUCKET is set (lontar/settings/storage.py): Wagtail's originals and renditions go
# wherever the default storage is, so several app servers see the same files.
from .storage import production_storages  # noqa: E402

STORAGES = production_storages(os.environ)

# ---------------------------------------------------------------------------------------------
# Hostile input: security headers (issue 7; docs/security.md "Content-Security-Policy and headers").
# ---------------------------------------------------------------------------------------------
# X_FRAME_OPTIONS is SAMEORIGIN, not DENY (base.py): Wagtail's live preview shows the page in a
# frame of the admin. Frames from other sites stay refused (and frame-ancestors 'self' in the CSP).
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W019"]

# --- Accounts and sessions (issue 7) ---------------------------------------------------------------
# The client's address for login throttling: nginx (deploy/nginx, /etc/nginx/proxy_params) appends
# the peer it saw to X-Forwarded-For, so the right-most entry is the only one a client cannot
# forge; whatever a client sent stands to its left and is ignored. With N more proxies in front of
# nginx (a load balancer), set AXES_IPWARE_PROXY_COUNT=N. REMOTE_ADDR (nginx itself) only when the
# header is missing, i.e. a request that did not come through nginx.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
AXES_IPWARE_PROXY_ORDER = "left-most"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_IPWARE_PROXY_COUNT", "0"))
# Not strict: a chain longer than expected (a client's own X-Forwarded-For in front) is read from
# the right, instead of being discarded and lumping everyone onto nginx's address.
IPWARE_STRICT = False
# "__Host-": the browser refuses the cookie unless it is Secure, host-only and Path=/, so no other
# *.tabanankab.go.id site can plant a CSRF token for Lontar (cookie tossing). The session cookie
# keeps its name because nginx reads it to bypass its page cache (deploy/nginx: $cookie_sessionid).
CSRF_COOKIE_NAME = "__Host-csrftoken"
