"""Which SOP role a person plays. A role is a Django group named after the SOP's short title."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

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
        names = user.groups.values_list("name", flat=True)
        cached = {by_name[name] for name in names if name in by_name}
        user._lontar_roles = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role in user_roles(user)


def users_with_role(role: Role):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=GROUP_NAMES[role])
        .order_by("id")
    )


def official_for(role: Role):
    """The person who holds a one-person office (Kabid, Sekdis, Kadis) now.

    When the group has several members the longest-standing account is the office holder; acting
    officials (Plt/Plh) are a later addition and will be resolved here.
    """
    return users_with_role(role).first()


def role_group(role: Role) -> Group:
    return Group.objects.get(name=GROUP_NAMES[role])
