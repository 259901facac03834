"""Writes of the PPID app: a citizen's request, and the officials' group."""

import datetime as dt

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from ppid.hari_kerja import answer_deadline
from ppid.models import NomorUrutPermohonan, PermohonanInformasi

PPID_GROUP = "PPID"


def _next_nomor(*, received: dt.datetime) -> str:
    """The next registration number, e.g. ``PPID/2026/11/000123``: a sequence per year (WITA),
    the month of receipt for reading. The year's counter row is locked until the caller's
    transaction ends, so two requests never get the same number; ``nomor`` is unique as well."""
    local = timezone.localtime(received)
    # get_or_create survives two first requests of a year racing (unique primary key).
    NomorUrutPermohonan.objects.get_or_create(tahun=local.year)
    counter = NomorUrutPermohonan.objects.select_for_update().get(tahun=local.year)
    counter.terakhir += 1
    counter.save(update_fields=["terakhir"])
    return f"PPID/{local.year}/{local.month:02d}/{counter.terakhir:06d}"


@transaction.atomic
def permohonan_create(
    *,
    nama: str,
    nik: str,
    alamat: str,
    pekerjaan: str,
    telepon: str,
    email: str,
    rincian: str,
    tujuan: str,
    cara_memperoleh: str,
    cara_mendapatkan_salinan: str = "",
    received: dt.datetime | None = None,
) -> PermohonanInformasi:
    """Register a request: its number and its answer deadline (10 working days, UU 14/2008
    Pasal 22 ayat 7, counted from the day of receipt in WITA)."""
    received = received or timezone.now()
    permohonan = PermohonanInformasi(
        nama=nama,
        nik=nik,
        alamat=alamat,
        pekerjaan=pekerjaan,
        telepon=telepon,
        email=email,
        rincian=rincian,
        tujuan=tujuan,
        cara_memperoleh=cara_memperoleh,
        cara_mendapatkan_salinan=cara_mendapatkan_salinan,
        created_at=received,
        deadline=answer_deadline(timezone.localdate(received)),
    )
    permohonan.nomor = _next_nomor(received=received)
    permohonan.full_clean()
    permohonan.save()
    return permohonan


@transaction.atomic
def ppid_group_sync() -> Group:
    """Create or update the group "PPID": the officials who read and answer requests (view and
    change, plus access to the admin). Idempotent; only its members and superusers see requests."""
    group, _ = Group.objects.get_or_create(name=PPID_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label="ppid",
        codename__in=["view_permohonaninformasi", "change_permohonaninformasi"],
    ) | Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    permissions = list(permissions)
    if len(permissions) != 3:
        raise RuntimeError("PPID permissions are missing; run migrate first.")
    group.permissions.add(*permissions)
    return group
