"""A demo data set for development: carried through every step of the SOP by the desk's own
services, as ``lontar.demo`` does for berita, so its record, workflow and notices are real.

The figures are plausible, not official: the description says so.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model

from desk import services
from desk.models import AgendaItem, Liputan, PerangkatDaerah
from sop import rules

TOPIC = "Produksi padi per kecamatan 2025"
FILENAME = "produksi-padi-per-kecamatan-2025.csv"

# Kecamatan, luas panen (ha), produktivitas (kuintal/ha): the ten kecamatan of Tabanan, Penebel
# (Jatiluwih) the largest rice area, Baturiti (highland horticulture) the smallest.
_HARVEST = [
    ("Selemadeg", 2415, 59.8),
    ("Selemadeg Timur", 3890, 61.4),
    ("Selemadeg Barat", 2730, 58.6),
    ("Kerambitan", 4320, 62.1),
    ("Tabanan", 3105, 60.7),
    ("Kediri", 4580, 63.0),
    ("Marga", 4210, 61.9),
    ("Baturiti", 1120, 55.3),
    ("Penebel", 7380, 62.8),
    ("Pupuan", 2190, 57.2),
]


def demo_csv() -> bytes:
    lines = ["Kecamatan,Produksi (ton GKG),Luas panen (ha),Produktivitas (ku/ha)"]
    for kecamatan, hectares, yield_ in _HARVEST:
        lines.append(f"{kecamatan},{round(hectares * yield_ / 10)},{hectares},{yield_}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _carry_through(liputan: Liputan, *, uploader) -> None:
    """Each holder in turn takes the step's completing action until step 10 publishes."""
    defn = liputan.sop_version.definition()
    for _ in range(4 * len(defn.steps)):
        liputan.refresh_from_db()
        if liputan.status == Liputan.Status.PUBLISHED:
            return
        action = rules.allowed_actions(defn, liputan.position, rules.actor_at(defn, liputan.position))[0]
        if action == rules.Action.SUBMIT:
            services.liputan_submit(liputan=liputan, user=liputan.holder)
        elif action == rules.Action.ASSIGN:
            services.liputan_act(liputan=liputan, user=liputan.holder, action=action, uploader=uploader)
        else:
            services.liputan_act(liputan=liputan, user=liputan.holder, action=action)
    raise RuntimeError(f"{liputan} was not published")


@transaction.atomic
def demo_items(people) -> None:
    """Idempotent: one published data set, "Produksi padi per kecamatan 2025" (Dinas Pertanian)."""
    if AgendaItem.objects.filter(topic=TOPIC, kind=AgendaItem.Kind.DATA).exists():
        return
    kasi = people["kasi"]
    writer = people.get("staf1") or people["staf"]
    uploader = people.get("staf2") or writer
    distan, _created = PerangkatDaerah.objects.get_or_create(
        name="Dinas Pertanian", defaults={"short_name": "Distan"}
    )
    agenda = services.agenda_create(
        user=kasi,
        topic=TOPIC,
        kind=AgendaItem.Kind.DATA,
        planned_date=timezone.localdate(),
        perangkat_daerah=distan,
        plan=True,
    )
    services.disposisi_send(
        agenda=agenda,
        user=kasi,
        recipients=[writer],
        instruction="Minta data produksi padi 2025 per kecamatan dari Dinas Pertanian dan terbitkan sebagai data terbuka.",
        sifat="biasa",
        batas_waktu=timezone.now() + dt.timedelta(days=2),
    )
    liputan = Liputan.objects.get(agenda=agenda, writer=writer)
    document = get_document_model().objects.create(
        title="Produksi padi per kecamatan 2025 (CSV)",
        file=ContentFile(demo_csv(), name=FILENAME),
        uploaded_by_user=writer,
    )
    page = services.liputan_page_create(liputan=liputan, user=writer)
    page.title = "Produksi Padi per Kecamatan di Kabupaten Tabanan 2025"
    page.deskripsi = (
        "Luas panen, produktivitas dan produksi padi (gabah kering giling) di sepuluh kecamatan "
        "Kabupaten Tabanan selama 2025. Angka contoh untuk demonstrasi Lontar, bukan data resmi."
    )
    page.produsen = distan
    page.periode = "2025"
    page.frekuensi = "tahunan"
    page.satuan = "ton GKG; hektare; kuintal per hektare"
    page.lisensi = "cc-by-4.0"
    page.tanggal_rilis = dt.date(2026, 1, 15)
    page.kata_kunci = "padi, pertanian, produksi, kecamatan"
    page.data_file = document
    page.save_revision(user=writer)
    _carry_through(liputan, uploader=uploader)
