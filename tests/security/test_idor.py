"""Insecure direct object references: someone who knows (or guesses) the id of another person's
agenda, disposisi, draft, PPID request or export asks for it, or acts on it, by URL.

Policy (docs/security.md, "Access control"): the desk is one office's shared desk, so everyone
with an SOP role may *read* every item's timeline and text (the review screen, the revision
comparison); only the named holder *acts*, and only the Kasi who wrote a plan edits or disposes
it. An admin account without an SOP role (a PPID official, a guest) reads nothing of the desk.
Drafts are seen in Wagtail's own screens only by people Wagtail lets edit them."""

import json

from django.contrib.auth.models import Group
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from desk.tests import sop_driver as D
from desk.tests.helpers import client_for, page_form_data
from desk.tests.sop_driver import build_item, make_no_role_user, rolled_back
from lontar.testing import build_world, make_user
from notifications.models import NotificationPreference
from ppid.services import PPID_GROUP, ppid_group_sync
from sop.rules import Role
from tests.security.support import desk_refusal, unchanged

TOPIC = "Rahasia rapat anggaran belum diumumkan"


class DeskIdorTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        p["tamu"] = make_no_role_user()
        p["kasi2"] = make_user("kasi2", role=Role.KASI, first_name="Ni Ketut", last_name="Sari")
        ppid_group_sync()
        p["ppid"] = make_user("petugas_ppid", first_name="Ni Wayan", last_name="Petugas")
        p["ppid"].groups.add(Group.objects.get(name=PPID_GROUP))
        cls.draft_agenda = D.agenda_draft(p["kasi"], topic=TOPIC)
        cls.planned_agenda = D.agenda_planned(p["kasi"], topic=f"{TOPIC} (rencana)")
        cls.item = build_item(p, step=5, topic=f"{TOPIC} (naskah)")

    def test_another_kasi_cannot_edit_or_plan_someone_elses_agenda(self):
        client = client_for(self.people["kasi2"])
        url = reverse("desk:agenda_edit", args=[self.draft_agenda.pk])
        data = {
            "topic": "Diubah orang lain",
            "kind": "berita",
            "perangkat_daerah": "",
            "place": "",
            "planned_date": timezone.localdate().isoformat(),
            "notes": "",
            "plan": "1",
        }
        with unchanged(self):
            response = client.post(url, data)
            self.assertEqual(response.status_code, 403)
            self.assertEqual(desk_refusal(response), "Hanya Kasi penyusun rencana ini yang dapat mengubahnya.")
            # Opening it sends them to the list; the form with its data is not shown.
            response = client.get(url)
            self.assertRedirects(response, reverse("desk:agenda_list"), fetch_redirect_response=False)

    def test_another_kasi_cannot_send_the_disposisi_of_someone_elses_plan(self):
        deadline = (timezone.localtime() + timezone.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
        url = reverse("desk:disposisi_create", args=[self.planned_agenda.pk])
        with unchanged(self):
            for who in ("kasi2", "kabid", "staf", "tamu"):
                with self.subTest(who=who):
                    response = client_for(self.people[who]).post(
                        url,
                        {
                            "recipients": [self.people["staf2"].pk],
                            "instruction": "Liput.",
                            "sifat": "biasa",
                            "batas_waktu": deadline,
                            "catatan": "",
                        },
                    )
                    self.assertEqual(response.status_code, 403)
                    self.assertTrue(desk_refusal(response))

    def test_a_staf_cannot_write_or_report_another_stafs_item(self):
        item = build_item(self.people, step=3, topic="Naskah milik Staf pertama")
        with unchanged(self):
            for name in ("desk:write", "desk:submit"):
                response = client_for(self.people["staf2"]).post(reverse(name, args=[item.liputan.pk]))
                self.assertEqual(response.status_code, 403)
                self.assertIn("dipegang oleh I Wayan Sudarsana", desk_refusal(response))

    def test_people_without_an_sop_role_read_nothing_of_the_desk(self):
        liputan = self.item.liputan
        revisions = list(self.item.page.revisions.order_by("pk").values_list("pk", flat=True))
        urls = [
            reverse("desk:liputan", args=[liputan.pk]),
            reverse("desk:review", args=[liputan.pk]),
            reverse("desk:compare", args=[liputan.pk, revisions[0], revisions[-1]]),
            reverse("desk:agenda_list"),
            reverse("desk:liputan_list"),
            reverse("desk:overview"),
            reverse("desk:agenda_edit", args=[self.draft_agenda.pk]),
            reverse("desk:disposisi_create", args=[self.planned_agenda.pk]),
        ]
        with unchanged(self):
            for who in ("tamu", "ppid"):
                client = client_for(self.people[who])
                for url in urls:
                    with self.subTest(who=who, url=url):
                        response = client.get(url)
                        self.assertIn(response.status_code, (302, 403))
                        self.assertNotIn(TOPIC, response.content.decode())
                        if response.status_code == 403:
                            self.assertTrue(desk_refusal(response))
                        else:
                            self.assertEqual(response["Location"], reverse("desk:agenda_list"))

    def test_guessing_item_ids_reveals_nothing(self):
        client = client_for(self.people["kabid"])
        for pk in (0, 999999, -1):
            with self.subTest(pk=pk):
                url = f"/admin/meja/liputan/{pk}/telaah/"
                self.assertEqual(client.get(url).status_code, 404)
        # A revision of another page in the comparison URL.
        other = build_item(self.people, step=4, topic="Naskah lain")
        foreign = other.page.get_latest_revision().pk
        own = self.item.page.get_latest_revision().pk
        url = reverse("desk:compare", args=[self.item.liputan.pk, own, foreign])
        self.assertEqual(client.get(url).status_code, 404)


class DraftIdorTest(TestCase):
    """Another person's draft in Wagtail's own screens: editor, preview, draft view, history,
    revisions, workflow preview and the admin API."""

    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        p["tamu"] = make_no_role_user()
        cls.item = build_item(p, step=5, topic=TOPIC)
        cls.page = cls.item.page
        revisions = list(cls.page.revisions.order_by("pk").values_list("pk", flat=True))
        cls.first_revision, cls.last_revision = revisions[0], revisions[-1]

    def wagtail_urls(self):
        page = self.page
        task_id = page.current_workflow_state.current_task_state.task_id
        return [
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]),
            reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
            reverse("wagtailadmin_pages:history", args=[page.pk]),
            reverse("wagtailadmin_pages:revisions_view", args=[page.pk, self.first_revision]),
            reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, self.first_revision, self.last_revision]),
            reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, self.first_revision]),
            reverse("wagtailadmin_pages:workflow_history", args=[page.pk]),
            reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task_id]),
            reverse("wagtailadmin_pages:copy", args=[page.pk]),
            reverse("wagtailadmin_pages:move", args=[page.pk]),
            reverse("wagtailadmin_pages:delete", args=[page.pk]),
            reverse("wagtailadmin_pages:unpublish", args=[page.pk]),
        ]

    def test_an_admin_user_without_a_role_sees_no_draft_screen(self):
        client = client_for(self.people["tamu"])
        with unchanged(self):
            for url in self.wagtail_urls():
                with self.subTest(url=url):
                    response = client.get(url)
                    self.assertIn(response.status_code, (302, 403, 404), url)
                    if response.status_code == 302:
                        self.assertEqual(response["Location"], reverse("wagtailadmin_home"))
                    self.assertNotIn(TOPIC, response.content.decode())

    def test_officials_who_do_not_hold_the_step_cannot_edit_preview_or_change_the_draft(self):
        """The Kabid (step 4 done) and the second Staf: readers of the desk, not of Wagtail's draft
        screens, and never writers."""
        for who in ("kabid", "staf2"):
            client = client_for(self.people[who])
            with self.subTest(who=who), unchanged(self):
                response = client.post(
                    reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
                    page_form_data(self.page, title="Diubah diam-diam"),
                )
                self.assertIn(response.status_code, (302, 403))
                response = client.post(
                    reverse("wagtailadmin_pages:preview_on_edit", args=[self.page.pk]),
                    page_form_data(self.page, title="Pratinjau orang lain"),
                )
                self.assertIn(response.status_code, (302, 403))
                for url in (
                    reverse("wagtailadmin_pages:preview_on_edit", args=[self.page.pk]),
                    reverse("wagtailadmin_pages:view_draft", args=[self.page.pk]),
                ):
                    response = client.get(url)
                    self.assertEqual(response.status_code, 302, url)
                    self.assertNotIn(TOPIC, response.content.decode())

    def test_admin_api_hides_drafts_from_people_without_access(self):
        anonymous = Client()
        api = "/admin/api/main/pages/"
        self.assertIn(anonymous.get(f"{api}{self.page.pk}/").status_code, (302, 401, 403))
        for who in ("tamu", "kabid", "kadis"):
            client = client_for(self.people[who])
            with self.subTest(who=who):
                self.assertEqual(client.get(f"{api}{self.page.pk}/").status_code, 404)
                listing = client.get(api, {"search": "anggaran"})
                self.assertNotIn(TOPIC, listing.content.decode())
                listing = client.get(api, {"child_of": self.page.get_parent().pk})
                self.assertNotIn(TOPIC, listing.content.decode())

    def test_admin_api_actions_on_sop_items_are_refused_even_to_the_owner_and_the_superuser(self):
        """The admin API acts without the editor's guards: reverting to another revision would
        change the text the Sekdis is reviewing, a copy or move would put it elsewhere."""
        parent = self.page.get_parent()
        actions = {
            "revert_to_page_revision": {"revision_id": self.first_revision},
            "copy": {"destination_page_id": parent.pk, "new_slug": "salinan", "keep_live": True},
            "move": {"destination_page_id": parent.get_parent().pk},
            "publish": {},
            "unpublish": {},
            "delete": {},
            "create_alias": {"destination_page_id": parent.pk, "new_slug": "alias"},
        }
        for who in ("staf", "admin"):
            client = client_for(self.people[who])
            for action, data in actions.items():
                with self.subTest(who=who, action=action), unchanged(self):
                    response = client.post(
                        f"/admin/api/main/pages/{self.page.pk}/action/{action}/",
                        json.dumps(data),
                        content_type="application/json",
                    )
                    self.assertIn(response.status_code, (403, 404))
                    if who == "admin":
                        self.assertEqual(response.status_code, 403)
                        self.assertIn("bukan melalui API", response.json()["detail"])
        # Pages outside the SOP keep Wagtail's behaviour: the superuser may unpublish the section.
        with rolled_back():
            response = client_for(self.people["admin"]).post(
                f"/admin/api/main/pages/{parent.pk}/action/unpublish/", "{}", content_type="application/json"
            )
            self.assertEqual(response.status_code, 200, response.content[:300])


class ExportAndPreferenceIdorTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        p["tamu"] = make_no_role_user()
        ppid_group_sync()
        p["ppid"] = make_user("petugas_ppid")
        p["ppid"].groups.add(Group.objects.get(name=PPID_GROUP))
        D.publish_berita(p, topic="Panen raya")

    def test_only_officials_and_administrators_export_the_compliance_report(self):
        urls = [reverse("reports:report")] + [reverse("reports:export", args=[fmt]) for fmt in ("csv", "xlsx", "pdf")]
        with unchanged(self):
            for who in ("staf", "staf2", "tamu", "ppid"):
                client = client_for(self.people[who])
                for url in urls:
                    with self.subTest(who=who, url=url):
                        response = client.get(url)
                        self.assertEqual(response.status_code, 403)
                        self.assertIn("Laporan kepatuhan hanya untuk", desk_refusal(response))
                        self.assertNotIn("attachment", response.get("Content-Disposition", ""))
            response = Client().get(reverse("reports:export", args=["csv"]))
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("wagtailadmin_login"), response["Location"])
        # The Kasi may (the refusals above are not a broken URL).
        response = client_for(self.people["kasi"]).get(reverse("reports:export", args=["csv"]))
        self.assertEqual(response.status_code, 200)

    def test_unknown_or_traversing_export_formats_are_refused(self):
        client = client_for(self.people["kasi"])
        for fmt in ("html", "json", "..%2F..%2Fsettings", "csv%00", "CSV"):
            with self.subTest(fmt=fmt):
                response = client.get(f"/admin/laporan/unduh/{fmt}/")
                self.assertIn(response.status_code, (403, 404))
                self.assertNotIn("attachment", response.get("Content-Disposition", ""))

    def test_notification_choices_of_another_person_cannot_be_set(self):
        victim = self.people["kadis"]
        NotificationPreference.objects.create(user=victim, email=True, webhook=False)
        client = client_for(self.people["staf"])
        response = client.post(
            reverse("notifications:preferences"), {"email": "", "webhook": "", "user": victim.pk, "user_id": victim.pk}
        )
        self.assertIn(response.status_code, (200, 302))
        self.assertTrue(NotificationPreference.objects.get(user=victim).email)
        self.assertFalse(NotificationPreference.objects.get(user=self.people["staf"]).email)
