"""Groups for the SOP roles and the least Wagtail/Django permissions each needs."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from accounts.roles import GROUP_NAMES, SITE_ADMIN_GROUP
from sop.rules import Role


def _perm(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def roles_sync(*, section_roots=()) -> dict[str, Group]:
    """Create or update the role groups; idempotent.

    Nobody in the chain holds Wagtail's publish permission: the SOP's last step publishes with the
    engine's authority. Officials need no page permission either; a workflow step lets its named
    holder open the editor. Staf add pages under the berita section and so edit their own drafts.
    """
    access_admin = _perm("wagtailadmin", "access_admin")
    groups = {}
    for role, name in GROUP_NAMES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        groups[role.value] = group

    root_collection = Collection.get_first_root_node()
    staf = groups[Role.STAF.value]
    for app_label, codename in [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ]:
        GroupCollectionPermission.objects.get_or_create(
            group=staf, collection=root_collection, permission=_perm(app_label, codename)
        )
    for role in (Role.KASI, Role.KABID, Role.SEKDIS, Role.KADIS):
        GroupCollectionPermission.objects.get_or_create(
            group=groups[role.value], collection=root_collection, permission=_perm("wagtailimages", "choose_image")
        )
    add_page = _perm("wagtailcore", "add_page")
    for page in section_roots:
        GroupPagePermission.objects.get_or_create(group=staf, page=page, permission=add_page)

    admin, _ = Group.objects.get_or_create(name=SITE_ADMIN_GROUP)
    admin.permissions.add(
        access_admin,
        _perm("desk", "emergency_publish"),
        # The site's identity, menus and home banners are the administrator's, not the SOP's.
        _perm("profil", "change_siteidentity"),
        _perm("profil", "add_banner"),
        _perm("profil", "change_banner"),
        _perm("profil", "delete_banner"),
        # The working calendar every time standard is counted in (sop.calendar).
        *(
            _perm("sop", f"{verb}_{model}")
            for model in ("officehours", "localholiday")
            for verb in ("add", "change", "delete")
        ),
    )
    groups["admin"] = admin
    return groups
