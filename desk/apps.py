from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("Meja redaksi")

    def ready(self):
        from desk import receivers  # noqa: F401
