"""The return path: an item sent back keeps its whole history, goes to the right person with the
reason, and passes every step after the return target again."""

import re

from django.test import TestCase
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from accounts.roles import role_group
from desk import services
from desk.models import Liputan, SopTaskState, StepEvent
from desk.tests.helpers import act, client_for, current_task_state_id, page_form_data, text_of
from desk.tests.sop_driver import build_item, snapshot
from lontar.testing import build_world, make_user
from notifications.models import Notification
from portal.models import BeritaPage
from sop.rules import Role

REASON = "Lengkapi jumlah peserta pameran dan nama-nama OPD yang hadir."


def event_rows(liputan):
    return list(
        StepEvent.objects.filter(agenda=liputan.agenda)
        .order_by("at", "id")
        .values_list("id", "step", "phase", "action", "to_step", "actor__username", "comment")
    )


class ReturnPathTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def setUp(self):
        self.c = {who: client_for(self.people[who]) for who in ("kasi", "staf", "staf2", "kabid", "sekdis", "kadis")}

    def position(self, liputan):
        liputan.refresh_from_db()
        return liputan.step, liputan.phase, liputan.holder.username if liputan.holder else None

    def return_(self, who, liputan, *, to, reason=REASON, **extra):
        return act(self.c[who], liputan, "return", return_to=to, return_comment=reason, **extra)

    # --- Kadis → Staf, and all the way through again -------------------------------------------

    def test_kadis_returns_to_staf_history_kept_and_every_step_passed_again(self):
        p = self.people
        item = build_item(p, step=6)
        liputan, page = item.liputan, item.page
        first_pass = event_rows(liputan)
        self.assertEqual(
            [(step, action, who) for _, step, _, action, _, who, _ in first_pass],
            [(1, "plan", "kasi"), (2, "dispose", "kasi"), (3, "submit", "staf1"), (3, "forward", "kasi"),
             (4, "forward", "kabid"), (5, "forward", "sekdis")],
        )
        old_workflow = WorkflowState.objects.active().for_instance(page).get()

        response = self.return_("kadis", liputan, to=3)
        self.assertRedirects(response, reverse("desk:liputan", args=[liputan.pk]), fetch_redirect_response=False)

        # The Staf who wrote it holds it again, writing, and the first pass is all still there.
        self.assertEqual(self.position(liputan), (3, 0, "staf1"))
        after_return = event_rows(liputan)
        self.assertEqual(after_return[: len(first_pass)], first_pass)
        returned = StepEvent.objects.get(pk=after_return[-1][0])
        self.assertEqual(
            (returned.step, returned.action, returned.to_step, returned.actor, returned.comment),
            (6, "return", 3, p["kadis"], REASON),
        )
        self.assertIsNotNone(returned.elapsed_minutes)
        # This run of the workflow is over; none runs while the Staf rewrites.
        old_workflow.refresh_from_db()
        self.assertEqual(old_workflow.status, WorkflowState.STATUS_CANCELLED)
        self.assertFalse(WorkflowState.objects.active().for_instance(page).exists())
        self.assertEqual(TaskState.objects.get(pk=old_workflow.current_task_state_id).status, TaskState.STATUS_CANCELLED)

        # The Staf is told, in the app, with the reason.
        note = Notification.objects.filter(recipient=p["staf"]).latest("id")
        self.assertEqual(note.kind, Notification.Kind.RETURNED)
        self.assertIn(REASON, note.message)
        self.assertIn("langkah 3", note.title)
        self.assertEqual(note.url, reverse("desk:liputan", args=[liputan.pk]))

        # Nobody up the chain can act on it now (there is no task state to act on either).
        for who in ("kasi", "kabid", "sekdis", "kadis"):
            before = snapshot()
            response = self.c[who].post(
                reverse("desk:act", args=[liputan.pk]),
                {"action": "forward", "task_state_id": old_workflow.current_task_state_id},
            )
            self.assertEqual(response.status_code, 403, who)
            self.assertIn("dipegang oleh I Wayan Sudarsana", text_of(response))
            self.assertEqual(snapshot(), before)

        # The Staf corrects the text in the editor and reports it again.
        response = self.c["staf"].post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            page_form_data(page, summary="Pameran UMKM dibuka di Gedung Mario.",
                           body="<p>Sebanyak 40 pelaku UMKM dari 12 OPD memamerkan produknya.</p>",
                           source="Dinas Koperasi", action="action-submit"),
        )
        self.assertEqual(response.status_code, 302, text_of(response)[-2000:])
        self.assertEqual(self.position(liputan), (3, 1, "kasi"))
        new_workflow = WorkflowState.objects.active().for_instance(page).get()
        self.assertNotEqual(new_workflow.pk, old_workflow.pk)

        # Each official acts again, in order; the next one cannot act before the one before.
        for who, then in (("kasi", (4, 0, "kabid")), ("kabid", (5, 0, "sekdis")), ("sekdis", (6, 0, "kadis")),
                          ("kadis", (7, 0, "sekdis")), ("sekdis", (8, 0, "kabid")), ("kabid", (9, 0, "kasi"))):
            step = liputan.step
            holder_next = then[2]
            before = snapshot()
            self.assertEqual(act(self.c[holder_next], liputan, "forward").status_code, 403, (step, holder_next))
            self.assertEqual(snapshot(), before)
            self.assertEqual(act(self.c[who], liputan, "forward").status_code, 302, (step, who))
            self.assertEqual(self.position(liputan), then)
        self.assertEqual(act(self.c["kasi"], liputan, "assign", uploader=p["staf2"].pk).status_code, 302)
        self.assertEqual(self.position(liputan), (10, 0, "staf2"))
        self.assertEqual(act(self.c["staf2"], liputan, "publish").status_code, 302)

        liputan.refresh_from_db()
        self.assertEqual(liputan.status, Liputan.Status.PUBLISHED)
        self.assertFalse(liputan.emergency_published)
        live = BeritaPage.objects.get(pk=page.pk)
        self.assertTrue(live.live)
        self.assertEqual(live.source, "Dinas Koperasi")

        # The whole record: first pass, the return, the second pass.
        everything = event_rows(liputan)
        self.assertEqual(everything[: len(after_return)], after_return)
        self.assertEqual(
            [(step, action, to_step, who) for _, step, _, action, to_step, who, _ in everything],
            [(1, "plan", 2, "kasi"), (2, "dispose", 3, "kasi"), (3, "submit", 3, "staf1"), (3, "forward", 4, "kasi"),
             (4, "forward", 5, "kabid"), (5, "forward", 6, "sekdis"), (6, "return", 3, "kadis"),
             (3, "submit", 3, "staf1"), (3, "forward", 4, "kasi"), (4, "forward", 5, "kabid"),
             (5, "forward", 6, "sekdis"), (6, "forward", 7, "kadis"), (7, "forward", 8, "sekdis"),
             (8, "forward", 9, "kabid"), (9, "assign", 10, "kasi"), (10, "publish", None, "staf2")],
        )

        # The timeline shows both passes and the reason.
        timeline = text_of(self.c["kabid"].get(reverse("desk:liputan", args=[liputan.pk])))
        actions_shown = re.findall(r'<span class="desk-event__what">([^<]*)</span>', timeline)
        self.assertEqual(actions_shown.count("Melaporkan hasil liputan"), 2)
        self.assertEqual(actions_shown.count("Meneruskan"), 9)
        self.assertEqual(actions_shown.count("Mengembalikan ke langkah 3"), 1)
        self.assertIn(REASON, timeline)

    # --- Kadis → Kabid (step 4) ---------------------------------------------------------------------

    def test_kadis_returns_to_kabid_new_workflow_resumes_at_step_4(self):
        p = self.people
        item = build_item(p, step=6)
        liputan, page = item.liputan, item.page
        old_workflow = WorkflowState.objects.active().for_instance(page).get()
        kabid_forward = StepEvent.objects.get(liputan=liputan, step=4, action="forward")

        response = self.return_("kadis", liputan, to=4)
        self.assertEqual(response.status_code, 302)

        # The same Kabid who acted before holds it again.
        self.assertEqual(self.position(liputan), (4, 0, "kabid"))
        self.assertEqual(liputan.holder_id, kabid_forward.actor_id)
        returned = StepEvent.objects.filter(liputan=liputan).latest("id")
        self.assertEqual((returned.action, returned.step, returned.to_step, returned.comment), ("return", 6, 4, REASON))

        # The old run is cancelled; a new one is in progress and resumes at step 4.
        old_workflow.refresh_from_db()
        self.assertEqual(old_workflow.status, WorkflowState.STATUS_CANCELLED)
        new_workflow = WorkflowState.objects.active().for_instance(page).get()
        self.assertNotEqual(new_workflow.pk, old_workflow.pk)
        self.assertEqual(new_workflow.status, WorkflowState.STATUS_IN_PROGRESS)
        states = {
            s.task.specific.sop_step.number: s
            for s in SopTaskState.objects.filter(workflow_state=new_workflow).select_related("task")
        }
        self.assertEqual(sorted(states), [3, 4])
        self.assertEqual(states[3].status, TaskState.STATUS_SKIPPED)
        self.assertEqual(states[4].status, TaskState.STATUS_IN_PROGRESS)
        self.assertEqual(states[4].holder, p["kabid"])
        self.assertEqual(new_workflow.current_task_state_id, states[4].pk)
        # Nothing of the old run is left in progress.
        self.assertFalse(
            TaskState.objects.filter(workflow_state=old_workflow, status=TaskState.STATUS_IN_PROGRESS).exists()
        )

        # The Kabid is told, with the reason; the Staf is not bothered.
        note = Notification.objects.filter(recipient=p["kabid"]).latest("id")
        self.assertEqual(note.kind, Notification.Kind.RETURNED)
        self.assertIn(REASON, note.message)
        self.assertFalse(Notification.objects.filter(recipient=p["staf"], kind=Notification.Kind.RETURNED).exists())

        # The Kabid must act again, then the Sekdis and the Kadis.
        self.assertEqual(act(self.c["sekdis"], liputan, "forward").status_code, 403)
        self.assertEqual(act(self.c["kabid"], liputan, "forward").status_code, 302)
        self.assertEqual(self.position(liputan), (5, 0, "sekdis"))
        self.assertEqual(act(self.c["sekdis"], liputan, "forward").status_code, 302)
        self.assertEqual(self.position(liputan), (6, 0, "kadis"))
        self.assertEqual(
            list(StepEvent.objects.filter(liputan=liputan, step=4).values_list("action", "actor__username")),
            [("forward", "kabid"), ("forward", "kabid")],
        )

    def test_return_goes_to_the_official_who_acted_even_when_the_office_changed_hands(self):
        """The item returns to the Kabid who examined it, not to whoever is first in the Kabid group."""
        p = self.people
        kabid_group = role_group(Role.KABID)
        kabid_group.user_set.remove(p["kabid"])
        acting = make_user("kabid_plt", role=Role.KABID, first_name="I Nyoman", last_name="Plt Kabid")
        item = build_item(p, step=4)
        liputan = item.liputan
        self.assertEqual(self.position(liputan), (4, 0, "kabid_plt"))
        services.liputan_act(liputan=liputan, user=acting, action="forward")
        services.liputan_act(liputan=liputan, user=p["sekdis"], action="forward")
        kabid_group.user_set.add(p["kabid"])  # the first Kabid is back and first in the group again

        self.assertEqual(self.return_("kadis", liputan, to=4).status_code, 302)
        self.assertEqual(self.position(liputan), (4, 0, "kabid_plt"))
        self.assertEqual(SopTaskState.objects.get(liputan=liputan, status=TaskState.STATUS_IN_PROGRESS).holder, acting)
        note = Notification.objects.filter(recipient=acting).latest("id")
        self.assertEqual(note.kind, Notification.Kind.RETURNED)
        self.assertIn(REASON, note.message)
        self.assertFalse(Notification.objects.filter(recipient=p["kabid"], kind=Notification.Kind.RETURNED).exists())

    # --- refused returns ------------------------------------------------------------------------------

    def test_return_without_a_reason_is_refused_and_changes_nothing(self):
        item = build_item(self.people, step=6)
        liputan = item.liputan
        cases = {
            "empty": {"reason": ""},
            "only spaces": {"reason": "   \n  "},
            # A note typed in the forward box is not a reason for a return.
            "note in the forward box": {"reason": "", "comment": "Tolong perbaiki."},
        }
        for name, fields in cases.items():
            with self.subTest(name):
                before = snapshot()
                response = self.return_("kadis", liputan, to=3, **fields)
                self.assertEqual(response.status_code, 400)
                self.assertIn("Tuliskan alasan pengembalian.", text_of(response))
                self.assertEqual(snapshot(), before)
        self.assertEqual(self.position(liputan), (6, 0, "kadis"))

    def test_return_to_a_step_the_sop_does_not_allow_is_refused(self):
        item = build_item(self.people, step=4)
        liputan = item.liputan
        for target in (4, 5, 2, 1):  # the Kabid may only send it back to step 3
            with self.subTest(target=target):
                before = snapshot()
                response = self.return_("kabid", liputan, to=target)
                self.assertEqual(response.status_code, 403)
                self.assertIn("Tidak ada yang berubah.", text_of(response))
                self.assertEqual(snapshot(), before)
        self.assertEqual(self.position(liputan), (4, 0, "kabid"))

    # --- the Kasi at step 3 ---------------------------------------------------------------------------

    def test_kasi_returns_at_step_3_to_the_writer(self):
        p = self.people
        item = build_item(p, step=3, phase=1, writer=p["staf2"])  # the second Staf wrote this one
        liputan, page = item.liputan, item.page
        workflow = WorkflowState.objects.active().for_instance(page).get()

        self.assertEqual(self.return_("kasi", liputan, to=3).status_code, 302)
        self.assertEqual(self.position(liputan), (3, 0, "staf2"))
        returned = StepEvent.objects.filter(liputan=liputan).latest("id")
        self.assertEqual(
            (returned.step, returned.phase, returned.action, returned.to_step, returned.actor, returned.comment),
            (3, 1, "return", 3, p["kasi"], REASON),
        )
        workflow.refresh_from_db()
        self.assertEqual(workflow.status, WorkflowState.STATUS_CANCELLED)
        self.assertFalse(WorkflowState.objects.active().for_instance(page).exists())
        note = Notification.objects.filter(recipient=p["staf2"]).latest("id")
        self.assertEqual(note.kind, Notification.Kind.RETURNED)
        self.assertIn(REASON, note.message)
        self.assertFalse(Notification.objects.filter(recipient=p["staf"], kind=Notification.Kind.RETURNED).exists())

        # The writer may open the editor again; the other Staf may not (Wagtail itself refuses him:
        # the draft is not his page), nor report it.
        self.assertEqual(self.c["staf2"].get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code, 200)
        response = self.c["staf"].get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(response["Location"], (reverse("desk:review", args=[liputan.pk]), reverse("wagtailadmin_home")))
        before = snapshot()
        self.assertEqual(self.c["staf"].post(reverse("desk:submit", args=[liputan.pk])).status_code, 403)
        self.assertEqual(snapshot(), before)
        # The writer reports it again and it is back with the Kasi.
        self.assertEqual(self.c["staf2"].post(reverse("desk:submit", args=[liputan.pk])).status_code, 302)
        self.assertEqual(self.position(liputan), (3, 1, "kasi"))
        self.assertEqual(
            list(StepEvent.objects.filter(liputan=liputan).values_list("action", "actor__username")),
            [("submit", "staf2"), ("return", "kasi"), ("submit", "staf2")],
        )


class ReturnFormTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_return_without_a_target_step_asks_for_one_and_changes_nothing(self):
        """A return sent without choosing the step is shown again with a message, not refused."""
        item = build_item(self.people, step=6)
        liputan = item.liputan
        before = snapshot()
        response = client_for(self.people["kadis"]).post(
            reverse("desk:act", args=[liputan.pk]),
            {"action": "return", "task_state_id": current_task_state_id(liputan), "return_comment": "Perbaiki judul."},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Pilih langkah tujuan pengembalian.", text_of(response))
        self.assertEqual(snapshot(), before)

    def test_single_return_target_is_preselected(self):
        """The Kabid can only return to step 3, so the form starts on it."""
        item = build_item(self.people, step=4)
        response = client_for(self.people["kabid"]).get(reverse("desk:review", args=[item.liputan.pk]))
        self.assertIn('<option value="3" selected>', response.content.decode())
