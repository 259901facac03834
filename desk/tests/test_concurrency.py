"""Two people acting on the same item at the same moment: exactly one wins, the other gets the
desk's ordinary refusal, and the record gains one entry with the chain intact.

On PostgreSQL each side runs in its own thread with its own connection, released together by a
barrier, 100 times per scenario (``LONTAR_RACE_REPEATS`` to change it). SQLite serialises writers
whatever the code does, so there the two sides run one after the other, a few times, to check
that the second is still refused the same way.

The SOP names one holder per step (steps 3–10: ``Liputan.holder``; step 10 the uploader the Kasi
chose), so "two Staf publishing" is the named uploader publishing from two devices, or racing
the administrator's emergency publication; a Staf who does not hold the step is refused whenever
they ask (desk/tests/test_permission_matrix.py).
"""

import os
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.test import TransactionTestCase
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from desk import record, services
from desk.models import Disposisi, Liputan, StepEvent
from desk.tests import sop_driver as D
from lontar.testing import build_world
from reports.models import PublishedLead
from sop import rules

REFUSALS = (rules.InvalidTransition, ValidationError, PermissionDenied)
EMERGENCY_REASON = "Peringatan dini cuaca ekstrem harus segera tayang."


def _message(exc) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@dataclass
class Outcome:
    name: str
    result: object = None
    error: BaseException | None = None


def race(sides: dict[str, Callable[[], object]]) -> list[Outcome]:
    """Run both sides at once (PostgreSQL) or one after the other (SQLite); every exception is
    kept for the assertions, none escapes a thread."""
    outcomes = [Outcome(name) for name in sides]
    if connection.vendor != "postgresql":
        for outcome, side in zip(outcomes, sides.values(), strict=True):
            try:
                outcome.result = side()
            except Exception as exc:
                outcome.error = exc
        return outcomes
    barrier = threading.Barrier(len(sides))

    def run(outcome, side):
        try:
            barrier.wait(timeout=30)
            outcome.result = side()
        except Exception as exc:
            outcome.error = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(outcomes, sides.values(), strict=True)]
    # The thread that reaches the barrier last tends to run first; start them in random order
    # so that neither side is always first.
    for thread in random.sample(threads, len(threads)):
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a side never finished (deadlock?)"
    return outcomes


def editor_submit(*, page_id: int, user):
    """What the page editor's submit button does once the draft is saved (EditView.submit_action)."""
    page = Page.objects.get(pk=page_id).specific
    return page.get_workflow().start(page, user)


@pytest.mark.postgres
class SimultaneousActionsTest(TransactionTestCase):
    serialized_rollback = True

    def setUp(self):
        self.postgres = connection.vendor == "postgresql"
        self.repeats = int(os.environ.get("LONTAR_RACE_REPEATS", 100 if self.postgres else 2))
        self.people = build_world()

    def name(self, user) -> str:
        return user.get_full_name() if user else "-"

    def holder_refusal(self, liputan: Liputan) -> str:
        liputan.refresh_from_db()
        return f"Langkah {liputan.step} dipegang oleh {self.name(liputan.holder)}; Anda hanya dapat melihat naskah ini."

    def head(self) -> int:
        return StepEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    def contest(self, sides: dict[str, Callable[[], object]], *, entry, refusals=None) -> Outcome:
        """Race ``sides``; exactly one wins, the other is refused with one of ``refusals`` (or,
        when that is a callable, the message it gives once the race is over), and the record
        gains exactly ``entry(winner)`` = (step, action, actor), its chain intact."""
        seq = self.head()
        outcomes = race(sides)
        for outcome in outcomes:
            if outcome.error is not None and not isinstance(outcome.error, REFUSALS):
                raise AssertionError(f"{outcome.name} failed instead of being refused") from outcome.error
        winners = [o for o in outcomes if o.error is None]
        losers = [o for o in outcomes if o.error is not None]
        self.assertEqual((len(winners), len(losers)), (1, 1), [(o.name, o.error) for o in outcomes])
        expected = refusals() if callable(refusals) else refusals
        self.assertIn(_message(losers[0].error), expected)
        new = list(StepEvent.objects.filter(seq__gt=seq).order_by("seq").values_list("step", "action", "actor"))
        step, action, actor = entry(winners[0].name)
        self.assertEqual(new, [(step, action, actor.pk)])
        verification = record.verify()
        self.assertTrue(verification.ok, verification.broken and verification.broken.message)
        return winners[0]

    def test_every_step_taken_twice_at_once_is_taken_once(self):
        """Each person who holds a step acts twice at the same moment (two tabs, two devices) at
        every step of the SOP: plan, disposisi, report (from the desk, or every other item from
        Wagtail's editor), each official's approval, the assignment of the uploader and the
        publication."""
        p = self.people
        kasi, uploader = p["kasi"], p["staf2"]
        writers = {"tab1": p["staf"], "tab2": p["staf2"]}
        for n in range(self.repeats):
            agenda = D.agenda_draft(kasi, topic=f"Pameran UMKM {n}")
            plan = partial(services.agenda_plan, agenda=agenda, user=kasi)
            self.contest(
                {"tab1": plan, "tab2": plan},
                entry=lambda _: (1, "plan", kasi),
                refusals={"Rencana ini sudah ditetapkan."},
            )
            dispose = {
                tab: partial(
                    services.disposisi_send,
                    agenda=agenda,
                    user=kasi,
                    recipients=[writer],
                    instruction="Liput dan foto.",
                    sifat="segera",
                    batas_waktu=timezone.now() + timezone.timedelta(hours=3),
                )
                for tab, writer in writers.items()
            }
            won = self.contest(
                dispose, entry=lambda _: (2, "dispose", kasi), refusals={"Agenda ini sudah didisposisikan."}
            )
            self.assertEqual(Disposisi.objects.filter(agenda=agenda).count(), 1)
            liputan = Liputan.objects.get(agenda=agenda)  # only the winning tab's Staf has one
            self.assertEqual(liputan.writer, writers[won.name])

            page = D.write(liputan)
            liputan.refresh_from_db()
            if n % 2 == 0:  # the desk's "Laporkan" button
                submit = partial(services.liputan_submit, liputan=liputan, user=liputan.writer)
                refusals = partial(self.holder_refusal, liputan)
            else:  # the Wagtail editor's submit, which starts the workflow itself
                submit = partial(editor_submit, page_id=page.pk, user=liputan.writer)
                refusals = {"Naskah ini sudah dilaporkan dan sedang dalam alur SOP. Muat ulang halaman."}
            self.contest(
                {"tab1": submit, "tab2": submit},
                entry=lambda _, w=liputan.writer: (3, "submit", w),
                refusals=refusals,
            )
            self.assertEqual(WorkflowState.objects.for_instance(liputan.page).count(), 1)
            liputan.refresh_from_db()
            self.assertEqual((liputan.step, liputan.phase, liputan.holder), (3, 1, kasi))

            while liputan.step < 10:
                holder, step = liputan.holder, liputan.step
                action = "assign" if step == 9 else "forward"
                act = partial(
                    services.liputan_act,
                    liputan=liputan,
                    user=holder,
                    action=action,
                    uploader=uploader if step == 9 else None,
                    task_state_id=liputan.page.specific.current_workflow_state.current_task_state_id,
                )
                self.contest(
                    {"tab1": act, "tab2": act},
                    entry=lambda _, s=step, a=action, h=holder: (s, a, h),
                    refusals=partial(self.holder_refusal, liputan),
                )
                liputan.refresh_from_db()
                self.assertEqual(liputan.step, step + 1)

            publish = partial(services.liputan_act, liputan=liputan, user=uploader, action="publish")
            self.contest(
                {"phone": publish, "desktop": publish},
                entry=lambda _: (10, "publish", uploader),
                refusals={"Naskah ini sudah terbit; tidak ada langkah yang terbuka."},
            )
            self.assertTrue(liputan.page.specific.live)
            self.assertEqual(PublishedLead.objects.filter(liputan=liputan).count(), 1)

    def test_approving_and_returning_at_once_does_one_of_them(self):
        """The Sekdis presses "setujui" and "kembalikan" at the same moment. Between races the
        item comes back to step 5 by the SOP's own way: the Kadis returns it to 5, or the Kabid
        forwards it again after the Sekdis's return to 4."""
        p = self.people
        sekdis = p["sekdis"]
        liputan = D.build_item(p, step=5, topic="Festival Jatiluwih").liputan
        won = []
        for _n in range(self.repeats):
            act = partial(
                services.liputan_act,
                liputan=liputan,
                user=sekdis,
                task_state_id=liputan.page.specific.current_workflow_state.current_task_state_id,
            )
            winner = self.contest(
                {
                    "forward": partial(act, action="forward"),
                    "return": partial(act, action="return", return_to=4, comment="Sumber belum disebut."),
                },
                entry=lambda name: (5, name, sekdis),
                refusals=partial(self.holder_refusal, liputan),
            )
            won.append(winner.name)
            liputan.refresh_from_db()
            self.assertEqual(liputan.step, 6 if winner.name == "forward" else 4)
            self.assertEqual(WorkflowState.objects.active().for_instance(liputan.page).count(), 1)
            if winner.name == "forward":
                D.act(liputan, "return", return_to=5, comment="Judul perlu diperbaiki.")
            else:
                D.act(liputan, "forward")
            liputan.refresh_from_db()
            self.assertEqual((liputan.step, liputan.holder), (5, sekdis))
        if not self.postgres:
            self.assertEqual(set(won), {"forward"})  # one after the other: the first always wins
        elif self.repeats >= 20:
            self.assertEqual(set(won), {"forward", "return"})  # a real race: either side may win

    def test_the_uploader_and_an_emergency_publication_at_once_publish_once(self):
        """Each race needs an item freshly carried to step 10, so fewer of them (a quarter)."""
        uploader, admin = self.people["staf2"], self.people["admin"]
        for n in range(max(1, self.repeats // 4)):
            liputan = D.build_item(self.people, step=10, topic=f"Penanaman mangrove {n}").liputan
            winner = self.contest(
                {
                    "publish": partial(services.liputan_act, liputan=liputan, user=uploader, action="publish"),
                    "emergency_publish": partial(
                        services.liputan_emergency_publish, liputan=liputan, user=admin, reason=EMERGENCY_REASON
                    ),
                },
                entry=lambda name: (10, name, uploader if name == "publish" else admin),
                refusals={"Naskah ini sudah terbit.", "Naskah ini sudah terbit; tidak ada langkah yang terbuka."},
            )
            liputan.refresh_from_db()
            self.assertEqual(liputan.emergency_published, winner.name == "emergency_publish")
            self.assertTrue(liputan.page.specific.live)
