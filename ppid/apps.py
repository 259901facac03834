from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PpidConfig(AppConfig):
    name = "ppid"
    verbose_name = _("PPID")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from ppid.models import PermohonanInformasi
        from ppid.permissions import PermohonanPermissionPolicy

        # Before anything asks Wagtail for the model's policy (which would create a fallback).
        register_permission_policy(PermohonanInformasi, PermohonanPermissionPolicy(PermohonanInformasi))
