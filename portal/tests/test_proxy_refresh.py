"""After a purge Lontar asks nginx afresh for the pages it handed out that the purge touched
(portal.proxy_refresh), so a publish does not wait for the end of nginx's second.

A stand-in for nginx (a small HTTP server) records the refresh requests; the nginx side of the
exchange (the header bypasses the copy, only from the app servers) is tested against real nginx
in ops/tests/test_deploy_configs.py, and the effect on publish-to-visible is measured by
bench/http_bench.py.
"""

import datetime as dt
import http.server
import ssl
import subprocess
import threading
from contextlib import contextmanager

import time_machine
from django.core.cache import caches
from django.test import TestCase, override_settings

from desk.tests import sop_driver as D
from lontar.testing import build_world
from portal import proxy_refresh


class _Nginx(http.server.BaseHTTPRequestHandler):
    asked: list = []

    def do_GET(self):
        self.asked.append(
            {
                "path": self.path,
                "host": self.headers["Host"],
                "language": self.headers["Accept-Language"],
                "encoding": self.headers["Accept-Encoding"],
                "refresh": self.headers[proxy_refresh.HEADER],
            }
        )
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


START = dt.datetime(2026, 11, 26, 9, 0, 0, 200_000, tzinfo=dt.UTC)


class ProxyRefreshTest(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nginx = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Nginx)
        threading.Thread(target=cls.nginx.serve_forever, daemon=True).start()
        cls.nginx_url = f"http://127.0.0.1:{cls.nginx.server_address[1]}"

    @classmethod
    def tearDownClass(cls):
        cls.nginx.shutdown()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        cls.berita = D.publish_berita(p, topic="Subak Jatiluwih dipanen")
        cls.pengumuman = D.publish_kind(p, kind="pengumuman", topic="Penutupan jalan Kediri")

    def setUp(self):
        caches["default"].clear()
        _Nginx.asked = []
        self.settings_override = override_settings(
            LONTAR_PAGE_CACHE_SECONDS=300, LONTAR_PROXY_REFRESH_URLS=[self.nginx_url + "/"]
        )
        self.settings_override.enable()
        self.addCleanup(self.settings_override.disable)

    @contextmanager
    def refreshes(self):
        """Run the block's purges as a commit would, and wait for the refreshes they start."""
        before = set(threading.enumerate())
        with self.captureOnCommitCallbacks(execute=True):
            yield
        for thread in set(threading.enumerate()) - before:
            if thread.name == "lontar-proxy-refresh":
                thread.join(10)

    def asked(self):
        return sorted((a["path"], a["language"], a["encoding"]) for a in _Nginx.asked)

    def test_a_publish_asks_nginx_again_for_the_pages_it_holds_that_show_it(self):
        with time_machine.travel(START, tick=False):
            # What nginx took this second: stored misses and hits, in three variants.
            self.client.get("/")
            self.client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
            self.client.get("/berita/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
            self.client.get("/berita/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")  # a hit: the same variant
            self.client.get(self.berita.url)
            self.client.get("/pengumuman/")
            self.client.get(self.pengumuman.url)
        with time_machine.travel(START + dt.timedelta(milliseconds=500), tick=False), self.refreshes():
            D.publish_berita(self.people, topic="Bupati meresmikan pasar Kediri")
        self.assertEqual(
            self.asked(),
            [
                ("/", "id", "gzip"),
                ("/", "id", "identity"),
                ("/berita/", "en", "identity"),
                (self.berita.url, "id", "identity"),  # its list of other berita may name the new one
            ],
        )
        for request in _Nginx.asked:
            self.assertEqual(request["host"], "testserver")
            self.assertEqual(request["refresh"], "1")

    def test_pages_nginx_took_in_an_earlier_second_have_expired_there_and_are_left_alone(self):
        with time_machine.travel(START, tick=False):
            self.client.get("/")
        with time_machine.travel(START + dt.timedelta(seconds=1), tick=False):
            self.client.get("/berita/")
        with time_machine.travel(START + dt.timedelta(seconds=2, milliseconds=100), tick=False), self.refreshes():
            D.publish_berita(self.people, topic="Bupati meresmikan pasar Kediri")
        # "/" was handed out two seconds ago: nginx's copy expired at the end of that second.
        self.assertEqual(self.asked(), [("/berita/", "id", "identity")])

    def test_no_more_than_the_limit_most_recent_first(self):
        with time_machine.travel(START, tick=False):
            self.client.get("/")
            self.client.get("/berita/")
        with override_settings(LONTAR_PROXY_REFRESH_LIMIT=1), time_machine.travel(START, tick=False), self.refreshes():
            D.publish_berita(self.people, topic="Bupati meresmikan pasar Kediri")
        self.assertEqual(self.asked(), [("/berita/", "id", "identity")])

    def test_off_without_nginx_urls(self):
        with override_settings(LONTAR_PROXY_REFRESH_URLS=[]), time_machine.travel(START, tick=False):
            self.client.get("/")
            with self.refreshes():
                D.publish_berita(self.people, topic="Bupati meresmikan pasar Kediri")
        self.assertEqual(_Nginx.asked, [])
        self.assertIsNone(caches["default"].get(proxy_refresh._counter(int(START.timestamp()))))

    def test_an_unreachable_nginx_costs_the_publish_nothing(self):
        with override_settings(LONTAR_PROXY_REFRESH_URLS=["http://127.0.0.1:9"]):
            with time_machine.travel(START, tick=False):
                self.client.get("/")
            with time_machine.travel(START, tick=False), self.assertLogs("portal.proxy_refresh", "WARNING") as logs:
                with self.refreshes():
                    new = D.publish_berita(self.people, topic="Bupati meresmikan pasar Kediri")
        self.assertTrue(new.live)
        self.assertIn("proxy refresh of testserver/ at 127.0.0.1:9 failed", logs.output[0])
        self.assertContains(self.client.get("/"), "Bupati meresmikan pasar Kediri")


def test_a_refresh_reaches_nginx_over_https_at_an_address_its_certificate_does_not_name(tmp_path):
    # Production: LONTAR_PROXY_REFRESH_URLS=https://127.0.0.1, the certificate names the site.
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=tabanankab.go.id",
         "-days", "1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Nginx)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Nginx.asked = []
    try:
        with override_settings(LONTAR_PROXY_REFRESH_TIMEOUT=5):
            proxy_refresh._refresh(f"https://127.0.0.1:{server.server_address[1]}", ("tabanankab.go.id", "/berita/", "en", "gzip"))
    finally:
        server.shutdown()
    assert _Nginx.asked == [
        {"path": "/berita/", "host": "tabanankab.go.id", "language": "en", "encoding": "gzip", "refresh": "1"}
    ]
