"""Shared pieces of the adversarial suite: a snapshot of everything an attack could change, the
payloads, and an HTML check that finds script a payload managed to inject.

The desk's own snapshot (``desk.tests.sop_driver.snapshot``: agendas, disposisi, items, the SOP
record, task and workflow states, pages, revisions, notices) is extended with what the other
attacks aim at: every page (copies, moves), people and their groups, PPID requests, documents,
notification choices and Wagtail's audit log."""

from __future__ import annotations

import re
from contextlib import contextmanager
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from desk.tests.helpers import text_of
from desk.tests.sop_driver import snapshot as desk_snapshot
from notifications.models import Delivery, NotificationPreference
from ppid.models import PermohonanInformasi


def snapshot() -> dict:
    User = get_user_model()
    return {
        **desk_snapshot(),
        "all_pages": list(
            Page.objects.order_by("pk").values_list(
                "pk", "live", "path", "url_path", "owner_id", "locked", "latest_revision_id"
            )
        ),
        "users": list(
            User.objects.order_by("pk").values_list("pk", "username", "is_active", "is_superuser", "is_staff")
        ),
        "memberships": sorted(User.groups.through.objects.values_list("user_id", "group_id")),
        "permohonan": list(
            PermohonanInformasi.objects.order_by("pk").values_list(
                "pk", "nomor", "token", "status", "catatan", "nama", "nik", "alamat", "telepon", "email", "deadline"
            )
        ),
        "documents": list(get_document_model().objects.order_by("pk").values_list("pk", "title", "file")),
        "preferences": list(NotificationPreference.objects.order_by("pk").values_list("user_id", "email", "webhook")),
        "deliveries": Delivery.objects.count(),
        "page_log": PageLogEntry.objects.count(),
        "model_log": ModelLogEntry.objects.count(),
    }


@contextmanager
def unchanged(test):
    """The block (an attack) must leave every table of ``snapshot`` exactly as it found it."""
    before = snapshot()
    yield
    after = snapshot()
    if after != before:
        changed = sorted(key for key in before if before[key] != after.get(key))
        test.fail(f"the attack changed: {', '.join(changed)}")


def desk_refusal(response) -> str:
    """The reason on the desk's refusal page (empty when the page is not one)."""
    found = re.search(r'<div class="desk-refused" role="alert"> <h2>[^<]*</h2> <p>([^<]*)</p>', text_of(response))
    return found.group(1).strip() if found else ""


# --- hostile text --------------------------------------------------------------------------------

MARK = "xss7q"  # in every payload, so a test can tell the payload's markup from the page's own


def payloads(tag: str) -> list[str]:
    """Payloads for one field, each carrying ``MARK`` and ``tag`` (to know which one broke out)."""
    m = f"{MARK}{tag}"
    return [
        f"<script>alert('{m}')</script>",
        f'"><img src=x onerror="alert(\'{m}\')">',
        f"<svg onload=alert('{m}')></svg>",
        f"javascript:alert('{m}')",
        f"</script><script>alert('{m}')</script>",
        f"' onmouseover='alert(\"{m}\")' x='",
    ]


def payload_text(tag: str) -> str:
    return " ".join(payloads(tag))


_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
_SCRIPT_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)


class _ActiveContent(HTMLParser):
    """Collects what a browser would run and that carries the marker: ``on*`` attributes,
    ``javascript:``/``data:`` URLs, and <script> elements other than JSON data."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script: str | None = None
        self._script_type = ""

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if MARK not in value and MARK not in name:
                continue
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            elif name in _URL_ATTRIBUTES and _SCRIPT_SCHEMES.match(re.sub(r"[\x00-\x20]", "", value)):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._script = ""
            self._script_type = dict(attrs).get("type") or ""
        if MARK in tag:
            self.found.append(f"<{tag}>")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            if MARK in self._script and self._script_type not in ("application/ld+json", "application/json"):
                self.found.append(f"<script>{self._script[:80]}</script>")
            self._script = None


def active_payloads(html: str) -> list[str]:
    parser = _ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_inert(test, html: str, where: str = ""):
    """No payload became markup a browser would run."""
    found = active_payloads(html)
    test.assertEqual(found, [], f"payload became active markup {where}: {found}")
