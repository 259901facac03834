from .base import *  # noqa: F403

SECRET_KEY = "test-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run inline in tests so a test sees their effect; the DB queue is tested on its own.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The query-bound tests measure uncached renders; portal/tests/test_page_cache.py turns it on.
LONTAR_PAGE_CACHE_SECONDS = 0
# No nginx in front in tests (portal/tests/test_proxy_refresh.py turns it on against its own).
LONTAR_PROXY_REFRESH_URLS = []
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# A test database per run, so several suites (developers, helpers, CI legs) can share one
# PostgreSQL server at the same time without dropping each other's database.
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    import os

    DATABASES["default"]["TEST"] = {"NAME": f"test_lontar_{os.getpid()}"}  # noqa: F405

# --- Accounts and sessions (issue 7) ---------------------------------------------------------------
# Off by default, on in accounts/tests (override_settings) and in accounts/tests/e2e:
# - axes refuses authenticate() without a request, and the suite signs in with Client.login();
# - the desk's tests sign officials in with force_login and no TOTP device;
# - many tests move the clock by hours or days between one person's requests (hence also
#   Django's default session age here instead of the 9-hour working day).
AXES_ENABLED = False
LONTAR_REQUIRE_2FA = False
LONTAR_ADMIN_IDLE_MINUTES = 0
LONTAR_SESSION_MAX_HOURS = 0
SESSION_COOKIE_AGE = 14 * 24 * 60 * 60
