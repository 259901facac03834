"""Wagtail's own screens and the model itself cannot be used to get around the SOP; emergency
publication is the one way outside the chain, for the site administrator, with a written reason."""

import re

from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Revision, TaskState, WorkflowState

from desk import services
from desk.models import Liputan, StepEvent, sop_publish_authorised
from desk.tests.helpers import client_for, page_form_data, text_of
from desk.tests.sop_driver import build_item, make_no_role_user, rolled_back, snapshot
from desk.wagtail_hooks import FORBIDDEN_EDITOR_ACTIONS
from lontar.testing import build_world, make_user
from notifications.models import Notification
from portal.models import BeritaPage

REASON = "Peringatan dini banjir harus segera diumumkan kepada warga."
GUARD_MESSAGE = "Naskah SOP hanya terbit melalui langkah terakhir SOP atau terbit darurat."


def refusal_message(response) -> str:
    found = re.search(r'<div class="desk-refused" role="alert"> <h2>[^<]*</h2> <p>([^<]*)</p>', text_of(response))
    return found.group(1).strip() if found else ""


class EditorGuardTest(TestCase):
    """The page editor: only the holder of a step that may change the text edits, and no editor
    button moves the item outside the SOP."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def edit_url(self, page):
        return reverse("wagtailadmin_pages:edit", args=[page.pk])

    def test_superuser_cannot_publish_from_the_editor(self):
        item = build_item(self.people, step=4)
        page = item.page
        before = snapshot()
        response = client_for(self.people["admin"]).post(self.edit_url(page), page_form_data(page, action="action-publish"))
        self.assertEqual(response.status_code, 403)
        self.assertIn("hanya terbit melalui langkah SOP", refusal_message(response))
        self.assertEqual(snapshot(), before)
        self.assertFalse(BeritaPage.objects.get(pk=page.pk).live)
        self.assertTrue(WorkflowState.objects.active().for_instance(page).exists())

    def test_submitting_staf_cannot_cancel_the_workflow(self):
        item = build_item(self.people, step=3, phase=1)
        page = item.page
        workflow = WorkflowState.objects.active().for_instance(page).get()
        before = snapshot()
        response = client_for(self.people["staf"]).post(
            self.edit_url(page), page_form_data(page, action="action-cancel-workflow")
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(snapshot(), before)
        workflow.refresh_from_db()
        self.assertEqual(workflow.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertEqual(workflow.current_task_state.status, TaskState.STATUS_IN_PROGRESS)

    def test_even_the_holder_who_may_edit_gets_no_bypass_button(self):
        """The Kadis may correct the text at step 6, but publish, cancel, restart and unpublish
        are refused on the server, not only hidden."""
        item = build_item(self.people, step=6)
        page, kadis = item.page, client_for(self.people["kadis"])
        editor = text_of(kadis.get(self.edit_url(page)))
        for name in FORBIDDEN_EDITOR_ACTIONS:
            with self.subTest(name):
                self.assertNotIn(f'name="{name}"', editor)
                before = snapshot()
                response = kadis.post(self.edit_url(page), page_form_data(page, body="<p>Dikoreksi.</p>", action=name))
                self.assertEqual(response.status_code, 403)
                self.assertEqual(snapshot(), before)
        self.assertFalse(BeritaPage.objects.get(pk=page.pk).live)
        # A plain save of a correction is what the Kadis may do: a new revision, still not live.
        with rolled_back():
            revisions = Revision.objects.count()
            response = kadis.post(self.edit_url(page), page_form_data(page, body="<p>Dikoreksi.</p>"))
            self.assertEqual(response.status_code, 302)
            self.assertEqual(Revision.objects.count(), revisions + 1)
            self.assertFalse(BeritaPage.objects.get(pk=page.pk).live)

    def test_non_holder_is_sent_to_the_review_screen(self):
        p = self.people
        item = build_item(p, step=6)
        page, review = item.page, reverse("desk:review", args=[item.liputan.pk])
        # People Wagtail would let into the editor (the superuser, the Staf who owns the draft)
        # and the holder of a step that may not change the text read it on the desk instead.
        for who in ("admin", "staf"):
            with self.subTest(who):
                response = client_for(p[who]).get(self.edit_url(page))
                self.assertRedirects(response, review, fetch_redirect_response=False)
        step_4 = build_item(p, step=4, topic="Kabid membaca")
        response = client_for(p["kabid"]).get(self.edit_url(step_4.page))
        self.assertRedirects(response, reverse("desk:review", args=[step_4.liputan.pk]), fetch_redirect_response=False)
        # Officials with no right to the page at all are refused by Wagtail before the desk's hook
        # runs: its own "no permission" message and a redirect to the dashboard. No editor either way.
        for who in ("kabid", "sekdis", "kasi", "staf2"):
            with self.subTest(who):
                response = client_for(p[who]).get(self.edit_url(page))
                self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)
        # The holder who may correct the text gets the editor.
        self.assertEqual(client_for(p["kadis"]).get(self.edit_url(page)).status_code, 200)

    def test_non_holder_cannot_save_a_revision(self):
        item = build_item(self.people, step=6)
        page = item.page
        for who in ("admin", "staf", "sekdis"):
            with self.subTest(who):
                before = snapshot()
                response = client_for(self.people[who]).post(
                    self.edit_url(page), page_form_data(page, body="<p>Diubah diam-diam.</p>")
                )
                self.assertIn(response.status_code, (302, 403))
                if response.status_code == 302:  # Wagtail's own refusal
                    self.assertEqual(response["Location"], reverse("wagtailadmin_home"))
                self.assertEqual(snapshot(), before)


class ModelGuardTest(TestCase):
    """Whatever path asks a BeritaPage of the SOP to go live, the model refuses unless the desk
    publishes it (last step or emergency)."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_publishing_a_revision_directly_is_refused(self):
        item = build_item(self.people, step=6)
        page = item.page
        revision = page.save_revision(user=self.people["kadis"])
        attempts = {
            "no user": lambda: revision.publish(),
            "superuser": lambda: revision.publish(user=self.people["admin"]),
            "skip permission checks": lambda: revision.publish(user=self.people["kadis"], skip_permission_checks=True),
            "page.save(live=True)": lambda: _save_live(BeritaPage.objects.get(pk=page.pk)),
        }
        for name, attempt in attempts.items():
            with self.subTest(name):
                before = snapshot()
                with self.assertRaises(PermissionDenied) as raised:
                    attempt()
                self.assertEqual(str(raised.exception), GUARD_MESSAGE)
                self.assertEqual(snapshot(), before)
                self.assertFalse(BeritaPage.objects.get(pk=page.pk).live)

    def test_publishing_again_after_publication_is_refused(self):
        """A live item cannot get a new live revision outside the SOP either."""
        p = self.people
        item = build_item(p, step=10)
        services.liputan_act(liputan=item.liputan, user=p["staf2"], action="publish")
        page = item.page
        self.assertTrue(page.live)
        live_revision = page.live_revision_id
        revision = page.save_revision(user=p["admin"])
        with self.assertRaises(PermissionDenied):
            revision.publish(user=p["admin"])
        self.assertEqual(BeritaPage.objects.get(pk=page.pk).live_revision_id, live_revision)

    def test_the_sop_authorises_publication(self):
        item = build_item(self.people, step=6)
        revision = item.page.save_revision(user=self.people["kadis"])
        token = sop_publish_authorised.set(True)
        try:
            revision.publish(user=self.people["admin"])
        finally:
            sop_publish_authorised.reset(token)
        page = BeritaPage.objects.get(pk=item.page.pk)
        self.assertTrue(page.live)
        self.assertEqual(page.live_revision_id, revision.pk)
        self.assertFalse(sop_publish_authorised.get())


def _save_live(page):
    page.live = True
    page.save()


class EmergencyPublishTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def url(self, item):
        return reverse("desk:emergency_publish", args=[item.liputan.pk])

    def test_admin_publishes_in_an_emergency_with_a_reason(self):
        p = self.people
        item = build_item(p, step=5)
        liputan, page = item.liputan, item.page
        admin = client_for(p["admin"])
        workflow = WorkflowState.objects.active().for_instance(page).get()

        response = admin.get(self.url(item))
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="reason"', text_of(response))

        # A reason is required, at least 10 characters once trimmed.
        for reason in ("", "mendesak", "   pendek   "):
            with self.subTest(reason=reason):
                before = snapshot()
                response = admin.post(self.url(item), {"reason": reason})
                self.assertEqual(response.status_code, 200)
                self.assertIn("Tuliskan alasan terbit darurat (minimal 10 karakter).", text_of(response))
                self.assertEqual(snapshot(), before)

        events = StepEvent.objects.count()
        response = admin.post(self.url(item), {"reason": REASON})
        self.assertRedirects(response, reverse("desk:liputan", args=[liputan.pk]), fetch_redirect_response=False)

        liputan.refresh_from_db()
        self.assertEqual(liputan.status, Liputan.Status.PUBLISHED)
        self.assertTrue(liputan.emergency_published)
        self.assertIsNone(liputan.holder)
        page = BeritaPage.objects.get(pk=page.pk)
        self.assertTrue(page.live)
        self.assertEqual(page.live_revision_id, page.get_latest_revision().pk)
        workflow.refresh_from_db()
        self.assertEqual(workflow.status, WorkflowState.STATUS_CANCELLED)
        self.assertFalse(TaskState.objects.filter(workflow_state=workflow, status=TaskState.STATUS_IN_PROGRESS).exists())

        self.assertEqual(StepEvent.objects.count(), events + 1)
        event = StepEvent.objects.latest("id")
        self.assertEqual(
            (event.action, event.flagged, event.actor, event.comment, event.step, event.liputan_id),
            (StepEvent.Action.EMERGENCY_PUBLISH, True, p["admin"], REASON, 5, liputan.pk),
        )
        self.assertEqual(self.client.get(page.url).status_code, 200)
        self.assertTrue(
            Notification.objects.filter(recipient=p["staf"], kind=Notification.Kind.PUBLISHED).exists()
        )

        # The timeline marks it for everyone to see, with the reason.
        timeline = text_of(client_for(p["kadis"]).get(reverse("desk:liputan", args=[liputan.pk])))
        self.assertIn('<span class="desk-event__what">Terbit darurat</span>', timeline)
        self.assertIn('desk-badge--flag">Terbit darurat', timeline)
        self.assertIn("desk-event desk-event--flag", timeline)
        self.assertIn(REASON, timeline)

        # It cannot be published twice.
        before = snapshot()
        response = admin.post(self.url(item), {"reason": REASON})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(refusal_message(response), "Naskah ini sudah terbit.")
        self.assertEqual(snapshot(), before)

    def test_emergency_publish_before_the_report(self):
        """Even a draft the Staf has not reported can be published by the administrator."""
        item = build_item(self.people, step=3, phase=0)
        response = client_for(self.people["admin"]).post(self.url(item), {"reason": REASON})
        self.assertEqual(response.status_code, 302)
        item.refresh()
        self.assertTrue(item.liputan.emergency_published)
        self.assertTrue(item.page.live)

    def test_others_cannot_reach_the_emergency_page(self):
        p = self.people
        item = build_item(p, step=5)
        for who in ("kasi", "staf", "kabid", "sekdis", "kadis"):
            client = client_for(p[who])
            with self.subTest(who):
                before = snapshot()
                response = client.get(self.url(item))
                self.assertEqual(response.status_code, 403)
                self.assertEqual(refusal_message(response), "Hanya administrator situs yang dapat menerbitkan darurat.")
                response = client.post(self.url(item), {"reason": REASON})
                self.assertEqual(response.status_code, 403)
                self.assertEqual(snapshot(), before)
        # The desk does not offer the button to them either.
        detail = text_of(client_for(p["kasi"]).get(reverse("desk:liputan", args=[item.liputan.pk])))
        self.assertNotIn(self.url(item), detail)
        detail = text_of(client_for(p["admin"]).get(reverse("desk:liputan", args=[item.liputan.pk])))
        self.assertIn(self.url(item), detail)


class DeskAccessTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.tamu = make_no_role_user()
        cls.outsider = make_user("warga")  # may not even open the admin

    def test_desk_pages_refuse_a_user_with_no_role(self):
        item = build_item(self.people, step=4)
        client = client_for(self.tamu)
        pages = {
            "agenda list": reverse("desk:agenda_list"),
            "liputan list": reverse("desk:liputan_list"),
            "liputan detail": reverse("desk:liputan", args=[item.liputan.pk]),
            "review": reverse("desk:review", args=[item.liputan.pk]),
        }
        for name, url in pages.items():
            with self.subTest(name):
                response = client.get(url)
                self.assertEqual(response.status_code, 403)
                self.assertEqual(refusal_message(response), "Halaman ini hanya untuk pelaksana SOP.")
                self.assertNotIn(item.liputan.title, text_of(response))
        # The same pages open for someone with a role.
        kabid = client_for(self.people["kabid"])
        for name, url in pages.items():
            with self.subTest(name, who="kabid"):
                self.assertEqual(kabid.get(url).status_code, 200)

    def test_desk_pages_send_someone_without_admin_access_to_the_login(self):
        item = build_item(self.people, step=4)
        client = client_for(self.outsider)
        for url in (reverse("desk:agenda_list"), reverse("desk:liputan", args=[item.liputan.pk])):
            with self.subTest(url):
                response = client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("wagtailadmin_login")))
