"""Pengumuman: official announcements with a period of validity. Each one is an item of the SOP
(kind ``pengumuman``) and goes live only at its last step; once its ``berlaku_sampai`` has passed
(in WITA) it leaves the home page and moves to the archive by itself, because every list filters
by today's date when it is shown."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from desk.models import SopItemPageMixin
from portal.serving import ServedPage

ARSIP_PER_PAGE = 10


def today_wita() -> dt.date:
    """Today in the office's time zone (WITA), whatever zone a request may have activated."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


class PengumumanIndexPage(ServedPage, Page):
    intro = models.TextField(_("pengantar"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["pengumuman.PengumumanPage"]
    max_count = 1

    class Meta:
        verbose_name = _("daftar pengumuman")

    def get_context(self, request, *args, **kwargs):
        from pengumuman.selectors import pengumuman_archive, pengumuman_not_expired

        context = super().get_context(request, *args, **kwargs)
        today = today_wita()
        not_expired = list(pengumuman_not_expired(today=today))
        context["current"] = [item for item in not_expired if item.berlaku_mulai <= today]
        context["upcoming"] = [item for item in not_expired if item.berlaku_mulai > today]
        paginator = Paginator(pengumuman_archive(today=today), ARSIP_PER_PAGE)
        try:
            archive_page = paginator.page(request.GET.get("halaman", 1))
        except PageNotAnInteger:
            archive_page = paginator.page(1)
        except EmptyPage:
            archive_page = paginator.page(paginator.num_pages)
        context["archive_page"] = archive_page
        context["archive"] = archive_page.object_list
        context["today"] = today
        return context


class PengumumanPage(ServedPage, SopItemPageMixin, Page):
    body = RichTextField(_("isi pengumuman"), blank=True)
    attachment = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("lampiran"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Dokumen resmi pengumuman, mis. surat edaran dalam PDF."),
    )
    berlaku_mulai = models.DateField(_("berlaku mulai"), default=today_wita)
    berlaku_sampai = models.DateField(
        _("berlaku sampai"),
        null=True,
        blank=True,
        help_text=_("Hari terakhir pengumuman berlaku (WITA). Kosongkan bila berlaku tanpa batas waktu."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("berlaku_mulai"), FieldPanel("berlaku_sampai")], heading=_("Masa berlaku")),
        FieldPanel("body"),
        FieldPanel("attachment"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("body"),
        index.FilterField("berlaku_mulai"),
        index.FilterField("berlaku_sampai"),
    ]
    parent_page_types = ["pengumuman.PengumumanIndexPage"]
    subpage_types = []
    # Announcements are created from a disposisi on the desk, never from the page tree.
    is_creatable = False

    class Meta:
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")
        indexes = [models.Index(fields=["berlaku_sampai"])]

    def clean(self):
        super().clean()
        if self.berlaku_mulai and self.berlaku_sampai and self.berlaku_sampai < self.berlaku_mulai:
            raise ValidationError(
                {"berlaku_sampai": _("Tanggal berlaku sampai tidak boleh lebih awal daripada tanggal berlaku mulai.")}
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["today"] = today_wita()
        return context

    def is_expired(self, today: dt.date | None = None) -> bool:
        return self.berlaku_sampai is not None and self.berlaku_sampai < (today or today_wita())

    def is_upcoming(self, today: dt.date | None = None) -> bool:
        return self.berlaku_mulai > (today or today_wita())
