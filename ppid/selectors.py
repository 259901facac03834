"""Reads of the PPID app; the public pages and the admin list build no querysets themselves."""

from django.db.models import Case, IntegerField, Value, When

from portal.serving import public
from ppid.models import InformasiPublikPage, KategoriInformasi, PermohonanInformasi, PpidIndexPage

# The DIP lists the kinds in the order of UU 14/2008 (Pasal 9, 10, 11, 17).
KATEGORI_ORDER = [value for value, _label in KategoriInformasi.choices]


def dip_entries(*, parent: PpidIndexPage, kategori: str | None = None):
    """The published entries of the DIP under ``parent``, with their documents: one query whatever
    their number.

    Entries that are, or lie under, a page with a view restriction are left out (a subquery,
    ``portal.serving.public``)."""
    qs = (
        public(InformasiPublikPage.objects.live())
        .child_of(parent)
        .select_related("dokumen")
        .annotate(
            kategori_urut=Case(
                *[When(kategori=value, then=Value(i)) for i, value in enumerate(KATEGORI_ORDER)],
                default=Value(len(KATEGORI_ORDER)),
                output_field=IntegerField(),
            )
        )
        .order_by("kategori_urut", "-first_published_at", "-id")
    )
    if kategori:
        qs = qs.filter(kategori=kategori)
    return qs


def permohonan_for_receipt(*, token) -> PermohonanInformasi | None:
    """Only what the public receipt shows; personal data is not even loaded."""
    return PermohonanInformasi.objects.only("nomor", "deadline", "rincian", "token").filter(token=token).first()
