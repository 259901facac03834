"""After a purge, replace nginx's copies of the purged pages at once instead of at the end of its
second.

nginx keeps each page Lontar's cache holds until the end of the current second
(``X-Accel-Expires``, ``portal.page_cache``). A purge reaches Lontar's own cache immediately, but a
copy nginx took earlier in that second would be served until the second ends and then refreshed
by a reader's request, which renders the page: a publish was visible after up to a second plus
one render. Here Lontar remembers which pages (address, language, encoding, tags) it handed to
nginx in the current and the previous second, and after a purge asks nginx again for those the
purge touched, with a header that makes nginx fetch the page afresh and store the answer
(``proxy_cache_bypass``; nginx honours it only from the addresses its config trusts). A publish
is then visible through nginx after one render, whenever in the second it lands.

Off unless ``LONTAR_PROXY_REFRESH_URLS`` names the nginx servers in front (``make prod`` sets its
own). Nothing here can fail a request or a publish: errors are logged, and a copy not refreshed
still expires with its second. The same holds where the process ends with the purge (an RQ
work-horse that ran a scheduled publish exits after its job, and the refresh thread with it).
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

HEADER = "X-Lontar-Refresh"
# Long enough for the previous second's copies to be read after a purge; short enough that the
# bookkeeping never outlives its use.
REMEMBER_SECONDS = 5


def enabled() -> bool:
    # getattr: a script may purge with settings of its own (portal/tests/test_page_cache.py).
    return bool(getattr(settings, "LONTAR_PROXY_REFRESH_URLS", None))


def _counter(second: int) -> str:
    return f"lontar:pc:handed:{second}"


def remember(cache, request, language: str, encoding: str, tags) -> None:
    """Note that nginx may keep this answer until the end of the current second (callers check
    ``enabled()`` first)."""
    if request.method != "GET":
        return
    counter = _counter(int(time.time()))
    try:
        try:
            slot = cache.incr(counter)
        except ValueError:
            cache.add(counter, 0, REMEMBER_SECONDS)
            slot = cache.incr(counter)
        page = (request.get_host(), request.get_full_path(), language, encoding, sorted(tags))
        cache.set(f"{counter}:{slot}", page, REMEMBER_SECONDS)
    except Exception:
        logger.warning("proxy refresh: could not note a page handed to nginx", exc_info=True)


def handed_out(cache, tags) -> list[tuple]:
    """The pages handed to nginx in this second and the previous one that show one of ``tags``,
    most recent first, without repeats, at most ``LONTAR_PROXY_REFRESH_LIMIT``."""
    now = int(time.time())
    counters = [_counter(s) for s in (now, now - 1)]
    counts = cache.get_many(counters)
    keys = [f"{c}:{i}" for c in counters for i in range(counts.get(c) or 0, 0, -1)]
    found = cache.get_many(keys) if keys else {}
    wanted, pages = set(tags), []
    seen = set()
    for key in keys:
        page = found.get(key)
        if page is None or not wanted.intersection(page[4]):
            continue
        variant = tuple(page[:4])
        if variant not in seen:
            seen.add(variant)
            pages.append(variant)
    return pages[: settings.LONTAR_PROXY_REFRESH_LIMIT]


def refresh_after_purge(cache, tags) -> threading.Thread | None:
    """Ask nginx afresh for the pages it may hold that ``tags`` touch, in a background thread
    (the publish that purged does not wait for the renders). Returns the thread, for tests."""
    if not enabled():
        return None
    try:
        pages = handed_out(cache, tags)
    except Exception:
        logger.warning("proxy refresh: could not read the pages handed to nginx", exc_info=True)
        return None
    if not pages:
        return None
    thread = threading.Thread(target=_refresh_all, args=(pages,), name="lontar-proxy-refresh", daemon=True)
    thread.start()
    return thread


def _refresh_all(pages) -> None:
    jobs = [(base.rstrip("/"), page) for base in settings.LONTAR_PROXY_REFRESH_URLS for page in pages]
    # A few at a time: these are renders (the purge emptied Lontar's entries), and the app
    # servers are also answering readers.
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda job: _refresh(*job), jobs))


def _refresh(base: str, page) -> None:
    host, path, language, encoding = page
    request = urllib.request.Request(
        base + path,
        headers={
            "Host": host,
            "Accept-Language": language,
            "Accept-Encoding": encoding or "identity",
            HEADER: "1",
        },
    )
    # The refresh URLs are the nginx servers' own internal addresses (https://127.0.0.1, say),
    # which their certificate does not name: it is not checked. The request carries no secret and
    # changes nothing but the moment nginx takes a fresh copy; one intercepted is one not made,
    # and that copy expires with its second anyway.
    context = ssl._create_unverified_context() if base.startswith("https:") else None  # noqa: S323
    try:
        with urllib.request.urlopen(request, timeout=settings.LONTAR_PROXY_REFRESH_TIMEOUT, context=context) as response:  # noqa: S310
            response.read()
    except Exception as error:
        logger.warning("proxy refresh of %s%s at %s failed: %s", host, path, urlsplit(base).netloc, error)
