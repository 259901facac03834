"""Items keep the SOP version they started under.

When the definition changes (step 4: 30 → 45 minutes) a new item follows version 2 and is measured
against 45 minutes, while an item that started before the change stays on version 1 — its workflow,
its record and its 30-minute standard — through to publication.
"""

import datetime as dt
import tempfile
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import WorkflowState

from desk import services
from desk.models import AgendaItem, Liputan, StepEvent
from lontar.testing import build_world
from portal.models import BeritaPage
from portal.selectors import berita_index
from sop.models import SopVersion
from sop.selectors import sop_current
from sop.tests.test_rules import edit_step

WITA = ZoneInfo("Asia/Makassar")
START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WITA)  # a Monday morning


def at(minutes: int):
    return time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False)


class ItemVersioningTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.v1 = cls.people["version"]

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.changed_file = Path(tmp.name) / "sop.toml"
        self.changed_file.write_text(edit_step(4, "waktu_menit = 30", "waktu_menit = 45"), encoding="utf-8")

    # --- driving the desk ------------------------------------------------------------------------

    def start_item(self, topic: str, staf: str = "staf") -> Liputan:
        """Steps 1–2 by the Kasi: a planned agenda and its disposisi to one Staf."""
        p = self.people
        agenda = services.agenda_create(
            user=p["kasi"], topic=topic, kind="berita", planned_date=START.date(), plan=True
        )
        services.disposisi_send(
            agenda=agenda,
            user=p["kasi"],
            recipients=[p[staf]],
            instruction=f"Liput: {topic}.",
            sifat="segera",
            batas_waktu=START + dt.timedelta(days=1),
        )
        return Liputan.objects.get(agenda=agenda)

    def write_and_report(self, liputan: Liputan) -> None:
        """Step 3 by the Staf: write the page and report it to the Kasi."""
        writer = liputan.writer
        services.liputan_page_create(liputan=liputan, user=writer, parent=berita_index(), page_class=BeritaPage)
        services.liputan_submit(liputan=liputan, user=writer)

    def act(self, liputan: Liputan, who: str, action: str, **kwargs) -> Liputan:
        return services.liputan_act(liputan=liputan, user=self.people[who], action=action, **kwargs)

    def reload_changed_sop(self) -> SopVersion:
        call_command("load_sop", str(self.changed_file), stdout=StringIO())
        return sop_current()

    def step_4_events(self, liputan: Liputan):
        return list(StepEvent.objects.filter(liputan=liputan, step=4).order_by("at", "id"))

    def workflow_of(self, liputan: Liputan):
        liputan.refresh_from_db()
        state = WorkflowState.objects.active().for_instance(liputan.page).get()
        return state.workflow_id, state.current_task_state.task.specific.sop_step

    # --- the tests -------------------------------------------------------------------------------

    def test_new_item_uses_v2_and_old_item_stays_on_v1(self):
        """After step 4 changes to 45 minutes, a new item is measured against 45 and an item
        started before the change against 30, each through its own version's workflow."""
        with at(0):
            old = self.start_item("Panen raya padi Subak Jatiluwih")
        with at(30):
            self.write_and_report(old)
        with at(40):
            self.act(old, "kasi", "forward")
        old.refresh_from_db()
        self.assertEqual((old.step, old.sop_version_id), (4, self.v1.pk))

        with at(45):
            v2 = self.reload_changed_sop()
        self.assertEqual(v2.version, 2)
        self.assertEqual(v2.steps.get(number=4).minutes, 45)
        self.assertNotEqual(v2.workflow_id, self.v1.workflow_id)

        with at(50):
            new = self.start_item("Tari Rejang Dewa di Desa Tista", staf="staf2")
        self.assertEqual(new.sop_version_id, v2.pk)
        self.assertEqual(new.agenda.sop_version_id, v2.pk)
        with at(60):
            self.write_and_report(new)
        with at(70):
            self.act(new, "kasi", "forward")

        # Each item runs in the workflow of its own version.
        old_workflow, old_task_step = self.workflow_of(old)
        new_workflow, new_task_step = self.workflow_of(new)
        self.assertEqual(old_workflow, self.v1.workflow_id)
        self.assertEqual(new_workflow, v2.workflow_id)
        self.assertEqual((old_task_step.version_id, old_task_step.number, old_task_step.minutes), (self.v1.pk, 4, 30))
        self.assertEqual((new_task_step.version_id, new_task_step.number, new_task_step.minutes), (v2.pk, 4, 45))

        # The Kabid takes 40 minutes on each: late against 30, on time against 45.
        with at(80):
            self.act(old, "kabid", "forward")
        with at(110):
            self.act(new, "kabid", "forward")
        [old_4] = self.step_4_events(old)
        [new_4] = self.step_4_events(new)
        self.assertEqual(
            (old_4.sop_version_id, old_4.standard_minutes, old_4.elapsed_minutes, old_4.on_time),
            (self.v1.pk, 30, 40, False),
        )
        self.assertEqual(
            (new_4.sop_version_id, new_4.standard_minutes, new_4.elapsed_minutes, new_4.on_time),
            (v2.pk, 45, 40, True),
        )

        # Every record of each item belongs to its own version, from step 1 on.
        self.assertEqual(
            set(StepEvent.objects.filter(agenda=old.agenda).values_list("sop_version", flat=True)), {self.v1.pk}
        )
        self.assertEqual(
            set(StepEvent.objects.filter(agenda=new.agenda).values_list("sop_version", flat=True)), {v2.pk}
        )

    def test_item_started_under_v1_finishes_under_v1(self):
        """An item at step 4 when v2 is loaded passes steps 4–10 in v1's workflow and is published."""
        with at(0):
            old = self.start_item("Vaksinasi anak sekolah di Kediri")
            self.write_and_report(old)
            self.act(old, "kasi", "forward")
            self.reload_changed_sop()
        minute = 0
        for who in ("kabid", "sekdis", "kadis", "sekdis", "kabid"):
            minute += 5
            with at(minute):
                self.act(old, who, "forward")
        with at(minute + 5):
            self.act(old, "kasi", "assign", uploader=self.people["staf2"])
        with at(minute + 10):
            self.act(old, "staf2", "publish")

        old.refresh_from_db()
        self.assertEqual(old.status, Liputan.Status.PUBLISHED)
        self.assertEqual(old.sop_version_id, self.v1.pk)
        self.assertTrue(BeritaPage.objects.get(pk=old.page_id).live)
        events = StepEvent.objects.filter(liputan=old)
        self.assertEqual(set(events.values_list("sop_version", flat=True)), {self.v1.pk})
        self.assertEqual(events.get(step=4).standard_minutes, 30)
        self.assertEqual(
            sorted(events.exclude(action="submit").values_list("step", flat=True)), [3, 4, 5, 6, 7, 8, 9, 10]
        )
        finished = WorkflowState.objects.for_instance(old.page).get(status=WorkflowState.STATUS_APPROVED)
        self.assertEqual(finished.workflow_id, self.v1.workflow_id)

    def test_agenda_planned_before_the_change_stays_on_v1(self):
        """A plan drafted under v1 but disposed after v2 is loaded still follows v1."""
        with at(0):
            agenda = services.agenda_create(
                user=self.people["kasi"], topic="Festival Tanah Lot 2026", kind="berita", planned_date=START.date()
            )
        with at(5):
            v2 = self.reload_changed_sop()
        with at(10):
            services.agenda_plan(agenda=agenda, user=self.people["kasi"])
            services.disposisi_send(
                agenda=agenda,
                user=self.people["kasi"],
                recipients=[self.people["staf"]],
                instruction="Liput festival.",
                sifat="biasa",
                batas_waktu=START + dt.timedelta(days=1),
            )
        agenda.refresh_from_db()
        self.assertEqual(agenda.status, AgendaItem.Status.DISPOSED)
        self.assertEqual(agenda.sop_version_id, self.v1.pk)
        self.assertEqual(Liputan.objects.get(agenda=agenda).sop_version_id, self.v1.pk)
        self.assertNotEqual(agenda.sop_version_id, v2.pk)
        self.assertEqual(set(agenda.events.values_list("sop_version", flat=True)), {self.v1.pk})

    def test_return_under_v2_restarts_in_v2_workflow(self):
        """A v2 item returned from step 5 to step 4 restarts in v2's workflow and is measured against 45 again."""
        with at(0):
            v2 = self.reload_changed_sop()
            item = self.start_item("Data produksi UMKM triwulan III")
            self.write_and_report(item)
            self.act(item, "kasi", "forward")
        with at(10):
            self.act(item, "kabid", "forward")
        with at(20):
            self.act(item, "sekdis", "return", return_to=4, comment="Periksa kembali angka produksinya.")
        item.refresh_from_db()
        self.assertEqual((item.step, item.holder), (4, self.people["kabid"]))
        workflow_id, task_step = self.workflow_of(item)
        self.assertEqual((workflow_id, task_step.version_id, task_step.number), (v2.workflow_id, v2.pk, 4))
        with at(70):  # 50 minutes after the return: late against 45
            self.act(item, "kabid", "forward")
        first, second = self.step_4_events(item)
        self.assertEqual((first.standard_minutes, first.elapsed_minutes, first.on_time), (45, 10, True))
        self.assertEqual((second.standard_minutes, second.elapsed_minutes, second.on_time), (45, 50, False))
        self.assertEqual({first.sop_version_id, second.sop_version_id}, {v2.pk})
