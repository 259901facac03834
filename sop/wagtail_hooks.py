from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sop import views


@hooks.register("register_admin_urls")
def register_sop_urls():
    return [
        path("sop/", views.sop_current_view, name="sop_current"),
        path("sop/<int:version_id>/dokumen/", views.sop_document_view, name="sop_document"),
        path("sop/<int:version_id>/dokumen.pdf", views.sop_document_pdf_view, name="sop_document_pdf"),
    ]


@hooks.register("register_admin_menu_item")
def sop_menu_item():
    return MenuItem(gettext_lazy("SOP"), reverse("sop_current"), icon_name="doc-full", order=4)


# --- the working calendar: office hours and the office's own days off ------------------------------
# Snippets check Django's model permissions on every view; accounts.services gives them to the
# site administrator's group only.

from wagtail.snippets.models import register_snippet  # noqa: E402
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup  # noqa: E402

from sop.models import LocalHoliday, OfficeHours  # noqa: E402


class OfficeHoursViewSet(SnippetViewSet):
    model = OfficeHours
    icon = "time"
    menu_label = gettext_lazy("Jam kerja")
    list_display = ["weekday", "opens_at", "closes_at"]
    ordering = ["weekday", "opens_at"]


class LocalHolidayViewSet(SnippetViewSet):
    model = LocalHoliday
    icon = "date"
    menu_label = gettext_lazy("Hari libur kantor")
    list_display = ["date", "name", "kind"]
    list_filter = ["kind"]
    ordering = ["-date"]


class WorkingCalendarGroup(SnippetViewSetGroup):
    items = (OfficeHoursViewSet, LocalHolidayViewSet)
    menu_label = gettext_lazy("Kalender kerja")
    menu_icon = "calendar-alt"
    menu_order = 260


register_snippet(WorkingCalendarGroup)
