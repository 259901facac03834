"""Demo entries of the Daftar Informasi Publik, one per kind of information that has a document
and one excluded, each carried through the ten SOP steps by the desk's own services (as
``lontar.demo`` does), so their record is real. Not wired into ``load_demo``; call
``demo_items(people)`` after ``lontar.demo.demo_people()`` (or with ``build_world()``'s people).
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model

from desk import services
from desk.models import AgendaItem, Liputan
from ppid.models import BentukInformasi, InformasiPublikPage, KategoriInformasi

ENTRIES = [
    {
        "topic": "Laporan keuangan Diskominfo tahun anggaran 2025",
        "kategori": KategoriInformasi.BERKALA,
        "ringkasan": "Laporan realisasi anggaran, neraca dan catatan atas laporan keuangan tahun anggaran 2025.",
        "pejabat_penguasa": "Sekretariat Dinas Komunikasi dan Informatika",
        "penanggung_jawab": "Sekretaris Dinas",
        "waktu_pembuatan": "Maret 2026",
        "tempat_pembuatan": "Tabanan",
        "bentuk": BentukInformasi.CETAK_ELEKTRONIK,
        "retensi": "10 tahun",
        "dokumen": ("Laporan keuangan 2025", "laporan-keuangan-2025.txt"),
    },
    {
        "topic": "Peringatan dini cuaca ekstrem dan banjir",
        "kategori": KategoriInformasi.SERTA_MERTA,
        "ringkasan": "Informasi peringatan dini cuaca ekstrem dan jalur evakuasi banjir di Kabupaten Tabanan.",
        "pejabat_penguasa": "Badan Penanggulangan Bencana Daerah",
        "penanggung_jawab": "Kepala Pelaksana BPBD",
        "waktu_pembuatan": "Setiap ada peringatan",
        "tempat_pembuatan": "Tabanan",
        "bentuk": BentukInformasi.ELEKTRONIK,
        "retensi": "Selama berlaku",
        "dokumen": ("Jalur evakuasi banjir", "jalur-evakuasi-banjir.txt"),
    },
    {
        "topic": "Data pribadi pemohon layanan kependudukan",
        "kategori": KategoriInformasi.DIKECUALIKAN,
        "ringkasan": "Nomor induk kependudukan, alamat dan data keluarga para pemohon layanan.",
        "pejabat_penguasa": "Dinas Kependudukan dan Pencatatan Sipil",
        "penanggung_jawab": "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        "waktu_pembuatan": "Setiap layanan",
        "tempat_pembuatan": "Tabanan",
        "bentuk": BentukInformasi.ELEKTRONIK,
        "retensi": "Sesuai jadwal retensi arsip",
        "alasan_pengecualian": (
            "Mengungkap rahasia pribadi (UU 14/2008 Pasal 17 huruf h); uji konsekuensi oleh PPID: "
            "membukanya merugikan pemilik data."
        ),
    },
]


def _person(people, *names):
    for name in names:
        if name in people:
            return people[name]
    raise KeyError(names[0])


def _document(title: str, filename: str):
    Document = get_document_model()
    content = f"{title}\n\nDokumen contoh untuk Daftar Informasi Publik Kabupaten Tabanan.\n".encode()
    return Document.objects.create(title=title, file=ContentFile(content, name=filename))


def _publish(liputan: Liputan, uploader) -> None:
    """Each holder in turn: the Staf reports, the officials forward, the Kasi assigns the uploader,
    who publishes at step 10."""
    services.liputan_submit(liputan=liputan, user=liputan.writer)
    liputan.refresh_from_db()
    while liputan.status == Liputan.Status.ACTIVE:
        if liputan.step == 9:
            services.liputan_act(liputan=liputan, user=liputan.holder, action="assign", uploader=uploader)
        elif liputan.step == 10:
            services.liputan_act(liputan=liputan, user=liputan.holder, action="publish")
        else:
            services.liputan_act(liputan=liputan, user=liputan.holder, action="forward")
        liputan.refresh_from_db()


@transaction.atomic
def demo_items(people) -> None:
    """Idempotent: publishes the three entries once (when the DIP has none yet)."""
    if InformasiPublikPage.objects.exists():
        return
    kasi = _person(people, "kasi")
    staf = _person(people, "staf1", "staf")
    uploader = _person(people, "staf2", "staf")
    for entry in ENTRIES:
        entry = dict(entry)
        topic = entry.pop("topic")
        document = entry.pop("dokumen", None)
        agenda = services.agenda_create(
            user=kasi, topic=topic, kind=AgendaItem.Kind.PPID, planned_date=timezone.localdate(), plan=True
        )
        services.disposisi_send(
            agenda=agenda,
            user=kasi,
            recipients=[staf],
            instruction=f"Siapkan entri Daftar Informasi Publik: {topic}.",
            sifat="biasa",
            batas_waktu=timezone.now() + dt.timedelta(days=1),
        )
        liputan = Liputan.objects.get(agenda=agenda)
        page = services.liputan_page_create(liputan=liputan, user=staf)
        for name, value in entry.items():
            setattr(page, name, value)
        if document is not None:
            page.dokumen = _document(*document)
        page.save_revision(user=staf)
        _publish(liputan, uploader)
