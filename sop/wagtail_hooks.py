from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sop import views


@hooks.register("register_admin_urls")
def register_sop_urls():
    return [path("sop/", views.sop_current_view, name="sop_current")]


@hooks.register("register_admin_menu_item")
def sop_menu_item():
    return MenuItem(gettext_lazy("SOP"), reverse("sop_current"), icon_name="doc-full", order=4)
