"""Builders for the potensi tests. Every item goes live the only way Lontar allows: through the
ten steps of the SOP (``desk.tests.sop_driver``)."""

import re
from decimal import Decimal

from desk.models import Liputan
from desk.tests import sop_driver as D
from potensi.models import PotensiGalleryImage

KIND = "potensi_daerah"
COLOURS = ("red", "green", "blue", "yellow", "purple", "orange")


def gallery(title: str, n: int = 2) -> list[PotensiGalleryImage]:
    return [
        PotensiGalleryImage(
            image=D.make_image(f"{title} {i}", colour=COLOURS[i % len(COLOURS)]),
            caption=f"{title}, foto {i}",
            credit="Diskominfo Tabanan",
        )
        for i in range(1, n + 1)
    ]


def potensi_fields(topic: str, **overrides) -> dict:
    fields = {
        "title": topic,
        "sektor": "pariwisata",
        "summary": f"Ringkasan {topic}.",
        "body": f"<p>Uraian {topic}.</p>",
        "kecamatan": "kediri",
        "desa": "Beraban",
        "latitude": Decimal("-8.621200"),
        "longitude": Decimal("115.086800"),
    }
    fields.update(overrides)
    return fields


def publish_potensi(people, topic: str, *, photos: int = 0, **overrides):
    """A potensi from the Kasi's plan to the public site, through all ten steps. Its title is the
    topic unless given; its photos are captioned "<topic>, foto <n>"."""
    fields = potensi_fields(topic, **overrides)
    if photos:
        fields["images"] = gallery(topic, photos)
    return D.publish_kind(people, kind=KIND, topic=topic, **fields)


def potensi_on_desk(people, topic: str, *, to_step: int, to_phase: int = 0, **overrides) -> Liputan:
    """A potensi written by the Staf and taken to (to_step, to_phase): not public."""
    liputan = D.start_item(people, topic=topic, kind=KIND)
    D.draft(liputan, **potensi_fields(topic, **overrides))
    return D.advance(liputan, people, to_step=to_step, to_phase=to_phase)


def card_titles(response) -> list[str]:
    """The titles of the cards on a listing page, in the order shown."""
    return re.findall(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a></h3>', response.content.decode())
