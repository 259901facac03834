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
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# A test database per run, so several suites (developers, helpers, CI legs) can share one
# PostgreSQL server at the same time without dropping each other's database.
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    import os

    DATABASES["default"]["TEST"] = {"NAME": f"test_lontar_{os.getpid()}"}  # noqa: F405
