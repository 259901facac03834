"""Role groups and their permissions."""

from django.contrib.auth.models import Group
from django.test import TestCase

from accounts.roles import SITE_ADMIN_GROUP
from lontar.testing import build_world, make_user


class SiteAdminGroupTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_world()

    def test_site_administrator_may_edit_identity_and_banners_but_no_role_may_publish(self):
        admin = make_user("operator")
        admin.groups.add(Group.objects.get(name=SITE_ADMIN_GROUP))
        for perm in ("profil.change_siteidentity", "profil.add_banner", "profil.change_banner", "desk.emergency_publish"):
            self.assertTrue(admin.has_perm(perm), perm)
        for name in ("Kasi", "Staf", "Kabid", "Sekdis", "Kadis"):
            codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
            self.assertNotIn("emergency_publish", codenames)
            self.assertNotIn("change_siteidentity", codenames)
