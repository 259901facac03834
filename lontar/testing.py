"""Builders shared by the test suites: the real SOP file, the real site tree, people in roles."""

import socket

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


# Issue 4: at most 8 SQL queries for any public page, in the steady state (caches filled by
# earlier views). Where they go: serving takes 2 at any depth (the pages on the URL's path with
# their view-restriction flags, then the deepest as its own type; the home page 1, see
# portal.serving), the site's frame none (cached, profil.selectors.site_chrome); the rest is the
# page's own content. The first view after the cache is emptied (a restart without Redis, a
# flush) also reads what the cache keeps: the sites, Wagtail's site root paths and the chrome (+3).
PUBLIC_PAGE_QUERY_BOUND = 8


def assert_public_page_queries(test, url: str, *, cold: int, warm: int, status: int = 200):
    """Serve ``url`` with an empty cache, then again with the cache that view filled, asserting
    the exact number of queries of each and the issue's bound on the warm one. Returns the
    second response."""
    from django.core.cache import cache

    test.client.get(url)  # the first view ever creates the image renditions; later views only read them
    cache.clear()
    test.assertLessEqual(warm, PUBLIC_PAGE_QUERY_BOUND, f"{url}: the public page bound is {PUBLIC_PAGE_QUERY_BOUND}")
    with test.assertNumQueries(cold):
        response = test.client.get(url)
    test.assertEqual(response.status_code, status, url)
    with test.assertNumQueries(warm):
        response = test.client.get(url)
    test.assertEqual(response.status_code, status, url)
    return response


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def freeze_clock(test, moment):
    """Stop the clock at ``moment`` for the rest of ``test`` (time_machine, no ticking); returns
    the traveller's coordinates, whose ``move_to``/``shift`` move it on."""
    import time_machine

    traveller = time_machine.travel(moment, tick=False)
    clock = traveller.start()
    test.addCleanup(traveller.stop)
    return clock


def media_on_disk(location: str):
    """Settings (a class or function decorator) that store uploads on disk in ``location``.
    Wagtail serves documents from a storage with a filesystem path by reading that path; the test
    settings' in-memory storage claims one it does not have."""
    from django.test import override_settings

    return override_settings(
        MEDIA_ROOT=location,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
