"""Loading the SOP definition into the database: versions, steps and the Wagtail workflow.

A refused definition must change nothing; a changed definition becomes a new version with its own
workflow, and the old version stays for the items that started under it.
"""

import hashlib
import tempfile
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Task, Workflow, WorkflowTask

from desk.models import SopStepTask
from desk.tests.helpers import client_for, text_of
from lontar.testing import build_world, make_user
from sop.models import SopStep, SopVersion
from sop.selectors import sop_current
from sop.signals import sop_version_loaded
from sop.tests.test_rules import BAD_DEFINITIONS, REAL_FILE, REAL_TEXT, STEP_HEADER, edit_step

STEP_4_AT_45 = edit_step(4, "waktu_menit = 30", "waktu_menit = 45")
STEP_1_ACTIVITY = "Menyusun rencana pengumpulan informasi, data dan potensi daerah"


def snapshot() -> dict[str, int]:
    """Every table the loader may write to."""
    return {
        "SopVersion": SopVersion.objects.count(),
        "SopStep": SopStep.objects.count(),
        "Workflow": Workflow.objects.count(),
        "Task": Task.objects.count(),
        "WorkflowTask": WorkflowTask.objects.count(),
        "SopStepTask": SopStepTask.objects.count(),
    }


class LoaderTestCase(TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = Path(tmp.name)

    def write(self, text: str, name: str = "sop.toml") -> Path:
        path = self.tmp / name
        path.write_text(text, encoding="utf-8")
        return path

    def load(self, path: Path | None = None) -> str:
        out = StringIO()
        args = [str(path)] if path is not None else []
        call_command("load_sop", *args, stdout=out)
        return out.getvalue()

    def workflow_steps(self, version: SopVersion) -> list[int]:
        """The SOP step numbers of the version's workflow tasks, in workflow order."""
        links = WorkflowTask.objects.filter(workflow=version.workflow).order_by("sort_order")
        return [SopStepTask.objects.get(pk=link.task_id).sop_step.number for link in links]


class LoadRealFileTest(LoaderTestCase):
    def test_default_file_is_the_real_definition(self):
        """Without a path, load_sop reads the repository's definition file."""
        self.assertEqual(Path(settings.LONTAR_SOP_FILE).resolve(), REAL_FILE)

    def test_load_creates_version_1_with_ten_steps(self):
        """Loading the real file stores version 1, current, with its ten steps and their times."""
        before = snapshot()
        out = self.load()
        self.assertIn("SOP 065/0812/ORG v1 dimuat: 10 langkah.", out)

        version = SopVersion.objects.get()
        self.assertEqual((version.nomor, version.version, version.is_current), ("065/0812/ORG", 1, True))
        self.assertEqual(version.source, REAL_TEXT)
        self.assertEqual(version.checksum, hashlib.sha256(REAL_TEXT.encode("utf-8")).hexdigest())
        self.assertEqual(version.pengesah_nip, "197310261993021003")
        self.assertEqual(version.pengesah_nama, "Drs. H. Putu Dian Setiawan")
        self.assertEqual(str(version.tanggal_pembuatan), "2017-01-03")
        self.assertIsNone(version.tanggal_efektif)
        self.assertEqual(version.peralatan, ["Komputer", "Printer", "Kertas"])
        self.assertEqual(set(version.role_titles), {"kasi", "staf", "kabid", "sekdis", "kadis"})

        steps = list(version.steps.order_by("number"))
        self.assertEqual([s.number for s in steps], list(range(1, 11)))
        self.assertEqual([s.minutes for s in steps], [10, 10, 180, 30, 30, 30, 10, 10, 10, 10])
        self.assertEqual(version.total_minutes, 330)
        self.assertEqual(steps[2].actors, ["staf", "kasi"])
        self.assertEqual(steps[2].actor_labels, "Staf → Kasi")
        self.assertEqual(steps[5].returns_to, [3, 4, 5])
        self.assertTrue(steps[5].may_edit)
        self.assertEqual([s.next_number for s in steps], [2, 3, 4, 5, 6, 7, 8, 9, 10, None])
        self.assertEqual(steps[0].activity, STEP_1_ACTIVITY)

        after = snapshot()
        self.assertEqual(after["SopVersion"] - before["SopVersion"], 1)
        self.assertEqual(after["SopStep"] - before["SopStep"], 10)
        self.assertEqual(after["Workflow"] - before["Workflow"], 1)
        self.assertEqual(after["Task"] - before["Task"], 8)
        self.assertEqual(after["WorkflowTask"] - before["WorkflowTask"], 8)

    def test_workflow_has_one_task_per_page_step_in_order(self):
        """Version 1 gets its own active Wagtail workflow: eight tasks for steps 3..10, in order."""
        self.load()
        version = SopVersion.objects.get()
        self.assertIsNotNone(version.workflow)
        self.assertTrue(version.workflow.active)
        self.assertEqual(version.workflow.name, "SOP 065/0812/ORG versi 1")
        self.assertEqual(self.workflow_steps(version), [3, 4, 5, 6, 7, 8, 9, 10])
        tasks = [t.specific for t in version.workflow.tasks]
        self.assertEqual(len(tasks), 8)
        self.assertTrue(all(t.sop_step.version_id == version.pk for t in tasks))
        self.assertEqual(tasks[0].name, "Langkah 3 — Staf → Kasi")
        self.assertEqual(tasks[-1].name, "Langkah 10 — Staf")

    def test_loading_twice_changes_nothing(self):
        """Loading the same file again is a no-op and says so."""
        self.load()
        version = SopVersion.objects.get()
        before = snapshot()
        out = self.load()
        self.assertIn("SOP 065/0812/ORG v1 sudah berlaku; tidak ada perubahan.", out)
        self.assertEqual(snapshot(), before)
        self.assertEqual(SopVersion.objects.get(), version)
        self.assertEqual(SopVersion.objects.get().workflow_id, version.workflow_id)

    def test_same_text_from_another_path_is_the_same_version(self):
        """The version is the text, not the path: a copy of the file elsewhere is no change."""
        self.load()
        before = snapshot()
        out = self.load(self.write(REAL_TEXT, "salinan.toml"))
        self.assertIn("tidak ada perubahan", out)
        self.assertEqual(snapshot(), before)

    def test_order_of_step_tables_does_not_change_the_workflow(self):
        """A file listing its [[langkah]] tables in another order still gets tasks 3..10 in order."""
        head, *blocks = REAL_TEXT.split(STEP_HEADER)
        reordered = head + "".join(STEP_HEADER + b.rstrip("\n") + "\n\n" for b in reversed(blocks))
        self.load(self.write(reordered))
        version = SopVersion.objects.get()
        self.assertEqual(self.workflow_steps(version), [3, 4, 5, 6, 7, 8, 9, 10])


class RefusedDefinitionTest(LoaderTestCase):
    def assert_refused_without_change(self, text: str, field: str, problem: str):
        before = snapshot()
        path = self.write(text)
        with self.assertRaises(CommandError) as cm:
            self.load(path)
        message = str(cm.exception)
        self.assertIn("Definisi SOP ditolak, tidak ada yang diubah.", message)
        self.assertIn(f"{field}: ", message)
        self.assertIn(problem, message)
        self.assertEqual(snapshot(), before)

    def test_each_bad_definition_is_refused_on_an_empty_database(self):
        """Every bad definition is refused with the field and the problem; no table changes."""
        for bad in BAD_DEFINITIONS:
            with self.subTest(bad.name):
                self.assert_refused_without_change(bad.text, bad.field, bad.problem)
        self.assertFalse(SopVersion.objects.exists())

    def test_each_bad_definition_leaves_the_current_version_alone(self):
        """With v1 in force, every bad definition is refused and v1 stays current, unchanged."""
        self.load()
        v1 = SopVersion.objects.get()
        for bad in BAD_DEFINITIONS:
            with self.subTest(bad.name):
                self.assert_refused_without_change(bad.text, bad.field, bad.problem)
        self.assertEqual(list(SopVersion.objects.values_list("version", "is_current")), [(1, True)])
        self.assertEqual(sop_current(), v1)
        self.assertEqual(SopVersion.objects.get().checksum, v1.checksum)
        self.assertEqual(self.workflow_steps(SopVersion.objects.get()), [3, 4, 5, 6, 7, 8, 9, 10])

    def test_values_too_long_for_the_database_are_refused(self):
        """Text the database cannot hold is refused like any other mistake (same on SQLite and
        PostgreSQL), naming the key of the file, and changes nothing, also with v1 in force."""
        too_long = "x" * 300
        cases = [
            (edit_step(4, 'kelengkapan = "Hasil liputan"', f'kelengkapan = "{too_long}"'), "langkah 4.kelengkapan"),
            (edit_step(10, 'output = "Berita"', f'output = "{too_long}"'), "langkah 10.output"),
            (REAL_TEXT.replace('judul = "Standar', f'judul = "{too_long} Standar', 1), "identitas.judul"),
            (REAL_TEXT.replace('nomor = "065/0812/ORG"', f'nomor = "{too_long}"', 1), "identitas.nomor"),
        ]
        for loaded_first in (False, True):
            if loaded_first:
                self.load()
            for text, field in cases:
                with self.subTest(field=field, loaded_first=loaded_first):
                    self.assert_refused_without_change(text, field, "paling banyak")
        self.assertEqual(list(SopVersion.objects.values_list("version", "is_current")), [(1, True)])

    def test_missing_file_is_refused(self):
        """A path that does not exist is refused with 'berkas: tidak dapat dibaca'."""
        before = snapshot()
        with self.assertRaises(CommandError) as cm:
            self.load(self.tmp / "tidak-ada.toml")
        self.assertIn("berkas: tidak dapat dibaca", str(cm.exception))
        self.assertEqual(snapshot(), before)

    def test_file_not_in_utf8_is_refused(self):
        """A file saved in another encoding (here UTF-16) is refused, not half-read."""
        path = self.tmp / "utf16.toml"
        path.write_bytes(REAL_TEXT.encode("utf-16"))
        before = snapshot()
        with self.assertRaises(CommandError) as cm:
            self.load(path)
        self.assertIn("berkas: tidak dapat dibaca", str(cm.exception))
        self.assertEqual(snapshot(), before)

    def test_failure_while_building_the_workflow_rolls_everything_back(self):
        """If building the workflow fails, the new version, its steps and any tasks are rolled back."""
        self.load()
        before = snapshot()

        def explode(sender, version, **kwargs):
            raise RuntimeError("workflow gagal")

        sop_version_loaded.connect(explode, dispatch_uid="test-explode")
        self.addCleanup(sop_version_loaded.disconnect, dispatch_uid="test-explode")
        with self.assertRaisesMessage(RuntimeError, "workflow gagal"):
            self.load(self.write(STEP_4_AT_45))
        self.assertEqual(snapshot(), before)
        self.assertEqual(list(SopVersion.objects.values_list("version", "is_current")), [(1, True)])


class NewVersionTest(LoaderTestCase):
    def test_changed_time_standard_makes_version_2(self):
        """Changing step 4 from 30 to 45 minutes loads v2 as current with its own workflow; v1 stays."""
        self.load()
        v1 = SopVersion.objects.get()
        v1_workflow_steps = self.workflow_steps(v1)
        before = snapshot()

        out = self.load(self.write(STEP_4_AT_45))
        self.assertIn("SOP 065/0812/ORG v2 dimuat: 10 langkah.", out)

        v1.refresh_from_db()
        v2 = SopVersion.objects.get(version=2)
        self.assertFalse(v1.is_current)
        self.assertTrue(v2.is_current)
        self.assertEqual(sop_current(), v2)
        self.assertEqual(v1.steps.get(number=4).minutes, 30)
        self.assertEqual(v2.steps.get(number=4).minutes, 45)
        self.assertEqual((v1.total_minutes, v2.total_minutes), (330, 345))
        self.assertEqual(v2.source, STEP_4_AT_45)

        # Each version has its own workflow; v1's is kept, active and untouched.
        self.assertNotEqual(v2.workflow_id, v1.workflow_id)
        self.assertEqual(v2.workflow.name, "SOP 065/0812/ORG versi 2")
        self.assertTrue(v1.workflow.active and v2.workflow.active)
        self.assertEqual(self.workflow_steps(v1), v1_workflow_steps)
        self.assertEqual(self.workflow_steps(v2), [3, 4, 5, 6, 7, 8, 9, 10])
        self.assertTrue(all(t.specific.sop_step.version_id == v2.pk for t in v2.workflow.tasks))
        self.assertEqual(v2.workflow.tasks[1].specific.sop_step.minutes, 45)

        after = snapshot()
        self.assertEqual(
            {k: after[k] - before[k] for k in after},
            {"SopVersion": 1, "SopStep": 10, "Workflow": 1, "Task": 8, "WorkflowTask": 8, "SopStepTask": 8},
        )

    def test_reloading_version_2_changes_nothing(self):
        """Loading the changed file a second time is a no-op; v2 stays current."""
        self.load()
        path = self.write(STEP_4_AT_45)
        self.load(path)
        before = snapshot()
        out = self.load(path)
        self.assertIn("SOP 065/0812/ORG v2 sudah berlaku; tidak ada perubahan.", out)
        self.assertEqual(snapshot(), before)

    def test_going_back_to_the_old_text_is_a_new_version(self):
        """Reloading the original text after v2 makes v3 (the history is kept), not v1 again."""
        self.load()
        self.load(self.write(STEP_4_AT_45))
        out = self.load()
        self.assertIn("SOP 065/0812/ORG v3 dimuat", out)
        self.assertEqual(
            list(SopVersion.objects.order_by("version").values_list("version", "is_current")),
            [(1, False), (2, False), (3, True)],
        )
        v3 = sop_current()
        self.assertEqual(v3.steps.get(number=4).minutes, 30)
        self.assertEqual(len({v.workflow_id for v in SopVersion.objects.all()}), 3)

    def test_bad_file_after_version_2_keeps_version_2(self):
        """A refused file after a change leaves v2 current and v1 retired."""
        self.load()
        self.load(self.write(STEP_4_AT_45))
        before = snapshot()
        bad = edit_step(4, "waktu_menit = 45", "waktu_menit = 0", text=STEP_4_AT_45)
        with self.assertRaises(CommandError) as cm:
            self.load(self.write(bad, "bad.toml"))
        self.assertIn("langkah 4.waktu_menit: harus bilangan bulat positif, bukan 0", str(cm.exception))
        self.assertEqual(snapshot(), before)
        self.assertEqual(sop_current().version, 2)


class SopPageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_kabid_sees_the_current_sop(self):
        """The SOP page in the admin shows the ten activities, their times and the 330-minute total."""
        url = reverse("sop_current")
        self.assertEqual(url, "/admin/sop/")
        response = client_for(self.people["kabid"]).get(url)
        self.assertEqual(response.status_code, 200)
        page = text_of(response)
        version = self.people["version"]
        for step in version.steps.all():
            self.assertIn(step.activity, page)
            self.assertIn(f"{step.minutes} menit", page)
        self.assertIn("330 menit", page)
        self.assertIn("065/0812/ORG", page)
        self.assertIn("versi 1", page)
        self.assertIn("NIP. 197310261993021003", page)
        self.assertIn("Staf → Kasi", page)
        self.assertIn("Dapat dikembalikan ke langkah 3, 4, 5", page)
        self.assertEqual([s.number for s in response.context["steps"]], list(range(1, 11)))

    def test_page_follows_a_new_version(self):
        """After step 4 becomes 45 minutes the page shows version 2 and 345 minutes."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "sop.toml"
            path.write_text(STEP_4_AT_45, encoding="utf-8")
            call_command("load_sop", str(path), stdout=StringIO())
        response = client_for(self.people["kabid"]).get(reverse("sop_current"))
        page = text_of(response)
        self.assertEqual({s.number: s.minutes for s in response.context["steps"]}[4], 45)
        self.assertIn("versi 2", page)
        self.assertIn("345 menit", page)
        self.assertNotIn("330 menit", page)

    def test_anonymous_visitor_is_sent_to_login(self):
        """The SOP page is part of the admin: without logging in there is only a redirect to login."""
        response = self.client.get(reverse("sop_current"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])


class SopPageWithoutSopTest(TestCase):
    def test_page_says_no_sop_is_loaded(self):
        """Before any SOP is loaded the page says how to load one instead of failing."""
        admin = make_user("admin", is_staff=True, is_superuser=True)
        response = client_for(admin).get(reverse("sop_current"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Belum ada SOP yang dimuat", text_of(response))
