"""Appointing and revoking a Plt/Plh (``ActingAppointment``).

Who may appoint: a site administrator (superuser or the "Administrator Situs" group) for any
office; an official for their own office. The rules (Indonesian messages, nothing written when
one fails):

- the office is Kasi, Kabid, Sekdis or Kadis and the absent official holds it;
- the days run forwards (end ≥ start, inclusive, WITA) and have not all passed;
- the acting official is another active person holding an office of the same level or one level
  below (Kadis ← Sekdis/Kabid; Sekdis/Kabid ← each other or a Kasi; Kasi ← a Kasi, Kabid or
  Sekdis) — Staf never act for an official;
- one appointment at a time for an office: for Kabid, Sekdis and Kadis the office has one holder;
  for Kasi the office is the absent Kasi's;
- stand-ins are one level deep: the acting official may not be away on those days, and an
  official who is acting for someone may not be given a stand-in for those days.

Creating or revoking sends ``accounts.signals.acting_changed``; the desk then moves the steps
waiting at the people concerned (``desk.services.acting_holders_refresh``).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from accounts.models import ACTING_OFFICES, OFFICE_LEVEL, ActingAppointment
from accounts.roles import has_role, is_site_admin, user_roles, wita_today
from accounts.signals import acting_changed
from sop.rules import Role

SINGLE_HOLDER_OFFICES = (Role.KABID, Role.SEKDIS, Role.KADIS)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _days(start: dt.date, end: dt.date) -> str:
    return f"{date_format(start, 'j M Y')}–{date_format(end, 'j M Y')}"


def offices_user_may_appoint(user) -> list[Role]:
    """The offices ``user`` may appoint a Plt/Plh for: all of them for a site administrator,
    otherwise the user's own."""
    if is_site_admin(user):
        return list(ACTING_OFFICES)
    return [role for role in ACTING_OFFICES if has_role(user, role)]


def may_appoint(user, *, role, absent) -> bool:
    if is_site_admin(user):
        return True
    if absent is None or role not in {r.value for r in ACTING_OFFICES}:
        return False
    return user.pk == absent.pk and has_role(user, Role(role))


def official_level(user) -> int:
    """The highest office level ``user`` holds (0: no office)."""
    return max((OFFICE_LEVEL[r] for r in user_roles(user) if r in OFFICE_LEVEL), default=0)


def acting_candidates(role: Role):
    """Active people who may stand in for ``role`` by level (the form's choices)."""
    needed = max(OFFICE_LEVEL[Role(role)] - 1, 1)
    names = [r.label for r, level in OFFICE_LEVEL.items() if level >= needed]
    return get_user_model().objects.filter(is_active=True, groups__name__in=names).distinct().order_by(
        "first_name", "last_name", "username"
    )


def _overlapping(qs, start: dt.date, end: dt.date):
    return qs.filter(revoked_at__isnull=True, start_date__lte=end, end_date__gte=start)


def validate_appointment(appointment: ActingAppointment, *, today: dt.date | None = None) -> None:
    today = today or wita_today()
    errors: dict[str, list[str]] = {}

    def err(field, message):
        errors.setdefault(field, []).append(message)

    try:
        role = Role(appointment.role)
    except ValueError:
        role = None
    if role not in ACTING_OFFICES:
        err("role", _("Plt/Plh hanya ditunjuk untuk jabatan Kasi, Kabid, Sekdis atau Kadis."))
    start, end = appointment.start_date, appointment.end_date
    if start and end:
        if end < start:
            err("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        elif end < today:
            err("end_date", _("Masa penunjukan sudah lewat; tanggal selesai paling awal hari ini."))
    absent = appointment.absent if appointment.absent_id else None
    acting = appointment.acting if appointment.acting_id else None
    if appointment.reason == ActingAppointment.Reason.LAINNYA and not appointment.note.strip():
        err("note", _("Tuliskan keterangan alasan berhalangan."))
    if absent is not None and role in ACTING_OFFICES and not (absent.is_active and has_role(absent, role)):
        err("absent", _("%(name)s tidak memegang jabatan %(role)s.") % {"name": _name(absent), "role": role.label})
    if acting is not None:
        if absent is not None and acting.pk == absent.pk:
            err("acting", _("Pejabat pelaksana tidak boleh pejabat yang berhalangan sendiri."))
        elif not acting.is_active:
            err("acting", _("%(name)s bukan pengguna aktif.") % {"name": _name(acting)})
        elif role in ACTING_OFFICES and official_level(acting) < max(OFFICE_LEVEL[role] - 1, 1):
            err(
                "acting",
                _("Plt/Plh %(role)s harus pejabat yang setingkat atau satu tingkat di bawahnya; %(name)s tidak.")
                % {"role": role.label, "name": _name(acting)},
            )
    if errors or not (start and end and absent and acting and role):
        raise ValidationError(errors or _("Lengkapi isian penunjukan."))

    others = ActingAppointment.objects.exclude(pk=appointment.pk)
    same_office = others.filter(role=role.value)
    if role not in SINGLE_HOLDER_OFFICES:
        same_office = same_office.filter(absent=absent)
    clash = _overlapping(same_office, start, end).select_related("acting").first()
    if clash is not None:
        err(
            "start_date",
            _("Sudah ada %(title)s %(name)s pada %(days)s; cabut penunjukan itu dahulu.")
            % {"title": clash.title, "name": _name(clash.acting), "days": _days(clash.start_date, clash.end_date)},
        )
    if _overlapping(others.filter(absent=acting), start, end).exists():
        err("acting", _("%(name)s sendiri berhalangan pada tanggal itu.") % {"name": _name(acting)})
    if _overlapping(others.filter(acting=absent), start, end).exists():
        err(
            "absent",
            _("%(name)s sedang menjadi Plt/Plh pada tanggal itu; cabut penunjukan itu dahulu.") % {"name": _name(absent)},
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def appointment_create(
    *,
    user,
    role: str,
    absent,
    acting,
    kind: str,
    start_date: dt.date,
    end_date: dt.date,
    reason: str,
    note: str = "",
) -> ActingAppointment:
    if not may_appoint(user, role=role, absent=absent):
        raise PermissionDenied(
            _("Hanya administrator situs atau pejabat yang bersangkutan yang dapat menunjuk Plt/Plh.")
        )
    # Serialises appointments for the same people, so two at once cannot both pass the overlap check.
    ids = sorted({absent.pk, acting.pk})
    list(get_user_model().objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    appointment = ActingAppointment(
        role=role,
        absent=absent,
        acting=acting,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        reason=reason,
        note=(note or "").strip(),
        created_by=user,
        created_at=timezone.now(),
    )
    validate_appointment(appointment)
    appointment.full_clean()
    appointment.save()
    acting_changed.send(sender=ActingAppointment, appointment=appointment, actor=user)
    return appointment


@transaction.atomic
def appointment_revoke(*, user, appointment: ActingAppointment) -> ActingAppointment:
    """End an appointment now; steps its acting official holds go back to the absent official."""
    appointment = ActingAppointment.objects.select_for_update().select_related("absent", "acting").get(pk=appointment.pk)
    if not may_appoint(user, role=appointment.role, absent=appointment.absent):
        raise PermissionDenied(
            _("Hanya administrator situs atau pejabat yang bersangkutan yang dapat mencabut penunjukan Plt/Plh.")
        )
    if appointment.revoked_at is not None:
        raise ValidationError(_("Penunjukan ini sudah dicabut."))
    if appointment.end_date < wita_today():
        raise ValidationError(_("Masa penunjukan ini sudah berakhir."))
    appointment.revoked_at = timezone.now()
    appointment.revoked_by = user
    appointment.save(update_fields=["revoked_at", "revoked_by"])
    acting_changed.send(sender=ActingAppointment, appointment=appointment, actor=user)
    return appointment


def appointments_list(*, user):
    """What ``user`` sees on the Plt/Plh screen: every appointment for an administrator, otherwise
    those where they are the absent or the acting official."""
    qs = ActingAppointment.objects.select_related("absent", "acting", "created_by", "revoked_by")
    if not is_site_admin(user):
        qs = qs.filter(Q(absent=user) | Q(acting=user))
    return qs.order_by("-start_date", "-id")
