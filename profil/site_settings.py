"""Site-wide editable settings: who the office is, how to reach it, the main menu and the footer
links. Edited in the admin under *Pengaturan → Identitas situs*; read on every public page
through ``profil.selectors.site_chrome`` (at most two queries per request, cached on it).

These are site configuration, not SOP items: they publish no information of their own (they point
to pages that went through the SOP, or to the office's own channels) and are kept by the site
administrator.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable

LAPOR_URL = "https://www.lapor.go.id"


def validate_link(value: str) -> None:
    """An absolute http(s) URL, or a path on this site (/cari/) for views that are not pages."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"], message=_("Isi alamat lengkap (https://…) atau jalur yang diawali /."))(value)


@register_setting(icon="site")
class SiteIdentity(BaseGenericSetting, ClusterableModel):
    """The office behind the site. Field defaults are the office's own details, so a site that was
    never configured still shows a correct header and footer.

    A generic (one per installation) rather than a per-site setting: Lontar serves one site, and a
    per-site setting makes Wagtail look up the user's per-site permissions (one more query) on
    every admin screen, to decide whether to show it in the menu. Editing needs the ordinary
    permission ``profil.change_siteidentity``, granted to a group in Wagtail's group editor.
    """

    government_name = models.CharField(_("nama pemerintah daerah"), max_length=255, default="Pemerintah Kabupaten Tabanan")
    office_name = models.CharField(
        _("nama perangkat daerah"), max_length=255, default="Dinas Komunikasi dan Informatika Kabupaten Tabanan"
    )
    address = models.TextField(_("alamat"), default="Jalan Diponegoro No. 5, Tabanan, Bali")
    phone = models.CharField(_("telepon"), max_length=64, blank=True, default="(0361) 811047")
    email = models.EmailField(_("e-mail"), blank=True)
    office_hours = models.CharField(
        _("jam layanan"), max_length=255, blank=True, help_text=_("Misalnya: Senin–Jumat, 07.30–15.30 WITA")
    )
    instagram_url = models.URLField(_("Instagram"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    x_url = models.URLField(_("X (Twitter)"), blank=True)
    lapor_url = models.URLField(
        _("alamat SP4N-LAPOR!"),
        default=LAPOR_URL,
        help_text=_("Kanal pengaduan pelayanan publik nasional; ditampilkan di kaki halaman dan halaman kontak."),
    )

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    MultiFieldPanel(
                        [FieldPanel("government_name"), FieldPanel("office_name")], heading=_("Nama")
                    ),
                    MultiFieldPanel(
                        [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email"), FieldPanel("office_hours")],
                        heading=_("Kontak"),
                    ),
                    MultiFieldPanel(
                        [FieldPanel("instagram_url"), FieldPanel("facebook_url"), FieldPanel("youtube_url"),
                         FieldPanel("x_url")],
                        heading=_("Media sosial"),
                    ),
                    FieldPanel("lapor_url"),
                ],
                heading=_("Identitas"),
            ),
            ObjectList(
                [
                    InlinePanel(
                        "links",
                        heading=_("Menu utama dan tautan kaki halaman"),
                        label=_("Tautan"),
                        help_text=_(
                            "Tanpa tautan menu utama, situs memakai menu bawaan: Beranda, Berita, Pengumuman, "
                            "Agenda, Potensi Daerah, Data, PPID, Profil."
                        ),
                    )
                ],
                heading=_("Navigasi"),
            ),
        ]
    )

    class Meta:
        verbose_name = _("identitas situs")
        verbose_name_plural = _("identitas situs")

    @property
    def phone_href(self) -> str:
        """The phone number as a ``tel:`` address in international form: (0361) 811047 → +62361811047."""
        digits = re.sub(r"\D", "", self.phone or "")
        if not digits:
            return ""
        if digits.startswith("0"):
            digits = "62" + digits[1:]
        return f"tel:+{digits}"

    @property
    def social_links(self) -> list[tuple[str, str]]:
        return [
            (label, url)
            for label, url in (
                ("Instagram", self.instagram_url),
                ("Facebook", self.facebook_url),
                ("YouTube", self.youtube_url),
                ("X", self.x_url),
            )
            if url
        ]


class MenuItem(Orderable):
    """One link of the main menu or of the footer: to a page of this site or to an external URL."""

    class Placement(models.TextChoices):
        MAIN = "main", _("Menu utama")
        FOOTER = "footer", _("Kaki halaman (tautan terkait)")

    setting = ParentalKey(SiteIdentity, on_delete=models.CASCADE, related_name="links")
    placement = models.CharField(_("letak"), max_length=8, choices=Placement.choices, default=Placement.MAIN)
    label = models.CharField(_("label"), max_length=64, blank=True, help_text=_("Kosongkan untuk memakai judul halaman."))
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("halaman"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    link_url = models.CharField(
        _("atau URL"),
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text=_("Alamat lengkap (https://…) atau jalur di situs ini, misalnya /cari/."),
    )

    panels = [FieldPanel("placement"), FieldPanel("label"), FieldPanel("link_page"), FieldPanel("link_url")]

    class Meta(Orderable.Meta):
        verbose_name = _("tautan navigasi")
        verbose_name_plural = _("tautan navigasi")

    def __str__(self):
        return self.label or (self.link_page.title if self.link_page_id else self.link_url)

    def clean(self):
        super().clean()
        if bool(self.link_page_id) == bool(self.link_url):
            raise ValidationError(_("Pilih satu halaman atau isi satu URL (tidak keduanya)."))
        if self.link_url and not self.label:
            raise ValidationError({"label": _("Tautan ke URL memerlukan label.")})
