"""Addresses of the events calendar outside the page tree. The feed keeps one fixed address for
the calendar apps subscribed to it (and Wagtail's page URLs cannot end in ``.ics``)."""

from django.urls import path

from kegiatan import views

urlpatterns = [
    path("agenda/kalender.ics", views.kalender_ics, name="kegiatan_kalender"),
]
