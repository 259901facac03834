"""The production profile evaluated fresh in a child process, with only the environment a real
deployment sets, as gunicorn would import it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "lontar.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-0123456789-abcdefghij",
    "DJANGO_ALLOWED_HOSTS": "tabanankab.go.id,www.tabanankab.go.id",
    "DATABASE_URL": "postgres://lontar:secret@db.internal:5432/lontar",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "WAGTAILADMIN_BASE_URL": "https://tabanankab.go.id",
}


def run(code_or_args, env_overrides=None, drop=()):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "TASKS_", "LONTAR_S3_", "AWS_"))
    }
    env.update(PROD_ENV)
    env.update(env_overrides or {})
    for name in drop:
        env.pop(name, None)
    args = [sys.executable, "-c", code_or_args] if isinstance(code_or_args, str) else [sys.executable, *code_or_args]
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


SHOW = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
  "DEBUG": s.DEBUG, "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
  "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE, "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
  "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS, "SECURE_PROXY_SSL_HEADER": list(s.SECURE_PROXY_SSL_HEADER),
  "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
  "db": [s.DATABASES["default"]["ENGINE"], s.DATABASES["default"]["HOST"], s.DATABASES["default"]["CONN_MAX_AGE"], s.DATABASES["default"]["CONN_HEALTH_CHECKS"]],
  "caches": {k: [v["BACKEND"], v["LOCATION"]] for k, v in s.CACHES.items()},
  "tasks": s.TASKS["default"]["BACKEND"], "rq": s.RQ_QUEUES["default"]["URL"],
  "django_rq": "django_rq" in s.INSTALLED_APPS,
  "static": s.STORAGES["staticfiles"]["BACKEND"],
  "media": s.STORAGES["default"],
}))
"""


def test_production_settings_from_a_minimal_environment():
    result = run(SHOW)
    assert result.returncode == 0, result.stderr
    s = json.loads(result.stdout)
    assert s["DEBUG"] is False
    assert s["ALLOWED_HOSTS"] == ["tabanankab.go.id", "www.tabanankab.go.id"]
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SECURE_SSL_REDIRECT"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["db"] == ["django.db.backends.postgresql", "db.internal", 60, True]
    redis = "django.core.cache.backends.redis.RedisCache"
    assert s["caches"] == {
        "default": [redis, "redis://redis.internal:6379/0"],
        "renditions": [redis, "redis://redis.internal:6379/0"],
    }
    assert s["tasks"] == "django_tasks_rq.RQBackend" and s["django_rq"]
    assert s["rq"] == "redis://redis.internal:6379/0"
    assert s["static"] == "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    assert s["media"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_required_values(missing):
    result = run(SHOW, drop=[missing])
    assert result.returncode != 0
    assert f"Set {missing} for production." in result.stderr


def test_check_deploy_passes_without_warnings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


S3_ENV = {
    "LONTAR_S3_BUCKET": "tabanan-media",
    "LONTAR_S3_ENDPOINT_URL": "https://s3.diskominfo.internal",
    "LONTAR_S3_PUBLIC_URL": "https://media.tabanankab.go.id",
}
SHOW_MEDIA = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage, storages
print(json.dumps({
  "default": settings.STORAGES["default"], "static": settings.STORAGES["staticfiles"]["BACKEND"],
  "class": type(storages["default"]).__module__,
  "url": default_storage.url("images/pura.fill-120x80.jpg"),
}))
"""


def test_a_bucket_in_the_environment_puts_media_in_s3():
    result = run(SHOW_MEDIA, S3_ENV)
    assert result.returncode == 0, result.stderr
    s = json.loads(result.stdout)
    assert s["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s["default"]["OPTIONS"]
    assert options["bucket_name"] == "tabanan-media"
    assert options["endpoint_url"] == "https://s3.diskominfo.internal"
    assert options["querystring_auth"] is False and options["file_overwrite"] is False
    # No keys in the environment: none in the settings, boto3 looks for its own.
    assert "access_key" not in options and "secret_key" not in options
    assert s["static"] == "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    # The storage is built (without a network call) and links to the public address.
    assert s["class"] == "storages.backends.s3"
    assert s["url"] == "https://media.tabanankab.go.id/images/pura.fill-120x80.jpg"


def test_production_refuses_half_s3_credentials():
    result = run(SHOW_MEDIA, {**S3_ENV, "LONTAR_S3_ACCESS_KEY_ID": "only-the-id"})
    assert result.returncode != 0
    assert "Set both LONTAR_S3_ACCESS_KEY_ID and LONTAR_S3_SECRET_ACCESS_KEY, or neither." in result.stderr


def test_check_deploy_passes_with_s3_media():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], S3_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
