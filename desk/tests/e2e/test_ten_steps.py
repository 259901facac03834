"""One berita through all ten steps of the SOP, over HTTP, as the five roles."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Revision

from desk.models import AgendaItem, Liputan, StepEvent
from desk.tests.helpers import act, client_for, current_task_state_id, page_form_data, text_of
from lontar.testing import build_world
from portal.models import BeritaPage

WITA = ZoneInfo("Asia/Makassar")
START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WITA)  # a Monday morning


def at(minutes: int):
    return time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False)


class TenStepsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_one_item_through_all_ten_steps(self):
        p = self.people
        kasi, staf, staf2 = client_for(p["kasi"]), client_for(p["staf"]), client_for(p["staf2"])
        kabid, sekdis, kadis = client_for(p["kabid"]), client_for(p["sekdis"]), client_for(p["kadis"])

        # Step 1 — the Kasi drafts the plan at 08:00 and sets it at 08:07.
        with at(0):
            r = kasi.post(
                reverse("desk:agenda_create"),
                {"topic": "Panen raya padi Subak Jatiluwih", "kind": "berita", "planned_date": "2026-11-24",
                 "place": "Jatiluwih, Penebel", "notes": "Liput bersama Dinas Pertanian", "save": "1"},
            )
            self.assertEqual(r.status_code, 302)
        agenda = AgendaItem.objects.get()
        self.assertEqual(agenda.status, AgendaItem.Status.DRAFT)
        with at(7):
            r = kasi.post(
                reverse("desk:agenda_edit", args=[agenda.pk]),
                {"topic": agenda.topic, "kind": "berita", "planned_date": "2026-11-24",
                 "place": agenda.place, "notes": agenda.notes, "plan": "1"},
            )
            self.assertRedirects(r, reverse("desk:disposisi_create", args=[agenda.pk]), fetch_redirect_response=False)

        # Step 2 — disposisi to one Staf at 08:15.
        with at(15):
            r = kasi.post(
                reverse("desk:disposisi_create", args=[agenda.pk]),
                {"recipients": [p["staf"].pk], "instruction": "Liput dan foto panen raya.",
                 "sifat": "segera", "batas_waktu": "2026-11-23T15:00", "catatan": ""},
            )
            self.assertEqual(r.status_code, 302, text_of(r)[:2000])
        liputan = Liputan.objects.get()
        self.assertEqual((liputan.step, liputan.phase, liputan.holder), (3, 0, p["staf"]))

        # The Staf sees it in Tugas saya.
        with at(20):
            self.assertIn("Panen raya padi Subak Jatiluwih", text_of(staf.get(reverse("desk:inbox"))))

        # Step 3 — the Staf writes in the Wagtail editor and reports to the Kasi (10:30).
        with at(30):
            r = staf.post(reverse("desk:write", args=[liputan.pk]))
            liputan.refresh_from_db()
            page = liputan.page.specific
            self.assertRedirects(r, reverse("wagtailadmin_pages:edit", args=[page.pk]), fetch_redirect_response=False)
        with at(150):
            r = staf.post(
                reverse("wagtailadmin_pages:edit", args=[page.pk]),
                page_form_data(page, summary="Petani Subak Jatiluwih memulai panen raya.",
                               body="<p>Panen raya dimulai pagi ini dengan upacara mesaba.</p>",
                               source="Dinas Pertanian", action="action-submit"),
            )
            self.assertEqual(r.status_code, 302, text_of(r)[:3000])
        liputan.refresh_from_db()
        self.assertEqual((liputan.step, liputan.phase, liputan.holder), (3, 1, p["kasi"]))

        # The Kasi checks and reports to the Kabid at 10:55 (step 3 took 160 of 180 minutes).
        with at(175):
            self.assertEqual(act(kasi, liputan, "forward", comment="Sudah sesuai.").status_code, 302)
        liputan.refresh_from_db()
        self.assertEqual((liputan.step, liputan.holder), (4, p["kabid"]))

        # Steps 4 and 5 on the phone review screen.
        with at(200):
            self.assertEqual(kabid.get(reverse("desk:review", args=[liputan.pk])).status_code, 200)
            self.assertEqual(act(kabid, liputan, "forward").status_code, 302)
        with at(245):  # 45 minutes: over the 30-minute standard
            self.assertEqual(act(sekdis, liputan, "forward").status_code, 302)
        liputan.refresh_from_db()
        self.assertEqual((liputan.step, liputan.holder), (6, p["kadis"]))

        # Step 6 — the Kadis corrects the text in the editor (a new revision) and approves through
        # Wagtail's own workflow action, which goes through the same service.
        with at(255):
            r = kadis.post(
                reverse("wagtailadmin_pages:edit", args=[page.pk]),
                page_form_data(page, summary="Petani Subak Jatiluwih memulai panen raya.",
                               body="<p>Panen raya Subak Jatiluwih dimulai pagi ini dengan upacara mesaba.</p>",
                               source="Dinas Pertanian"),
            )
            self.assertEqual(r.status_code, 302, text_of(r)[:3000])
            r = kadis.post(
                reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "forward", current_task_state_id(liputan)]),
                {"comment": "Dikoreksi, silakan unggah."},
            )
            self.assertEqual(r.status_code, 302)
        liputan.refresh_from_db()
        self.assertEqual((liputan.step, liputan.holder), (7, p["sekdis"]))

        # Steps 7–9: hand-down; the Kasi chooses the second Staf to upload.
        with at(262):
            act(sekdis, liputan, "forward")
        with at(270):
            act(kabid, liputan, "forward")
        with at(278):
            self.assertEqual(act(kasi, liputan, "assign", uploader=p["staf2"].pk).status_code, 302)
        liputan.refresh_from_db()
        self.assertEqual((liputan.step, liputan.holder), (10, p["staf2"]))
        self.assertFalse(BeritaPage.objects.get(pk=page.pk).live)

        # Step 10 — the chosen Staf publishes.
        with at(285):
            self.assertEqual(act(staf2, liputan, "publish").status_code, 302)
        liputan.refresh_from_db()
        page.refresh_from_db()
        self.assertEqual(liputan.status, Liputan.Status.PUBLISHED)
        self.assertTrue(page.live)

        # The public page shows the Kadis's corrected text.
        public = self.client.get(page.url)
        self.assertEqual(public.status_code, 200)
        self.assertIn("Panen raya Subak Jatiluwih dimulai pagi ini", text_of(public))
        self.assertIn("Panen raya padi Subak Jatiluwih", text_of(self.client.get("/")))

        # The record: every step, its actor and its duration against the standard, to the minute.
        completed = {
            e.step: (e.action, e.actor.username, e.elapsed_minutes, e.on_time)
            for e in StepEvent.objects.exclude(action="submit").select_related("actor")
        }
        self.assertEqual(
            completed,
            {
                1: ("plan", "kasi", 7, True),
                2: ("dispose", "kasi", 8, True),
                3: ("forward", "kasi", 160, True),
                4: ("forward", "kabid", 25, True),
                5: ("forward", "sekdis", 45, False),
                6: ("forward", "kadis", 10, True),
                7: ("forward", "sekdis", 7, True),
                8: ("forward", "kabid", 8, True),
                9: ("assign", "kasi", 8, True),
                10: ("publish", "staf2", 7, True),
            },
        )
        submit = StepEvent.objects.get(action="submit")
        self.assertEqual((submit.step, submit.actor, submit.elapsed_minutes), (3, p["staf"], None))

        # Everyone after the Kadis can see what the Kadis changed.
        kadis_event = StepEvent.objects.get(step=6)
        sekdis_event = StepEvent.objects.get(step=5)
        self.assertNotEqual(kadis_event.revision_id, sekdis_event.revision_id)
        self.assertEqual(Revision.objects.get(pk=kadis_event.revision_id).user, p["kadis"])
        r = staf2.get(reverse("desk:compare", args=[liputan.pk, sekdis_event.revision_id, kadis_event.revision_id]))
        self.assertEqual(r.status_code, 200)
        self.assertIn('Panen raya <span class="addition">Subak Jatiluwih </span>dimulai', text_of(r))

        # The timeline shows the ten steps with on-time / late.
        with at(300):
            timeline = text_of(kabid.get(reverse("desk:liputan", args=[liputan.pk])))
        self.assertIn("45 / 30 menit · terlambat", timeline)
        self.assertIn("160 / 180 menit · tepat waktu", timeline)
        self.assertIn("Dikoreksi, silakan unggah.", timeline)
