"""Who may read the compliance report: the officials who answer for the SOP (Kasi, Kabid, Sekdis,
Kadis) and the site administrators. Staf see their own work in the desk, not everyone's figures."""

from accounts.roles import is_site_admin, user_roles
from sop.rules import Role

REPORT_ROLES = frozenset({Role.KASI, Role.KABID, Role.SEKDIS, Role.KADIS})


def may_view_report(user) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return is_site_admin(user) or bool(user_roles(user) & REPORT_ROLES)
