"""A real outage: gunicorn (deploy/gunicorn.conf.py, persistent connections as in production)
serves Lontar from a PostgreSQL server of the test's own; the server is stopped under it and
started again. While it is down every page answers 503 with the plain Indonesian page and no
trace; once it is back the same app processes answer 200 without being restarted.

Skipped where the PostgreSQL server binaries are not installed (see ops/tests/pg_cluster.py)."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ops.tests.pg_cluster import Cluster, free_port, missing_reason

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(missing_reason() is not None, reason=missing_reason() or "")

SESSION_COOKIE = "sessionid=sesi-yang-harus-dibaca-dari-basis-data"


def fetch(base: str, path: str, *, cookie: str | None = None, method: str = "GET", data: bytes | None = None):
    request = urllib.request.Request(base + path, method=method, data=data)
    if cookie:
        request.add_header("Cookie", cookie)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def stack(tmp_path):
    cluster = Cluster().init()
    try:
        cluster.start()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lontar.settings.test",
            "DATABASE_URL": cluster.createdb("lontar_fault"),
            # Production keeps connections for 60 s and checks them before reuse.
            "DATABASE_CONN_MAX_AGE": "60",
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        for command in (["migrate", "--noinput", "-v0"], ["setup_portal"]):
            subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
        port = free_port()
        log = tmp_path / "gunicorn.log"
        env.update(
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_WORKERS="1",
            GUNICORN_THREADS="2",
            LONTAR_GUNICORN_PIDFILE=str(tmp_path / "gunicorn.pid"),
        )
        with open(log, "w") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "lontar.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if fetch(base, "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start:\n" + log.read_text())
                time.sleep(0.3)
            yield {"base": base, "cluster": cluster, "server": server, "log": log}
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    finally:
        cluster.destroy()


def assert_unavailable(response):
    status, headers, body = response
    assert status == 503, body[:2000]
    assert headers["Retry-After"] == "30"
    assert headers["Cache-Control"] == "no-store"
    assert "Layanan sementara tidak tersedia" in body
    assert "Permintaan Anda belum diproses" in body
    for leak in ("Traceback", "OperationalError", "psycopg", "127.0.0.1", "connection", "Server Error"):
        assert leak not in body, leak


def test_database_stopped_and_started_around_requests(stack):
    base, cluster, log = stack["base"], stack["cluster"], stack["log"]
    pages = ["/", "/berita/", "/tidak-ada/"]
    assert [fetch(base, page)[0] for page in pages] == [200, 200, 404]
    status, headers, _ = fetch(base, "/admin/", cookie=SESSION_COOKIE)
    assert (status, headers["Location"].split("?")[0]) == (302, "/admin/login/")

    cluster.stop()
    started = time.monotonic()
    for page in pages:
        assert_unavailable(fetch(base, page))
    # The admin: the session is read from the database (the view's permission check).
    assert_unavailable(fetch(base, "/admin/", cookie=SESSION_COOKIE))
    login = fetch(base, "/admin/login/", method="POST", data=b"username=a&password=b", cookie=SESSION_COOKIE)
    assert login[0] in (403, 503)  # CSRF refuses a bare POST before anything reads the database
    assert fetch(base, "/healthz")[0] == 200  # the process is alive: no restart loop
    assert fetch(base, "/readyz")[0] == 503  # out of the load balancer's rotation
    assert time.monotonic() - started < 20, "a refused connection must fail fast"

    cluster.start()
    # The same processes, nothing restarted: the next requests are served again.
    assert [fetch(base, page)[0] for page in pages] == [200, 200, 404]
    assert fetch(base, "/admin/", cookie=SESSION_COOKIE)[0] == 302
    assert fetch(base, "/readyz")[0] == 200

    # A restart between two requests: the persistent connection the server closed is replaced
    # before its first query (CONN_HEALTH_CHECKS), so not even one request fails.
    cluster.stop()
    cluster.start()
    assert [fetch(base, page)[0] for page in pages * 2] == [200, 200, 404] * 2

    text = log.read_text()
    assert stack["server"].poll() is None
    assert text.count("Booting worker") == 1, text  # the worker was never replaced
    # Logged once with the error for the operator, then one line per refused request.
    assert text.count("database unavailable: answering 503") == 1, text
    assert text.count("database still unavailable: 503") >= 3, text
