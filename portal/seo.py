"""What search engines and link previews read: canonical URL, OpenGraph/Twitter cards, JSON-LD."""

import json

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

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


def jsonld_script(data: dict) -> str:
    """A JSON-LD block that cannot break out of its <script> element."""
    text = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def description_of(page) -> str:
    text = page.search_description or getattr(page, "summary", "") or getattr(page, "intro", "") or ""
    return " ".join(strip_tags(str(text)).split())[:300]


def site_name() -> str:
    return settings.LONTAR_PUBLIC_SITE_NAME
