"""Benchmark: hostile search queries against ordinary ones on the 20,000-page site (issue 7).

Not part of the test suite. ``tests/security/test_input_limits.py`` shows, by counting
statements and SQL, that a hostile query does no more database work than an ordinary one; this
measures what that costs in time on the benchmark database (``bench/generate.py``, with its
search index), side by side in one run: each page with an ordinary word, then with each hostile
query of the test, ``--runs`` times, in-process through Django's test client with DEBUG off.
The public search bypasses its page cache (each request differs in an unused parameter).

    .venv/bin/python bench/search_abuse_bench.py              # median and max per page, in ms
    .venv/bin/python bench/search_abuse_bench.py --runs 10
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import datagen  # noqa: E402
from bench.generate import DEFAULT_URL  # noqa: E402

ORDINARY = "pameran"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_SITE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    datagen.setup_django(args.database_url, "lontar.settings.dev")
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from wagtail.models import Page

    from tests.security.test_input_limits import SearchAbuseTest

    settings.DEBUG = False
    settings.LONTAR_REQUIRE_2FA = False
    settings.LONTAR_ADMIN_IDLE_MINUTES = 0
    admin = get_user_model().objects.filter(is_superuser=True).first()
    if admin is None:
        # generate.py writes no superuser; the benchmark database is disposable.
        admin = get_user_model().objects.get(username="benchadmin0")
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    signed_in, visitor = Client(), Client()
    signed_in.force_login(admin)
    unique = itertools.count()
    print(f"data: {Page.objects.live().count():,} live pages; runs={args.runs} each after one warm-up; ms")

    def timed(url: str, query: str) -> list[float]:
        client = visitor if url == "/cari/" else signed_in
        timings = []
        for _ in range(args.runs + 1):
            started = time.perf_counter()
            response = client.get(url, {"q": query, "bench": next(unique)})
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, query[:20], response.status_code)
        return sorted(timings[1:])

    print(f"{'page':<30} {'query':<22} {'median':>8} {'max':>8} {'× ordinary':>11}")
    for url in ["/cari/", *SearchAbuseTest.ADMIN_URLS]:
        ordinary = statistics.median(timed(url, ORDINARY))
        print(f"{url:<30} {ORDINARY!r:<22} {ordinary:8.1f} {'':>8} {1:>11.2f}")
        worst = (0.0, "")
        for query in SearchAbuseTest.QUERIES:
            timings = timed(url, query)
            median = statistics.median(timings)
            worst = max(worst, (median, query))
            print(f"{'':<30} {query[:20]!r:<22} {median:8.1f} {timings[-1]:8.1f} {median / ordinary:11.2f}")
        print(f"{'':<30} worst median {worst[0]:.1f} ms = {worst[0] / ordinary:.2f} × ordinary ({worst[1][:20]!r})")


if __name__ == "__main__":
    main()
