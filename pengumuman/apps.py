from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PengumumanConfig(AppConfig):
    name = "pengumuman"
    verbose_name = _("Pengumuman")
