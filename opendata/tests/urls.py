"""The project's URLs with ``opendata.urls`` wired in, as lontar/urls.py would include it."""

from django.urls import include, path

from lontar.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("", include("opendata.urls"))] + project_urlpatterns
