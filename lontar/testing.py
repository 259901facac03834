"""Builders shared by the test suites: the real SOP file, the real site tree, people in roles."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.roles import GROUP_NAMES, SITE_ADMIN_GROUP
from accounts.services import roles_sync
from desk.content_types import installed_content_types
from portal.services import portal_setup
from sop.loader import sop_load_file
from sop.rules import Role

PASSWORD = "rahasia-uji-123"


def make_user(username: str, *, role: Role | None = None, first_name: str = "", last_name: str = "", **extra):
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first_name or username.capitalize(),
        last_name=last_name,
        email=f"{username}@tabanankab.go.id",
        **extra,
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    return user


def build_world():
    """SOP loaded from the repository's definition file, public site, role groups and one person
    per office plus two Staf and a site administrator. Returns a dict of the people."""
    version = sop_load_file(path=settings.LONTAR_SOP_FILE).version
    portal_setup()
    roles_sync(section_roots=[ct.index_page() for ct in installed_content_types() if ct.index_page()])
    people = {
        "kasi": make_user("kasi", role=Role.KASI, first_name="Ni Made", last_name="Ayu Lestari"),
        "staf": make_user("staf1", role=Role.STAF, first_name="I Wayan", last_name="Sudarsana"),
        "staf2": make_user("staf2", role=Role.STAF, first_name="Ni Luh Putu", last_name="Ariani"),
        "kabid": make_user("kabid", role=Role.KABID, first_name="I Gede", last_name="Suardana"),
        "sekdis": make_user("sekdis", role=Role.SEKDIS, first_name="A.A. Ngurah", last_name="Mahendra"),
        "kadis": make_user("kadis", role=Role.KADIS, first_name="I Putu", last_name="Wirawan"),
    }
    admin = make_user("admin", first_name="Admin", last_name="Situs", is_staff=True, is_superuser=True)
    admin.groups.add(Group.objects.get(name=SITE_ADMIN_GROUP))
    people["admin"] = admin
    people["version"] = version
    return people
