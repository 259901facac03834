"""Which SOP role a person plays. A role is a Django group named after the SOP's short title."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from sop.rules import Role

GROUP_NAMES = {role: role.label for role in Role}
SITE_ADMIN_GROUP = "Administrator Situs"


def user_roles(user) -> set[Role]:
    """The SOP roles of ``user`` (cached on the user object for the request)."""
    if not user or not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_lontar_roles", None)
    if cached is None:
        by_name = {name: role for role, name in GROUP_NAMES.items()}
        cached = {by_name[name] for name in group_names(user) if name in by_name}
        user._lontar_roles = cached
    return cached


def group_names(user) -> frozenset[str]:
    """The names of ``user``'s groups, read once per request (cached on the user object)."""
    cached = getattr(user, "_lontar_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._lontar_group_names = cached
    return cached


def is_site_admin(user) -> bool:
    """A superuser or a member of the site administrators' group (no query after the first)."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or SITE_ADMIN_GROUP in group_names(user)


def has_role(user, role: Role) -> bool:
    return role in user_roles(user)


def users_with_role(role: Role):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=GROUP_NAMES[role])
        .order_by("id")
    )


def office_holder(role: Role):
    """The person who holds a one-person office (Kabid, Sekdis, Kadis) by appointment: when the
    group has several members, the longest-standing account."""
    return users_with_role(role).first()


def official_for(role: Role, *, at: dt.date | None = None):
    """Who acts for the office ``role`` on the day ``at`` (WITA, default today): the Plt/Plh
    when an appointment covers that day, otherwise the office holder."""
    return stand_in_for(office_holder(role), role, at=at)


def wita_today() -> dt.date:
    # The office's days are WITA days, whatever zone a request activated.
    return timezone.localdate(timezone=timezone.get_default_timezone())


def acting_appointments(*, at: dt.date | None = None):
    """Appointments in force on the day ``at`` (WITA, default today)."""
    from accounts.models import ActingAppointment

    day = at or wita_today()
    return ActingAppointment.objects.filter(revoked_at__isnull=True, start_date__lte=day, end_date__gte=day)


def appointment_for(person, role: Role, *, at: dt.date | None = None):
    """The appointment in force on ``at`` under which someone stands in for ``person`` in ``role``."""
    if person is None or Role(role) == Role.STAF:
        return None
    return (
        acting_appointments(at=at)
        .filter(absent=person, role=Role(role).value, acting__is_active=True)
        .select_related("acting", "absent")
        .first()
    )


def stand_in_for(person, role: Role, *, at: dt.date | None = None):
    """``person``, or their Plt/Plh in ``role`` on the day ``at``. One level only: the
    appointment rules refuse a stand-in who is away themselves (accounts.acting)."""
    appointment = appointment_for(person, role, at=at)
    return appointment.acting if appointment else person


def acting_as(user, role: Role, *, at: dt.date | None = None, absent=None):
    """The appointment in force on ``at`` under which ``user`` acts as ``role`` (for ``absent``,
    when given), or None."""
    if not user or not user.is_authenticated or not user.is_active or Role(role) == Role.STAF:
        return None
    qs = acting_appointments(at=at).filter(acting=user, role=Role(role).value)
    if absent is not None:
        qs = qs.filter(absent=absent)
    return qs.select_related("absent").order_by("start_date", "id").first()


def may_act_as(user, role: Role, *, at: dt.date | None = None) -> bool:
    """Whether ``user`` plays ``role`` on that day: by their own group or as its Plt/Plh."""
    return has_role(user, role) or acting_as(user, role, at=at) is not None


def role_group(role: Role) -> Group:
    return Group.objects.get(name=GROUP_NAMES[role])
