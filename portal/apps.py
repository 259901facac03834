from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal publik")

    def ready(self):
        from lontar import uploads
        from lontar.security_headers import nonce_wagtail_chooser_scripts
        from portal import page_cache

        page_cache.connect()
        # The public site's media library is where hostile files arrive (docs/security.md).
        uploads.connect()
        nonce_wagtail_chooser_scripts()
