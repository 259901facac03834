"""Forged SOP transitions: every request that tries to move an item other than as the SOP says is
refused with a reason, and the database is exactly as before.

``desk/tests/test_permission_matrix.py`` sends every action of every person at every step; the
attacks here are the forgeries around it: swapped task-state ids, Wagtail's own workflow URL,
stale and replayed forms, an approver who lost the role, and fields added to the forms."""

import time_machine
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState

from accounts.roles import GROUP_NAMES
from desk.models import AgendaItem, Liputan, StepEvent
from desk.tests import sop_driver as D
from desk.tests.helpers import client_for, page_form_data, text_of
from desk.tests.sop_driver import POSITIONS, build_item, make_no_role_user, rolled_back
from lontar.testing import build_world, make_user
from portal.models import BeritaPage
from sop.rules import Role
from tests.security.support import desk_refusal, snapshot, unchanged

REASON = "Data jumlah peserta belum dicantumkan."
# The action the holder of each position takes, and who holds it in build_world.
PRIMARY = {
    (3, 1): ("forward", "kasi"),
    (4, 0): ("forward", "kabid"),
    (5, 0): ("forward", "sekdis"),
    (6, 0): ("forward", "kadis"),
    (7, 0): ("forward", "sekdis"),
    (8, 0): ("forward", "kabid"),
    (9, 0): ("assign", "kasi"),
    (10, 0): ("publish", "staf2"),
}
STALE = "berpindah langkah"


def current_task_state_id(item) -> int:
    return item.page.current_workflow_state.current_task_state_id


def without_new_ids(state: dict) -> dict:
    return {
        key: [row[1:] for row in rows] if key in ("task_states", "workflow_states") else rows
        for key, rows in state.items()
    }


def act_data(action, task_state_id, people, **extra):
    data = {"action": action, "task_state_id": task_state_id, "comment": ""}
    if action == "return":
        data.update(return_comment=REASON, return_to=3)
    if action == "assign":
        data["uploader"] = people["staf2"].pk
    return {**data, **extra}


class ForgedTransitionTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.people["tamu"] = make_no_role_user()
        cls.people["kasi2"] = make_user("kasi2", role=Role.KASI, first_name="Ni Ketut", last_name="Sari")

    def client_of(self, who):
        return client_for(self.people[who])

    def desk_act(self, who, item, action, *, task_state_id=None, **extra):
        ts = current_task_state_id(item) if task_state_id is None else task_state_id
        return self.client_of(who).post(
            reverse("desk:act", args=[item.liputan.pk]), act_data(action, ts, self.people, **extra)
        )

    def wagtail_act(self, who, item, action, *, task_state_id=None, page=None):
        page = page or item.page
        ts = current_task_state_id(item) if task_state_id is None else task_state_id
        data = {"comment": REASON, "return_to": 3, "uploader": self.people["staf2"].pk}
        return self.client_of(who).post(reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, ts]), data)

    def assert_desk_refused(self, response, says=None):
        self.assertEqual(response.status_code, 403, text_of(response)[-2000:])
        reason = desk_refusal(response)
        self.assertTrue(reason, "a refusal says why")
        if says:
            self.assertIn(says, reason)
        self.assertIn("Tidak ada yang berubah.", text_of(response))

    def assert_wagtail_refused(self, response):
        """Wagtail's admin answers PermissionDenied with a redirect to its dashboard (403 for XHR)."""
        self.assertIn(response.status_code, (302, 403))
        if response.status_code == 302:
            self.assertEqual(response["Location"], reverse("wagtailadmin_home"))

    # --- every wrong person ----------------------------------------------------------------------

    def test_every_wrong_person_is_refused_the_holders_action_at_every_step(self):
        """At each of steps 3 (Kasi's check) to 10, everyone but the holder (other officials,
        both Staf, a second Kasi, the site administrator, an admin user with no role) sends the
        holder's action through the desk and through Wagtail's workflow URL."""
        for position in POSITIONS[3:]:
            item = build_item(self.people, step=position[0], phase=position[1], topic=f"Langkah {position}")
            action, holder = PRIMARY[position]
            self.assertEqual(item.liputan.holder, self.people[holder])
            for who in ("kasi", "kasi2", "staf", "staf2", "kabid", "sekdis", "kadis", "admin", "tamu"):
                if who == holder:
                    continue
                with self.subTest(position=position, who=who), unchanged(self):
                    self.assert_desk_refused(self.desk_act(who, item, action))
                    self.assert_wagtail_refused(self.wagtail_act(who, item, action))

    # --- task-state ids --------------------------------------------------------------------------

    def test_a_task_state_id_of_another_item_is_refused(self):
        """The Kabid holds two items at step 4 and sends item A's form with item B's task state:
        a valid id, of a step he holds, but not this item's."""
        a = build_item(self.people, step=4, topic="Berita A")
        b = build_item(self.people, step=4, topic="Berita B")
        with unchanged(self):
            self.assert_desk_refused(
                self.desk_act("kabid", a, "forward", task_state_id=current_task_state_id(b)), says=STALE
            )
            # Wagtail's URL with A's page and B's task state: Wagtail itself would act on B
            # (desk.wagtail_hooks.SopWorkflowActionView answers 404 instead).
            response = self.wagtail_act("kabid", a, "forward", task_state_id=current_task_state_id(b))
            self.assertEqual(response.status_code, 404)
        # With its own task state the same request goes through: the refusals were the forgery.
        with rolled_back():
            self.assertEqual(self.desk_act("kabid", a, "forward").status_code, 302)

    def test_malformed_task_state_ids_are_refused_as_invalid_requests(self):
        item = build_item(self.people, step=4)
        for forged in ("abc", "", "-1", "1e9", "99999999999999999999", "1 OR 1=1"):
            with self.subTest(task_state_id=forged), unchanged(self):
                response = self.desk_act("kabid", item, "forward", task_state_id=forged)
                self.assertEqual(response.status_code, 403)
                self.assertTrue(desk_refusal(response))
        with unchanged(self):
            self.assert_desk_refused(self.desk_act("kabid", item, "forward", task_state_id=987654), says=STALE)

    def test_wagtail_url_with_an_action_name_the_sop_does_not_have(self):
        item = build_item(self.people, step=4)
        for action in ("approve", "reject", "publish", "unpublish", "delete", "../../etc", "forward%00"):
            with self.subTest(action=action), unchanged(self):
                response = self.client_of("kabid").post(
                    f"/admin/pages/{item.page.pk}/workflow/action/{action}/{current_task_state_id(item)}/",
                    {"comment": "x"},
                )
                self.assertIn(response.status_code, (302, 403, 404))
                if response.status_code == 302:
                    self.assertEqual(response["Location"], reverse("wagtailadmin_home"))

    # --- the author approving their own item -----------------------------------------------------

    def test_the_writer_cannot_approve_their_own_report(self):
        """Step 3 after the report is the Kasi's check: the Staf who wrote it cannot pass it on,
        through the desk or Wagtail's approve URL."""
        item = build_item(self.people, step=3, phase=1)
        for action in ("forward", "assign", "publish"):
            with self.subTest(action=action), unchanged(self):
                self.assert_desk_refused(self.desk_act("staf", item, action), says="dipegang oleh Ni Made Ayu Lestari")
                self.assert_wagtail_refused(self.wagtail_act("staf", item, action))
                self.assert_wagtail_refused(self.wagtail_act("staf", item, "approve"))

    # --- publishing early ------------------------------------------------------------------------

    def test_publishing_at_step_4_is_refused_by_every_path(self):
        item = build_item(self.people, step=4)
        page = item.page
        with unchanged(self):
            # The holder of step 4 asks the desk to publish, or to assign an uploader.
            self.assert_desk_refused(self.desk_act("kabid", item, "publish"))
            self.assert_desk_refused(self.desk_act("kabid", item, "assign"))
            # Wagtail's workflow URL with "publish".
            self.assert_wagtail_refused(self.wagtail_act("kabid", item, "publish"))
            # The editor's publish button, by the Staf who owns the page and by the superuser.
            for who in ("staf", "admin"):
                response = self.client_of(who).post(
                    reverse("wagtailadmin_pages:edit", args=[page.pk]), page_form_data(page, action="action-publish")
                )
                self.assertIn(response.status_code, (302, 403))
            # Wagtail's bulk publish, by the superuser.
            response = self.client_of("admin").post(
                f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}", {"include_descendants": ""}
            )
            self.assertIn(response.status_code, (200, 302, 403))
            # The admin API's publish action.
            response = self.client_of("admin").post(
                f"/admin/api/main/pages/{page.pk}/action/publish/", "{}", content_type="application/json"
            )
            self.assertEqual(response.status_code, 403)
        self.assertFalse(BeritaPage.objects.get(pk=page.pk).live)

    # --- stale and replayed forms ----------------------------------------------------------------

    def test_approving_a_stale_revision_is_refused(self):
        """The Kabid opened the review at step 4 and saw the first text. The item then went back
        to the Staf, was rewritten and came back to him. The form still open on his phone carries
        the old task state: sending it would approve a text he has not read."""
        item = build_item(self.people, step=4)
        liputan = item.liputan
        old_task_state = current_task_state_id(item)
        first_revision = item.page.get_latest_revision()
        # In another tab, the Kabid returns it; the Staf rewrites and reports; the Kasi forwards.
        D.act(liputan, "return", return_to=3, comment=REASON)
        D.write(liputan, body="<p>Sebanyak 40 pelaku UMKM dari 10 kecamatan.</p>")
        D.advance(liputan, self.people, to_step=4)
        item.refresh()
        new_revision = item.page.get_latest_revision()
        self.assertNotEqual(first_revision.pk, new_revision.pk)
        with unchanged(self):
            self.assert_desk_refused(self.desk_act("kabid", item, "forward", task_state_id=old_task_state), says=STALE)
            self.assert_wagtail_refused(self.wagtail_act("kabid", item, "forward", task_state_id=old_task_state))
        # A forged "revision" field naming the text he saw changes nothing: the record names the
        # revision that is current when the step is taken.
        response = self.desk_act("kabid", item, "forward", revision=first_revision.pk, revision_id=first_revision.pk)
        self.assertEqual(response.status_code, 302)
        event = StepEvent.objects.filter(liputan=liputan).latest("id")
        self.assertEqual((event.step, event.action, event.revision_id), (4, "forward", new_revision.pk))

    def test_replaying_an_old_approve_after_a_return_is_refused(self):
        """The Kasi's forward at step 3 is captured and sent again after the Kabid returned the
        item and the Staf reported it anew: same URL, same body, same session."""
        item = build_item(self.people, step=3, phase=1)
        url = reverse("desk:act", args=[item.liputan.pk])
        captured = act_data("forward", current_task_state_id(item), self.people, comment="Layak diteruskan.")
        wagtail_url = reverse(
            "wagtailadmin_pages:workflow_action", args=[item.page.pk, "forward", current_task_state_id(item)]
        )
        kasi = self.client_of("kasi")
        self.assertEqual(kasi.post(url, captured).status_code, 302)
        D.act(item.liputan, "return", return_to=3, comment=REASON)
        D.advance(item.liputan, self.people, to_step=3, to_phase=1)
        item.refresh()
        self.assertEqual((item.liputan.step, item.liputan.phase), (3, 1))
        with unchanged(self):
            self.assert_desk_refused(kasi.post(url, captured), says=STALE)
            self.assert_wagtail_refused(kasi.post(wagtail_url, {"comment": "Layak diteruskan."}))
        # Two forwards in the record: the original and the one the Kasi now sends on the new form.
        self.assertEqual(self.desk_act("kasi", item, "forward").status_code, 302)
        self.assertEqual(StepEvent.objects.filter(liputan=item.liputan, step=3, action="forward").count(), 2)

    def test_replaying_a_publish_after_publication_is_refused(self):
        item = build_item(self.people, step=10)
        data = act_data("publish", current_task_state_id(item), self.people)
        url = reverse("desk:act", args=[item.liputan.pk])
        self.assertEqual(self.client_of("staf2").post(url, data).status_code, 302)
        with unchanged(self):
            self.assert_desk_refused(self.client_of("staf2").post(url, data), says="sudah terbit")

    # --- an approver who lost the role -----------------------------------------------------------

    def test_an_approver_moved_out_of_the_role_mid_flow_is_refused(self):
        """The Kabid holding step 4 is moved to the Kasi group (still inside the admin): the step
        stays named after him, but he no longer acts as Kabid."""
        item = build_item(self.people, step=4)
        kabid = self.people["kabid"]
        self.assertEqual(item.liputan.holder, kabid)
        kabid.groups.remove(Group.objects.get(name=GROUP_NAMES[Role.KABID]))
        kabid.groups.add(Group.objects.get(name=GROUP_NAMES[Role.KASI]))
        with unchanged(self):
            self.assert_desk_refused(self.desk_act("kabid", item, "forward"), says="hanya dapat dilakukan oleh Kabid")
            self.assert_desk_refused(self.desk_act("kabid", item, "return"), says="hanya dapat dilakukan oleh Kabid")
            self.assert_wagtail_refused(self.wagtail_act("kabid", item, "forward"))
            # The review screen offers him nothing to send.
            review = text_of(self.client_of("kabid").get(reverse("desk:review", args=[item.liputan.pk])))
            self.assertNotIn('name="action" value="forward"', review)
        # Given the role back, the same person may act again.
        kabid.groups.remove(Group.objects.get(name=GROUP_NAMES[Role.KASI]))
        kabid.groups.add(Group.objects.get(name=GROUP_NAMES[Role.KABID]))
        with rolled_back():
            self.assertEqual(self.desk_act("kabid", item, "forward").status_code, 302)

    def test_an_approver_removed_from_every_group_mid_flow_is_sent_to_the_login(self):
        item = build_item(self.people, step=4)
        self.people["kabid"].groups.clear()
        login = reverse("wagtailadmin_login")
        with unchanged(self):
            for response in (
                self.client_of("kabid").get(reverse("desk:review", args=[item.liputan.pk])),
                self.desk_act("kabid", item, "forward"),
                self.wagtail_act("kabid", item, "forward"),
            ):
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(login), response["Location"])


class MassAssignmentTest(TestCase):
    """Fields a form does not have, added to the POST, are ignored: status, holder, owner,
    step, author, dates."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.people["kasi2"] = make_user("kasi2", role=Role.KASI, first_name="Ni Ketut", last_name="Sari")

    FORGED_ITEM_FIELDS = {
        "status": "published",
        "step": "10",
        "phase": "1",
        "holder": "{staf2}",
        "holder_id": "{staf2}",
        "uploader": "{staf2}",
        "emergency_published": "on",
        "actor": "{kadis}",
        "actor_id": "{kadis}",
        "on_behalf_of": "{kadis}",
        "flagged": "on",
        "sop_version": "999",
        "to_step": "10",
    }

    def forged(self, fields):
        return {
            k: v.format(**{name: p.pk for name, p in self.people.items() if hasattr(p, "pk")})
            for k, v in fields.items()
        }

    def test_extra_fields_on_an_action_change_nothing_the_sop_does_not(self):
        """The same forward sent plainly and with forged fields leaves the same database."""
        item = build_item(self.people, step=4)
        url = reverse("desk:act", args=[item.liputan.pk])
        data = act_data("forward", current_task_state_id(item), self.people)
        kabid = client_for(self.people["kabid"])
        now = timezone.now()
        with time_machine.travel(now, tick=False):
            with rolled_back():
                self.assertEqual(kabid.post(url, data).status_code, 302)
                plain = snapshot()
            with rolled_back():
                self.assertEqual(kabid.post(url, {**data, **self.forged(self.FORGED_ITEM_FIELDS)}).status_code, 302)
                forged = snapshot()
                liputan = Liputan.objects.get(pk=item.liputan.pk)
                self.assertEqual(
                    (liputan.step, liputan.holder_id, liputan.status), (5, self.people["sekdis"].pk, "active")
                )
                event = StepEvent.objects.latest("id")
                self.assertEqual(
                    (event.actor_id, event.flagged, event.on_behalf_of_id), (self.people["kabid"].pk, False, None)
                )
        # Rows the action creates (the next task state) take new ids on PostgreSQL, whose
        # sequences a rollback does not rewind: compared without them.
        self.assertEqual(without_new_ids(forged), without_new_ids(plain))

    def test_extra_fields_on_the_agenda_form_are_ignored(self):
        agenda = D.agenda_draft(self.people["kasi"], topic="Rapat koordinasi")
        data = {
            "topic": "Rapat koordinasi OPD",
            "kind": "berita",
            "perangkat_daerah": "",
            "place": "Aula",
            "planned_date": timezone.localdate().isoformat(),
            "notes": "",
            "status": "disposed",
            "created_by": self.people["kasi2"].pk,
            "step_started_at": "2000-01-01 00:00",
            "sop_version": "999",
            "created_at": "2000-01-01 00:00",
        }
        response = client_for(self.people["kasi"]).post(reverse("desk:agenda_edit", args=[agenda.pk]), data)
        self.assertEqual(response.status_code, 302)
        agenda.refresh_from_db()
        self.assertEqual(agenda.topic, "Rapat koordinasi OPD")
        self.assertEqual((agenda.status, agenda.created_by_id), (AgendaItem.Status.DRAFT, self.people["kasi"].pk))
        self.assertGreater(agenda.created_at.year, 2000)
        # The second Kasi, named as its author in the forged field, still may not touch it.
        with unchanged(self):
            response = client_for(self.people["kasi2"]).post(reverse("desk:agenda_edit", args=[agenda.pk]), data)
            self.assertEqual(response.status_code, 403)

    def test_extra_fields_on_the_disposisi_form_are_ignored(self):
        agenda = D.agenda_planned(self.people["kasi"], topic="Pameran batik")
        deadline = (timezone.localtime() + timezone.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
        response = client_for(self.people["kasi"]).post(
            reverse("desk:disposisi_create", args=[agenda.pk]),
            {
                "recipients": [self.people["staf"].pk],
                "instruction": "Liput.",
                "sifat": "biasa",
                "batas_waktu": deadline,
                "catatan": "",
                "created_by": self.people["kasi2"].pk,
                "sent_at": "2000-01-01 00:00",
                "agenda": "1",
                "holder": self.people["kadis"].pk,
                "step": "10",
            },
        )
        self.assertEqual(response.status_code, 302)
        liputan = Liputan.objects.get(agenda=agenda)
        self.assertEqual(liputan.disposisi.created_by_id, self.people["kasi"].pk)
        self.assertEqual((liputan.step, liputan.phase, liputan.holder_id), (3, 0, self.people["staf"].pk))
        self.assertGreater(liputan.disposisi.sent_at.year, 2000)

    def test_extra_fields_in_the_page_editor_are_ignored(self):
        """The Staf saves the draft with owner, live, lock and publication fields added."""
        item = build_item(self.people, step=3)
        page = item.page
        form = page_form_data(
            page,
            title="Pameran UMKM dibuka",
            owner=self.people["admin"].pk,
            live="on",
            locked="on",
            locked_by=self.people["admin"].pk,
            first_published_at="2000-01-01 00:00",
            live_revision=page.get_latest_revision().pk,
            has_unpublished_changes="",
            url_path="/beranda/dibajak/",
        )
        response = client_for(self.people["staf"]).post(reverse("wagtailadmin_pages:edit", args=[page.pk]), form)
        self.assertEqual(response.status_code, 302)
        page = BeritaPage.objects.get(pk=page.pk)
        self.assertEqual(page.get_latest_revision().as_object().title, "Pameran UMKM dibuka")
        self.assertEqual(page.owner_id, self.people["staf"].pk)
        self.assertEqual(
            (page.live, page.locked, page.first_published_at, page.live_revision_id), (False, False, None, None)
        )
        self.assertNotIn("dibajak", page.url_path)

    def test_task_states_are_not_assignable_through_wagtails_action_form(self):
        """Wagtail's workflow-action form of the holder, with the task state's own fields added."""
        item = build_item(self.people, step=4)
        ts = current_task_state_id(item)
        response = client_for(self.people["kabid"]).post(
            reverse("wagtailadmin_pages:workflow_action", args=[item.page.pk, "forward", ts]),
            {
                "comment": "",
                "status": "approved",
                "finished_by": self.people["kadis"].pk,
                "holder": self.people["staf"].pk,
            },
        )
        self.assertEqual(response.status_code, 302)
        state = TaskState.objects.get(pk=ts)
        self.assertEqual((state.status, state.finished_by_id), ("approved", self.people["kabid"].pk))
        item.refresh()
        self.assertEqual((item.liputan.step, item.liputan.holder_id), (5, self.people["sekdis"].pk))
