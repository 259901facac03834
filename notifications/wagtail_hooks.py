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
    # Wagtail builds the sidebar from ``render_component`` (``get_context`` is never called).
    # Menu items are shared between requests, so the count goes on the per-request component.
    def render_component(self, request):
        component = super().render_component(request)
        count = unread_count(user=request.user)
        if count:
            component.label = _("Pemberitahuan (%(count)s)") % {"count": count}
        return component


@hooks.register("register_admin_menu_item")
def notification_menu_item():
    return NotificationMenuItem(_("Pemberitahuan"), reverse("notifications:list"), icon_name="mail", order=5)
