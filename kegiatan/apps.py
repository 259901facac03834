from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KegiatanConfig(AppConfig):
    name = "kegiatan"
    verbose_name = _("Agenda kegiatan")
