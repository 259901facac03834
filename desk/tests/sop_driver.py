"""Carrying items through the SOP with the desk's own services, as ``lontar.demo`` does.

Nothing here publishes a page directly: every item goes live only at step 10 through
``desk.services.liputan_act``, so the record, the workflow and the notices are the real ones.
"""

import datetime as dt

from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from desk import services
from desk.models import AgendaItem, Liputan
from portal.models import BeritaPage, BeritaPageImage
from portal.selectors import berita_index


def make_image(title: str = "Foto uji", *, colour: str = "white") -> Image:
    return Image.objects.create(title=title, file=get_test_image_file(filename=f"{title[:40] or 'foto'}.png", colour=colour))


def agenda_draft(kasi, *, topic: str, kind: str = AgendaItem.Kind.BERITA) -> AgendaItem:
    """Step 1 open: a plan the Kasi has not yet set."""
    return services.agenda_create(user=kasi, topic=topic, kind=kind, planned_date=timezone.localdate())


def agenda_planned(kasi, *, topic: str, kind: str = AgendaItem.Kind.BERITA) -> AgendaItem:
    """Step 2 open: a plan set, waiting for its disposisi."""
    return services.agenda_create(user=kasi, topic=topic, kind=kind, planned_date=timezone.localdate(), plan=True)


def start_item(people, *, topic: str, staf: str = "staf", kind: str = AgendaItem.Kind.BERITA) -> Liputan:
    """Steps 1 and 2 done by the Kasi: the chosen Staf holds the item at step 3."""
    kasi = people["kasi"]
    agenda = agenda_planned(kasi, topic=topic, kind=kind)
    services.disposisi_send(
        agenda=agenda,
        user=kasi,
        recipients=[people[staf]],
        instruction=f"Liput dan siapkan berita: {topic}.",
        sifat="segera",
        batas_waktu=timezone.now() + dt.timedelta(hours=3),
    )
    return Liputan.objects.get(agenda=agenda)


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
