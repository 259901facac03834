from django.http import HttpResponse
from django.views.decorators.http import require_safe

from kegiatan.ical import kalender_build
from kegiatan.selectors import kegiatan_feed
from portal.page_cache import cache_public


@cache_public("type:kegiatan.kegiatanpage")
@require_safe
def kalender_ics(request):
    """Every published event as an iCalendar feed, to subscribe to in a calendar app."""
    response = HttpResponse(kalender_build(kegiatan_feed(), request=request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda-kegiatan-kabupaten-tabanan.ics"'
    return response
