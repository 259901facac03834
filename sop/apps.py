from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SopConfig(AppConfig):
    name = "sop"
    verbose_name = _("SOP")

    def ready(self):
        from sop import calendar  # noqa: F401  (connects the cache invalidation)
