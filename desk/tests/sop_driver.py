"""Carrying items through the SOP with the desk's own services (fast, no HTTP), as
``lontar.demo`` does, and a snapshot of everything an action could change, for the permission and
return tests.

Nothing here publishes a page directly: every item goes live only at step 10 through
``desk.services.liputan_act``, so the record, the workflow and the notices are the real ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, Revision, TaskState, WorkflowState

from desk import services
from desk.models import AgendaItem, Disposisi, Liputan, StepEvent
from lontar.testing import make_user
from notifications.models import Notification
from portal.models import BeritaPage, BeritaPageImage
from portal.selectors import berita_index

# Every position an item passes, in order: steps 1 and 2 are the agenda, step 3 has the Staf's
# phase (writing) and the Kasi's phase (checking).
POSITIONS = [(1, 0), (2, 0), (3, 0), (3, 1), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0), (9, 0), (10, 0)]


def make_image(title: str = "Foto uji", *, colour: str = "white") -> Image:
    return Image.objects.create(title=title, file=get_test_image_file(filename=f"{title[:40] or 'foto'}.png", colour=colour))


def agenda_draft(kasi, *, topic: str, kind: str = AgendaItem.Kind.BERITA) -> AgendaItem:
    """Step 1 open: a plan the Kasi has not yet set."""
    return services.agenda_create(user=kasi, topic=topic, kind=kind, planned_date=timezone.localdate())


def agenda_planned(kasi, *, topic: str, kind: str = AgendaItem.Kind.BERITA) -> AgendaItem:
    """Step 2 open: a plan set, waiting for its disposisi."""
    return services.agenda_create(user=kasi, topic=topic, kind=kind, planned_date=timezone.localdate(), plan=True)


def dispose(agenda: AgendaItem, kasi, writer, *, instruction: str = "") -> Liputan:
    """Step 2 done: the Kasi disposes the planned agenda to ``writer``, who holds it at step 3."""
    services.disposisi_send(
        agenda=agenda,
        user=kasi,
        recipients=[writer],
        instruction=instruction or f"Liput dan siapkan berita: {agenda.topic}.",
        sifat="segera",
        batas_waktu=timezone.now() + dt.timedelta(hours=3),
    )
    return Liputan.objects.get(agenda=agenda, writer=writer)


def start_item(people, *, topic: str, staf: str = "staf", kind: str = AgendaItem.Kind.BERITA, **agenda) -> Liputan:
    """Steps 1 and 2 done by the Kasi: the chosen Staf holds the item at step 3. ``agenda`` sets
    more of the plan (``place``, ``perangkat_daerah``, ``planned_date``, ``notes``)."""
    kasi = people["kasi"]
    agenda.setdefault("planned_date", timezone.localdate())
    planned = services.agenda_create(user=kasi, topic=topic, kind=kind, plan=True, **agenda)
    return dispose(planned, kasi, people[staf])


def write(
    liputan: Liputan,
    *,
    title: str | None = None,
    summary: str = "",
    body: str = "<p>Isi berita.</p>",
    category=None,
    source: str = "",
    image: Image | None = None,
    caption: str = "",
    credit: str = "",
    tags: tuple[str, ...] = (),
) -> BeritaPage:
    """The writer drafts (or redrafts) the text: a new revision of the item's page."""
    liputan.refresh_from_db()
    page = services.liputan_page_create(
        liputan=liputan, user=liputan.writer, parent=berita_index(), page_class=BeritaPage
    )
    page.title = title or liputan.agenda.topic
    page.summary, page.body, page.category, page.source = summary, body, category, source
    if image is not None:
        page.images = [BeritaPageImage(image=image, caption=caption, credit=credit)]
    if tags:
        page.tags.set(list(tags))
    page.save_revision(user=liputan.writer)
    return page


def act(liputan: Liputan, action: str = "forward", **kwargs) -> Liputan:
    """The current holder takes ``action``."""
    liputan.refresh_from_db()
    return services.liputan_act(liputan=liputan, user=liputan.holder, action=action, **kwargs)


def advance(liputan: Liputan, people, *, to_step: int, to_phase: int = 0, uploader: str = "staf2") -> Liputan:
    """Take the item forward, each step by its holder, until it stands at (to_step, to_phase)."""
    liputan.refresh_from_db()
    while liputan.status == Liputan.Status.ACTIVE and (liputan.step, liputan.phase) != (to_step, to_phase):
        if (liputan.step, liputan.phase) == (3, 0):
            if not liputan.page_id:
                write(liputan)
            services.liputan_submit(liputan=liputan, user=liputan.holder)
        elif liputan.step == 9:
            act(liputan, "assign", uploader=people[uploader])
        elif liputan.step == 10:
            act(liputan, "publish")
        else:
            act(liputan, "forward")
        liputan.refresh_from_db()
    if (liputan.step, liputan.phase) != (to_step, to_phase):
        raise AssertionError(f"{liputan} stopped at {liputan.step}.{liputan.phase}, not {to_step}.{to_phase}")
    return liputan


def publish(liputan: Liputan, people, *, uploader: str = "staf2") -> BeritaPage:
    """Carry the item through every remaining step; the uploader publishes at step 10."""
    liputan.refresh_from_db()
    advance(liputan, people, to_step=10, uploader=uploader)
    act(liputan, "publish")
    liputan.refresh_from_db()
    assert liputan.status == Liputan.Status.PUBLISHED, liputan.status
    return Page.objects.get(pk=liputan.page_id).specific


def draft(liputan: Liputan, **fields):
    """The writer creates the page of the item's kind (desk.content_types) with ``fields`` set."""
    liputan.refresh_from_db()
    page = services.liputan_page_create(liputan=liputan, user=liputan.writer)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision(user=liputan.writer)
    return page


def publish_kind(people, *, kind: str, topic: str, staf: str = "staf", uploader: str = "staf2", **fields):
    """One item of any kind from the Kasi's plan to the public site, through all ten steps."""
    liputan = start_item(people, topic=topic, staf=staf, kind=kind)
    draft(liputan, **fields)
    return publish(liputan, people, uploader=uploader)


def publish_berita(people, *, topic: str, staf: str = "staf", uploader: str = "staf2", **page_fields) -> BeritaPage:
    """One berita from the Kasi's plan to the public site, through all ten steps."""
    liputan = start_item(people, topic=topic, staf=staf)
    write(liputan, **page_fields)
    return publish(liputan, people, uploader=uploader)


# --- any position, for the permission matrix, the guards and the returns -------------------------


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
    item.liputan = dispose(agenda, kasi, writer, instruction="Liput pembukaan pameran dan foto.")
    write(
        item.liputan,
        summary="Pameran UMKM dibuka di Gedung Mario.",
        body="<p>Sebanyak 40 pelaku UMKM memamerkan produknya.</p>",
    )
    advance(item.liputan, people, to_step=step, to_phase=phase)
    return item.refresh()


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
