"""Pages while the database is unreachable: a 503 with a plain Indonesian page, never a 500 or a trace.

A database error can surface in three places, and each is answered with the same page:

- in a view, or while a ``TemplateResponse`` is rendered after the view: Django offers both to
  ``process_exception`` (``DatabaseUnavailableMiddleware``);
- inside a middleware (the session loaded or saved by ``SessionMiddleware``, the user looked up
  for a middleware that reads ``request.user``, Wagtail's redirect lookup after a 404, the
  messages) or while the 404 page is drawn: Django turns the exception into a 500 at that
  middleware's own boundary, so no other middleware ever sees it, wherever it is placed. The
  500 handler (``lontar.urls.handler500`` = ``ops.views.server_error``) still runs while the
  exception is being handled and answers the same 503 from here.

The page is a template of its own, rendered without a request: no context processor (Wagtail's
settings, the site chrome) and no cache entry that needs the database. It says ``Retry-After``
and ``no-store``, so neither a browser nor nginx keeps the outage.

Recovery needs nothing from here: Django drops a connection that raised such an error when the
request ends, and with ``CONN_HEALTH_CHECKS`` (production) a persistent connection the database
closed is replaced before its first query, so the first request after the database returns
succeeds. The middleware also drops unusable connections as soon as it answers, so a server that
reuses its thread for the next request (gunicorn's sync workers) never starts from a dead one.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

TEMPLATE = "ops/db_unavailable.html"


def _driver_errors() -> tuple[type[BaseException], ...]:
    # Django wraps the driver's errors in its own classes; a library that talks to the driver
    # directly (a connection pool, psycopg's own helpers) may let the driver's through.
    errors: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:
        import psycopg
    except ImportError:  # pragma: no cover - SQLite-only installs
        pass
    else:
        errors += [psycopg.OperationalError, psycopg.InterfaceError]
    return tuple(errors)


DATABASE_ERRORS = _driver_errors()


def is_database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what it was raised from) means the database cannot answer now: it
    cannot be reached, the connection broke, or it is locked or shutting down. Errors in a query
    itself (integrity, data, programming) are not: they are bugs or refusals, not an outage."""
    for _depth in range(5):
        if exc is None:
            return False
        if isinstance(exc, DATABASE_ERRORS):
            return True
        exc = exc.__cause__
    return False


class _OutageLog:
    """One full report (with the exception) per outage, then one short line per request: a
    database that is down for ten minutes under load must not fill the disk with tracebacks."""

    def __init__(self, quiet_seconds: float = 60.0):
        self.quiet_seconds = quiet_seconds
        self._last_full = float("-inf")
        self._lock = threading.Lock()

    def report(self, request, exc: BaseException) -> None:
        path = request.path.encode("unicode_escape").decode("ascii")  # no CR/LF into the log
        now = time.monotonic()
        with self._lock:
            full = now - self._last_full >= self.quiet_seconds
            if full:
                self._last_full = now
        if full:
            logger.error(
                "database unavailable: answering 503 (%s %s)", request.method, path, exc_info=(type(exc), exc, None)
            )
        else:
            logger.warning("database still unavailable: 503 for %s %s (%s)", request.method, path, type(exc).__name__)


outage_log = _OutageLog()


def drop_unusable_connections() -> None:
    """Close every connection that raised a connection-level error, so the next request opens a
    fresh one. A connection inside an atomic block is left alone: its owner (a test case, or an
    outer transaction) rolls it back and Django closes it when the request ends."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is None or connection.in_atomic_block:
            continue
        try:
            connection.close_if_unusable_or_obsolete()
        except Exception:  # closing a broken socket may fail too; Django retries on the next request
            logger.debug("could not close connection %s", connection.alias, exc_info=True)


def unavailable_response(request, exc: BaseException) -> HttpResponse:
    """The 503 page, logged once here (Django is told not to log the same response again)."""
    outage_log.report(request, exc)
    drop_unusable_connections()
    retry_after = int(getattr(settings, "LONTAR_DB_UNAVAILABLE_RETRY_AFTER", 30))
    # No request: no context processors, so nothing in drawing the page reaches the database.
    body = render_to_string(TEMPLATE, {"retry_after": retry_after, "language": get_language() or "id"})
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # django.utils.log.log_response: one line per request is ours
    return response


class DatabaseUnavailableMiddleware:
    """Answers a database outage met by the view or by a late-rendered template with the 503
    page. Place it right after SecurityMiddleware: outside everything that may touch the
    database, and inside the middleware whose headers (HSTS, nosniff) the page should carry.
    Errors raised inside other middleware reach ``ops.views.server_error`` instead (see the
    module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return unavailable_response(request, exception)
        return None
