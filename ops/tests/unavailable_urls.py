"""A URLconf for ops/tests/test_unavailable.py: views and middleware that meet a database error
where real ones can (in the view, while a TemplateResponse is rendered after it, before the view
in a middleware, after it in a middleware), and one that fails for another reason."""

from django.db import IntegrityError, OperationalError
from django.http import HttpResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import path, re_path

handler500 = "ops.views.server_error"

MESSAGE = 'connection to server at "10.0.0.5", port 5432 failed: Connection refused'


def fine(request):
    return HttpResponse("baik")


def view_fails(request, rest=""):
    raise OperationalError(MESSAGE)


class _Lazy:
    """Reads the database only when the template reaches it, as a queryset in a context does."""

    def __str__(self):
        raise OperationalError(MESSAGE)


def template_fails(request):
    # Rendered by Django after the view has returned (and after template-response middleware).
    template = engines["django"].from_string("<p>{{ rows }}</p>")
    return TemplateResponse(request, template, {"rows": _Lazy()})


def driver_error(request):
    # A library that lets the driver's own error through, wrapped in its own.
    import psycopg

    try:
        raise psycopg.OperationalError(MESSAGE)
    except psycopg.OperationalError as exc:
        raise RuntimeError("pool exhausted") from exc


def bug(request):
    raise IntegrityError("duplicate key value violates unique constraint")


class FailsBeforeView:
    """A middleware that reads the database before the view (as one reading request.user or the
    session would) when asked to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.GET.get("gagal") == "sebelum":
            raise OperationalError(MESSAGE)
        response = self.get_response(request)
        if request.GET.get("gagal") == "sesudah":
            raise OperationalError(MESSAGE)  # as saving the session after the view would
        return response


urlpatterns = [
    path("baik/", fine),
    path("tampilan/", view_fails),
    re_path(r"^tampilan/(?P<rest>[\s\S]+)$", view_fails),
    path("templat/", template_fails),
    path("driver/", driver_error),
    path("bug/", bug),
]
