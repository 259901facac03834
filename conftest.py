"""Fixtures shared by every browser test: a live server with the real SOP, site and people, and
chromium driven through Playwright's sync API; Hypothesis settings for every property test."""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests check results, not speed: Hypothesis' default 200 ms deadline per example and its
# "too slow" health check fail a test when a busy CI machine stalls it (speed is bench/'s job).
settings.register_profile("lontar", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("lontar")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with empty caches, as a fresh process does: database rows are rolled back
    between tests but cache entries (sites, site chrome, renditions) would outlive them."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture
def world(live_server, django_db_serialized_rollback, transactional_db):
    """The SOP, the public site and one person per role, committed so the live server sees them.

    Transactional tests flush the database afterwards; the serialized rollback restores what the
    migrations created (Wagtail's root page and collection), which build_world needs."""
    from lontar.testing import build_world

    return build_world()


@pytest.fixture
def browser(world):
    """Chromium, started after the database is set up and stopped before it is flushed.

    While Playwright's sync API runs, an event loop is running in this thread: Django then refuses
    ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set, and hands out separate connection objects
    (asgiref's Local turns context-local), which are closed here before the loop stops. Keeping the
    loop inside the test is what lets the test-case setup and teardown (serialized rollback,
    flush) run on Django's ordinary connection."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is not installed (make browser)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                yield chromium
            finally:
                chromium.close()
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_device(browser, live_server):
    """Make a browser context pointed at the live server: a desk computer, or with ``phone=True``
    a 360×780 touch phone. Indonesian locale and WITA, as in the office."""
    contexts = []

    def make(*, phone=False):
        context = browser.new_context(
            base_url=live_server.url,
            locale="id-ID",
            timezone_id="Asia/Makassar",
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=2 if phone else 1,
        )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
