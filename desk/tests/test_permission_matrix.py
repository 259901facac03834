"""Every role × every step × every action: only the right one succeeds, and a refused one changes
nothing.

For each position of the SOP an item is built through the services; then every person sends every
action as the desk's screens would send it. Each case runs in a savepoint that is rolled back, so
every case starts from the same freshly built item. A case is right when the named holder with the
right role takes an action the SOP gives that step (or the site administrator publishes in an
emergency with a reason); every other case must be refused (403, or a form shown again with an
Indonesian message) and leave the database exactly as it was.
"""

import re

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from desk.models import AgendaItem, Liputan, StepEvent
from desk.tests.helpers import client_for, text_of
from desk.tests.sop_driver import POSITIONS, build_item, make_no_role_user, rolled_back, snapshot
from lontar.testing import build_world, make_user
from sop.rules import Role

PEOPLE = ["kasi", "staf", "staf2", "kabid", "sekdis", "kadis", "admin", "tamu"]
ACTIONS = ["plan", "dispose", "submit", "forward", "return", "assign", "publish", "emergency_publish"]
AGENDA_ACTIONS = ("plan", "dispose")

# The only (person, action) pairs that may succeed at each position.
RIGHT = {
    (1, 0): {("kasi", "plan")},
    (2, 0): {("kasi", "dispose")},
    (3, 0): {("staf", "submit")},
    (3, 1): {("kasi", "forward"), ("kasi", "return")},
    (4, 0): {("kabid", "forward"), ("kabid", "return")},
    (5, 0): {("sekdis", "forward"), ("sekdis", "return")},
    (6, 0): {("kadis", "forward"), ("kadis", "return")},
    (7, 0): {("sekdis", "forward")},
    (8, 0): {("kabid", "forward")},
    (9, 0): {("kasi", "assign")},
    (10, 0): {("staf2", "publish")},
}
# Once there is a page, the site administrator may publish in an emergency, with a reason.
for _position in POSITIONS[2:]:
    RIGHT[_position] = RIGHT[_position] | {("admin", "emergency_publish")}

# Where a forward leads, and who holds it there.
FORWARD_TO = {
    (3, 1): ((4, 0), "kabid"),
    (4, 0): ((5, 0), "sekdis"),
    (5, 0): ((6, 0), "kadis"),
    (6, 0): ((7, 0), "sekdis"),
    (7, 0): ((8, 0), "kabid"),
    (8, 0): ((9, 0), "kasi"),
}
# A valid return target at each step that has one (the request sends it everywhere).
RETURN_TO = {(3, 1): 3, (4, 0): 3, (5, 0): 4, (6, 0): 5}
RETURN_HOLDER = {3: "staf", 4: "kabid", 5: "sekdis"}
REASON = "Data jumlah peserta belum dicantumkan."
EMERGENCY_REASON = "Informasi bencana harus segera diketahui warga."

# Not an action of the SOP, and harmless: the agenda form's primary button on a plan that is
# already set saves the (unchanged) fields and goes on to the disposisi; no state or record changes.
NO_OPS = {(2, 0): {("kasi", "plan")}}


def refusal_message(response) -> str:
    """The reason on the desk's refusal page (empty when the page is not one)."""
    found = re.search(r'<div class="desk-refused" role="alert"> <h2>[^<]*</h2> <p>([^<]*)</p>', text_of(response))
    return found.group(1).strip() if found else ""


class PermissionMatrixTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.people["tamu"] = make_no_role_user()

    def setUp(self):
        self.clients = {who: client_for(self.people[who]) for who in PEOPLE}

    # --- sending what the screens send -----------------------------------------------------------

    def send(self, who, action, item, *, position, task_state_id=None):
        client, agenda, liputan = self.clients[who], item.agenda, item.liputan
        if action == "plan":
            return client.post(
                reverse("desk:agenda_edit", args=[agenda.pk]),
                {"topic": agenda.topic, "kind": agenda.kind, "perangkat_daerah": "", "place": agenda.place,
                 "planned_date": agenda.planned_date.isoformat(), "notes": agenda.notes, "plan": "1"},
            )
        if action == "dispose":
            deadline = timezone.localtime() + timezone.timedelta(hours=3)
            return client.post(
                reverse("desk:disposisi_create", args=[agenda.pk]),
                {"recipients": [self.people["staf"].pk], "instruction": "Liput dan foto.", "sifat": "biasa",
                 "batas_waktu": deadline.strftime("%Y-%m-%dT%H:%M"), "catatan": ""},
            )
        if action == "submit":
            return client.post(reverse("desk:submit", args=[liputan.pk]))
        if action == "emergency_publish":
            return client.post(reverse("desk:emergency_publish", args=[liputan.pk]), {"reason": EMERGENCY_REASON})
        if task_state_id is None:
            task_state_id = self.current_task_state_id(item)
        data = {"action": action, "task_state_id": task_state_id, "comment": ""}
        if action == "return":
            data.update(return_comment=REASON, return_to=RETURN_TO.get(position, 3))
        if action == "assign":
            data["uploader"] = self.people["staf2"].pk
        return client.post(reverse("desk:act", args=[liputan.pk]), data)

    @staticmethod
    def current_task_state_id(item) -> int:
        page = item.page
        state = page.current_workflow_state if page is not None else None
        # Before the report there is no task state; the form still needs a number.
        return state.current_task_state_id if state is not None else 0

    # --- what must be true ---------------------------------------------------------------------

    def assert_refused(self, response, before, *, says=None):
        self.assertEqual(response.status_code, 403, text_of(response)[-3000:])
        message = refusal_message(response)
        self.assertTrue(message, "a refusal must say why")
        if says is not None:
            self.assertIn(says, message)
        self.assertIn("Tidak ada yang berubah.", text_of(response))
        self.assertEqual(snapshot(), before, "a refused request changed something")

    def assert_succeeded(self, response, before, *, position, who, action, item):
        self.assertEqual(response.status_code, 302, text_of(response)[:3000])
        item.refresh()
        agenda, liputan, p = item.agenda, item.liputan, self.people
        new_events = StepEvent.objects.order_by("id")[before["step_events"]:]
        self.assertEqual([(e.action, e.actor_id) for e in new_events], [(action, p[who].pk)])
        if action == "plan":
            self.assertEqual(agenda.status, AgendaItem.Status.PLANNED)
            self.assertEqual(response["Location"], reverse("desk:disposisi_create", args=[agenda.pk]))
        elif action == "dispose":
            self.assertEqual(agenda.status, AgendaItem.Status.DISPOSED)
            created = Liputan.objects.get(agenda=agenda)
            self.assertEqual((created.step, created.phase, created.holder_id), (3, 0, p["staf"].pk))
        elif action == "submit":
            self.assertEqual((liputan.step, liputan.phase, liputan.holder_id), (3, 1, p["kasi"].pk))
            self.assertTrue(WorkflowState.objects.active().for_instance(item.page).exists())
        elif action == "forward":
            (step, phase), holder = FORWARD_TO[position]
            self.assertEqual((liputan.step, liputan.phase, liputan.holder_id), (step, phase, p[holder].pk))
        elif action == "return":
            target = RETURN_TO[position]
            self.assertEqual((liputan.step, liputan.phase, liputan.holder_id), (target, 0, p[RETURN_HOLDER[target]].pk))
            self.assertEqual(new_events[0].comment, REASON)
        elif action == "assign":
            self.assertEqual((liputan.step, liputan.holder_id, liputan.uploader_id), (10, p["staf2"].pk, p["staf2"].pk))
        elif action in ("publish", "emergency_publish"):
            self.assertEqual(liputan.status, Liputan.Status.PUBLISHED)
            self.assertEqual(liputan.emergency_published, action == "emergency_publish")
            self.assertTrue(item.page.live)
            self.assertFalse(WorkflowState.objects.active().for_instance(item.page).exists())

    def run_matrix(self, position):
        item = build_item(self.people, step=position[0], phase=position[1])
        actions = AGENDA_ACTIONS if item.liputan is None else ACTIONS
        succeeded = set()
        for who in PEOPLE:
            for action in actions:
                with self.subTest(position=position, who=who, action=action), rolled_back():
                    before = snapshot()
                    response = self.send(who, action, item, position=position)
                    if (who, action) in RIGHT[position]:
                        self.assert_succeeded(response, before, position=position, who=who, action=action, item=item)
                        succeeded.add((who, action))
                    elif (who, action) in NO_OPS.get(position, ()):
                        self.assertRedirects(response, reverse("desk:disposisi_create", args=[item.agenda.pk]),
                                             fetch_redirect_response=False)
                        self.assertEqual(snapshot(), before)
                    else:
                        self.assert_refused(response, before)
        self.assertEqual(succeeded, RIGHT[position])
        # Every case was rolled back: the item still stands where it was built.
        item.refresh()
        if item.liputan is not None:
            self.assertEqual((item.liputan.step, item.liputan.phase), position)

    def test_step_1_draft_plan(self):
        self.run_matrix((1, 0))

    def test_step_2_disposisi(self):
        self.run_matrix((2, 0))

    def test_step_3_staf_writes(self):
        self.run_matrix((3, 0))

    def test_step_3_kasi_checks(self):
        self.run_matrix((3, 1))

    def test_step_4_kabid(self):
        self.run_matrix((4, 0))

    def test_step_5_sekdis(self):
        self.run_matrix((5, 0))

    def test_step_6_kadis(self):
        self.run_matrix((6, 0))

    def test_step_7_sekdis_hands_over(self):
        self.run_matrix((7, 0))

    def test_step_8_kabid_hands_over(self):
        self.run_matrix((8, 0))

    def test_step_9_kasi_assigns(self):
        self.run_matrix((9, 0))

    def test_step_10_uploader_publishes(self):
        self.run_matrix((10, 0))

    def test_published_item_refuses_everything(self):
        item = build_item(self.people, step=10)
        self.assertEqual(self.send("staf2", "publish", item, position=(10, 0)).status_code, 302)
        item.refresh()
        self.assertEqual(item.liputan.status, Liputan.Status.PUBLISHED)
        last_task_state = TaskState.objects.order_by("-id").first().pk
        for who in PEOPLE:
            for action in ACTIONS:
                with self.subTest(who=who, action=action), rolled_back():
                    before = snapshot()
                    response = self.send(who, action, item, position=(10, 0), task_state_id=last_task_state)
                    self.assert_refused(response, before)

    # --- forged requests -------------------------------------------------------------------------

    def test_task_state_of_an_older_step_is_refused(self):
        item = build_item(self.people, step=5)
        step_4_state = self.task_state_at(item, 4)
        current = self.current_task_state_id(item)
        self.assertNotEqual(step_4_state.pk, current)
        for action in ("forward", "return"):
            with self.subTest(action=action):
                before = snapshot()
                response = self.send("sekdis", action, item, position=(5, 0), task_state_id=step_4_state.pk)
                self.assert_refused(response, before, says="berpindah langkah")
        # With the current task state the same person may act.
        self.assertEqual(self.send("sekdis", "forward", item, position=(5, 0)).status_code, 302)

    @staticmethod
    def task_state_at(item, step):
        return TaskState.objects.get(
            workflow_state__object_id=str(item.page.pk), task__sopsteptask__sop_step__number=step
        )

    def test_second_staf_is_not_the_writer(self):
        item = build_item(self.people, step=3, phase=0)
        before = snapshot()
        response = self.send("staf2", "submit", item, position=(3, 0))
        self.assert_refused(response, before, says="dipegang oleh I Wayan Sudarsana")
        # Nor may the second Staf open the draft to write in it.
        response = self.clients["staf2"].post(reverse("desk:write", args=[item.liputan.pk]))
        self.assert_refused(response, before, says="dipegang oleh I Wayan Sudarsana")
        # The writer may.
        self.assertEqual(self.send("staf", "submit", item, position=(3, 0)).status_code, 302)

    def test_right_role_but_not_the_named_holder(self):
        kabid2 = make_user("kabid2", role=Role.KABID, first_name="I Ketut", last_name="Darma")
        client = client_for(kabid2)
        for step, actions in ((4, ("forward", "return")), (8, ("forward",))):
            item = build_item(self.people, step=step, topic=f"Langkah {step} milik Kabid pertama")
            self.assertEqual(item.liputan.holder, self.people["kabid"])
            for action in actions:
                with self.subTest(step=step, action=action):
                    before = snapshot()
                    data = {"action": action, "task_state_id": self.current_task_state_id(item), "comment": ""}
                    if action == "return":
                        data.update(return_comment=REASON, return_to=3)
                    response = client.post(reverse("desk:act", args=[item.liputan.pk]), data)
                    self.assert_refused(response, before, says=f"Langkah {step} dipegang oleh I Gede Suardana")
                    # Wagtail's own action URL does not let them through either.
                    response = client.post(
                        reverse("wagtailadmin_pages:workflow_action",
                                args=[item.page.pk, action, self.current_task_state_id(item)]),
                        {"comment": REASON, "return_to": 3},
                    )
                    self.assert_wagtail_refused(response)
                    self.assertEqual(snapshot(), before)

    # --- Wagtail's own workflow action URL --------------------------------------------------------

    def assert_wagtail_refused(self, response):
        """Wagtail's admin answers a PermissionDenied with 403 for XHR, otherwise with its own
        refusal: a redirect to the dashboard carrying an error message."""
        if response.status_code != 403:
            self.assertEqual(response.status_code, 302)
            self.assertEqual(response["Location"], reverse("wagtailadmin_home"))

    def wagtail_action(self, who, item, action, *, task_state_id=None, xhr=False, user=None):
        data = {"comment": REASON if action == "return" else ""}
        if action == "return":
            data["return_to"] = 3
        if action == "assign":
            data["uploader"] = self.people["staf2"].pk
        client = client_for(user) if user is not None else self.clients[who]
        return client.post(
            reverse("wagtailadmin_pages:workflow_action",
                    args=[item.page.pk, action, task_state_id or self.current_task_state_id(item)]),
            data, **({"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if xhr else {}),
        )

    def test_wagtail_workflow_action_by_non_holder(self):
        for position in POSITIONS[3:]:
            item = build_item(self.people, step=position[0], phase=position[1], topic=f"Wagtail {position}")
            holder = item.liputan.holder
            # The actions the holder is offered at this step, sent by everyone else.
            actions = sorted(a for (w, a) in RIGHT[position] if w != "admin")
            for who in PEOPLE:
                if self.people[who] == holder:
                    continue
                for action in actions:
                    with self.subTest(position=position, who=who, action=action):
                        before = snapshot()
                        self.assert_wagtail_refused(self.wagtail_action(who, item, action))
                        self.assertEqual(snapshot(), before)
            # Asked from a script (XHR), Wagtail answers the same refusal with a plain 403.
            before = snapshot()
            self.assertEqual(self.wagtail_action("admin", item, actions[0], xhr=True).status_code, 403)
            self.assertEqual(snapshot(), before)
            # The holder gets through the same URL: the refusals above are not a broken URL.
            action = next(a for a in actions if a != "return")
            with rolled_back():
                response = self.wagtail_action(None, item, action, user=holder)
                self.assertEqual(response.status_code, 302)
                self.assertEqual(response["Location"], reverse("desk:liputan", args=[item.liputan.pk]))
                item.refresh()
                self.assertNotEqual((item.liputan.step, item.liputan.phase, item.liputan.status), (*position, "active"))

    def test_wagtail_workflow_action_not_offered_at_this_step(self):
        """Any action name can be put in Wagtail's URL; one the step does not offer is refused
        (before the fix, ``assign`` on the last step's task state answered 500)."""
        item = build_item(self.people, step=10)
        for who in ("staf2", "kasi", "admin"):
            for action in ("assign", "forward", "return", "approve", "reject"):
                with self.subTest(who=who, action=action):
                    before = snapshot()
                    self.assert_wagtail_refused(self.wagtail_action(who, item, action))
                    self.assertEqual(snapshot(), before)
        # At a hand-over step the holder may only forward: no return, no assign.
        item = build_item(self.people, step=7, topic="Serah terima")
        for action in ("return", "assign", "publish"):
            with self.subTest(who="sekdis", action=action):
                before = snapshot()
                self.assert_wagtail_refused(self.wagtail_action("sekdis", item, action))
                self.assertEqual(snapshot(), before)


class ActingOfficialMatrixTest(TestCase):
    """While a Plt/Plh appointment covers today, its acting official — and not the absent one —
    holds and takes the office's steps; outside its days the reverse. Every other person stays
    refused as above."""

    DAY = timezone.datetime(2026, 12, 2).date()
    # (position, office, absent, acting, actions the office may take there)
    CASES = [
        ((4, 0), Role.KABID, "kabid", "kasi", ("forward", "return")),
        ((5, 0), Role.SEKDIS, "sekdis", "kabid2", ("forward", "return")),
        ((6, 0), Role.KADIS, "kadis", "kabid2", ("forward", "return")),
        ((8, 0), Role.KABID, "kabid", "kasi", ("forward",)),
    ]

    @classmethod
    def setUpTestData(cls):
        import time_machine

        from accounts.acting import appointment_create

        cls.people = build_world()
        cls.people["tamu"] = make_no_role_user()
        # A second Kabid stands in for the Sekdis and the Kadis: one level deep, nobody who is away
        # stands in for someone else.
        cls.people["kabid2"] = make_user("kabid2", role=Role.KABID, first_name="I Ketut", last_name="Darma")
        cls.items = {}
        with time_machine.travel(cls.at(0), tick=False):
            for position, *_ in cls.CASES:
                cls.items[position] = build_item(cls.people, step=position[0], topic=f"Plt langkah {position[0]}")
        # Each office away on the day (and the next), appointed after the items arrived.
        with time_machine.travel(cls.at(0), tick=False):
            for position, role, absent, acting, _actions in cls.CASES:
                if position == (8, 0):
                    continue  # the same appointment as step 4
                appointment_create(
                    user=cls.people["admin"], role=role.value, absent=cls.people[absent], acting=cls.people[acting],
                    kind="plh", start_date=cls.DAY, end_date=cls.DAY + timezone.timedelta(days=1),
                    reason="cuti", note="",
                )

    @classmethod
    def at(cls, days: int):
        import datetime as dt
        from zoneinfo import ZoneInfo

        return dt.datetime.combine(cls.DAY + dt.timedelta(days=days), dt.time(9), tzinfo=ZoneInfo("Asia/Makassar"))

    def send(self, who, action, item, position):
        data = {"action": action, "task_state_id": PermissionMatrixTest.current_task_state_id(item), "comment": ""}
        if action == "return":
            data.update(return_comment=REASON, return_to=RETURN_TO[position])
        return client_for(self.people[who]).post(reverse("desk:act", args=[item.liputan.pk]), data)

    def check(self, *, days: int, may: str, may_not: str):
        import time_machine

        with time_machine.travel(self.at(days), tick=False):
            for position, _role, absent, acting, actions in self.CASES:
                item = self.items[position]
                who_may, who_may_not = {"acting": acting, "absent": absent}[may], {"acting": acting, "absent": absent}[may_not]
                for action in actions:
                    with self.subTest(position=position, who=who_may_not, action=action), rolled_back():
                        before = snapshot()
                        response = self.send(who_may_not, action, item, position)
                        self.assertEqual(response.status_code, 403, text_of(response)[-1500:])
                        self.assertIn("Tidak ada yang berubah.", text_of(response))
                        self.assertEqual(snapshot(), before)
                    with self.subTest(position=position, who=who_may, action=action), rolled_back():
                        before = snapshot()
                        response = self.send(who_may, action, item, position)
                        self.assertEqual(response.status_code, 302, text_of(response)[-1500:])
                        event = StepEvent.objects.order_by("-id").first()
                        self.assertEqual((event.action, event.actor_id), (action, self.people[who_may].pk))
                        expected = self.people[absent].pk if may == "acting" else None
                        self.assertEqual(event.on_behalf_of_id, expected)
                    for other in ("staf", "staf2", "admin", "tamu"):
                        with self.subTest(position=position, who=other, action=action), rolled_back():
                            before = snapshot()
                            self.assertEqual(self.send(other, action, item, position).status_code, 403)
                            self.assertEqual(snapshot(), before)

    def test_acting_official_acts_while_the_appointment_covers_today(self):
        self.check(days=0, may="acting", may_not="absent")
        self.check(days=1, may="acting", may_not="absent")

    def test_absent_official_acts_again_outside_its_days(self):
        self.check(days=2, may="absent", may_not="acting")
