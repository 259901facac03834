"""Demo announcements for development (``make run``), carried through the SOP like every item."""

import datetime as dt

from django.utils import timezone

from pengumuman.models import PengumumanPage


def demo_items(people) -> None:
    """Two announcements in force and one that has expired (it shows under "Arsip").
    Idempotent: does nothing once an announcement exists."""
    from lontar.demo import publish_demo_item

    if PengumumanPage.objects.exists():
        return
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    publish_demo_item(
        people, kind="pengumuman", topic="Penutupan sementara jalan menuju Jatiluwih", opd_short=None,
        title="Penutupan Sementara Ruas Jalan Pacung–Jatiluwih",
        berlaku_mulai=today, berlaku_sampai=today + dt.timedelta(days=14),
        body="<p>Sehubungan dengan perbaikan jembatan, ruas jalan Pacung–Jatiluwih ditutup sementara pukul "
             "08.00–17.00 WITA. Pengguna jalan dimohon melintas melalui Desa Senganan.</p>",
    )
    publish_demo_item(
        people, kind="pengumuman", topic="Pendaftaran beasiswa Tabanan Cerdas", opd_short="Disdikpora",
        title="Pendaftaran Beasiswa Tabanan Cerdas Tahun 2026",
        berlaku_mulai=today - dt.timedelta(days=3), berlaku_sampai=today + dt.timedelta(days=30),
        body="<p>Pemerintah Kabupaten Tabanan membuka pendaftaran beasiswa bagi siswa berprestasi dari keluarga "
             "kurang mampu. Berkas diserahkan ke Dinas Pendidikan, Kepemudaan dan Olahraga.</p>",
    )
    publish_demo_item(
        people, kind="pengumuman", topic="Jadwal pemadaman listrik bergilir", opd_short=None,
        title="Jadwal Pemeliharaan Jaringan Listrik di Kecamatan Kediri",
        berlaku_mulai=today - dt.timedelta(days=20), berlaku_sampai=today - dt.timedelta(days=10),
        body="<p>Pemeliharaan jaringan oleh PLN UP3 Bali Selatan menyebabkan pemadaman bergilir di Kecamatan Kediri.</p>",
    )
