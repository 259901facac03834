from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PotensiConfig(AppConfig):
    name = "potensi"
    verbose_name = _("Potensi daerah")
