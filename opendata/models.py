"""Open data following Satu Data Indonesia (Perpres 39/2019): each data set carries its metadata
(judul, deskripsi, produsen data, periode, frekuensi, satuan, lisensi, tanggal rilis, kata kunci)
and one uploaded CSV or XLSX.

The file is read once, when the page is cleaned (every save and every revision), into a
normalised table stored on the page (``table``, with the first rows again in ``table_preview``).
The public page, the downloads and the catalogue only read what is stored: the file is never
parsed on a visitor's request, and what goes live is the table the SOP's steps approved, even if
the document is later replaced in the library (a new revision reads it again).

Data sets are written by Staf on the desk and go live only at the SOP's last step (see
``desk.models.SopItemPageMixin``). Metadata field names follow the Satu Data terms the public
sees; the stored table's fields are technical and in English.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page, PageManager
from wagtail.search import index

from desk.models import SopItemPageMixin, perangkat_daerah_fields
from opendata import tables
from portal.serving import ServedPage

DATA_PER_PAGE = 20
DOWNLOAD_CACHE_SECONDS = 24 * 60 * 60
# The catalogue's route lives under the index page; a data set may not take its name as slug.
CATALOGUE_SLUG = "data-json"
RESERVED_SLUGS = {CATALOGUE_SLUG}


class Frekuensi(models.TextChoices):
    HARIAN = "harian", _("Harian")
    BULANAN = "bulanan", _("Bulanan")
    TRIWULANAN = "triwulanan", _("Triwulanan")
    SEMESTERAN = "semesteran", _("Semesteran")
    TAHUNAN = "tahunan", _("Tahunan")
    SEKALI = "sekali", _("Sekali (tidak diperbarui)")


class Lisensi(models.TextChoices):
    # Licence names are the same in every language.
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC0 = "cc0-1.0", "CC0 1.0"
    TERBUKA_PEMERINTAH = "terbuka-pemerintah", _("Terbuka Pemerintah")


LICENSE_URLS = {
    Lisensi.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.id",
    Lisensi.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/deed.id",
    Lisensi.CC0: "https://creativecommons.org/publicdomain/zero/1.0/deed.id",
}


@dataclass(frozen=True)
class Download:
    fmt: str
    label: str
    media_type: str
    url: str
    subpath: str  # under the page's URL: "unduh/csv/"


DOWNLOAD_FORMATS = {
    # fmt: (label, media type)
    "csv": ("CSV", "text/csv"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("JSON", "application/json"),
}


class DataIndexPage(ServedPage, RoutablePageMixin, Page):
    intro = models.TextField(_("pengantar"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["opendata.DataSetPage"]
    max_count = 1

    class Meta:
        verbose_name = _("katalog data")
        verbose_name_plural = _("katalog data")

    def get_context(self, request, *args, **kwargs):
        from opendata.selectors import dataset_producers, datasets_filtered, datasets_public

        context = super().get_context(request, *args, **kwargs)
        produsen = _int_or_none(request.GET.get("produsen"))
        frekuensi = request.GET.get("frekuensi") or None
        if frekuensi not in Frekuensi.values:
            frekuensi = None
        published = datasets_public(parent=self)
        paginator = Paginator(datasets_filtered(published, produsen_id=produsen, frekuensi=frekuensi), DATA_PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("halaman", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        query = {k: v for k, v in (("produsen", produsen), ("frekuensi", frekuensi)) if v}
        context.update(
            page_obj=page_obj,
            datasets=page_obj.object_list,
            producers=dataset_producers(published),
            frequencies=Frekuensi.choices,
            selected_produsen=produsen,
            selected_frekuensi=frekuensi,
            filtered=bool(query),
            # Kept on the pager's links so that paging does not drop the filters.
            filter_query=f"&{urlencode(query)}" if query else "",
        )
        return context

    @path(f"{CATALOGUE_SLUG}/", name="catalogue")
    def catalogue(self, request):
        """DCAT-US / Project Open Data ``data.json`` of every published data set (see
        ``opendata.catalogue`` for why this format). Also served at /data/data.json when
        ``opendata.urls`` is included."""
        from opendata import catalogue
        from opendata.selectors import datasets_catalogue

        document = catalogue.catalogue(
            datasets_catalogue(),
            request=request,
            catalogue_url=self.get_full_url(request) + self.reverse_subpage("catalogue"),
        )
        response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
        response["Access-Control-Allow-Origin"] = "*"  # public data, no credentials involved
        return response

    def catalogue_url(self, request=None) -> str:
        return self.get_url(request) + self.reverse_subpage("catalogue")


class DataSetPageManager(PageManager):
    """Data set pages without their full table, which can be tens of megabytes of JSON.

    Wagtail fetches a page's specific row through the default manager when it serves it, so the
    public page reads only ``table_preview``; the downloads load ``table`` when they need it.
    """

    def get_queryset(self):
        return super().get_queryset().defer("table")


class DataSetPage(ServedPage, SopItemPageMixin, RoutablePageMixin, Page):
    # RoutablePageMixin gives the downloads their URLs under the page, so Wagtail's serving (live
    # pages only, view restrictions) guards them exactly as it guards the page itself.
    deskripsi = models.TextField(_("deskripsi"), blank=True)
    produsen, produsen_lain = perangkat_daerah_fields(
        _("produsen data"),
        _("produsen data lain"),
        other_help_text=_("Isi bila produsen bukan Perangkat Daerah dalam daftar, misalnya BPS Kabupaten Tabanan."),
        on_delete=models.PROTECT,
    )
    periode = models.CharField(
        _("periode"), max_length=64, blank=True, help_text=_("Misalnya 2025, 2020-2025 atau Januari–Juni 2025.")
    )
    frekuensi = models.CharField(
        _("frekuensi pemutakhiran"), max_length=16, choices=Frekuensi.choices, default=Frekuensi.TAHUNAN
    )
    satuan = models.CharField(_("satuan"), max_length=64, blank=True, help_text=_("Misalnya ton, jiwa, persen."))
    lisensi = models.CharField(_("lisensi"), max_length=32, choices=Lisensi.choices, default=Lisensi.CC_BY)
    tanggal_rilis = models.DateField(_("tanggal rilis"), null=True, blank=True)
    kata_kunci = models.CharField(
        _("kata kunci"), max_length=255, blank=True, help_text=_("Pisahkan dengan koma, misalnya padi, pertanian.")
    )
    data_file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("berkas data (CSV atau XLSX)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Baris pertama berisi judul kolom, setiap baris sama lebar; paling banyak 50.000 baris "
            "dan 10 MB. Untuk XLSX hanya lembar pertama yang dibaca."
        ),
    )
    # The normalised table read from ``data_file`` (opendata.tables), all of it and its first rows.
    table = models.JSONField(default=dict, blank=True, editable=False)
    table_preview = models.JSONField(default=dict, blank=True, editable=False)
    row_count = models.PositiveIntegerField(default=0, editable=False)
    # Which file the stored table was read from (services.document_fingerprint).
    table_source = models.CharField(max_length=255, blank=True, editable=False)

    objects = DataSetPageManager()

    content_panels = Page.content_panels + [
        FieldPanel("deskripsi"),
        MultiFieldPanel([FieldPanel("produsen"), FieldPanel("produsen_lain")], heading=_("Produsen data")),
        FieldRowPanel([FieldPanel("periode"), FieldPanel("frekuensi")]),
        FieldRowPanel([FieldPanel("satuan"), FieldPanel("lisensi")]),
        FieldRowPanel([FieldPanel("tanggal_rilis"), FieldPanel("kata_kunci")]),
        FieldPanel("data_file"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("deskripsi"),
        index.SearchField("kata_kunci"),
        index.SearchField("periode"),
        index.SearchField("produsen_lain"),
        index.FilterField("frekuensi"),
        index.FilterField("produsen"),
    ]
    parent_page_types = ["opendata.DataIndexPage"]
    subpage_types = []
    # Data sets are created from a disposisi on the desk, never from the page tree.
    is_creatable = False

    class Meta:
        verbose_name = _("data set")
        verbose_name_plural = _("data set")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("Slug “%(slug)s” dipakai oleh katalog data.") % {"slug": self.slug}})
        try:
            self.sync_table()
        except tables.TableError as exc:
            raise ValidationError({"data_file": str(exc)}) from exc

    def sync_table(self) -> None:
        """Read the data file into the stored table if it is not the one read last time."""
        from opendata.services import document_fingerprint, document_table

        if self.data_file_id is None:
            if self.table_source:
                self.table, self.table_preview, self.row_count, self.table_source = {}, {}, 0, ""
            return
        document = self.data_file
        source = document_fingerprint(document)
        if source == self.table_source:
            return
        table = document_table(document)
        self.table = table
        self.table_preview = tables.preview(table)
        self.row_count = len(table["rows"])
        self.table_source = source

    # --- for templates and the catalogue ---------------------------------------------------------

    @property
    def summary(self) -> str:
        # The site search (portal.search.snippet) shows a page's summary in its results.
        return self.deskripsi

    @property
    def publisher_name(self) -> str:
        return self.produsen.name if self.produsen_id else self.produsen_lain

    @property
    def keywords(self) -> list[str]:
        return [word for word in (w.strip() for w in self.kata_kunci.split(",")) if word]

    @property
    def license_url(self) -> str:
        return LICENSE_URLS.get(self.lisensi, "")

    @property
    def column_count(self) -> int:
        return len((self.table_preview or {}).get("columns", []))

    def downloads(self, request=None) -> list[Download]:
        if not self.row_count:
            return []
        base = self.get_url(request)
        downloads = []
        for fmt, (label, media_type) in DOWNLOAD_FORMATS.items():
            subpath = self.reverse_subpage("download", kwargs={"fmt": fmt})
            downloads.append(Download(fmt, label, media_type, base + subpath, subpath))
        return downloads

    def download_filename(self, fmt: str) -> str:
        # ASCII only: slugify drops anything a file system or a header could trip on.
        return f"{(slugify(self.title)[:80].strip('-') or f'data-{self.pk}')}.{fmt}"

    @cached_property
    def chart(self):
        """The bar chart of the stored preview (``opendata.charts``), or ``None``."""
        from opendata.charts import bar_chart

        return bar_chart(self.table_preview) if self.table_preview else None

    @cached_property
    def preview_columns(self) -> list[tuple[str, bool]]:
        """(name, numeric) per column of the preview table."""
        preview = self.table_preview or {}
        return [
            (name, kind in tables.NUMERIC_TYPES)
            for name, kind in zip(preview.get("columns", []), preview.get("types", []), strict=True)
        ]

    @cached_property
    def preview_rows(self) -> list[list[tuple]]:
        """(value, numeric) per cell: numbers are right-aligned and shown with a decimal comma."""
        numeric = [is_numeric for _name, is_numeric in self.preview_columns]
        return [
            [(_display(cell), is_numeric) for cell, is_numeric in zip(row, numeric, strict=True)]
            for row in (self.table_preview or {}).get("rows", [])
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["downloads"] = self.downloads(request)
        return context

    @re_path(r"^unduh/(?P<fmt>csv|xlsx|json)/$", name="download")
    def download(self, request, fmt):
        """The stored table as a file, generated on request (never the uploaded file itself)."""
        if not self.row_count:
            raise Http404
        # Writing 50,000 rows takes openpyxl seconds, so each file is made once per published
        # revision and kept in the cache; a new revision has a new key.
        published = self.last_published_at.timestamp() if self.last_published_at else 0
        key = f"opendata:unduh:{self.pk}:{self.live_revision_id}:{published}:{fmt}"
        content = cache.get(key)
        if content is None:
            content = self._export(fmt, request)
            cache.set(key, content, DOWNLOAD_CACHE_SECONDS)
        label, media_type = DOWNLOAD_FORMATS[fmt]
        if fmt in ("csv", "json"):
            media_type += "; charset=utf-8"
        response = HttpResponse(content, content_type=media_type)
        response["Content-Disposition"] = content_disposition_header(True, self.download_filename(fmt))
        response["Access-Control-Allow-Origin"] = "*"  # public data, no credentials involved
        return response

    def _export(self, fmt: str, request) -> bytes:
        from opendata.selectors import dataset_table

        table = dataset_table(self)
        if fmt == "csv":
            return tables.to_csv(table)
        if fmt == "xlsx":
            return tables.to_xlsx(table)
        return tables.to_json(table, metadata=self.export_metadata(request))

    def export_metadata(self, request) -> dict:
        """The Satu Data metadata that heads the JSON download."""
        return {
            "judul": self.title,
            "deskripsi": self.deskripsi,
            "produsen_data": self.publisher_name,
            "periode": self.periode,
            "frekuensi": self.frekuensi,
            "satuan": self.satuan,
            "lisensi": self.get_lisensi_display(),
            "lisensi_url": self.license_url,
            "tanggal_rilis": self.tanggal_rilis.isoformat() if self.tanggal_rilis else None,
            "diperbarui": (
                timezone.localtime(self.last_published_at).isoformat(timespec="seconds")
                if self.last_published_at
                else None
            ),
            "kata_kunci": self.keywords,
            "sumber": self.get_full_url(request),
            "jumlah_baris": self.row_count,
        }


def _display(cell):
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return _("Ya") if cell else _("Tidak")
    return cell


def _int_or_none(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None
