from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from notifications.forms import PreferenceForm
from notifications.selectors import notifications_for
from notifications.services import notifications_mark_read, preference_for, preference_update, webhook_configured


def notification_list(request):
    items = list(notifications_for(user=request.user))
    return TemplateResponse(request, "notifications/list.html", {"items": items, "page_title": _("Pemberitahuan")})


@require_POST
def mark_all_read(request):
    notifications_mark_read(user=request.user)
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def preferences(request):
    """The signed-in person's own channels; there is no way to name another account here."""
    current = preference_for(request.user)
    initial = {"email": current.email, "webhook": current.webhook}
    form = PreferenceForm(request.POST if request.method == "POST" else None, initial=initial)
    if not webhook_configured():
        # Disabled: a posted value is ignored and the stored choice kept.
        form.fields["webhook"].disabled = True
        form.fields["webhook"].help_text = _("Webhook kantor belum dipasang oleh administrator.")
    if form.is_bound:
        if form.is_valid():
            try:
                preference_update(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field, error)
            else:
                messages.success(request, _("Pilihan pemberitahuan disimpan."))
                return redirect("notifications:preferences")
    context = {"form": form, "page_title": _("Pilihan pemberitahuan"), "has_email": bool(request.user.email)}
    return TemplateResponse(request, "notifications/preferences.html", context, status=400 if form.errors else 200)
