"""Reads for the potensi section. Views and templates never build querysets themselves, so the
number of queries a public page costs is decided here and stays the same however many items or
photos there are."""

from django.db.models import Prefetch

from portal.serving import public
from potensi.models import PotensiGalleryImage, PotensiIndexPage, PotensiPage


def _photos():
    # The photos' renditions too: without them every card asks the database for its rendition
    # whenever the rendition cache is cold (an N+1 on the listing pages).
    return (
        PotensiGalleryImage.objects.select_related("image").prefetch_related("image__renditions").order_by("sort_order")
    )


def _potensi_public():
    return (
        public(PotensiPage.objects.live())
        .prefetch_related(Prefetch("images", queryset=_photos()))
        .order_by("title", "id")
    )


def potensi_list(*, parent: PotensiIndexPage, sektor: str | None = None, kecamatan: str | None = None):
    """The published potensi under ``parent``, A–Z, optionally of one sector and/or kecamatan.
    ``sektor`` and ``kecamatan`` must already be valid choices (the page drops unknown ones)."""
    items = _potensi_public().child_of(parent)
    if sektor:
        items = items.filter(sektor=sektor)
    if kecamatan:
        items = items.filter(kecamatan=kecamatan)
    return items


def potensi_photos(*, page: PotensiPage):
    """A page's gallery in order, with images and renditions. On a preview of an unsaved revision
    the photos are in memory and no query runs."""
    return page.images.select_related("image").prefetch_related("image__renditions").order_by("sort_order")


def potensi_index() -> PotensiIndexPage | None:
    return PotensiIndexPage.objects.order_by("path").first()
