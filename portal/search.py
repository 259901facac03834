"""Site search across every public section, with filters by type and date and highlighted text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from desk.content_types import installed_content_types
from portal.sanitise import plain_text

# Long queries cost the database and help nobody; they are cut, not refused, and the page says so.
MAX_QUERY_LENGTH = 200
# Each word is one more term the backend combines; a few are what people type.
MAX_QUERY_TERMS = 20
SNIPPET_LENGTH = 240


@dataclass(frozen=True)
class SearchFilters:
    query: str
    kind: str | None
    since: dt.date | None
    until: dt.date | None
    truncated: bool = False


def search_kinds() -> list[tuple[str, str]]:
    return [(ct.kind, str(ct.label)) for ct in installed_content_types()]


def parse_filters(params) -> SearchFilters:
    """Read ``q``, ``jenis``, ``dari``, ``sampai`` from the query string; unknown values are ignored."""
    words = " ".join((params.get("q") or "").split())
    query = words[:MAX_QUERY_LENGTH]
    kind = params.get("jenis") or None
    if kind not in dict(search_kinds()):
        kind = None
    return SearchFilters(
        query=query,
        kind=kind,
        since=_date(params.get("dari")),
        until=_date(params.get("sampai")),
        truncated=len(words) > MAX_QUERY_LENGTH,
    )


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def search_pages(filters: SearchFilters):
    """Live, public pages of the SOP's content types matching the query (best first)."""
    if not filters.query:
        return Page.objects.none()
    types = [ct.page_class() for ct in installed_content_types() if filters.kind in (None, ct.kind)]
    # Wagtail's own .public() here: the search backends take plain field filters, not subqueries.
    qs = Page.objects.live().public().type(*types)
    # The search backend filters on plain field lookups only, so dates become WITA day bounds.
    if filters.since:
        qs = qs.filter(first_published_at__gte=_day_start(filters.since))
    if filters.until:
        qs = qs.filter(first_published_at__lt=_day_start(filters.until + dt.timedelta(days=1)))
    terms = search_terms(filters.query)
    if not terms:
        return Page.objects.none()
    return qs.search(terms)


def search_terms(query: str) -> str:
    """The words of the query, and nothing else, for the search backend. Punctuation is syntax to
    the full-text engines (SQLite FTS5 refuses ``">`` with an error, PostgreSQL's tsquery has its
    own operators), so a visitor's quotes, brackets and operators never reach them."""
    return " ".join(re.findall(r"\w+", query)[:MAX_QUERY_TERMS])


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def snippet(page, query: str) -> SafeString:
    """A short plain-text extract around the first match, query words wrapped in <mark>."""
    text = page.search_description or getattr(page, "summary", "") or ""
    if not text:
        body = getattr(page, "body", "")
        text = plain_text(body) if body else ""
    text = " ".join(text.split())
    words = [w for w in re.split(r"\W+", query) if len(w) > 1]
    start = 0
    for word in words:
        found = text.lower().find(word.lower())
        if found >= 0:
            start = max(0, found - 60)
            break
    extract = text[start : start + SNIPPET_LENGTH]
    if start:
        extract = "…" + extract
    if start + SNIPPET_LENGTH < len(text):
        extract += "…"
    return highlight(extract, words)


def highlight(text: str, words: list[str]) -> SafeString:
    """Escape first, then mark: user input never reaches the page unescaped."""
    escaped = escape(text)
    if not words:
        return mark_safe(escaped)
    pattern = re.compile("|".join(re.escape(escape(w)) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))
