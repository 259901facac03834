"""Signing in through Wagtail's real login form, and reading the production settings."""

import importlib
import os
import sys
from unittest import mock

from django.urls import reverse

from lontar.testing import PASSWORD

LOGIN_URL = "/admin/login/"


def login_form(client, username, password=PASSWORD, *, ip="10.20.30.40", next_url="/admin/", **extra):
    """POST Wagtail's login form as a browser would, from the address ``ip``."""
    return client.post(
        LOGIN_URL, {"username": username, "password": password, "next": next_url}, REMOTE_ADDR=ip, **extra
    )


def logout_form(client, **extra):
    return client.post(reverse("wagtailadmin_logout"), **extra)


def production_settings():
    """lontar.settings.production as a module, loaded with the environment it requires."""
    env = {
        "DJANGO_SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://lontar@db/lontar",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "DJANGO_ALLOWED_HOSTS": "tabanankab.go.id",
    }
    names = ("lontar.settings.base", "lontar.settings.production")
    saved = {name: sys.modules.pop(name, None) for name in names}
    try:
        with mock.patch.dict(os.environ, env):
            return importlib.import_module("lontar.settings.production")
    finally:
        import lontar.settings as package

        for name, module in saved.items():
            sys.modules.pop(name, None)
            if module is not None:
                sys.modules[name] = module
                setattr(package, name.rsplit(".", 1)[1], module)
