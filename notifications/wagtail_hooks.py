from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from notifications import urls
from notifications.selectors import unread_count


@hooks.register("register_admin_urls")
def register_notification_urls():
    return [path("pemberitahuan/", include(urls, namespace="notifications"))]


class NotificationMenuItem(MenuItem):
    def get_context(self, request):
        context = super().get_context(request)
        count = unread_count(user=request.user)
        if count:
            context["label"] = _("Pemberitahuan (%(count)s)") % {"count": count}
        return context


@hooks.register("register_admin_menu_item")
def notification_menu_item():
    return NotificationMenuItem(_("Pemberitahuan"), reverse("notifications:list"), icon_name="mail", order=5)
