"""Database outage on SQLite: every way a request can meet it gives the 503 page (plain
Indonesian, Retry-After, no trace, logged once), and the next request after the database is back
is served as usual. The same against a PostgreSQL server that is really stopped and started is in
test_unavailable_postgres.py."""

import pytest
from django.conf import settings
from django.test import Client, SimpleTestCase, TransactionTestCase, override_settings

from ops import unavailable
from ops.tests.support import database_unreachable

INDONESIAN = "Layanan sementara tidak tersedia"
TEST_MIDDLEWARE = [*settings.MIDDLEWARE, "ops.tests.unavailable_urls.FailsBeforeView"]


def assert_unavailable_page(test, response):
    test.assertEqual(response.status_code, 503)
    test.assertEqual(response["Retry-After"], "30")
    test.assertEqual(response["Cache-Control"], "no-store")
    test.assertTrue(response["Content-Type"].startswith("text/html"))
    text = response.content.decode()
    test.assertIn(INDONESIAN, text)
    test.assertIn("Permintaan Anda belum diproses. Silakan coba lagi dalam 30 detik.", text)
    # Nothing of the error reaches the reader: no trace, no class name, no server address.
    for leak in ("Traceback", "OperationalError", "10.0.0.5", "5432", "Connection refused", "psycopg"):
        test.assertNotIn(leak, text)


@override_settings(ROOT_URLCONF="ops.tests.unavailable_urls", MIDDLEWARE=TEST_MIDDLEWARE)
class SimulatedOutageTest(SimpleTestCase):
    def setUp(self):
        unavailable.outage_log._last_full = float("-inf")
        # A 500 handler's exception is also signalled to the test client, which would re-raise it;
        # a browser only ever sees the response.
        self.client = Client(raise_request_exception=False)

    def get(self, url):
        with self.assertNoLogs("django.request", "WARNING"):  # logged once, by ops.unavailable
            with self.assertLogs("ops.unavailable", "WARNING") as logs:
                response = self.client.get(url)
        return response, logs

    def test_in_the_view(self):
        response, logs = self.get("/tampilan/")
        assert_unavailable_page(self, response)
        [record] = logs.records
        self.assertEqual(record.levelname, "ERROR")
        self.assertIn("GET /tampilan/", record.getMessage())
        self.assertIsNotNone(record.exc_info)  # the operator gets the error, the reader does not

    def test_in_a_template_rendered_after_the_view(self):
        assert_unavailable_page(self, self.get("/templat/")[0])

    def test_in_a_middleware_before_the_view(self):
        assert_unavailable_page(self, self.get("/baik/?gagal=sebelum")[0])

    def test_in_a_middleware_after_the_view(self):
        assert_unavailable_page(self, self.get("/baik/?gagal=sesudah")[0])

    def test_the_drivers_own_error_behind_another(self):
        assert_unavailable_page(self, self.get("/driver/")[0])

    def test_one_full_report_per_outage_then_one_line_per_request(self):
        levels = [self.get(url)[1].records[0].levelname for url in ("/tampilan/", "/templat/", "/baik/?gagal=sebelum")]
        self.assertEqual(levels, ["ERROR", "WARNING", "WARNING"])
        self.assertIsNone(self.get("/tampilan/")[1].records[0].exc_info)

    def test_cr_lf_in_the_path_stays_on_one_line(self):
        _response, logs = self.get("/tampilan/%0d%0aPALSU")
        self.assertNotIn("\n", logs.records[0].getMessage())
        self.assertNotIn("\r", logs.records[0].getMessage())

    def test_other_errors_stay_a_plain_500(self):
        with self.assertLogs("django.request", "ERROR"):
            response = self.client.get("/bug/")
        self.assertEqual(response.status_code, 500)
        self.assertNotIn(INDONESIAN, response.content.decode())
        self.assertNotIn("Traceback", response.content.decode())

    def test_healthy_requests_are_untouched(self):
        response = self.client.get("/baik/")
        self.assertEqual((response.status_code, response.content), (200, b"baik"))

    @override_settings(LANGUAGE_CODE="en")
    def test_english_readers_get_english(self):
        response = self.client.get("/tampilan/", headers={"accept-language": "en"})
        self.assertEqual(response.status_code, 503)
        self.assertIn("Service temporarily unavailable", response.content.decode())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class RealOutageTest(TransactionTestCase):
    """The test database made unreachable for real: the open connection is detached and the next
    one must be opened where nothing can be (a path in a directory that does not exist)."""

    serialized_rollback = True

    def setUp(self):
        from portal.services import portal_setup

        unavailable.outage_log._last_full = float("-inf")
        portal_setup()
        self.client = Client(raise_request_exception=False)

    def test_public_and_admin_pages_answer_503_then_recover_by_themselves(self):
        self.assertEqual(self.client.get("/").status_code, 200)
        with database_unreachable() as saved_connection:
            with self.assertLogs("ops.unavailable", "WARNING"):
                # Public pages: routing reads the page tree.
                assert_unavailable_page(self, self.client.get("/"))
                assert_unavailable_page(self, self.client.get("/berita/"))
                assert_unavailable_page(self, self.client.get("/tidak-ada/"))
                # The admin with a session: the session is read by the middleware stack, the user
                # by the view's permission check.
                self.client.cookies[settings.SESSION_COOKIE_NAME] = "sesi-yang-harus-dibaca-dari-basis-data"
                assert_unavailable_page(self, self.client.get("/admin/"))
                assert_unavailable_page(self, self.client.post("/admin/login/", {"username": "a", "password": "b"}))
            # The probes still answer: liveness without the database, readiness says why not.
            # (Load balancers send no cookies; with a session cookie, signing-in middleware
            # would read the session first.)
            del self.client.cookies[settings.SESSION_COOKIE_NAME]
            self.assertEqual(self.client.get("/healthz").status_code, 200)
            self.assertEqual(self.client.get("/readyz").status_code, 503)
        # Nothing is reset by hand: the next requests connect again.
        self.assertEqual(self.client.get("/").status_code, 200)
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 302)  # the unknown session is simply not logged in
        self.assertTrue(response["Location"].startswith("/admin/login/"))
        if saved_connection is not None:
            saved_connection.close()
