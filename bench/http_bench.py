"""Benchmark: the public site through the production stack, against nginx serving static files.

Issue 6 asks Lontar to serve its public pages close to static speed. In one run on one machine,
for the home page, the berita list, a berita and a search, this measures with ``wrk``:

  (a) static   nginx serving the very bytes of each page as static files (the ceiling);
  (b) cached   Lontar through its production stack (nginx → gunicorn → Django, Redis page
               cache) as an anonymous reader gets it: nginx's one-second copy, refreshed from
               Lontar's Redis cache (``portal/page_cache.py``);
  (c) uncached the same pages rendered by Django on every request (a session cookie turns
               both caches off, as for anyone logged in),

then the ratios (b)/(a) and (c)/(a), how many requests reached gunicorn during (b), and
publish-to-visible: a berita is edited and published (Wagtail's publish of the new revision with
the SOP's authority, as step 10 does), and the clock runs from the moment the publish returns
until its detail page and the home page show the new title through nginx.

The stack is ``deploy/local-stack.sh`` with its state in ``var/bench-http/``, on its own ports
and Redis database (flushed first), stopped at the end:

    .venv/bin/python bench/http_bench.py                      # the site of bench/generate.py
    .venv/bin/python bench/http_bench.py --database-url postgres://postgres@127.0.0.1:5432/lontar
    .venv/bin/python bench/http_bench.py --smoke              # SQLite + demo data, 1 s per cell

``--smoke`` is what ``ops/tests/test_http_bench_smoke.py`` runs in ``make test``: every cell
answers, (b) is served by the caches, and a publish is seen. Figures go to stdout (Markdown)
and ``var/bench-http/result.json``; record them in ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/lontar_bench_site"
PAGES = ("home", "berita-list", "berita-detail", "search")
UNCACHED_COOKIE = "sessionid=lontar-bench-uncached"

STATIC_NGINX = """\
# bench/http_bench.py: nginx as a plain static file server, configured as in front of Lontar.
{user_line}
worker_processes auto;
pid {var}/static-nginx.pid;
error_log {var}/log/static-nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type text/html;
    access_log {var}/log/static-nginx-access.log combined buffer=64k flush=1s;
    client_body_temp_path {var}/nginx/static_client_body;
    proxy_temp_path {var}/nginx/static_proxy;
    fastcgi_temp_path {var}/nginx/static_fastcgi;
    uwsgi_temp_path {var}/nginx/static_uwsgi;
    scgi_temp_path {var}/nginx/static_scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    server_tokens off;
    server {{
        listen {listen};
        root {root};
        add_header X-Content-Type-Options nosniff always;
        add_header Referrer-Policy same-origin always;
        gzip_static on;
        location / {{ try_files $uri =404; }}
    }}
}}
"""

DISCOVER = """
import json, time
from urllib.parse import quote, urlsplit
from django.conf import settings
from portal.models import BeritaIndexPage, BeritaPage

# The demo content was indexed for search by the workers, in the background: until they are done,
# the search page (and its plain and gzip copies, rendered at different moments) may differ.
def pending():
    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_rq."):
        import django_rq
        queue = django_rq.get_queue("default")
        return queue.count + queue.started_job_registry.count
    from django_tasks_db.models import DBTaskResult
    return DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()

# Empty twice in a row: rq moves a job to its started registry just after taking it off the queue.
started, empty = time.monotonic(), 0
while empty < 2 and time.monotonic() - started < 600:
    empty = empty + 1 if not pending() else 0
    time.sleep(0.2)
index = BeritaIndexPage.objects.live().public().order_by("path").first()
berita = BeritaPage.objects.live().public().order_by("-first_published_at", "-pk").first()
word = max((w for w in berita.title.split() if w.isalpha()), key=len, default="berita")
print("DISCOVERED " + json.dumps({
    "home": "/",
    "berita-list": urlsplit(index.url).path,
    "berita-detail": urlsplit(berita.url).path,
    "search": "/cari/?q=" + quote(word.lower()),
    "berita_id": berita.pk,
    "tasks_pending": pending(),
    "tasks_wait_s": round(time.monotonic() - started, 1),
}))
"""

PUBLISH = """
import json, random, time, urllib.request
from desk.models import sop_publish_authorised
from portal.models import BeritaPage

base, urls, trials = {base!r}, {urls!r}, {trials}
original = BeritaPage.objects.get(pk={page_id}).title
rng = random.Random(6)

def publish(title):
    # Fresh from the database: the copy a publish leaves in memory names the old live revision.
    page = BeritaPage.objects.get(pk={page_id})
    page.title = title
    revision = page.save_revision()
    token = sop_publish_authorised.set(True)
    try:
        revision.publish(skip_permission_checks=True)
    finally:
        sop_publish_authorised.reset(token)

def shows(url, text):
    with urllib.request.urlopen(base + url, timeout=10) as response:
        return text.encode() in response.read()

results = []
try:
    for i in range(trials):
        # Publishes land anywhere in nginx's second.
        time.sleep(rng.random())
        title = f"Uji tayang {{i + 1}} {{time.time_ns()}}"
        started = time.perf_counter()
        publish(title)
        published = time.perf_counter()
        waiting = set(urls)
        seen = {{}}
        while waiting and time.perf_counter() - published < 10:
            for url in sorted(waiting):
                if shows(url, title):
                    seen[url] = (time.perf_counter() - published) * 1000
                    waiting.discard(url)
            time.sleep(0.005)
        results.append({{"publish_ms": (published - started) * 1000, "visible_ms": seen, "missing": sorted(waiting)}})
finally:
    publish(original)
print("PUBLISHED " + json.dumps(results))
"""


def run(cmd, *, env=None, timeout=600, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}")
    return result


def fetch(url: str, headers: dict | None = None) -> tuple[bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read(), dict(response.headers)


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(output: str) -> dict:
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+([\d.]+(?:us|ms|s))\s*$", output, re.M))
    maximum = re.search(r"^\s+Latency\s+\S+\s+\S+\s+([\d.]+(?:us|ms|s))", output, re.M)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    total = re.search(r"^\s+(\d+) requests in", output, re.M)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    if not (rps and total and "50" in latency and "99" in latency):
        raise SystemExit("could not read wrk's output:\n" + output)
    return {
        "rps": float(rps.group(1)),
        "requests": int(total.group(1)),
        "p50_ms": to_ms(latency["50"]),
        "p90_ms": to_ms(latency["90"]) if "90" in latency else None,
        "p99_ms": to_ms(latency["99"]),
        "max_ms": to_ms(maximum.group(1)) if maximum else None,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1).strip() if errors else "",
    }


def wrk(url: str, args, headers: dict | None = None) -> dict:
    cmd = ["wrk", "--latency", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    return parse_wrk(run([*cmd, url], timeout=args.duration + 60).stdout)


def slow_answers(log: Path, offset: int, threshold_ms: float = 50.0) -> dict:
    """nginx's own view of a wrk run: how many answers took longer than ``threshold_ms`` in nginx
    ($request_time), by how its cache answered them (the ``timed`` log format of
    deploy/nginx/local.conf.in)."""
    slow: dict[str, int] = {}
    total = 0
    with log.open("rb") as handle:
        handle.seek(offset)
        for line in handle:
            parts = line.rsplit(b'"', 2)[0].split()
            if len(parts) < 3:
                continue
            total += 1
            try:
                seconds = float(parts[-3])
            except ValueError:
                continue
            if seconds * 1000 > threshold_ms:
                status = parts[-2].decode()
                slow[status] = slow.get(status, 0) + 1
    return {"logged": total, f"over_{threshold_ms:g}ms": slow}


def size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def wait_until_idle(args, access_log: Path, limit: float = 600.0) -> float:
    """Wait until gunicorn has worked off what wrk gave up on.

    wrk drops a request after 2 s, and nginx closes its upstream connection, but gunicorn still
    takes each accepted request from its queue and renders it: after an uncached run of a slow
    page it may be busy for minutes, and the next cells would measure that. Idle is: no request
    finished in a second, and a health probe sent straight to gunicorn answered at once."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        lines = count_lines(access_log)
        time.sleep(1.0)
        probe = time.perf_counter()
        try:
            fetch(f"http://{args.app}/healthz")
        except OSError:
            continue
        if time.perf_counter() - probe < 0.1 and count_lines(access_log) <= lines + 1:
            return round(time.perf_counter() - started, 1)
    raise SystemExit(f"gunicorn was still busy {limit:.0f} s after an uncached run")


def count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def stack_env(args, var: Path) -> dict:
    env = os.environ.copy()
    env.update(
        PY=sys.executable,
        LONTAR_PROD_VAR=str(var),
        LONTAR_PROD_LISTEN=args.listen,
        LONTAR_PROD_APP=args.app,
        LONTAR_PROD_DEMO="1" if args.demo else "0",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
    )
    if args.media_root:
        env["LONTAR_PROD_MEDIA_ROOT"] = str(args.media_root.resolve())
    return env


def django_env(args, var: Path) -> dict:
    # What deploy/local-stack.sh gives the app servers, for the discovery and publish scripts.
    env = stack_env(args, var)
    env.update(
        DJANGO_SETTINGS_MODULE="lontar.settings.production",
        DJANGO_SECRET_KEY=(var / "secret.key").read_text().strip(),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(var / "static"),
        MEDIA_ROOT=env.get("LONTAR_PROD_MEDIA_ROOT", str(var / "media")),
        LONTAR_PROXY_REFRESH_URLS=f"http://{args.listen}",
    )
    return env


def shell(args, var: Path, code: str, marker: str):
    result = run([sys.executable, "manage.py", "shell", "-c", code], env=django_env(args, var), timeout=900)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith(marker + " ")), None)
    if line is None:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"no {marker} line from the shell")
    return json.loads(line[len(marker) + 1 :])


def start_static_server(args, var: Path, pages: dict[str, bytes]) -> Path:
    root = var / "static-copy"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for name, body in pages.items():
        (root / f"{name}.html").write_bytes(body)
        # What a static site would ship for readers who accept gzip (gzip_static).
        (root / f"{name}.html.gz").write_bytes(gzip.compress(body, compresslevel=6))
    conf = var / "static-nginx.conf"
    conf.write_text(
        STATIC_NGINX.format(
            var=var, root=root, listen=args.static_listen, user_line="user root;" if os.getuid() == 0 else ""
        )
    )
    run(["nginx", "-t", "-q", "-c", str(conf), "-p", str(var)])
    run(["nginx", "-c", str(conf), "-p", str(var)])
    return conf


def free_ports(count: int) -> list[int]:
    import socket

    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU ({cpu}), load average {os.getloadavg()[0]:.1f} at the start"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_HTTP_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3", help="flushed at the start")
    parser.add_argument("--listen", default="127.0.0.1:8090")
    parser.add_argument("--app", default="127.0.0.1:8091")
    parser.add_argument("--static-listen", default="127.0.0.1:8092")
    parser.add_argument("--var", type=Path, default=ROOT / "var" / "bench-http")
    parser.add_argument(
        "--media-root",
        type=Path,
        default=ROOT / "var" / "media",
        help="the media of the database (bench/generate.py writes them to var/media)",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--publish-trials", type=int, default=20)
    parser.add_argument("--demo", action="store_true", help="load the demo site into an empty database")
    parser.add_argument("--publish-only", action="store_true", help="measure publish-to-visible only (no wrk cells)")
    parser.add_argument("--keep", action="store_true", help="leave the stack running")
    parser.add_argument("--output", type=Path, help="where the JSON goes (default: the state directory)")
    parser.add_argument(
        "--smoke", action="store_true", help="SQLite with demo data in a temporary directory, 1 s per cell"
    )
    args = parser.parse_args()

    for tool in ("wrk", "nginx", "redis-cli"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing (Debian packages wrk, nginx, redis-tools)")
    temporary = None
    if args.smoke:
        temporary = Path(tempfile.mkdtemp(prefix="lontar-bench-smoke-"))
        args.var = temporary / "var"
        args.database_url = f"sqlite:///{temporary / 'db.sqlite3'}"
        args.demo = True
        args.media_root = None
        args.duration = 1
        args.connections = 4
        args.threads = 1
        args.publish_trials = 2
        args.listen, args.app, args.static_listen = (f"127.0.0.1:{port}" for port in free_ports(3))
    var = args.var.resolve()
    var.mkdir(parents=True, exist_ok=True)
    commit = run(["git", "rev-parse", "--short", "HEAD"], check=False).stdout.strip() or "?"
    dirty = bool(run(["git", "status", "--porcelain", "--untracked-files=no"], check=False).stdout.strip())
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "commit": commit + (" + working tree" if dirty else ""),
        "machine": machine(),
        "database": re.sub(r"//[^@/]*@", "//", args.database_url),
        "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s",
        "pages": {},
    }

    run(["redis-cli", "-u", args.redis_url, "flushdb"])
    # nginx logs every request of every run (~1 GB a run): keep only this run's.
    for log in ("nginx-access.log", "static-nginx-access.log"):
        (var / "log" / log).unlink(missing_ok=True)
    env = stack_env(args, var)
    started = time.perf_counter()
    run(["deploy/local-stack.sh", "start"], env=env, timeout=1800)
    report["stack_start_s"] = round(time.perf_counter() - started, 1)
    static_conf = None
    try:
        found = shell(args, var, DISCOVER, "DISCOVERED")
        urls = {name: found[name] for name in PAGES}
        report["tasks_wait_s"] = found["tasks_wait_s"]
        if found["tasks_pending"]:
            raise SystemExit(f"the task workers still had {found['tasks_pending']} tasks after 10 minutes")
        base = f"http://{args.listen}"
        bodies = {}
        for name, path in urls.items():
            for _ in range(3):  # fill Lontar's cache and nginx's
                body, headers = fetch(base + path)
            bodies[name] = body
            report["pages"][name] = {
                "path": path,
                "bytes": len(body),
                "x_cache": headers.get("X-Cache"),  # as Lontar answered when nginx took its copy
                "x_proxy_cache": headers.get("X-Proxy-Cache"),
            }
            for _ in range(2):
                packed_body, packed_headers = fetch(base + path, {"Accept-Encoding": "gzip"})
            report["pages"][name]["gzip"] = {
                "content_encoding": packed_headers.get("Content-Encoding"),
                "bytes": len(packed_body),
                "same_page": gzip.decompress(packed_body) == body,
            }
        # The search is for a word of the newest berita's title: measured with the index complete.
        report["search_finds_berita"] = urls["berita-detail"].encode() in bodies["search"]
        static_conf = start_static_server(args, var, bodies)
        static_base = f"http://{args.static_listen}"
        for name, body in bodies.items():
            assert fetch(f"{static_base}/{name}.html")[0] == body, name

        access_log = var / "log" / "gunicorn-access.log"
        nginx_log = var / "log" / "nginx-access.log"
        for name, path in urls.items():
            if args.publish_only:
                break
            cells = report["pages"][name]
            cells["static"] = wrk(f"{static_base}/{name}.html", args)
            before, nginx_before = count_lines(access_log), size(nginx_log)
            cells["cached"] = wrk(base + path, args)
            time.sleep(1.5)  # gunicorn's access log is written after each response, nginx's each second
            cells["cached"]["upstream_requests"] = count_lines(access_log) - before
            cells["cached"]["nginx"] = slow_answers(nginx_log, nginx_before)
            cells["uncached"] = wrk(base + path, args, headers={"Cookie": UNCACHED_COOKIE})
            cells["uncached"]["drain_s"] = wait_until_idle(args, access_log)
            # What browsers do: ask for compression. The static files come precompressed; Lontar
            # compresses a page once when its cache stores it.
            packed = {"Accept-Encoding": "gzip"}
            cells["static_gzip"] = wrk(f"{static_base}/{name}.html", args, headers=packed)
            nginx_before = size(nginx_log)
            cells["cached_gzip"] = wrk(base + path, args, headers=packed)
            time.sleep(1.5)
            cells["cached_gzip"]["nginx"] = slow_answers(nginx_log, nginx_before)
            cells["cached_gzip_ratio"] = cells["cached_gzip"]["rps"] / cells["static_gzip"]["rps"]
            for kind in ("cached", "uncached"):
                cells[f"{kind}_ratio"] = cells[kind]["rps"] / cells["static"]["rps"]
            print(
                f"  {name}: static {cells['static']['rps']:.0f}/s, cached {cells['cached']['rps']:.0f}/s, "
                f"uncached {cells['uncached']['rps']:.0f}/s",
                file=sys.stderr,
            )

        watched = [urls["berita-detail"], urls["home"]]
        # Readers keep both pages in nginx's cache while the publishes happen, as on a busy day:
        # without them nginx's copy would have expired before each publish and the figure would
        # leave out the wait for it.
        readers = [
            subprocess.Popen(
                ["wrk", "-t1", "-c2", f"-d{args.publish_trials * 3 + 120}s", base + url],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for url in watched
        ]
        try:
            trials = shell(
                args,
                var,
                PUBLISH.format(page_id=found["berita_id"], base=base, urls=watched, trials=args.publish_trials),
                "PUBLISHED",
            )
        finally:
            for reader in readers:
                reader.terminate()
                reader.wait()
        visible = sorted(max(t["visible_ms"].values(), default=float("inf")) for t in trials if not t["missing"])
        report["publish"] = {
            "trials": len(trials),
            "not_visible_within_10s": sum(1 for t in trials if t["missing"]),
            "watched": watched,
            "publish_ms_median": statistics.median(t["publish_ms"] for t in trials),
            "visible_ms_median": statistics.median(visible) if visible else None,
            "visible_ms_max": visible[-1] if visible else None,
        }
    finally:
        if static_conf is not None:
            run(["nginx", "-c", str(static_conf), "-p", str(var), "-s", "quit"], check=False)
        if not args.keep:
            run(["deploy/local-stack.sh", "stop"], env=env, check=False)
        if temporary is not None and not args.keep:
            shutil.rmtree(temporary, ignore_errors=True)

    out = args.output or (ROOT / "var" / "bench-http-smoke.json" if args.smoke else var / "result.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(markdown(report))
    print(f"\n(JSON: {out})")
    return 0


def markdown(report: dict) -> str:
    lines = [
        f"**{report['date']}** · commit `{report['commit']}` · {report['machine']} · {report['database']}"
        f" · wrk {report['wrk']}",
        "",
        "| page | bytes | (a) static req/s | p50 | p99 | (b) cached req/s | p50 | p99 | to gunicorn"
        " | (c) uncached req/s | p50 | p99 | (b)/(a) | (c)/(a) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, cells in report["pages"].items():
        if "static" not in cells:
            continue  # --publish-only
        a, b, c = cells["static"], cells["cached"], cells["uncached"]
        lines.append(
            f"| {name} `{cells['path']}` | {cells['bytes']:,} | {a['rps']:,.0f} | {a['p50_ms']:.2f} | {a['p99_ms']:.2f}"
            f" | {b['rps']:,.0f} | {b['p50_ms']:.2f} | {b['p99_ms']:.2f} | {b['upstream_requests']:,}"
            f" | {c['rps']:,.0f} | {c['p50_ms']:.1f} | {c['p99_ms']:.1f}"
            f" | **{cells['cached_ratio']:.0%}** | {cells['uncached_ratio']:.1%} |"
        )
        kinds = ("static", "cached", "uncached", "static_gzip", "cached_gzip")
        bad = [f"{k}: {cells[k]['non_2xx']} non-2xx" for k in kinds if cells[k]["non_2xx"]]
        if bad:
            lines.append(f"| ⚠ {name}: {', '.join(bad)} |")
    uncached = []
    for name, cells in report["pages"].items():
        if "uncached" in cells:
            errors = cells["uncached"]["socket_errors"]
            uncached.append(f"{name} {cells['uncached'].get('drain_s', '?')} s" + (f" ({errors})" if errors else ""))
    if uncached:
        lines += [
            "",
            "After each uncached run the next cell waited until gunicorn had finished what wrk gave up"
            " on (wrk's socket errors in brackets): " + "; ".join(uncached) + ".",
        ]
    lines += [
        "",
        "With `Accept-Encoding: gzip` (as browsers send): static files precompressed (`gzip_static`),"
        " Lontar's pages compressed once when cached.",
        "",
        "| page | (a) static gzip req/s | p50 | p99 | (b) cached gzip req/s | p50 | p99 | (b)/(a) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, cells in report["pages"].items():
        if "static" not in cells:
            continue
        a, b = cells["static_gzip"], cells["cached_gzip"]
        lines.append(
            f"| {name} | {a['rps']:,.0f} | {a['p50_ms']:.2f} | {a['p99_ms']:.2f} | {b['rps']:,.0f} | {b['p50_ms']:.2f}"
            f" | {b['p99_ms']:.2f} | **{cells['cached_gzip_ratio']:.0%}** |"
        )
    p = report.get("publish")
    if p:
        lines += [
            "",
            f"Publish-to-visible ({p['trials']} publishes, watching {', '.join(p['watched'])} through nginx"
            " while two wrk connections per page keep reading them):"
            f" median {p['visible_ms_median']:.0f} ms, max {p['visible_ms_max']:.0f} ms after the publish"
            f" returned (the publish itself: median {p['publish_ms_median']:.0f} ms);"
            f" not visible within 10 s: {p['not_visible_within_10s']}.",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
