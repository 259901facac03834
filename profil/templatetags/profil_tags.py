"""Site chrome for portal/templates/portal/base.html: header and footer data, breadcrumbs."""

from django import template

from profil import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """``{% site_chrome as chrome %}``: identity, main menu and footer links (cached per request)."""
    return selectors.site_chrome(context.get("request"))


@register.inclusion_tag("profil/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, tail=""):
    """``{% breadcrumbs %}`` for the page being shown; ``tail`` names a route below it."""
    return {"crumbs": selectors.breadcrumbs(page=context.get("page"), request=context.get("request"), tail=tail)}
