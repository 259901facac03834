import sys

from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views import defaults
from django.views.decorators.http import require_GET

from ops.health import run_checks
from ops.unavailable import is_database_unavailable, unavailable_response


def _uncached(response: JsonResponse) -> JsonResponse:
    # A cached "ok" would hide an outage from the load balancer (and from nginx's proxy_cache).
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def healthz(request):
    return _uncached(JsonResponse({"status": "ok", "pesan": "Aplikasi berjalan."}))


@require_GET
def readyz(request):
    results = run_checks()
    ready = all(result.ok for result in results)
    failed = [result.message for result in results if not result.ok]
    body = {
        "status": "ok" if ready else "gagal",
        "pesan": "Siap melayani." if ready else "Belum siap melayani: " + " ".join(failed),
        "checks": {result.name: result.as_dict() for result in results},
    }
    return _uncached(JsonResponse(body, status=200 if ready else 503))


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """The 500 handler (``lontar.urls.handler500``). Django calls it while the exception is still
    being handled, including one raised inside a middleware, where no other middleware can see
    it: a database outage gets the 503 page, anything else Django's own 500 page."""
    exc = sys.exc_info()[1]
    if is_database_unavailable(exc):
        return unavailable_response(request, exc)
    return defaults.server_error(request, template_name=template_name)
