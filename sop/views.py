from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from sop import document
from sop.selectors import sop_current, sop_version


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


def sop_document_view(request, version_id: int):
    """The official document of one loaded version (current or not), for reading and printing."""
    version = sop_version(version_id)
    if version is None:
        raise Http404(_("Versi SOP tidak ditemukan."))
    context = document.document_context(version)
    context["pdf_url"] = reverse("sop_document_pdf", args=[version.pk])
    context["back_url"] = reverse("sop_current")
    return TemplateResponse(request, "sop/document.html", context)


def sop_document_pdf_view(request, version_id: int):
    version = sop_version(version_id)
    if version is None:
        raise Http404(_("Versi SOP tidak ditemukan."))
    return pdf_response(version)


def pdf_response(version) -> HttpResponse:
    response = HttpResponse(document.render_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.pdf_filename(version)}"'
    return response
