"""Helpers shared by the ops tests."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def database_unreachable():
    """Inside the block the default connection points where nothing answers; after it, where it
    pointed before, with nothing reset by hand (the next query connects again). Yields the
    connection it detached: the caller closes it once it has checked the recovery.

    Detached, not closed: closing an in-memory SQLite test database destroys it. The next query
    must then open a new connection, to a place that cannot be opened."""
    saved_connection, saved_settings = connection.connection, dict(connection.settings_dict)
    connection.connection = None
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-lontar-dir/db.sqlite3"
    else:
        connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1"})
    try:
        yield saved_connection
    finally:
        connection.settings_dict.update(saved_settings)
