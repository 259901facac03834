from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from accounts import two_factor_urls, urls
from accounts.models import OFFICE_LEVEL
from accounts.roles import is_site_admin, user_roles


@hooks.register("register_admin_urls")
def register_acting_urls():
    return [path("plt-plh/", include(urls, namespace="accounts"))]


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [path("dua-langkah/", include(two_factor_urls, namespace="two_factor"))]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("two_factor:manage"),
        "label": gettext_lazy("Verifikasi dua langkah"),
        "help_text": gettext_lazy("Kode dari aplikasi di ponsel setiap kali masuk, dan kode cadangan."),
    }


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    if is_site_admin(request_user) and user.pk != request_user.pk:
        yield Button(
            gettext_lazy("Atur ulang verifikasi dua langkah"),
            reverse("two_factor:reset", args=[user.pk]),
            icon_name="key",
            priority=90,
        )


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action(
        "lontar.account.2fa_enrol", gettext_lazy("Verifikasi dua langkah dipasang"), gettext_lazy("2FA dipasang")
    )
    actions.register_action(
        "lontar.account.2fa_remove", gettext_lazy("Verifikasi dua langkah dimatikan"), gettext_lazy("2FA dimatikan")
    )
    actions.register_action(
        "lontar.account.2fa_recovery_codes",
        gettext_lazy("Kode cadangan verifikasi dua langkah dibuat ulang"),
        gettext_lazy("Kode cadangan dibuat ulang"),
    )
    actions.register_action(
        "lontar.account.2fa_reset",
        gettext_lazy("Verifikasi dua langkah diatur ulang oleh administrator"),
        gettext_lazy("2FA diatur ulang"),
    )


class ActingMenuItem(MenuItem):
    def is_shown(self, request):
        return is_site_admin(request.user) or any(r in OFFICE_LEVEL for r in user_roles(request.user))


@hooks.register("register_admin_menu_item")
def acting_menu_item():
    return ActingMenuItem(gettext_lazy("Plt / Plh"), reverse("accounts:acting_list"), icon_name="user", order=4)
