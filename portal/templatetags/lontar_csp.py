"""``{% script_nonce %}``: the ` nonce="…"` attribute for an inline script of Wagtail's admin
(lontar.security_headers), empty elsewhere. For templates rendered without the request (form
widgets, panels), which django-csp's own ``{% script %}`` tag needs."""

from django import template
from django.utils.html import format_html

from lontar.security_headers import script_nonce as current_nonce

register = template.Library()


@register.simple_tag
def script_nonce():
    nonce = current_nonce()
    return format_html(' nonce="{}"', nonce) if nonce else ""
