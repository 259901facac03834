"""Bring an item to any position of the SOP through the desk's services (fast, no HTTP), and take a
snapshot of everything an action could change, for the permission and return tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from wagtail.models import Revision, TaskState, WorkflowState

from desk import services
from desk.models import AgendaItem, Disposisi, Liputan, StepEvent
from lontar.testing import make_user
from notifications.models import Notification
from portal.models import BeritaPage
from portal.selectors import berita_index

# Every position an item passes, in order: steps 1 and 2 are the agenda, step 3 has the Staf's
# phase (writing) and the Kasi's phase (checking).
POSITIONS = [(1, 0), (2, 0), (3, 0), (3, 1), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0), (9, 0), (10, 0)]

# Who completes the step at each page position after (3, 0), and with what.
_CHAIN = {
    (3, 1): ("kasi", "forward"),
    (4, 0): ("kabid", "forward"),
    (5, 0): ("sekdis", "forward"),
    (6, 0): ("kadis", "forward"),
    (7, 0): ("sekdis", "forward"),
    (8, 0): ("kabid", "forward"),
    (9, 0): ("kasi", "assign"),
}


@dataclass
class Item:
    agenda: AgendaItem
    liputan: Liputan | None = None

    @property
    def page(self):
        if self.liputan is None:
            return None
        self.liputan.refresh_from_db()
        return self.liputan.page.specific if self.liputan.page_id else None

    def refresh(self) -> Item:
        self.agenda.refresh_from_db()
        if self.liputan is not None:
            self.liputan.refresh_from_db()
        return self


def build_item(people, *, step: int, phase: int = 0, topic: str = "Pameran UMKM di Gedung Mario", writer=None) -> Item:
    """A fresh item standing at ``(step, phase)``, carried there by the named people of
    ``build_world()`` (the Kasi plans and disposes to ``writer``, the Staf writes and reports, each
    official forwards, the Kasi assigns the second Staf as uploader)."""
    kasi, writer = people["kasi"], writer or people["staf"]
    agenda = services.agenda_create(
        user=kasi, topic=topic, kind=AgendaItem.Kind.BERITA, planned_date=timezone.localdate(),
        place="Gedung Mario, Tabanan", notes="Liput pembukaan pameran.",
    )
    item = Item(agenda=agenda)
    if step == 1:
        return item.refresh()
    services.agenda_plan(agenda=agenda, user=kasi)
    if step == 2:
        return item.refresh()
    services.disposisi_send(
        agenda=agenda, user=kasi, recipients=[writer], instruction="Liput pembukaan pameran dan foto.",
        sifat="segera", batas_waktu=timezone.now() + dt.timedelta(hours=3),
    )
    item.liputan = Liputan.objects.get(agenda=agenda, writer=writer)
    page = services.liputan_page_create(liputan=item.liputan, user=writer, parent=berita_index(), page_class=BeritaPage)
    page.summary = "Pameran UMKM dibuka di Gedung Mario."
    page.body = "<p>Sebanyak 40 pelaku UMKM memamerkan produknya.</p>"
    page.save_revision(user=writer)
    if (step, phase) == (3, 0):
        return item.refresh()
    services.liputan_submit(liputan=item.liputan, user=writer)
    for position, (who, action) in _CHAIN.items():
        if position == (step, phase):
            break
        extra = {"uploader": people["staf2"]} if action == "assign" else {}
        services.liputan_act(liputan=item.liputan, user=people[who], action=action, **extra)
    item.refresh()
    assert (item.liputan.step, item.liputan.phase) == (step, phase), (item.liputan.step, item.liputan.phase)
    return item


def make_no_role_user(username: str = "tamu"):
    """Someone who may open the Wagtail admin but plays no part in the SOP."""
    user = make_user(username, first_name="Tamu", last_name="Admin")
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return user


def snapshot() -> dict:
    """Everything an action on the desk could change, across the whole database."""
    return {
        "agendas": list(AgendaItem.objects.order_by("pk").values_list("pk", "status", "topic", "step_started_at")),
        "disposisi": Disposisi.objects.count(),
        "liputan": list(
            Liputan.objects.order_by("pk").values_list(
                "pk", "step", "phase", "holder_id", "status", "uploader_id", "emergency_published", "step_started_at"
            )
        ),
        "step_events": StepEvent.objects.count(),
        "task_states": list(TaskState.objects.order_by("pk").values_list("pk", "status")),
        "workflow_states": list(WorkflowState.objects.order_by("pk").values_list("pk", "status")),
        "pages": list(BeritaPage.objects.order_by("pk").values_list("pk", "live", "live_revision_id", "has_unpublished_changes")),
        "revisions": Revision.objects.count(),
        "notifications": Notification.objects.count(),
    }


class rolled_back:
    """Run a block inside a savepoint that is always rolled back, so each case of a matrix starts
    from the same freshly built state. Exceptions (failed assertions) pass through."""

    def __enter__(self):
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        transaction.set_rollback(True)
        self._atomic.__exit__(exc_type, exc, tb)
        return False
