"""Demo events for development (``make run``), carried through the SOP like every item."""

import datetime as dt

from django.utils import timezone

from desk.models import PerangkatDaerah
from kegiatan.models import KegiatanPage


def demo_items(people) -> None:
    """Three events around today: one next week, one later this month, one already held.
    Idempotent: does nothing once an event exists."""
    from lontar.demo import publish_demo_item

    if KegiatanPage.objects.exists():
        return
    zone = timezone.get_default_timezone()
    today = timezone.localdate(timezone=zone)

    def opd(short_name: str) -> PerangkatDaerah | None:
        return PerangkatDaerah.objects.filter(short_name=short_name).first()

    def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour, minute), tzinfo=zone)

    publish_demo_item(
        people, kind="kegiatan", topic="Festival Tanah Lot 2026", opd_short="Dispar",
        title="Festival Tanah Lot 2026",
        start=at(7, 9), end=at(9, 21), place="Daya Tarik Wisata Tanah Lot, Desa Beraban, Kediri",
        organiser=opd("Dispar"), organiser_text="Desa Adat Beraban",
        body="<p>Festival seni dan budaya tahunan: parade baleganjur, lomba penjor, pameran UMKM dan "
             "pementasan Tari Kecak saat matahari terbenam. Terbuka untuk umum tanpa biaya.</p>",
    )
    publish_demo_item(
        people, kind="kegiatan", topic="Pelayanan KTP elektronik keliling di Kecamatan Penebel", opd_short=None,
        title="Pelayanan KTP-el Keliling di Kecamatan Penebel",
        start=at(3, 8), end=at(3, 14), place="Kantor Camat Penebel",
        organiser_text="Dinas Kependudukan dan Pencatatan Sipil",
        body="<p>Perekaman dan pencetakan KTP elektronik bagi warga yang belum memiliki. "
             "Bawa fotokopi Kartu Keluarga.</p>",
    )
    publish_demo_item(
        people, kind="kegiatan", topic="Gerakan pangan murah di Pasar Dauh Pala", opd_short="Distan",
        title="Gerakan Pangan Murah di Pasar Dauh Pala",
        start=at(-5, 0), end=at(-5, 0), all_day=True, place="Pasar Dauh Pala, Tabanan", organiser=opd("Distan"),
        body="<p>Beras, minyak goreng, telur dan cabai dijual di bawah harga pasar untuk menjaga inflasi daerah.</p>",
    )
