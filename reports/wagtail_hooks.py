from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from reports import urls
from reports.permissions import may_view_report


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("laporan/", include(urls, namespace="reports"))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_report(request.user)


@hooks.register("register_admin_menu_item")
def report_menu_item():
    return ReportMenuItem(gettext_lazy("Laporan kepatuhan"), reverse("reports:report"), icon_name="table", order=5)
