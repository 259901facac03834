from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts import urls
from accounts.models import OFFICE_LEVEL
from accounts.roles import is_site_admin, user_roles


@hooks.register("register_admin_urls")
def register_acting_urls():
    return [path("plt-plh/", include(urls, namespace="accounts"))]


class ActingMenuItem(MenuItem):
    def is_shown(self, request):
        return is_site_admin(request.user) or any(r in OFFICE_LEVEL for r in user_roles(request.user))


@hooks.register("register_admin_menu_item")
def acting_menu_item():
    return ActingMenuItem(gettext_lazy("Plt / Plh"), reverse("accounts:acting_list"), icon_name="user", order=4)
