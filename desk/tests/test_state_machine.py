"""The SOP engine under random use: a Hypothesis state machine.

Random people of every role (and none) try every action of the desk — create and plan an agenda,
dispose it, write, submit, forward, return (to any step, with or without a reason), assign an
uploader, publish, and the administrator's emergency publish — on random items, through the real
services on the real database (``desk.services``, as the screens call them). Each attempt is
predicted from a model that knows only the SOP file's rules (``sop.rules``) and who holds which
office; the engine must agree, and after every step these hold, read from the database alone:

- only the step holder acts: a refused attempt raises the engine's refusal (``InvalidTransition``,
  ``ValidationError`` or ``PermissionDenied``) and changes nothing anywhere (``sop_driver.snapshot``);
- no step is skipped: each item's record (``StepEvent``) is a path through the SOP definition, each
  event starting where the one before it led (``rules.next_position``), by the role of that step;
- the record is complete and ordered: one event per successful action, by the person who acted,
  times never going back, and no event ever changed or removed (returns keep the history);
- Wagtail's workflow agrees: an item in review has one workflow in progress whose current task is
  its step, held by its holder; an item being written or published has none;
- a page is live only when its item is published, and then only after step 9 was completed and
  step 10 published it (or the administrator's flagged emergency publish did).

Runs: ``HYPOTHESIS_PROFILE=long`` for a long run (``SOP_MACHINE_EXAMPLES``/``SOP_MACHINE_STEPS``
set its size); the default is small enough for every test run.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass

import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import TestCase
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from wagtail.models import Page, TaskState, WorkflowState

from desk import services
from desk.models import AgendaItem, Liputan, SopTaskState, StepEvent
from desk.tests.sop_driver import make_no_role_user, snapshot
from lontar.testing import build_world, make_user
from portal.selectors import berita_index
from sop import rules
from sop.rules import Action, Position, Role

PROFILES = {
    "default": {"max_examples": 30, "stateful_step_count": 40},
    "long": {
        "max_examples": int(os.environ.get("SOP_MACHINE_EXAMPLES", "200")),
        "stateful_step_count": int(os.environ.get("SOP_MACHINE_STEPS", "80")),
    },
}
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
MACHINE_SETTINGS = settings(
    **PROFILES.get(PROFILE, PROFILES["default"]),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)

# Everyone who may try: one holder of each office, a second Kabid (the right role, never the named
# holder), two Staf, the site administrator (superuser) and an admin user with no role at all.
PEOPLE = ["kasi", "staf", "staf2", "kabid", "kabid2", "sekdis", "kadis", "admin", "tamu"]
ROLES = {
    "kasi": Role.KASI,
    "staf": Role.STAF,
    "staf2": Role.STAF,
    "kabid": Role.KABID,
    "kabid2": Role.KABID,
    "sekdis": Role.SEKDIS,
    "kadis": Role.KADIS,
}
ITEM_ACTIONS = ["write", "submit", "forward", "return", "assign", "publish", "emergency_publish"]
REFUSALS = (rules.InvalidTransition, ValidationError, PermissionDenied)
REASON = "Data jumlah peserta belum dicantumkan."
EMERGENCY_REASON = "Informasi bencana harus segera diketahui warga."
MAX_AGENDAS = 3

# Drawn in place of a person / an action: whoever holds the step, an action the step offers. Three
# attempts in four go to them, so items get far along the chain in a run of a few dozen steps; the
# rest are anyone, anything (and the holder's choices of target, reason and uploader are random).
HOLDER, OFFERED = "<holder>", "<offered>"
who_strategy = st.one_of(st.just(HOLDER), st.just(HOLDER), st.just(HOLDER), st.sampled_from(PEOPLE))
action_strategy = st.one_of(st.just(OFFERED), st.just(OFFERED), st.just(OFFERED), st.sampled_from(ITEM_ACTIONS))
# What a step of the machine does: mostly act on an item, sometimes on an agenda, a new agenda, or
# let working time pass (Hypothesis has no rule weights, so one rule draws the kind).
STEP_KINDS = ["item"] * 6 + ["agenda", "create", "wait"]

# What the runs of this process reached, for the coverage check and the report.
REACHED: Counter = Counter()


@dataclass
class AgendaModel:
    pk: int
    status: str = AgendaItem.Status.DRAFT
    events: int = 0


@dataclass
class ItemModel:
    pk: int
    agenda: int
    writer: str
    position: Position | None = Position(3, 0)  # None: published
    has_page: bool = False
    uploader: str | None = None
    events: int = 0
    emergency: bool = False


class SopMachine(RuleBasedStateMachine):
    people: dict = {}
    definition: rules.SopDefinition

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()  # every example starts from the same world and is rolled back
        self._clock = time_machine.travel(timezone.now(), tick=True)
        self._coordinates = self._clock.start()
        self.agendas: list[AgendaModel] = []
        self.items: list[ItemModel] = []
        self.known_events: dict[int, tuple] = {}

    def teardown(self):
        self._clock.stop()
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        cache.clear()

    # --- the model -----------------------------------------------------------------------------

    def person(self, name: str):
        return self.people[name]

    def holder(self, item: ItemModel) -> str | None:
        if item.position is None:
            return None
        step, phase = item.position.step, item.position.phase
        if (step, phase) == (3, 0):
            return item.writer
        if step == 10:
            return item.uploader
        return {3: "kasi", 4: "kabid", 5: "sekdis", 6: "kadis", 7: "sekdis", 8: "kabid", 9: "kasi"}[step]

    def offered(self, item: ItemModel) -> list[str]:
        if item.position is None:
            return ["forward"]
        if item.position == Position(3, 0):
            return ["submit"] if item.has_page else ["write"]
        role = rules.actor_at(self.definition, item.position)
        return [a.value for a in rules.allowed_actions(self.definition, item.position, role)]

    def predict(self, item: ItemModel, who: str, action: str, *, return_to, comment, uploader):
        """Where the item goes (a Position, None for published, "same" for a write) or "refused"."""
        if item.position is None:
            return "refused"
        if action == "emergency_publish":
            return None if who == "admin" and item.has_page else "refused"
        if who != self.holder(item):
            return "refused"
        if action == "write":
            return "same" if item.position == Position(3, 0) else "refused"
        if action == "submit" and not item.has_page:
            return "refused"
        role = rules.actor_at(self.definition, item.position)
        if not rules.can_act(self.definition, item.position, role, Action(action)):
            return "refused"
        if action == "return":
            if return_to not in rules.return_targets(self.definition, item.position) or not comment.strip():
                return "refused"
        if action == "assign" and ROLES.get(uploader) != Role.STAF:
            return "refused"
        return rules.next_position(self.definition, item.position, role, Action(action), return_to=return_to)

    # --- rules ----------------------------------------------------------------------------------

    @initialize()
    def first_item(self):
        """Every run starts with one item at step 3, carried there by the Kasi (the agenda rules
        below start more, or fail to)."""
        kasi = self.person("kasi")
        agenda = services.agenda_create(
            user=kasi, topic="Liputan 0", kind=AgendaItem.Kind.BERITA, planned_date=timezone.localdate(), plan=True
        )
        services.disposisi_send(
            agenda=agenda,
            user=kasi,
            recipients=[self.person("staf")],
            instruction="Liput dan foto.",
            sifat="biasa",
            batas_waktu=timezone.now() + timezone.timedelta(hours=3),
        )
        self.agendas.append(AgendaModel(pk=agenda.pk, status=AgendaItem.Status.DISPOSED, events=2))
        self.items.append(ItemModel(pk=Liputan.objects.get(agenda=agenda).pk, agenda=agenda.pk, writer="staf"))

    @rule(data=st.data())
    def act(self, data):
        kind = data.draw(st.sampled_from(STEP_KINDS), label="kind")
        if kind == "item":
            self.act_on_item(data)
        elif kind == "agenda":
            self.act_on_agenda(data)
        elif kind == "create" and len(self.agendas) < MAX_AGENDAS:
            self.create_agenda(data.draw(st.one_of(st.just("kasi"), st.sampled_from(PEOPLE)), label="who"))
        elif kind == "wait":
            self._coordinates.shift(timezone.timedelta(minutes=data.draw(st.integers(1, 600), label="minutes")))

    # --- the agenda (steps 1 and 2) --------------------------------------------------------------

    def create_agenda(self, who):
        before = snapshot()
        try:
            agenda = services.agenda_create(
                user=self.person(who),
                topic=f"Liputan {len(self.agendas) + 1}",
                kind=AgendaItem.Kind.BERITA,
                planned_date=timezone.localdate(),
                place="Tabanan",
            )
        except REFUSALS:
            assert who != "kasi", "the Kasi was refused an agenda"
            assert snapshot() == before, "a refused agenda changed something"
            return
        assert who == "kasi", f"{who} created an agenda"
        self.agendas.append(AgendaModel(pk=agenda.pk))
        REACHED["step 1"] += 1

    def act_on_agenda(self, data):
        model = data.draw(st.sampled_from(self.agendas), label="agenda")
        who = data.draw(who_strategy, label="who")
        who = "kasi" if who == HOLDER else who
        action = data.draw(st.sampled_from(["plan", "dispose"]), label="action")
        agenda = AgendaItem.objects.get(pk=model.pk)
        before = snapshot()
        if action == "plan":
            right = who == "kasi" and model.status == AgendaItem.Status.DRAFT
            call = lambda: services.agenda_plan(agenda=agenda, user=self.person(who))  # noqa: E731
        else:
            recipients = data.draw(
                st.lists(st.sampled_from(["staf", "staf2", "kabid", "tamu"]), min_size=1, max_size=2, unique=True),
                label="recipients",
            )
            right = (
                who == "kasi"
                and model.status == AgendaItem.Status.PLANNED
                and all(ROLES.get(r) == Role.STAF for r in recipients)
            )
            call = lambda: services.disposisi_send(  # noqa: E731
                agenda=agenda,
                user=self.person(who),
                recipients=[self.person(r) for r in recipients],
                instruction="Liput dan foto.",
                sifat="biasa",
                batas_waktu=timezone.now() + timezone.timedelta(hours=3),
            )
        try:
            call()
        except REFUSALS:
            assert not right, f"{who} was refused {action} on agenda {model}"
            assert snapshot() == before, f"a refused {action} by {who} changed something"
            return
        assert right, f"{who} was allowed {action} on agenda {model}"
        model.events += 1
        if action == "plan":
            model.status = AgendaItem.Status.PLANNED
            REACHED["step 2"] += 1
        else:
            model.status = AgendaItem.Status.DISPOSED
            for writer in recipients:
                liputan = Liputan.objects.get(agenda_id=model.pk, writer=self.person(writer))
                self.items.append(ItemModel(pk=liputan.pk, agenda=model.pk, writer=writer))
            REACHED["step 3"] += 1

    # --- the item (steps 3 to 10) ----------------------------------------------------------------

    def act_on_item(self, data):
        item = data.draw(st.sampled_from(self.items), label="item")
        who = data.draw(who_strategy, label="who")
        action = data.draw(action_strategy, label="action")
        if action == OFFERED:
            action = data.draw(st.sampled_from(self.offered(item)), label="offered action")
        if who == HOLDER:
            # The one who may: the step's holder, or for an emergency publish the administrator
            # (else a random person would almost never be the administrator trying it).
            who = "admin" if action == "emergency_publish" or item.position is None else self.holder(item)
        return_to = comment = uploader = None
        if action == "return":
            targets = rules.return_targets(self.definition, item.position) if item.position else ()
            return_to = data.draw(st.one_of(st.sampled_from(targets or (3,)), st.integers(1, 11)), label="return_to")
            comment = data.draw(st.sampled_from([REASON, REASON, "", "   "]), label="reason")
        if action == "assign":
            uploader = data.draw(st.sampled_from(["staf2", "staf", "kasi", "tamu"]), label="uploader")
        self.attempt(item, who, action, return_to=return_to, comment=comment or "", uploader=uploader)

    def attempt(self, item: ItemModel, who: str, action: str, *, return_to, comment, uploader):
        expected = self.predict(item, who, action, return_to=return_to, comment=comment, uploader=uploader)
        liputan = Liputan.objects.get(pk=item.pk)
        user = self.person(who)
        before = snapshot()
        events_before = StepEvent.objects.filter(liputan=liputan).count()
        try:
            if action == "write":
                page = services.liputan_page_create(liputan=liputan, user=user, parent=berita_index())
                page.title = f"{page.title} (revisi)"
                page.save_revision(user=user)
            elif action == "submit":
                services.liputan_submit(liputan=liputan, user=user)
            elif action == "emergency_publish":
                services.liputan_emergency_publish(liputan=liputan, user=user, reason=EMERGENCY_REASON)
            else:
                services.liputan_act(
                    liputan=liputan,
                    user=user,
                    action=action,
                    comment=comment,
                    return_to=return_to,
                    uploader=self.person(uploader) if uploader else None,
                )
        except REFUSALS as refusal:
            assert expected == "refused", f"{who} was refused {action} at {item.position}: {refusal}"
            assert str(refusal), "a refusal must say why"
            assert snapshot() == before, f"a refused {action} by {who} at {item.position} changed something"
            REACHED["refused"] += 1
            return
        assert expected != "refused", f"{who} was allowed {action} at {item.position} (holder {self.holder(item)})"
        # One event for each action of the SOP, by the one who acted, as the role of the step.
        new = list(StepEvent.objects.filter(liputan=liputan).order_by("id")[events_before:])
        if action == "write":
            assert new == []
            item.has_page = True
            return
        assert [(e.action, e.actor_id, e.step, e.phase) for e in new] == [
            (action, user.pk, item.position.step, item.position.phase)
        ], new
        assert new[0].actor_role == rules.actor_at(self.definition, item.position).value
        item.events += 1
        if action == "return":
            assert new[0].comment == comment.strip() and new[0].to_step == return_to
            REACHED["returned"] += 1
        if action == "assign":
            item.uploader = uploader
        item.emergency = action == "emergency_publish"
        item.position = expected
        if expected is None:
            REACHED["emergency" if item.emergency else "published"] += 1
        else:
            REACHED[f"step {expected.step}"] += 1

    # --- invariants, from the database -----------------------------------------------------------

    @invariant()
    def record_is_a_valid_path_and_matches_the_state(self):
        for model in self.agendas:
            agenda = AgendaItem.objects.get(pk=model.pk)
            events = list(StepEvent.objects.filter(agenda=agenda, liputan=None).order_by("id"))
            assert [(e.action, e.step, e.to_step) for e in events] == [("plan", 1, 2), ("dispose", 2, 3)][
                : len(events)
            ], events
            assert all(e.actor_id == self.person("kasi").pk and e.actor_role == "kasi" for e in events)
            assert (agenda.status, len(events)) == (model.status, model.events)
        for model in self.items:
            self.check_item(model)

    def check_item(self, model: ItemModel):
        liputan = Liputan.objects.select_related("page").get(pk=model.pk)
        events = list(StepEvent.objects.filter(liputan=liputan).order_by("id"))
        assert len(events) == model.events, (events, model)
        dispose = StepEvent.objects.get(agenda_id=model.agenda, liputan=None, action="dispose")
        position, last_at = Position(3, 0), dispose.at
        for number, event in enumerate(events):
            assert position is not None, f"an event after publication: {event}"
            assert (event.step, event.phase) == (position.step, position.phase), f"step skipped: {event} at {position}"
            assert event.at >= last_at, "the record goes back in time"
            last_at = event.at
            if event.action == StepEvent.Action.EMERGENCY_PUBLISH:
                assert number == len(events) - 1 and event.flagged and event.actor.is_superuser
                position = None
                continue
            role = Role(event.actor_role)
            assert role == rules.actor_at(self.definition, position), event
            assert rules.can_act(self.definition, position, role, Action(event.action)), event
            target = rules.next_position(
                self.definition,
                position,
                role,
                Action(event.action),
                return_to=event.to_step if event.action == "return" else None,
            )
            assert event.to_step == (target.step if target else None), event
            position = target
        assert position == model.position, (position, model)
        if position is None:
            assert liputan.status == Liputan.Status.PUBLISHED and liputan.holder_id is None
            assert liputan.emergency_published == model.emergency
        else:
            assert liputan.status == Liputan.Status.ACTIVE
            assert (liputan.step, liputan.phase) == (position.step, position.phase)
            assert liputan.holder_id == self.person(self.holder(model)).pk
        self.check_workflow(liputan, position)
        self.check_live(liputan, events, model)

    def check_workflow(self, liputan, position):
        page = liputan.page
        if page is None:
            assert position == Position(3, 0)
            return
        active = list(WorkflowState.objects.active().for_instance(page).select_related("current_task_state"))
        if position is None or position == Position(3, 0):
            assert active == [], "no workflow runs while the Staf writes or after publication"
            return
        [state] = active
        task_state = SopTaskState.objects.get(pk=state.current_task_state_id)
        assert task_state.status == TaskState.STATUS_IN_PROGRESS
        assert task_state.task.specific.sop_step.number == position.step
        assert task_state.holder_id == liputan.holder_id

    def check_live(self, liputan, events, model: ItemModel):
        page = Page.objects.filter(pk=liputan.page_id).first()
        live = bool(page and page.live)
        assert live == (liputan.status == Liputan.Status.PUBLISHED), "live only when published, always then"
        if live and not liputan.emergency_published:
            assert [(e.action, e.step) for e in events[-2:]] == [("assign", 9), ("publish", 10)], events[-2:]

    @invariant()
    def history_is_never_rewritten(self):
        fields = ("id", "agenda_id", "liputan_id", "step", "phase", "action", "to_step", "actor_id", "at", "comment")
        current = {row[0]: row for row in StepEvent.objects.values_list(*fields)}
        for pk, row in self.known_events.items():
            assert current.get(pk) == row, f"event {pk} changed or vanished"
        self.known_events = current


class SopStateMachineTest(TestCase):
    """Random sequences of actions by random people; the invariants above after every step."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.people["tamu"] = make_no_role_user()
        cls.people["kabid2"] = make_user("kabid2", role=Role.KABID, first_name="I Ketut", last_name="Darma")

    def test_random_use_keeps_the_sop(self):
        SopMachine.people = self.people
        SopMachine.definition = self.people["version"].definition()
        REACHED.clear()
        run_state_machine_as_test(SopMachine, settings=MACHINE_SETTINGS)
        # Not vacuous: the runs got items through the whole chain and back.
        for reached in ("refused", "step 4", "step 10", "returned", "published", "emergency"):
            self.assertGreater(REACHED[reached], 0, f"the runs never reached {reached}: {dict(REACHED)}")
        if PROFILE != "default" or os.environ.get("SOP_MACHINE_REPORT"):
            print(f"\nSOP state machine ({PROFILE}): {dict(sorted(REACHED.items()))}")
