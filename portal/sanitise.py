"""Rich text as it leaves Lontar: Wagtail's stored HTML expanded, then cleaned against an allow-list.

Cleaning happens on output, not on save, because stored text reaches the database by more paths
than Draftail (the API, imports, the shell, migrations, text saved before this rule existed); a
filter every template goes through covers all of them. Templates use
``{% load portal_tags %}{{ page.body|richtext_clean }}`` instead of Wagtail's ``|richtext``.

The allow-list is what Draftail and Wagtail's rich-text handlers produce (paragraphs, headings,
inline formatting, lists, links, images, horizontal rules, embeds) plus table parts. Anything
else is removed: scripts and styles with their content, ``style`` and ``on*`` attributes, URLs
with other schemes than http(s)/mailto/tel, and embedded frames from hosts not listed in
``settings.LONTAR_EMBED_HOSTS``.
"""

import html as html_module
import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import RichText, expand_db_html

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "b", "strong", "i", "em", "s", "sub", "sup", "code",
    "blockquote", "a", "ul", "ol", "li", "img", "figure", "figcaption", "div", "iframe",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip

ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen", "loading", "referrerpolicy"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}

# Only the classes Wagtail's image formats and embed wrapper put on their markup; the site CSS
# styles these and nothing else in rich text.
CLASSES = {
    "img": {"richtext-image", "left", "right", "full-width"},
    "div": {"responsive-object"},
}

URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Public pages load nothing from third parties by default (see profil.blocks); a deployment that
# wants, say, YouTube videos names the hosts in settings.LONTAR_EMBED_HOSTS.
DEFAULT_EMBED_HOSTS: frozenset[str] = frozenset()

# nh3 serialises its output canonically (attributes double-quoted, so a quoted value may hold ">"
# but never '"'), which makes a frame recognisable here: one whose source the attribute filter
# dropped is removed whole, and an allowed frame loses its fallback content, which browsers never
# show and nh3 passes through as raw text.
_FRAME = re.compile(r'(<iframe(?:\s+[a-z-]+(?:="[^"]*")?)*\s*>).*?</iframe>', re.DOTALL)
_HAS_SRC = re.compile(r'\ssrc="')


def embed_hosts() -> frozenset[str]:
    return frozenset(h.lower() for h in getattr(settings, "LONTAR_EMBED_HOSTS", DEFAULT_EMBED_HOSTS))


def _is_allowed_frame(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme == "https" and (parts.hostname or "") in embed_hosts()


def _is_plain_image_url(url: str) -> bool:
    scheme = urlsplit(url.strip()).scheme
    return scheme in ("", "http", "https")


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "iframe" and name == "src":
        return value if _is_allowed_frame(value) else None
    if tag == "img" and name == "srcset":
        # nh3 checks schemes on src and href only; each srcset candidate is "URL [descriptor]".
        candidates = [c.split()[0] for c in value.split(",") if c.strip()]
        return value if all(_is_plain_image_url(c) for c in candidates) else None
    return value


def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=TAGS,
        clean_content_tags={"script", "style", "template", "noscript", "object", "embed", "svg", "math"},
        attributes=ATTRIBUTES,
        attribute_filter=_filter_attribute,
        allowed_classes=CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def clean_html(html: str) -> str:
    """``html`` (already expanded) reduced to the allow-list."""
    cleaned = _cleaner().clean(html or "")
    return _FRAME.sub(lambda m: m.group(1) + "</iframe>" if _HAS_SRC.search(m.group(1)) else "", cleaned)


def clean_richtext(value) -> SafeString:
    """A ``RichTextField`` value or a ``RichTextBlock``'s ``RichText``: expanded, then cleaned."""
    if value is None:
        return mark_safe("")
    if isinstance(value, RichText):
        source = value.source
    elif isinstance(value, str | Promise):
        source = str(value)
    else:
        # As Wagtail's |richtext: a StreamField or other value is a template mistake, not text.
        raise TypeError(f"richtext_clean expects rich text, got {type(value).__name__}")
    return mark_safe(clean_html(expand_db_html(source)))  # noqa: S308 - the allow-list made it safe


def plain_text(value) -> str:
    """The text of stored HTML (or of plain text that may hold "<"), without markup, for plain-text
    uses: search snippets, descriptions, JSON-LD, iCalendar. nh3 rather than Django's
    ``strip_tags``: since CVE-2025-32873 ``strip_tags`` raises SuspiciousOperation on 50 nested
    "<", and Django answers that with a 400 for the whole page: one pasted body would take the
    search results, the agenda and its calendar feed down for every visitor."""
    return html_module.unescape(nh3.clean(str(value or ""), tags=set()))
