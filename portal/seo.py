"""What search engines and link previews read: canonical URL, OpenGraph/Twitter cards, JSON-LD."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from portal.sanitise import plain_text

OFFICE = {
    "@type": "GovernmentOrganization",
    "name": "Dinas Komunikasi dan Informatika Kabupaten Tabanan",
    "parentOrganization": {"@type": "GovernmentOrganization", "name": "Pemerintah Kabupaten Tabanan"},
    "address": {
        "@type": "PostalAddress",
        "streetAddress": "Jalan Diponegoro No. 5",
        "addressLocality": "Tabanan",
        "addressRegion": "Bali",
        "addressCountry": "ID",
    },
    "telephone": "+62-361-811047",
}


# Characters that could end the <script> element or break JavaScript string parsing.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def json_for_script(data: dict) -> SafeString:
    """JSON text that is safe inside <script type="application/ld+json">…</script>."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":"))
    return mark_safe(text.translate(_SCRIPT_ESCAPES))


def jsonld_script(data: dict) -> SafeString:
    """A whole JSON-LD block for ``data`` (schema.org context added)."""
    text = json_for_script({"@context": "https://schema.org", **data})
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def description_of(page) -> str:
    text = page.search_description or getattr(page, "summary", "") or getattr(page, "intro", "") or ""
    return " ".join(plain_text(text).split())[:300]


def site_name() -> str:
    return settings.LONTAR_PUBLIC_SITE_NAME
