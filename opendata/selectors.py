"""Reads for the public data pages. Listings never load a data set's table; see each function for
its queries."""

from __future__ import annotations

from desk.models import PerangkatDaerah
from opendata.models import DataIndexPage, DataSetPage
from portal.serving import public


def datasets_public(*, parent: DataIndexPage | None = None):
    """Live data sets outside private sections, newest publication first, with their producer.

    Private sections are left out by a subquery (portal.serving.public), so the list is one
    query; derive the list, the count and the producers from it.
    """
    qs = (
        public(DataSetPage.objects.live())
        .select_related("produsen")
        .defer("table", "table_preview")
        .order_by("-last_published_at", "-id")
    )
    return qs.child_of(parent) if parent is not None else qs


def datasets_filtered(qs, *, produsen_id: int | None = None, frekuensi: str | None = None):
    if produsen_id is not None:
        qs = qs.filter(produsen_id=produsen_id)
    if frekuensi:
        qs = qs.filter(frekuensi=frekuensi)
    return qs


def dataset_producers(published):
    """The Perangkat Daerah that have a published data set, for the filter (one query)."""
    return PerangkatDaerah.objects.filter(pk__in=published.values("produsen_id")).order_by("name")


def datasets_catalogue():
    """Every published data set for ``data.json``: two queries whatever their number."""
    return datasets_public().order_by("title", "id")


def dataset_table(page: DataSetPage) -> dict:
    """The full stored table of a data set (one query; its page was fetched without it)."""
    return DataSetPage.objects.filter(pk=page.pk).values_list("table", flat=True).first() or {}


def data_index_public() -> DataIndexPage | None:
    return public(DataIndexPage.objects.live()).order_by("path").first()
