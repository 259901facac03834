from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.selectors import notifications_for
from notifications.services import notifications_mark_read


def notification_list(request):
    items = list(notifications_for(user=request.user))
    return TemplateResponse(request, "notifications/list.html", {"items": items, "page_title": _("Pemberitahuan")})


@require_POST
def mark_all_read(request):
    notifications_mark_read(user=request.user)
    return redirect("notifications:list")
