"""The Plt/Plh screen in the admin. Views are thin: each parses a form and calls
``accounts.acting``; a refusal answers 403 with the reason and changes nothing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import acting
from accounts.forms import ActingAppointmentForm
from accounts.models import ActingAppointment
from accounts.roles import wita_today


def _refused(request, message: str):
    return TemplateResponse(
        request, "desk/refused.html", {"message": message, "back": reverse("accounts:acting_list")}, status=403
    )


def acting_list(request):
    appointments = list(acting.appointments_list(user=request.user)[:200])
    today = wita_today()
    for appointment in appointments:
        appointment.in_force = appointment.covers(today)
        appointment.may_revoke = (
            appointment.revoked_at is None
            and appointment.end_date >= today
            and acting.may_appoint(request.user, role=appointment.role, absent=appointment.absent)
        )
    return TemplateResponse(
        request,
        "accounts/acting_list.html",
        {"appointments": appointments, "may_create": bool(acting.offices_user_may_appoint(request.user))},
    )


def acting_create(request):
    if not acting.offices_user_may_appoint(request.user):
        return _refused(request, _("Hanya administrator situs atau pejabat yang bersangkutan yang dapat menunjuk Plt/Plh."))
    form = ActingAppointmentForm(request.POST or None, user=request.user)
    if request.method == "POST":
        # A choice outside the form's lists (another official's office, a forged id) is a refusal,
        # not a form error: the service decides and says why.
        if form.has_error("absent", "invalid_choice") or form.has_error("role", "invalid_choice"):
            return _refused(
                request, _("Hanya administrator situs atau pejabat yang bersangkutan yang dapat menunjuk Plt/Plh.")
            )
        if form.is_valid():
            try:
                appointment = acting.appointment_create(user=request.user, **form.cleaned_data)
            except PermissionDenied as exc:
                return _refused(request, str(exc))
            except ValidationError as exc:
                for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("%(title)s ditetapkan. Langkah yang menunggu sudah dialihkan.") % {"title": appointment.title},
                )
                return redirect("accounts:acting_list")
    return TemplateResponse(request, "accounts/acting_form.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def acting_revoke(request, pk):
    appointment = get_object_or_404(ActingAppointment, pk=pk)
    try:
        acting.appointment_revoke(user=request.user, appointment=appointment)
    except PermissionDenied as exc:
        return _refused(request, str(exc))
    except ValidationError as exc:
        return _refused(request, " ".join(exc.messages))
    messages.success(request, _("Penunjukan dicabut. Langkah yang dipegang Plt/Plh kembali ke pejabat definitif."))
    return redirect("accounts:acting_list")
