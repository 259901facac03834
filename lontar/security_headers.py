"""Content-Security-Policy and Permissions-Policy on every response (docs/security.md).

Two policies: the public site's (``settings.CONTENT_SECURITY_POLICY``) and the admin's
(``settings.LONTAR_CSP_ADMIN_DIRECTIVES``, for every address under Wagtail's admin). Both are
completed here from settings that name other hosts, so that a deployment changes one setting:

- images from the media host when ``MEDIA_URL`` is absolute (S3, a CDN) and from
  ``LONTAR_CSP_EXTRA_IMG_SRC``;
- frames from ``LONTAR_EMBED_HOSTS`` (the only frames rich-text cleaning lets through,
  ``portal.sanitise``), over HTTPS only, as the cleaning requires.

Public pages never carry a nonce: they run no script and the full-page cache
(``portal.page_cache``) serves one stored response to every reader, so a nonce stored in it would
be the same for everyone, i.e. no protection. The admin, never cached, gets a nonce per response,
and only when a template asked for one (django-csp adds it once ``request.csp_nonce`` was read):
Wagtail 8 still writes two inline scripts (InlinePanel and MultipleChooserPanel set-up), which
Lontar's copies of those templates mark with it (``portal/templates/wagtailadmin/panels/``).
"""

from contextvars import ContextVar
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe

# The admin request being answered, so that code without the request (form widgets, panels)
# can mark Wagtail's own inline scripts with its nonce.
_admin_request: ContextVar = ContextVar("lontar_admin_request", default=None)


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc and parts.scheme in ("http", "https", ""):
        return f"{parts.scheme or 'https'}://{parts.netloc}"
    return None


def _with_sources(directives: dict) -> dict:
    """``directives`` plus the hosts named by other settings (a new dict; settings untouched)."""
    result = {name: list(values) if isinstance(values, list | tuple) else values for name, values in directives.items()}
    images = [*getattr(settings, "LONTAR_CSP_EXTRA_IMG_SRC", [])]
    media = _origin(settings.MEDIA_URL)
    if media:
        images.append(media)
    if images:
        result["img-src"] = [*result.get("img-src", ["'self'"]), *images]
    frames = [f"https://{host.lower()}" for host in getattr(settings, "LONTAR_EMBED_HOSTS", [])]
    if frames:
        current = [source for source in result.get("frame-src", []) if source != "'none'"]
        result["frame-src"] = [*current, *frames]
    return result


def public_directives() -> dict:
    return _with_sources(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])


def admin_directives() -> dict:
    return _with_sources(settings.LONTAR_CSP_ADMIN_DIRECTIVES)


def is_admin_request(request) -> bool:
    # Asked two or three times per request (policy, nonce, search limit): answered once.
    found = getattr(request, "_lontar_is_admin", None)
    if found is None:
        try:
            found = request.path_info.startswith(reverse("wagtailadmin_home"))
        except NoReverseMatch:  # a URLconf without Wagtail's admin (a test's, a probe-only site)
            found = False
        request._lontar_is_admin = found
    return found


def script_nonce() -> str | None:
    """The nonce of the admin response being rendered (reading it puts it in the policy), or
    None outside the admin: public pages have no inline script to mark."""
    request = _admin_request.get()
    nonce = getattr(request, "csp_nonce", None) if request is not None else None
    return str(nonce) if nonce is not None else None


def nonce_wagtail_chooser_scripts():
    """Wagtail's chooser widgets (image, document, snippet, page, task) end their HTML with
    ``<script>new …Chooser(id, options);</script>``, written in Python where no template can add
    an attribute: mark that last script, Wagtail's own, with the response's nonce. Only that one:
    anything before it is the widget's markup and never gets the nonce."""
    from wagtail.admin.widgets.chooser import BaseChooser

    if getattr(BaseChooser.render, "lontar_nonce", False):
        return
    original = BaseChooser.render

    def render(self, name, value, attrs=None, renderer=None):
        html = original(self, name, value, attrs=attrs, renderer=renderer)
        nonce = script_nonce()
        head, tag, tail = html.rpartition("<script>")
        if not nonce or not tag:
            return html
        return mark_safe(f'{head}<script nonce="{nonce}">{tail}')  # noqa: S308 - Wagtail's own markup

    render.lontar_nonce = True
    BaseChooser.render = render


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware choosing the admin's or the public policy by address, and adding
    ``Permissions-Policy`` (Django has no setting for it)."""

    def process_request(self, request):
        super().process_request(request)
        request._lontar_admin_token = _admin_request.set(request if is_admin_request(request) else None)

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None:
            parts.config = admin_directives() if is_admin_request(request) else public_directives()
        return parts

    def process_response(self, request, response):
        token = getattr(request, "_lontar_admin_token", None)
        if token is not None:
            _admin_request.reset(token)
        response = super().process_response(request, response)
        policy = getattr(settings, "LONTAR_PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response
