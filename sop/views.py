from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from sop.selectors import sop_current


def sop_current_view(request):
    version = sop_current()
    steps = list(version.steps.all()) if version else []
    return TemplateResponse(
        request,
        "sop/sop_detail.html",
        {
            "version": version,
            "steps": steps,
            "roles": sorted((version.role_titles or {}).items()) if version else [],
            "page_title": _("SOP yang berlaku"),
        },
    )
