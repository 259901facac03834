from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilConfig(AppConfig):
    name = "profil"
    verbose_name = _("Profil")

    def ready(self):
        from profil import receivers  # noqa: F401
