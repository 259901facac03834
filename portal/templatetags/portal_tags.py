from django import template

from portal.sanitise import clean_richtext
from portal.seo import description_of, jsonld_script, site_name

register = template.Library()


@register.filter
def richtext_clean(value):
    """Wagtail's ``|richtext`` followed by the allow-list of ``portal.sanitise``: use this one."""
    return clean_richtext(value)


@register.inclusion_tag("portal/includes/meta.html", takes_context=True)
def page_meta(context):
    """Canonical link, OpenGraph and Twitter card tags and JSON-LD for the page being shown."""
    request = context.get("request")
    page = context.get("page")
    if page is None or request is None:
        return {}
    url = page.get_full_url(request)
    image = context.get("og_image")
    if image is None and context.get("photos") is not None:
        first = next(iter(context["photos"]), None)
        image = first.image.get_rendition("fill-1200x630|format-jpeg") if first else None
    jsonld = page.jsonld(request) if hasattr(page, "jsonld") else None
    return {
        "canonical": url,
        "title": page.seo_title or page.title,
        "description": description_of(page),
        "image_url": request.build_absolute_uri(image.url) if image else "",
        "og_type": getattr(page, "og_type", "website"),
        "site_name": site_name(),
        "jsonld": jsonld_script(jsonld) if jsonld else "",
    }
