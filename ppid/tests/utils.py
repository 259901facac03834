"""Builders for the PPID tests. DIP entries go live only through the ten SOP steps
(``desk.tests.sop_driver.publish_kind``)."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from desk.tests import sop_driver as D
from ppid.models import InformasiPublikPage, PpidIndexPage

WITA = ZoneInfo("Asia/Makassar")
START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WITA)  # a Monday morning in Tabanan


def make_document(title: str, filename: str = "dokumen.pdf"):
    return get_document_model().objects.create(title=title, file=ContentFile(b"%PDF-1.4 uji", name=filename))


def publish_informasi(people, *, topic: str, when: dt.datetime = START, **fields) -> InformasiPublikPage:
    with time_machine.travel(when, tick=False):
        return D.publish_kind(people, kind="ppid", topic=topic, **fields)


def ppid_page() -> PpidIndexPage:
    return PpidIndexPage.objects.get()


# A complete, valid request as the public form posts it. Each personal value is distinctive so a
# test can look for it anywhere.
VALID = {
    "nama": "Ni Komang Sari Dewi",
    "nik": "5102014506900003",
    "alamat": "Jalan Gatot Subroto Gang Cempaka No. 17, Banjar Delod Rurung, Tabanan",
    "pekerjaan": "Wiraswasta",
    "telepon": "0812-3987-6543",
    "email": "komang.sari.dewi@contoh.id",
    "rincian": "Salinan daftar penerima bantuan bibit padi tahun 2026 per subak di Kecamatan Penebel.",
    "tujuan": "Bahan penelitian skripsi tentang ketahanan pangan.",
    "cara_memperoleh": "salinan",
    "cara_mendapatkan_salinan": "email",
    "situs_web": "",
}
PERSONAL = ["Ni Komang Sari Dewi", "5102014506900003", "0812-3987-6543", "081239876543",
            "komang.sari.dewi@contoh.id", "Gang Cempaka", "Wiraswasta", "ketahanan pangan"]
