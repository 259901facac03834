from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan kepatuhan SOP")

    def ready(self):
        from lontar.spreadsheet import protect_wagtail_exports
        from reports import receivers  # noqa: F401

        # Every spreadsheet leaving Lontar neutralises formulas, Wagtail's admin reports included.
        protect_wagtail_exports()
