"""Agenda kegiatan: the regency's events calendar. Each event is an item of the SOP (kind
``kegiatan``): the desk writes it as a draft ``KegiatanPage`` under the one ``KegiatanIndexPage``,
and it goes live only at the SOP's last step.

The index answers four addresses: upcoming events (``/agenda/``), past events (``lalu/``), one
month as a calendar (``2026/11/``) and, through ``kegiatan.urls``, the iCalendar feed
(``/agenda/kalender.ics``, outside the page tree because Wagtail's page URLs cannot hold a dot).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page
from wagtail.search import index

from desk.models import SopItemPageMixin, perangkat_daerah_fields
from kegiatan import presentation
from kegiatan.forms import KegiatanPageForm
from portal.serving import ServedPage

KEGIATAN_PER_PAGE = 20
# The month view answers only for these years: prev/next links must not lead a crawler on forever.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class KegiatanIndexPage(ServedPage, RoutablePageMixin, Page):
    intro = models.TextField(_("pengantar"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["kegiatan.KegiatanPage"]
    max_count = 1

    class Meta:
        verbose_name = _("agenda kegiatan")

    @path("", name="mendatang")
    def upcoming(self, request):
        """Events not yet over, soonest first; ``?bulan=2026-11`` jumps to that month."""
        month = presentation.parse_month(request.GET.get("bulan", ""))
        if month is not None and FIRST_YEAR <= month[0] <= LAST_YEAR:
            return redirect(self.month_url(*month, request=request))
        from kegiatan.selectors import kegiatan_upcoming

        return self.render(request, context_overrides=self._listing(request, kegiatan_upcoming(), mode="mendatang"))

    @path("lalu/", name="lalu")
    def past(self, request):
        """Events that are over, the latest first."""
        from kegiatan.selectors import kegiatan_past

        return self.render(request, context_overrides=self._listing(request, kegiatan_past(), mode="lalu"))

    @re_path(r"^(?P<year>\d{4})/(?P<month>\d{1,2})/$", name="bulan")
    def month(self, request, year, month):
        """One month as a calendar: a grid of weeks on wide screens, a list of days on phones."""
        from kegiatan.selectors import kegiatan_in_month

        year, month = int(year), int(month)
        if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
            raise Http404
        events = list(kegiatan_in_month(year=year, month=month))
        prev_month, next_month = presentation.shift_month(year, month, -1), presentation.shift_month(year, month, 1)
        return self.render(
            request,
            template="kegiatan/kegiatan_month.html",
            context_overrides={
                "mode": "bulan",
                "month_start": dt.date(year, month, 1),
                "weeks": presentation.month_grid(year, month, events, today=presentation.today()),
                "weekday_names": presentation.weekday_names(),
                "events": events,
                "prev_url": self.month_url(*prev_month, request=request) if prev_month[0] >= FIRST_YEAR else None,
                "next_url": self.month_url(*next_month, request=request) if next_month[0] <= LAST_YEAR else None,
                "prev_month": dt.date(*prev_month, 1),
                "next_month": dt.date(*next_month, 1),
            },
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = presentation.today()
        context["upcoming_url"] = self.get_url(request)
        context["past_url"] = self.get_url(request) + self.reverse_subpage("lalu")
        context["this_month_url"] = self.month_url(today.year, today.month, request=request)
        return context

    def month_url(self, year: int, month: int, *, request=None) -> str:
        return self.get_url(request) + self.reverse_subpage("bulan", kwargs={"year": f"{year:04d}", "month": f"{month:02d}"})

    def _listing(self, request, queryset, *, mode: str) -> dict:
        paginator = Paginator(queryset, KEGIATAN_PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("halaman", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        return {"mode": mode, "page_obj": page_obj, "events": page_obj.object_list}


class KegiatanPage(ServedPage, SopItemPageMixin, Page):
    # Blank only so the desk can create the empty draft a Staf then fills in: the editor requires
    # both on submit (KegiatanPageForm) and the page cannot go live without them (clean).
    start = models.DateTimeField(_("mulai"), null=True, blank=True)
    end = models.DateTimeField(_("selesai"), null=True, blank=True)
    all_day = models.BooleanField(
        _("sepanjang hari"), default=False, help_text=_("Jam mulai dan selesai tidak ditampilkan.")
    )
    place = models.CharField(_("lokasi"), max_length=255, blank=True)
    organiser, organiser_text = perangkat_daerah_fields(
        _("Perangkat Daerah penyelenggara"),
        _("penyelenggara lain"),
        other_help_text=_("Isi bila penyelenggara bukan (atau bersama) Perangkat Daerah, mis. desa adat atau panitia."),
    )
    # Named ``body`` like the other page types, so the desk's review screen shows it.
    body = RichTextField(_("deskripsi"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("start"), FieldPanel("end"), FieldPanel("all_day")], heading=_("Waktu")),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("organiser"), FieldPanel("organiser_text")],
            heading=_("Tempat dan penyelenggara"),
        ),
        FieldPanel("body"),
        FieldPanel("image"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("body"),
        index.SearchField("place"),
        index.SearchField("organiser_text"),
        index.FilterField("start"),
        index.FilterField("end"),
    ]
    base_form_class = KegiatanPageForm
    parent_page_types = ["kegiatan.KegiatanIndexPage"]
    subpage_types = []
    # Events are created from a disposisi on the desk, never from the page tree.
    is_creatable = False

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        indexes = [models.Index(fields=["start"]), models.Index(fields=["end"])]

    def clean(self):
        super().clean()
        if self.live:
            missing = {
                name: message
                for name, message in (
                    ("start", _("Isi waktu mulai kegiatan.")),
                    ("end", _("Isi waktu selesai kegiatan.")),
                )
                if getattr(self, name) is None
            }
            if missing:
                raise ValidationError(missing)
        self._normalise_all_day()
        if self.start and self.end and self.end < self.start:
            raise ValidationError(
                {"end": _("Waktu selesai tidak boleh lebih awal daripada waktu mulai kegiatan.")}
            )

    def save(self, *args, **kwargs):
        self._normalise_all_day()
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        rendition = None
        if self.image_id:
            try:
                rendition = self.image.get_rendition("width-960|format-webp")
            except SourceImageIOError:  # the file is gone: show the event without it
                rendition = None
        context["rendition"] = rendition
        image_url = request.build_absolute_uri(rendition.url) if rendition else None
        context["json_ld"] = presentation.json_ld_script(
            presentation.event_json_ld(self, request=request, image_url=image_url)
        )
        return context

    @property
    def organiser_name(self) -> str:
        """Who holds the event, as one line: the OPD, the other organiser, or both."""
        names = [self.organiser.name if self.organiser_id else "", self.organiser_text]
        return " · ".join(name for name in names if name)

    @property
    def when(self) -> str:
        return presentation.when_text(self.start, self.end, all_day=self.all_day)

    def is_past(self, now: dt.datetime | None = None) -> bool:
        return self.end is not None and self.end < (now or timezone.now())

    def _normalise_all_day(self):
        """An all-day event runs from local midnight of its first day to the last moment of its
        last day, so lists, the month view and the feed need no special case for it."""
        if not (self.all_day and self.start):
            return
        zone = presentation.site_zone()
        first = presentation.local(self.start).date()
        last = presentation.local(self.end).date() if self.end else first
        self.start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
        self.end = dt.datetime.combine(last, dt.time(23, 59, 59), tzinfo=zone)
