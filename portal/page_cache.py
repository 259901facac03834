"""A full-page cache for anonymous readers of the public site, purged by tags.

Why not Django's per-site cache or ``wagtail-cache``: both key entries by URL only, so a publish
can only be made visible by waiting for the timeout or clearing everything. Lontar must show a
page published at step 10 on the next request, and keep every other page cached.

How it works (see docs/architecture.md, "Full-page cache"):

- Views opt in by naming what they show as *tags* (``tag_response``): Wagtail pages through
  ``ServedPage.page_cache_tags`` (``page:<id>``, ``section:<id>`` for lists of its children,
  ``type:<app.model>`` for every kind of item it lists), the feeds, sitemap, iCalendar and
  data catalogue through fixed tags. Every entry also carries ``all``.
- Each tag has a *generation* in the cache; an entry keeps the generations it was built with and
  is stale as soon as one differs. Purging is bumping a generation: O(1), and shared by every
  process when the cache is Redis.
- A global *epoch* is bumped before the tags of every purge, and each purge notes under its epoch
  which tags it named (for two minutes). An entry built while the epoch stayed the same is fresh
  without reading its tags (one cache round trip per hit); a response rendered while a purge of
  one of its tags happened is not stored at all, so a render that read the database before a
  publish committed can never be stored under the generations after it. A render during purges
  of other tags only (the search index catching up while the home page renders) is stored.
- Purges run after the transaction commits, so no reader can re-cache the old content under the
  new generations.

Only anonymous GET/HEAD requests without a session cookie are looked up; a response is stored
only when it is a 200, sets no cookie, used no CSRF token, modified no session and is not marked
private/no-store/no-cache. ``X-Cache`` says HIT, MISS (looked up, rendered) or BYPASS.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from portal import proxy_refresh

logger = logging.getLogger(__name__)

EPOCH_KEY = "lontar:pc:epoch"
# Longer than any render (gunicorn stops a worker after 30 s); more purges than the span during
# one render and it is simply not stored.
PURGE_LOG_SECONDS = 120
PURGE_LOG_SPAN = 32
ALL = "all"
PAGES = "pages"  # anything listing pages of every kind: the sitemap, search
# Search results also change when the search index does, which Wagtail updates in a background
# task after the publish (and its purge) has committed.
SEARCH = "search"


def _cache():
    return caches[settings.LONTAR_PAGE_CACHE_ALIAS]


def _tag_key(tag: str) -> str:
    return f"lontar:pc:tag:{tag}"


def _purge_log_key(epoch: int) -> str:
    return f"lontar:pc:purged:{epoch}"


def _unique() -> int:
    # A fresh generation for a key the cache lost: never equal to one an entry may still hold.
    # Nanoseconds fit the 64-bit integers Redis increments, and grow faster than any counter.
    return time.time_ns() + secrets.randbelow(1_000_000)


def _bump(cache, key: str) -> int:
    """The next generation of ``key``: incremented, or a fresh one if the cache lost it."""
    try:
        return cache.incr(key)
    except ValueError:
        fresh = _unique()
        cache.set(key, fresh, None)
        return fresh


def enabled() -> bool:
    return settings.LONTAR_PAGE_CACHE_SECONDS > 0


def variant(request) -> tuple[str, str]:
    # The active language: the LANGUAGE cookie or Accept-Language chose it (LocaleMiddleware runs
    # before this cache), and the two versions differ in every label. The encoding:
    # GZipMiddleware (inside this cache) compresses for readers who accept it.
    encoding = "gzip" if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else ""
    return get_language(), encoding


def entry_key(request) -> str:
    language, encoding = variant(request)
    raw = f"{request.scheme}|{request.get_host()}|{request.get_full_path()}|{language}|{encoding or 'identity'}"
    return "lontar:pc:page:" + hashlib.sha256(raw.encode()).hexdigest()


def tag_response(request, *tags: str, seconds: int | None = None) -> None:
    """Called by a view: its response may be cached, and shows what ``tags`` name."""
    request._page_cache_wanted = True
    state = getattr(request, "_page_cache", None)
    if state is None:
        return
    state["tags"].update(tags)
    if seconds is not None:
        state["seconds"] = min(seconds, state.get("seconds") or seconds)


def cache_public(*tags: str, seconds: int | None = None):
    """Decorator for a function view whose anonymous GET responses may be cached under ``tags``."""

    def decorate(view):
        # Feeds are callable instances without a __name__: wrap what there is.
        @functools.wraps(view, assigned=[a for a in functools.WRAPPER_ASSIGNMENTS if hasattr(view, a)])
        def wrapped(request, *args, **kwargs):
            tag_response(request, *tags, seconds=seconds)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def purge(*tags: str) -> None:
    """Make every entry showing one of ``tags`` stale, once the current transaction commits."""
    if not tags:
        return
    named = sorted(set(tags))

    def bump():
        cache = _cache()
        # The epoch first, then what it purges, then the tags: see the module docstring for why
        # the order matters.
        try:
            epoch = _bump(cache, EPOCH_KEY)
            cache.set(_purge_log_key(epoch), named, PURGE_LOG_SECONDS)
            for tag in named:
                _bump(cache, _tag_key(tag))
        except Exception:
            # The cache is unreachable: the publish stands; entries it still holds expire with
            # their lifetime (a Redis that restarted empty holds none).
            logger.exception("page cache: purge of %s failed", named)
            return
        proxy_refresh.refresh_after_purge(cache, tags)

    transaction.on_commit(bump)


def _fresh(cache, entry: dict, epoch) -> bool:
    if epoch is not None and entry["epoch"] == epoch:
        return True
    current = cache.get_many([_tag_key(t) for t in entry["gens"]])
    return all(current.get(_tag_key(t)) == g for t, g in entry["gens"].items())


def _purges_left_alone(cache, since: int, now: int, tags) -> bool:
    """Whether the purges after epoch ``since`` up to ``now`` are all on record and named none of
    ``tags`` (an entry always carries ``all``, so a purge of everything counts)."""
    if not isinstance(since, int) or not isinstance(now, int) or not 0 < now - since <= PURGE_LOG_SPAN:
        return False  # a lost epoch key starts again from a random number
    keys = [_purge_log_key(e) for e in range(since + 1, now + 1)]
    purged = cache.get_many(keys)
    if len(purged) != len(keys):
        return False  # a purge between its epoch and its note, or a note the cache let go
    shown = set(tags)
    return not any(shown.intersection(purged[k]) for k in keys)


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page carries a CSRF token (a form)
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def _rebuild(cache, entry: dict, request) -> HttpResponse:
    response = HttpResponse(b"" if request.method == "HEAD" else entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Cache"] = "HIT"
    _allow_proxy_cache(cache, request, response, entry["gens"])
    return response


def _allow_proxy_cache(cache, request, response, tags) -> None:
    # nginx in front keeps this response until the end of the current second (X-Accel-Expires
    # with an absolute time, whole seconds). Thousands of readers a second then cost one request
    # per page and second here, and a publish is visible everywhere within a second; a relative
    # "1" would let nginx keep a page up to two seconds (it compares whole seconds). Only pages
    # this cache holds are marked: nginx never keeps what Lontar would not. nginx does not pass
    # X-Accel-* headers on to readers.
    response["X-Accel-Expires"] = f"@{int(time.time())}"
    if proxy_refresh.enabled():
        proxy_refresh.remember(cache, request, *variant(request), tags)


class PageCacheMiddleware:
    """Place after LocaleMiddleware (the language is part of the key) and before the CSRF,
    authentication and message middleware (their effects on a response are what it checks)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Someone logged in (or with a session): never served from, nor stored in, the cache.
            request._page_cache = None
            response = self.get_response(request)
            if getattr(request, "_page_cache_wanted", False):
                response["X-Cache"] = "BYPASS"
            return response

        cache = _cache()
        key = entry_key(request)
        try:
            found = cache.get_many([key, EPOCH_KEY])
            epoch = found.get(EPOCH_KEY)
            entry = found.get(key)
            if entry is not None and _fresh(cache, entry, epoch):
                return _rebuild(cache, entry, request)
            if epoch is None:
                cache.add(EPOCH_KEY, _unique(), None)
                epoch = cache.get(EPOCH_KEY)
        except Exception:
            # Cache down: the site keeps answering, rendering every page (health says 503).
            logger.warning("page cache unreachable; serving uncached", exc_info=True)
            request._page_cache = None
            response = self.get_response(request)
            if getattr(request, "_page_cache_wanted", False):
                response["X-Cache"] = "BYPASS"
            return response

        request._page_cache = {"tags": set(), "seconds": None}
        response = self.get_response(request)
        state = request._page_cache
        if not getattr(request, "_page_cache_wanted", False):
            return response  # a view that did not opt in
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response["X-Cache"] = "BYPASS"
        if request.method == "GET" and _storable(request, response):
            response["X-Cache"] = "MISS"
            try:
                tags = self._store(cache, key, epoch, state, response)
                if tags:
                    _allow_proxy_cache(cache, request, response, tags)
            except Exception:
                logger.warning("page cache unreachable; response not stored", exc_info=True)
        return response

    def _store(self, cache, key, epoch, state, response) -> list[str]:
        """Keep the response; the tags it was kept under, or none if it was not."""
        tags = sorted(state["tags"] | {ALL})
        keys = [_tag_key(t) for t in tags]
        current = cache.get_many([*keys, EPOCH_KEY])  # the epoch last: read after the tags
        missing = [k for k in keys if k not in current]
        if missing:
            for k in missing:
                cache.add(k, _unique(), None)
            current = cache.get_many([*keys, EPOCH_KEY])
        now = current.get(EPOCH_KEY)
        if epoch is None or now is None or any(k not in current for k in keys):
            return []
        if now != epoch and not _purges_left_alone(cache, epoch, now, tags):
            return []  # what this page shows was purged while it rendered: don't keep what it read
        seconds = settings.LONTAR_PAGE_CACHE_SECONDS
        if state["seconds"]:
            seconds = min(seconds, state["seconds"])
        entry = {
            # Every purge up to `now` is accounted for: those during the render left it alone.
            "epoch": now,
            "gens": {t: current[_tag_key(t)] for t in tags},
            "status": response.status_code,
            "headers": [
                (n, v) for n, v in response.items() if n.lower() not in ("x-cache", "set-cookie", "x-accel-expires")
            ],
            "content": response.content,
        }
        cache.set(key, entry, seconds)
        return tags


# --- What each change purges -------------------------------------------------------------------


def page_change_tags(page) -> set[str]:
    """The tags a published, unpublished or edited page's change touches.

    A leaf page (a berita, an announcement) shows up on its own page, in its parent's list, in
    every list of its kind (home, related items, feeds) and in the sitemap/search. A page with
    children also appears in their breadcrumbs and URLs, and a page linked from the menu or a
    banner appears on every page: those changes are rare and purge everything."""
    from django.apps import apps

    if not page.is_leaf():
        return {ALL}
    for label in ("profil.MenuItem", "profil.Banner"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if model.objects.filter(link_page_id=page.pk).exists():
            return {ALL}
    tags = {f"page:{page.pk}", f"type:{page.specific_class._meta.label_lower}", PAGES}
    if page.depth > 1:
        tags.add(f"section:{page.get_parent().pk}")
    return tags


def connect() -> None:
    """Called once from PortalConfig.ready."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    def page_changed(instance, **kwargs):
        purge(*page_change_tags(instance))

    def purge_all(**kwargs):
        purge(ALL)

    def page_deleted(instance, **kwargs):
        # Every row of a deleted subtree sends this; the tree around it is gone already, so
        # finding the lists it was in is not possible: purge everything (rare).
        if isinstance(instance, Page):
            purge(ALL)

    page_published.connect(page_changed, dispatch_uid="page_cache_published", weak=False)
    page_unpublished.connect(page_changed, dispatch_uid="page_cache_unpublished", weak=False)
    # A new slug or place changes the page's URL and those of everything under it.
    page_slug_changed.connect(purge_all, dispatch_uid="page_cache_slug", weak=False)
    post_page_move.connect(purge_all, dispatch_uid="page_cache_move", weak=False)
    post_delete.connect(page_deleted, dispatch_uid="page_cache_deleted", weak=False)

    # Wagtail indexes a saved page in a background task, which may finish after readers have had
    # search results rendered (and cached) from the old index by the publish's own purge.
    from django_tasks import TaskResultStatus
    from django_tasks.signals import task_finished
    from wagtail.search.tasks import insert_or_update_object_task

    indexing = insert_or_update_object_task.module_path

    def index_updated(task_result, **kwargs):
        if task_result.task.module_path != indexing or task_result.status != TaskResultStatus.SUCCESSFUL:
            return
        try:
            model = apps.get_model(*task_result.args[:2])
        except (LookupError, TypeError, ValueError):
            return
        if issubclass(model, Page):
            purge(SEARCH)

    task_finished.connect(index_updated, dispatch_uid="page_cache_search_index", weak=False)

    # What every page's frame or many lists show: a restriction hides a subtree from every list;
    # identity and menus are on every page; categories, images and documents appear on many.
    everywhere = [PageViewRestriction, Site, get_image_model(), get_document_model()]
    for label in ("profil.SiteIdentity", "profil.MenuItem", "portal.BeritaCategory", "sop.SopVersion"):
        try:
            everywhere.append(apps.get_model(label))
        except LookupError:
            pass
    for model in everywhere:
        uid = f"page_cache_{model._meta.label_lower}"
        post_save.connect(purge_all, sender=model, dispatch_uid=f"{uid}_save", weak=False)
        post_delete.connect(purge_all, sender=model, dispatch_uid=f"{uid}_delete", weak=False)

    # Banners show on the home page only (HomePage.page_cache_lists).
    try:
        banner = apps.get_model("profil.Banner")
    except LookupError:
        return

    def banner_changed(**kwargs):
        purge("type:profil.banner")

    post_save.connect(banner_changed, sender=banner, dispatch_uid="page_cache_banner_save", weak=False)
    post_delete.connect(banner_changed, sender=banner, dispatch_uid="page_cache_banner_delete", weak=False)
