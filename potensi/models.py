"""Potensi daerah: what Kabupaten Tabanan offers visitors and investors, sector by sector and
kecamatan by kecamatan. Items are written by Staf on the desk and go live only at the SOP's last
step (see ``desk.models.SopItemPageMixin``); the section's index lists them with filters and one
page per sector.
"""

import re
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.validators import URLValidator
from django.db import models
from django.http import Http404
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from desk.models import SopItemPageMixin, perangkat_daerah_field
from portal.serving import ServedPage

POTENSI_PER_PAGE = 12

# A generous box around the regency (its land lies within about -8.23..-8.66, 114.93..115.23),
# so a point just over a border still passes but a swapped pair or a missing minus sign does not.
LATITUDE_RANGE = (Decimal("-8.75"), Decimal("-8.2"))
LONGITUDE_RANGE = (Decimal("114.9"), Decimal("115.3"))


class Sektor(models.TextChoices):
    # The values are the sector pages' URL slugs (/potensi-daerah/sektor/<value>/).
    PARIWISATA = "pariwisata", _("Pariwisata")
    PERTANIAN = "pertanian", _("Pertanian")
    BUDAYA = "budaya", _("Budaya")
    UMKM = "umkm", _("UMKM")
    INVESTASI = "investasi", _("Investasi")
    PERIKANAN_PETERNAKAN = "perikanan-peternakan", _("Perikanan dan Peternakan")
    KULINER = "kuliner", _("Kuliner")


class Kecamatan(models.TextChoices):
    # Place names are the same in every language, so they are not marked for translation.
    SELEMADEG = "selemadeg", "Selemadeg"
    SELEMADEG_BARAT = "selemadeg-barat", "Selemadeg Barat"
    SELEMADEG_TIMUR = "selemadeg-timur", "Selemadeg Timur"
    KERAMBITAN = "kerambitan", "Kerambitan"
    TABANAN = "tabanan", "Tabanan"
    KEDIRI = "kediri", "Kediri"
    MARGA = "marga", "Marga"
    PENEBEL = "penebel", "Penebel"
    BATURITI = "baturiti", "Baturiti"
    PUPUAN = "pupuan", "Pupuan"


def _validate_in_range(value, bounds, message):
    low, high = bounds
    if value is not None and not (low <= value <= high):
        raise ValidationError(message, code="out_of_range", params={"value": value, "min": low, "max": high})


def validate_latitude(value):
    _validate_in_range(
        value,
        LATITUDE_RANGE,
        _(
            "Lintang %(value)s berada di luar wilayah Kabupaten Tabanan. Isi angka antara %(min)s dan "
            "%(max)s (lintang selatan bernilai negatif), misalnya -8.6212 untuk Tanah Lot."
        ),
    )


def validate_longitude(value):
    _validate_in_range(
        value,
        LONGITUDE_RANGE,
        _(
            "Bujur %(value)s berada di luar wilayah Kabupaten Tabanan. Isi angka antara %(min)s dan "
            "%(max)s, misalnya 115.0868 untuk Tanah Lot."
        ),
    )


PHONE_ALLOWED = re.compile(r"^\+?[0-9 ().\-]+$")


def validate_phone(value):
    digits = re.sub(r"\D", "", value or "")
    if not PHONE_ALLOWED.match(value or "") or not 6 <= len(digits) <= 15:
        raise ValidationError(
            _(
                "Nomor telepon tidak valid. Gunakan 6–15 angka, boleh dengan spasi, tanda hubung, kurung "
                "dan awalan +, misalnya (0361) 811047 atau +62 812 3456 7890."
            ),
            code="invalid_phone",
        )


class WebsiteField(models.URLField):
    """A web address: http or https only, and "https://" assumed when the scheme is left out."""

    default_validators = [
        URLValidator(
            schemes=["http", "https"],
            message=_("Masukkan alamat situs web lengkap yang diawali http:// atau https://."),
        )
    ]

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class Crumb(NamedTuple):
    """One step of the breadcrumb trail; the last one is where the reader is."""

    title: str
    url: str


class PotensiIndexPage(ServedPage, RoutablePageMixin, Page):
    intro = models.TextField(_("pengantar"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["potensi.PotensiPage"]
    max_count = 1

    class Meta:
        verbose_name = _("daftar potensi daerah")

    @path("")
    def index_route(self, request):
        # ?sektor= works here too (the filter form sends it); the chips link to the sector pages.
        return self._listing(request, sektor=_valid(request.GET.get("sektor"), Sektor), sector_page=False)

    @path("sektor/<slug:sektor>/", name="sektor")
    def sektor_route(self, request, sektor):
        if sektor not in Sektor.values:
            raise Http404
        return self._listing(request, sektor=sektor, sector_page=True)

    def sektor_url(self, sektor: str, request=None) -> str:
        return sektor_url(self.get_url(request), sektor)

    def _listing(self, request, *, sektor: str | None, sector_page: bool):
        from potensi.selectors import potensi_list

        kecamatan = _valid(request.GET.get("kecamatan"), Kecamatan)
        paginator = Paginator(potensi_list(parent=self, sektor=sektor, kecamatan=kecamatan), POTENSI_PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("halaman", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)

        # Links keep only the filters that were understood; unknown values are dropped.
        index_url = self.get_url(request)
        kept = {"kecamatan": kecamatan} if kecamatan else {}
        listing_filters = dict(kept, **({"sektor": sektor} if sektor and not sector_page else {}))
        chip_query = f"?{urlencode(kept)}" if kept else ""
        chips = [{"label": _("Semua sektor"), "url": index_url + chip_query, "current": sektor is None}] + [
            {"label": label, "url": sektor_url(index_url, value) + chip_query, "current": value == sektor}
            for value, label in Sektor.choices
        ]
        sektor_label = Sektor(sektor).label if sektor else None
        crumbs = [Crumb(_("Beranda"), "/"), Crumb(self.title, index_url)]
        if sector_page:
            crumbs.append(Crumb(sektor_label, ""))
        return self.render(
            request,
            context_overrides={
                "page_obj": page_obj,
                "potensi": page_obj.object_list,
                "sektor": sektor,
                "sektor_label": sektor_label,
                "kecamatan": kecamatan,
                "kecamatan_label": Kecamatan(kecamatan).label if kecamatan else None,
                "sector_page": sector_page,
                "listing_title": _("Potensi %(sektor)s") % {"sektor": sektor_label} if sector_page else self.title,
                "chips": chips,
                "crumbs": crumbs,
                "sektor_choices": Sektor.choices,
                "kecamatan_choices": Kecamatan.choices,
                "form_action": sektor_url(index_url, sektor) if sector_page else index_url,
                "page_query": urlencode(listing_filters) + "&" if listing_filters else "",
                "filtered": bool(sektor or kecamatan),
            },
        )


def sektor_url(index_url: str, sektor: str) -> str:
    """The sector page under the index at ``index_url`` (no query: the index need not be loaded)."""
    return index_url + PotensiIndexPage.get_resolver().reverse("sektor", sektor=sektor).lstrip("/")


def _valid(value, choices) -> str | None:
    """The value when it is one of ``choices``, else None: a wrong filter is ignored, not an error."""
    return value if isinstance(value, str) and value in choices.values else None


class PotensiPage(ServedPage, SopItemPageMixin, Page):
    sektor = models.CharField(_("sektor"), max_length=32, choices=Sektor.choices, default=Sektor.PARIWISATA)
    summary = models.TextField(_("ringkasan"), max_length=500, blank=True)
    body = RichTextField(_("uraian"), blank=True)
    kecamatan = models.CharField(_("kecamatan"), max_length=32, choices=Kecamatan.choices, blank=True)
    desa = models.CharField(_("desa/kelurahan"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validate_latitude],
        help_text=_("Derajat desimal; lintang selatan bernilai negatif, misalnya -8.6212."),
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validate_longitude],
        help_text=_("Derajat desimal, misalnya 115.0868."),
    )
    contact_name = models.CharField(_("nama kontak"), max_length=255, blank=True)
    contact_phone = models.CharField(_("telepon"), max_length=32, blank=True, validators=[validate_phone])
    contact_email = models.EmailField(_("email"), blank=True)
    contact_website = WebsiteField(_("situs web"), blank=True)
    perangkat_daerah = perangkat_daerah_field(_("Perangkat Daerah"))

    content_panels = Page.content_panels + [
        FieldPanel("sektor"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("images", label=_("Foto"), heading=_("Galeri foto")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kecamatan"), FieldPanel("desa")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Lokasi"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldRowPanel([FieldPanel("contact_phone"), FieldPanel("contact_email")]),
                FieldPanel("contact_website"),
                FieldPanel("perangkat_daerah"),
            ],
            heading=_("Kontak"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("desa"),
        index.FilterField("sektor"),
        index.FilterField("kecamatan"),
    ]
    parent_page_types = ["potensi.PotensiIndexPage"]
    subpage_types = []
    # Potensi are created from a disposisi on the desk, never from the page tree.
    is_creatable = False

    class Meta:
        verbose_name = _("potensi daerah")
        verbose_name_plural = _("potensi daerah")

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({missing: _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya.")})
        if self.latitude is not None and self.longitude is not None:
            lat_ok = LATITUDE_RANGE[0] <= self.latitude <= LATITUDE_RANGE[1]
            lon_ok = LONGITUDE_RANGE[0] <= self.longitude <= LONGITUDE_RANGE[1]
            swapped = (
                LATITUDE_RANGE[0] <= self.longitude <= LATITUDE_RANGE[1]
                and LONGITUDE_RANGE[0] <= self.latitude <= LONGITUDE_RANGE[1]
            )
            if not lat_ok and not lon_ok and swapped:
                raise ValidationError(
                    {
                        "latitude": _(
                            "Lintang dan bujur tampaknya tertukar: lintang Tabanan sekitar -8.5, bujur sekitar 115.1."
                        )
                    }
                )

    def get_context(self, request, *args, **kwargs):
        from potensi.jsonld import potensi_json_ld
        from potensi.selectors import potensi_photos

        context = super().get_context(request, *args, **kwargs)
        # The photos with their images and renditions in two queries, however many photos there are.
        context["photos"] = photos = potensi_photos(page=self)
        # The parent is the one Wagtail's routing walked through (treebeard caches it): no query.
        index = self.get_parent()
        context["index_url"] = index_url = index.get_url(request)
        context["sektor_url"] = sektor_url(index_url, self.sektor)
        context["crumbs"] = [
            Crumb(_("Beranda"), "/"),
            Crumb(index.title, index_url),
            Crumb(self.get_sektor_display(), context["sektor_url"]),
            Crumb(self.title, ""),
        ]
        context["json_ld"] = potensi_json_ld(page=self, photos=photos, request=request)
        return context

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def coordinates(self) -> tuple[str, str] | None:
        """Latitude and longitude as plain decimal text, without trailing zeros."""
        if not self.has_location:
            return None
        return f"{self.latitude.normalize():f}", f"{self.longitude.normalize():f}"

    @property
    def map_url(self) -> str:
        """OpenStreetMap centred on the place, with a marker: a plain link, no third-party script."""
        if not self.has_location:
            return ""
        lat, lon = self.coordinates
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"

    @property
    def location_label(self) -> str:
        parts = []
        if self.desa:
            parts.append(_("Desa %(desa)s") % {"desa": self.desa})
        if self.kecamatan:
            parts.append(_("Kecamatan %(kecamatan)s") % {"kecamatan": self.get_kecamatan_display()})
        return ", ".join(str(p) for p in parts)

    @property
    def phone_href(self) -> str:
        """A tel: link in international form: a leading 0 becomes +62."""
        digits = re.sub(r"\D", "", self.contact_phone)
        if not digits:
            return ""
        if self.contact_phone.strip().startswith("+"):
            return f"tel:+{digits}"
        if digits.startswith("0"):
            return f"tel:+62{digits[1:]}"
        return f"tel:{digits}"

    @property
    def has_contact(self) -> bool:
        return any((self.contact_name, self.contact_phone, self.contact_email, self.contact_website))

    @property
    def lead_image(self):
        images = list(self.images.all())
        return images[0] if images else None


class PotensiGalleryImage(Orderable):
    page = ParentalKey(PotensiPage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("foto"), on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(_("keterangan foto"), max_length=255, blank=True)
    credit = models.CharField(_("kredit foto"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption"), FieldPanel("credit")]

    class Meta(Orderable.Meta):
        verbose_name = _("foto potensi")
        verbose_name_plural = _("galeri foto potensi")

    @property
    def alt_text(self) -> str:
        return self.caption or self.image.title
