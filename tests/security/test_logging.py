"""CR/LF in logged values (log injection, CWE-117; Django's own case was CVE-2025-48432).

A username, a title or a URL path with a carriage return or line feed must not start a new line
in the log that a reader or a log shipper would take for another entry. The handler the settings
configure (``LOGGING``, filter ``lontar.logfilters.ControlCharacterFilter``) is built here from
those settings and records what reaches it."""

import io
import logging

from django.test import Client, TestCase
from django.utils.module_loading import import_string

from lontar.logfilters import escape_control_characters
from lontar.settings import base as base_settings

FORGED = "\r\nERROR django.security Login berhasil: admin"


class ConfiguredHandler:
    """The console handler of the production/development settings, writing to a buffer."""

    def __init__(self):
        config = base_settings.LOGGING
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        for name in config["handlers"]["console"].get("filters", []):
            self.handler.addFilter(import_string(config["filters"][name]["()"])())
        self.root = logging.getLogger()

    def __enter__(self):
        self.root.addHandler(self.handler)
        return self

    def __exit__(self, *exc):
        self.root.removeHandler(self.handler)

    @property
    def lines(self) -> list[str]:
        return self.stream.getvalue().splitlines()


class LogInjectionTest(TestCase):
    def test_the_settings_put_the_filter_on_the_console_handler(self):
        config = base_settings.LOGGING
        self.assertIn("control_characters", config["handlers"]["console"]["filters"])
        self.assertEqual(config["filters"]["control_characters"]["()"], "lontar.logfilters.ControlCharacterFilter")

    def test_a_request_path_with_crlf_is_one_log_line(self):
        with ConfiguredHandler() as log:
            response = Client().get("/tidak-ada%0D%0AERROR%20django.security%20Login%20berhasil/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(len(log.lines), 1, log.lines)
        self.assertTrue(log.lines[0].startswith("WARNING django.request Not Found:"))

    def test_user_typed_values_in_any_log_call_stay_on_one_line(self):
        """A title or username passed as an argument, formatted into the message, or sent through
        a third-party logger (axes, Wagtail): one record, one line."""
        title = f"Pameran UMKM{FORGED}"
        with ConfiguredHandler() as log:
            logging.getLogger("desk.services").warning("naskah %s dikembalikan", title)
            logging.getLogger("axes.watch_login").warning(f"AXES: gagal masuk {{'username': 'kasi{FORGED}'}}")
            logging.getLogger("wagtail").error("judul %(title)s", {"title": "x\u2028y\u2029z\x85w\x1b[31m"})
        self.assertEqual(len(log.lines), 3, log.lines)
        self.assertIn("Pameran UMKM\\r\\nERROR django.security", log.lines[0])
        self.assertIn("x\\u2028y\\u2029z\\u0085w\\u001b[31m", log.lines[2])

    def test_tracebacks_keep_their_lines(self):
        with ConfiguredHandler() as log:
            try:
                raise ValueError("gagal")
            except ValueError:
                logging.getLogger("notifications.services").exception("pengiriman %s gagal", f"x{FORGED}")
        self.assertIn("pengiriman x\\r\\nERROR", log.lines[0])
        self.assertTrue(any(line.startswith("Traceback") for line in log.lines[1:]))

    def test_escaping_keeps_tabs_and_ordinary_text(self):
        self.assertEqual(escape_control_characters("Tabanan\tBali — Pameran"), "Tabanan\tBali — Pameran")
        self.assertEqual(escape_control_characters("a\nb\rc\x00"), "a\\nb\\rc\\u0000")
