"""The compliance report screen and its exports, inside the Wagtail admin."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from reports import exports, selectors
from reports.periods import PRESETS, PeriodError, period_from_query, preset_period
from reports.permissions import may_view_report
from reports.tables import report_tables

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}


def _require_viewer(request):
    if not may_view_report(request.user):
        raise PermissionDenied(_("Laporan kepatuhan hanya untuk Kasi, Kabid, Sekdis, Kadis, dan administrator situs."))


def _period(request):
    try:
        return period_from_query(request.GET), ""
    except PeriodError as exc:
        return preset_period("bulan-ini"), str(exc)


def report(request):
    _require_viewer(request)
    period, error = _period(request)
    result = selectors.compliance_report(period)
    query = request.GET.copy()
    query.pop("format", None)
    return TemplateResponse(
        request,
        "reports/report.html",
        {
            "report": result,
            "tables": report_tables(result),
            "period_error": error,
            "presets": [(key, label) for key, label in PRESETS.items()],
            "query": query.urlencode(),
            "dari": request.GET.get("dari", "") if not error else "",
            "sampai": request.GET.get("sampai", "") if not error else "",
            **exports.chart_context(result),
        },
        status=400 if error else 200,
    )


def export(request, fmt):
    _require_viewer(request)
    if fmt not in FORMATS:
        raise PermissionDenied(_("Format ekspor tidak dikenal."))
    period, error = _period(request)
    if error:
        return TemplateResponse(
            request, "desk/refused.html", {"message": error, "back": reverse("reports:report")}, status=400
        )
    result = selectors.compliance_report(period)
    if fmt == "csv":
        body = exports.report_csv(result)
    elif fmt == "xlsx":
        body = exports.report_xlsx(result)
    else:
        body = exports.report_pdf(result, base_url=request.build_absolute_uri("/"))
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="laporan-sop-{period.slug}.{extension}"'
    return response
