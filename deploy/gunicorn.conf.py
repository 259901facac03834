"""Gunicorn for Lontar (gunicorn -c deploy/gunicorn.conf.py lontar.wsgi).

Why gunicorn with gthread workers: rendering a Django/Wagtail page is CPU-bound Python, so real
parallelism comes from processes (one per core, plus one to cover a worker blocked in I/O); a few
threads per process overlap the short waits on PostgreSQL and Redis without the monkey-patching
of gevent, which Django's ORM and psycopg do not need. Slow clients (mobile networks) never hold
a worker: nginx buffers the request and the response. Every value can be overridden from the
environment (GUNICORN_*) so that systemd units and `make prod` share this file."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# Loading the application before forking shares its memory between workers (copy-on-write);
# Django opens database connections lazily, in each worker, so none is shared across a fork.
preload_app = True
# A worker stuck longer than this (a runaway report) is replaced; nginx waits a little longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so slow leaks (caches in third-party code) cannot grow forever;
# the jitter keeps them from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# nginx in front overwrites X-Forwarded-For/Proto; trust them only from the local proxy.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
pidfile = os.environ.get("LONTAR_GUNICORN_PIDFILE") or None
proc_name = "lontar"
# gunicorn ≥ 24 opens a control socket in the user's home by default; several instances (or
# releases) on one machine would share that path, so each gets its own next to its pid file.
control_socket = os.environ.get("LONTAR_GUNICORN_CONTROL_SOCKET") or (
    f"{pidfile}.ctl" if pidfile else os.path.expanduser("~/.gunicorn/lontar.ctl")
)
