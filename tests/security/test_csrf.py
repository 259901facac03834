"""Cross-site request forgery: every state-changing request of the desk, the admin and the public
form, sent without the CSRF token (as a page on another site would send it from an official's
browser), is refused with 403 and an Indonesian page, and changes nothing.

Django's test client skips CSRF checks unless ``enforce_csrf_checks=True``; these clients enforce
them, with a signed-in session (``force_login``), like a browser that has the session cookie."""

import re

from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.models import ActingAppointment
from desk.tests import sop_driver as D
from desk.tests.helpers import page_form_data, text_of
from desk.tests.sop_driver import build_item
from lontar.testing import build_world
from ppid.models import PermohonanInformasi
from ppid.services import permohonan_create, ppid_group_sync
from ppid.tests.utils import VALID
from tests.security.support import unchanged


def browser_of(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


class CsrfTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        ppid_group_sync()
        cls.step3 = build_item(p, step=3, topic="Naskah staf")
        cls.step4 = build_item(p, step=4, topic="Naskah kabid")
        cls.draft_agenda = D.agenda_draft(p["kasi"], topic="Rencana")
        cls.planned_agenda = D.agenda_planned(p["kasi"], topic="Rencana tetap")
        data = {k: v for k, v in VALID.items() if k != "situs_web"}
        data["telepon"] = "081239876543"
        cls.permohonan = permohonan_create(**data)

    def forged_requests(self):
        p = self.people
        deadline = (timezone.localtime() + timezone.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
        ts = self.step4.page.current_workflow_state.current_task_state_id
        today = timezone.localdate().isoformat()
        return [
            (
                "kabid",
                reverse("desk:act", args=[self.step4.liputan.pk]),
                {"action": "forward", "task_state_id": ts, "comment": ""},
            ),
            (
                "kabid",
                reverse("wagtailadmin_pages:workflow_action", args=[self.step4.page.pk, "forward", ts]),
                {"comment": ""},
            ),
            ("staf", reverse("desk:submit", args=[self.step3.liputan.pk]), {}),
            (
                "staf",
                reverse("wagtailadmin_pages:edit", args=[self.step3.page.pk]),
                page_form_data(self.step3.page, title="Diubah lewat CSRF"),
            ),
            (
                "kasi",
                reverse("desk:agenda_create"),
                {"topic": "Rencana palsu", "kind": "berita", "planned_date": today, "plan": "1"},
            ),
            (
                "kasi",
                reverse("desk:agenda_edit", args=[self.draft_agenda.pk]),
                {"topic": "Diubah", "kind": "berita", "planned_date": today, "plan": "1"},
            ),
            (
                "kasi",
                reverse("desk:disposisi_create", args=[self.planned_agenda.pk]),
                {"recipients": [p["staf2"].pk], "instruction": "Liput.", "sifat": "biasa", "batas_waktu": deadline},
            ),
            (
                "admin",
                reverse("desk:emergency_publish", args=[self.step4.liputan.pk]),
                {"reason": "Alasan darurat yang dipalsukan."},
            ),
            ("kasi", reverse("notifications:mark_read"), {}),
            ("kasi", reverse("notifications:preferences"), {"email": "", "webhook": ""}),
            (
                "admin",
                reverse("accounts:acting_create"),
                {
                    "role": "kabid",
                    "absent": p["kabid"].pk,
                    "acting": p["kasi"].pk,
                    "kind": "plh",
                    "start_date": today,
                    "end_date": today,
                    "reason": "cuti",
                    "note": "",
                },
            ),
            (
                "admin",
                reverse("wagtailusers_users:add"),
                {
                    "username": "penyusup",
                    "email": "x@contoh.id",
                    "first_name": "X",
                    "last_name": "Y",
                    "password1": "Sandi-panjang-2026!",
                    "password2": "Sandi-panjang-2026!",
                    "is_superuser": "on",
                },
            ),
            ("admin", f"/admin/ppid/permohonan/edit/{self.permohonan.pk}/", {"status": "ditolak", "catatan": "x"}),
            ("admin", f"/admin/api/main/pages/{self.step3.page.get_parent().pk}/action/unpublish/", {}),
        ]

    def test_state_changing_requests_without_a_token_are_refused(self):
        for who, url, data in self.forged_requests():
            with self.subTest(who=who, url=url), unchanged(self):
                response = browser_of(self.people[who]).post(url, data)
                self.assertEqual(response.status_code, 403, url)
                if not url.startswith("/admin/api/"):
                    self.assertIn("Permintaan ditolak (pemeriksaan keamanan CSRF)", text_of(response))
        self.assertFalse(ActingAppointment.objects.exists())

    def test_a_token_from_another_session_is_refused(self):
        """The attacker's own valid token, planted in the victim's request."""
        attacker = Client(enforce_csrf_checks=True)
        attacker.force_login(self.people["staf2"])
        page = attacker.get(reverse("notifications:preferences")).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        victim = browser_of(self.people["kabid"])
        ts = self.step4.page.current_workflow_state.current_task_state_id
        with unchanged(self):
            response = victim.post(
                reverse("desk:act", args=[self.step4.liputan.pk]),
                {"action": "forward", "task_state_id": ts, "comment": "", "csrfmiddlewaretoken": token},
            )
            self.assertEqual(response.status_code, 403)

    def test_the_public_form_needs_its_token(self):
        with unchanged(self):
            response = Client(enforce_csrf_checks=True).post("/ppid/permohonan/", VALID)
            self.assertEqual(response.status_code, 403)
            self.assertIn("Permintaan ditolak", text_of(response))
        self.assertEqual(PermohonanInformasi.objects.count(), 1)

    def test_with_the_token_the_same_request_goes_through(self):
        """The refusals above are CSRF's: the Kabid's own page gives the token that works."""
        client = browser_of(self.people["kabid"])
        review = client.get(reverse("desk:review", args=[self.step4.liputan.pk])).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', review).group(1)
        ts = self.step4.page.current_workflow_state.current_task_state_id
        response = client.post(
            reverse("desk:act", args=[self.step4.liputan.pk]),
            {"action": "forward", "task_state_id": ts, "comment": "", "csrfmiddlewaretoken": token},
        )
        self.assertEqual(response.status_code, 302)
