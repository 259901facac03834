"""Settings shared by every environment. Everything that differs between machines comes from the
environment, with defaults that are safe for a developer's laptop."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Lontar, one app per part of the domain
    "sop",
    "desk",
    "portal",
    # Sections of the public site, one app per content area; each page type is produced by the SOP.
    "pengumuman",
    "kegiatan",
    "potensi",
    "opendata",
    "profil",
    "ppid",
    "accounts",
    "reports",
    "ops",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "django.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's users app with Lontar's username rule (no look-alike usernames: accounts.usernames).
    "accounts.users_app.LontarUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Background work
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # After wagtail.admin: it replaces Wagtail's generic workflow e-mails with named-holder notices.
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A database outage met by a view or a late-rendered template: 503 with a plain page, not a
    # 500 (ops.unavailable; one met inside a middleware goes to handler500, which does the same).
    "ops.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Anonymous public pages from the cache: after the language is chosen (part of the key),
    # before CSRF/auth/messages (whose effects on a response make it uncacheable).
    "portal.page_cache.PageCacheMiddleware",
    # Inside the page cache: a page is compressed once when it is stored, then served compressed
    # from Redis and nginx's copy (nginx does not compress again what is already encoded). Were
    # nginx to compress each hit, it would serve a tenth of the pages per second.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Admin searches get a bounded query (Wagtail passes any length to the search backend).
    "lontar.middleware.AdminSearchLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lontar.urls"
WSGI_APPLICATION = "lontar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# The embedded default is a SQLite file next to the code; production sets DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # With persistent connections, one the database closed (a restart) is replaced before its
        # first query instead of failing a request.
        conn_health_checks=True,
    )
}


def tune_sqlite(database: dict) -> dict:
    """WAL lets the web processes read while a worker writes; IMMEDIATE avoids "database is
    locked" on lock upgrades inside transactions."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            }
        )
    return database


tune_sqlite(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# AUTH_PASSWORD_VALIDATORS: see "Accounts and sessions" at the end of this file.

# Bahasa Indonesia first, English second; the office works in WITA.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

LOGIN_URL = "wagtailadmin_login"

# Background work: a database queue by default so nothing else has to run; Redis/RQ in production.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# A task whose worker died mid-run (ops.workers): a db_worker beats every HEARTBEAT seconds; a task
# left RUNNING by a worker not heard of for LOST seconds (or, run by a worker without heartbeat,
# running for TIMEOUT seconds) is queued again MAX_REQUEUES time(s), then marked failed. On RQ the
# worker's maintenance, every RQ_MAINTENANCE seconds, finds a job whose worker has been silent for
# RQ_MONITORING + RQ_HEARTBEAT_GRACE seconds.
LONTAR_TASK_HEARTBEAT_SECONDS = float(os.environ.get("LONTAR_TASK_HEARTBEAT_SECONDS", "10"))
LONTAR_TASK_WORKER_LOST_SECONDS = float(os.environ.get("LONTAR_TASK_WORKER_LOST_SECONDS", "60"))
LONTAR_TASK_RUNNING_TIMEOUT_SECONDS = float(os.environ.get("LONTAR_TASK_RUNNING_TIMEOUT_SECONDS", "3600"))
LONTAR_TASK_MAX_REQUEUES = int(os.environ.get("LONTAR_TASK_MAX_REQUEUES", "1"))
LONTAR_RQ_MAINTENANCE_SECONDS = int(os.environ.get("LONTAR_RQ_MAINTENANCE_SECONDS", "60"))
LONTAR_RQ_MONITORING_SECONDS = int(os.environ.get("LONTAR_RQ_MONITORING_SECONDS", "30"))
LONTAR_RQ_HEARTBEAT_GRACE_SECONDS = int(os.environ.get("LONTAR_RQ_HEARTBEAT_GRACE_SECONDS", "60"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A hung mail server must not hold a worker forever; the delivery is retried later (notifications).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))

# Reminders and escalation (notifications.reminders): the holder is reminded when this share of
# the step's time standard (in working time) is used; overdue steps go to the next role up.
LONTAR_REMINDER_SHARE = float(os.environ.get("LONTAR_REMINDER_SHARE", "0.8"))
# Retrying e-mail and webhook deliveries: base * 2^(attempt-1) seconds, at most the cap; a delivery
# that failed this many times is marked failed (0: retry for ever).
LONTAR_DELIVERY_RETRY_SECONDS = int(os.environ.get("LONTAR_DELIVERY_RETRY_SECONDS", "60"))
LONTAR_DELIVERY_RETRY_CAP_SECONDS = int(os.environ.get("LONTAR_DELIVERY_RETRY_CAP_SECONDS", "3600"))
LONTAR_DELIVERY_MAX_ATTEMPTS = int(os.environ.get("LONTAR_DELIVERY_MAX_ATTEMPTS", "72"))
# One site-wide webhook (e.g. the office's chat gateway) for people who choose that channel; the
# body is signed with HMAC-SHA256 (X-Lontar-Signature). Empty URL or secret: no webhook channel.
# Hosts whose embedded frames (video) survive rich-text cleaning on public pages (portal.sanitise).
LONTAR_EMBED_HOSTS = env_list("LONTAR_EMBED_HOSTS", "")
LONTAR_WEBHOOK_URL = os.environ.get("LONTAR_WEBHOOK_URL", "")
LONTAR_WEBHOOK_SECRET = os.environ.get("LONTAR_WEBHOOK_SECRET", "")
LONTAR_WEBHOOK_TIMEOUT = float(os.environ.get("LONTAR_WEBHOOK_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Lontar Diskominfo Tabanan <lontar@tabanankab.go.id>")

# Wagtail
WAGTAIL_SITE_NAME = "Lontar — Diskominfo Kabupaten Tabanan"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# Page slugs are ASCII: a slug with a Cyrillic "а" would be a second address that reads the same as
# a real one. The desk makes slugs with slugify (ASCII) anyway; this holds the editor to it.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The SOP decides who publishes: the workflow's last step publishes with the engine's authority,
# not with a Wagtail publish permission that nobody in the chain holds.
WAGTAIL_FINISH_WORKFLOW_ACTION = "desk.publishing.publish_finished_workflow"
# Every edit inside the chain is re-examined by the steps that follow it anyway (see docs/architecture.md).
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = False
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "xlsx", "odt", "ods", "txt"]
WAGTAIL_DATE_FORMAT = "%d-%m-%Y"
WAGTAIL_DATETIME_FORMAT = "%d-%m-%Y %H:%M"

# Lontar
LONTAR_SOP_FILE = Path(os.environ.get("LONTAR_SOP_FILE", BASE_DIR / "sop" / "definitions" / "065-0812-ORG.toml"))
LONTAR_PUBLIC_SITE_NAME = os.environ.get("LONTAR_PUBLIC_SITE_NAME", "Pemerintah Kabupaten Tabanan")
# Full-page cache of anonymous public pages (portal.page_cache): lifetime in seconds (0 turns it
# off) and the cache alias. Purges are precise, so the lifetime bounds only what changes with
# the clock (announcements expiring, events becoming past). With several processes the alias
# must be a shared cache (Redis): a purge in local memory reaches only its own process.
LONTAR_PAGE_CACHE_SECONDS = int(os.environ.get("LONTAR_PAGE_CACHE_SECONDS", "300"))
LONTAR_PAGE_CACHE_ALIAS = os.environ.get("LONTAR_PAGE_CACHE_ALIAS", "default")
# The nginx servers in front (their internal addresses, comma-separated, e.g. http://127.0.0.1:8080
# or https://127.0.0.1): after a purge Lontar asks them afresh for the pages it touched, so a
# publish does not wait for the end of nginx's second (portal.proxy_refresh). Empty: off.
LONTAR_PROXY_REFRESH_URLS = [u.strip() for u in os.environ.get("LONTAR_PROXY_REFRESH_URLS", "").split(",") if u.strip()]
LONTAR_PROXY_REFRESH_LIMIT = int(os.environ.get("LONTAR_PROXY_REFRESH_LIMIT", "200"))
LONTAR_PROXY_REFRESH_TIMEOUT = float(os.environ.get("LONTAR_PROXY_REFRESH_TIMEOUT", "10"))
# While the database is unreachable every page answers 503 with this Retry-After (ops.unavailable).
LONTAR_DB_UNAVAILABLE_RETRY_AFTER = int(os.environ.get("LONTAR_DB_UNAVAILABLE_RETRY_AFTER", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A CR/LF typed into a username, a title or a URL must not start a forged log line.
    "filters": {"control_characters": {"()": "lontar.logfilters.ControlCharacterFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["control_characters"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}


# ---------------------------------------------------------------------------------------------
# Hostile input: uploads, Content-Security-Policy and security headers (issue 7; docs/security.md
# "Uploads" and "Content-Security-Policy and headers"). Kept in one block so it merges cleanly.
# ---------------------------------------------------------------------------------------------
from csp.constants import NONCE  # noqa: E402

INSTALLED_APPS += ["csp"]  # django-csp: its system checks (e.g. against its old CSP_* settings)
# Outermost after SecurityMiddleware, so that a page answered from the full-page cache
# (portal.page_cache) gets the policy in force now, not the one stored with the page.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "lontar.security_headers.SecurityHeadersMiddleware",
)

# Uploads are checked by content and rewritten in lontar.uploads (forms used by every Wagtail
# upload path: single, multiple, chooser modals, replacing a file).
WAGTAILIMAGES_IMAGE_FORM_BASE = "lontar.uploads.ImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "lontar.uploads.DocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# 40 megapixels (width × height × frames) is more than any phone or camera photo (a 50 MP sensor
# bins to 12.5 MP by default) and keeps one decoded image under ~160 MB of memory; Pillow's own
# limit (lontar.uploads.limit_pillow, at start-up) is the same, so a rendition can never decode more.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Office Open XML and OpenDocument files are ZIP archives: at most this much once unpacked, and at
# most this ratio between unpacked and packed sizes (real documents stay below 20:1).
LONTAR_UPLOAD_MAX_UNZIPPED_BYTES = int(os.environ.get("LONTAR_UPLOAD_MAX_UNZIPPED_BYTES", str(100 * 1024 * 1024)))
LONTAR_UPLOAD_MAX_ZIP_RATIO = int(os.environ.get("LONTAR_UPLOAD_MAX_ZIP_RATIO", "100"))
# Every document download goes through Wagtail's serve view (never a redirect to the storage),
# so collection privacy and portal.wagtail_hooks (drafts' documents) always apply; only PDFs open
# in the browser, everything else is an attachment.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
# Wagtail's avatars would load from gravatar.com: a third party learning which officials use the
# admin, and a host the admin's Content-Security-Policy would have to allow.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Headers on every response (Django's SecurityMiddleware and lontar.security_headers).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# SAMEORIGIN, not DENY: Wagtail's live preview shows the page in a frame of the admin.
X_FRAME_OPTIONS = "SAMEORIGIN"
LONTAR_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)

# Content-Security-Policy (django-csp 4). Public pages run no script at all and are stored whole
# in the page cache, so their policy has no nonce: a nonce stored in a cached page would be
# served to every later reader and protect nothing. JSON-LD blocks are data, not scripts: CSP
# does not apply to them. Images may come from a media host (S3/CDN: an absolute MEDIA_URL) and
# LONTAR_CSP_EXTRA_IMG_SRC; frames only from LONTAR_EMBED_HOSTS, over HTTPS.
LONTAR_CSP_EXTRA_IMG_SRC = env_list("LONTAR_CSP_EXTRA_IMG_SRC", "")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
# The admin (/admin/, Wagtail 8): the same, plus what its scripts need, measured with chromium in
# lontar/tests/test_csp_browser.py. Inline scripts only with the response's nonce; see
# lontar.security_headers for each addition and why.
LONTAR_CSP_ADMIN_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'", NONCE],
    # Draftail (the rich-text editor) writes <style> elements for its list and heading levels.
    # Styles cannot run script; everything else about them stays under default-src.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# --- Accounts and sessions (issue 7) ---------------------------------------------------------------
# Login throttling (django-axes), password policy, TOTP two-factor authentication (django-otp) and
# the admin's session rules (accounts.middleware). What each defends against and its test:
# docs/security.md, "Accounts and sessions".
from datetime import timedelta  # noqa: E402

INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]


def _insert_after(middleware: list[str], anchor: str, new: list[str]) -> list[str]:
    at = middleware.index(anchor) + 1
    return [*middleware[:at], *new, *middleware[at:]]


# After MessageMiddleware: the enforcement leaves a message when it signs someone out. Axes last:
# it turns a login view's response into the lockout page once the view has recorded the failure.
MIDDLEWARE = _insert_after(
    MIDDLEWARE,
    "django.contrib.messages.middleware.MessageMiddleware",
    ["django_otp.middleware.OTPMiddleware", "accounts.middleware.AccountSecurityMiddleware"],
)
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]

# The axes backend only refuses locked-out logins; ModelBackend does the authenticating.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # The office's and the region's words with digits, keyboard runs, dates, one repeated character.
    {"NAME": "accounts.passwords.GuessablePasswordValidator"},
]

# Throttling. A pair (user name, address) is locked after 5 failures: a guesser at one account
# stops there, and nobody elsewhere can lock an official out by failing on their name (no lock by
# user name alone). One address is locked after LONTAR_LOGIN_IP_FAILURE_LIMIT failures whatever the
# names (credential stuffing); higher, because the office's staff share one NAT address.
AXES_HANDLER = "accounts.lockout.LoginThrottleHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LONTAR_LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("LONTAR_LOGIN_IP_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# The address that counts is the TCP peer's: a client cannot choose it by sending X-Forwarded-For.
# Behind nginx, production reads the entry nginx appends (lontar/settings/production.py).
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# Two-factor authentication: required for Kabid, Sekdis, Kadis (and their Plt/Plh) and site
# administrators; optional for everyone else (accounts.two_factor).
LONTAR_REQUIRE_2FA = env_bool("LONTAR_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "Lontar Diskominfo Tabanan"
LONTAR_RECOVERY_CODES = 10

# Sessions. A working day at most, then sign in again (also enforced while active: the admin's
# session ends LONTAR_SESSION_MAX_HOURS after the login, however busy); the admin signs out after
# LONTAR_ADMIN_IDLE_MINUTES without a request (0: never). Public pages are unaffected.
SESSION_COOKIE_AGE = 9 * 60 * 60
LONTAR_SESSION_MAX_HOURS = int(os.environ.get("LONTAR_SESSION_MAX_HOURS", "9"))
LONTAR_ADMIN_IDLE_MINUTES = int(os.environ.get("LONTAR_ADMIN_IDLE_MINUTES", "30"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Not HttpOnly: Django's token is in every form anyway, and HttpOnly would only break scripts
# that read it from the cookie (Django's documentation: no security benefit).
CSRF_COOKIE_HTTPONLY = False
