"""The office's profile section (*Profil*) and the home page banners.

Profil pages (visi dan misi, sejarah, struktur organisasi, pejabat, tugas dan fungsi, lambang) are
SOP items like a berita: written by a Staf from a disposisi of kind ``informasi`` and published
only at step 10 (``desk.models.SopItemPageMixin``). The section's index also serves two read-only
routes: the office's SOPs as loaded in the SOP engine (``sop/``) and the contact page
(``kontak/``), which reads the site settings.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from desk.models import SopItemPageMixin
from portal.serving import ServedPage
from profil.blocks import ProfilStreamBlock
from profil.site_settings import MenuItem, SiteIdentity  # noqa: F401  (models of this app)


class ProfilIndexPage(ServedPage, RoutablePageMixin, Page):
    intro = models.TextField(_("pengantar"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["profil.ProfilPage"]
    max_count = 1

    class Meta:
        verbose_name = _("profil")

    @path("")
    def index_route(self, request):
        from profil.selectors import profil_children

        # Here rather than in get_context: the other routes do not show the pages (and Wagtail's
        # public() asks the database for view restrictions as soon as it is called).
        return self.render(request, context_overrides={"children": profil_children(parent=self)})

    @path("sop/", name="sop")
    def sop_route(self, request):
        from profil.selectors import sop_list

        return self.render(
            request,
            template="profil/sop_list.html",
            context_overrides={"sop_versions": sop_list()},
        )

    # Wagtail serves only paths that end in a slash, so no ".pdf" here; the response says what it is.
    @path("sop/<int:version_id>/pdf/", name="sop_pdf")
    def sop_pdf_route(self, request, version_id):
        from profil.selectors import sop_current_version
        from sop.views import pdf_response

        version = sop_current_version(version_id)
        if version is None:  # only the SOP in force is published; older versions stay in the admin
            raise Http404
        return pdf_response(version)

    @path("kontak/", name="kontak")
    def kontak_route(self, request):
        return self.render(request, template="profil/kontak.html")

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if urls:
            base = urls[0]["location"]
            urls += [{**urls[0], "location": base + "sop/"}, {**urls[0], "location": base + "kontak/"}]
        return urls


class ProfilPage(ServedPage, SopItemPageMixin, Page):
    summary = models.TextField(_("ringkasan"), max_length=500, blank=True)
    body = StreamField(ProfilStreamBlock(), verbose_name=_("isi"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["profil.ProfilIndexPage"]
    subpage_types = []
    # Profil pages are written from a disposisi of kind "informasi" on the desk, never from the tree.
    is_creatable = False

    class Meta:
        verbose_name = _("halaman profil")
        verbose_name_plural = _("halaman profil")

    def get_context(self, request, *args, **kwargs):
        from profil.selectors import prefetch_body_renditions

        context = super().get_context(request, *args, **kwargs)
        # Every image of the body with its rendition in one query, however many images there are.
        prefetch_body_renditions(self.body)
        return context


class Banner(Orderable):
    """A picture at the top of the home page, shown between two dates.

    Banners are decoration, not SOP items: they carry no information of their own beyond a link to
    a page (which went through the SOP) or to an official channel, so the site administrator
    manages them as snippets, ordered by dragging in the snippet list, without the ten steps.
    """

    title = models.CharField(_("judul"), max_length=120, help_text=_("Ditampilkan di atas gambar; juga nama tautannya bagi pembaca layar (gambarnya dekorasi)."))
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("gambar"), on_delete=models.PROTECT, related_name="+"
    )
    link_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("tautan ke halaman"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    link_url = models.URLField(_("atau tautan ke URL"), blank=True)
    active_from = models.DateField(_("tampil mulai"), null=True, blank=True, help_text=_("Kosongkan untuk segera."))
    active_until = models.DateField(
        _("tampil sampai"), null=True, blank=True, help_text=_("Termasuk tanggal ini. Kosongkan untuk seterusnya.")
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("image"),
        MultiFieldPanel([FieldPanel("link_page"), FieldPanel("link_url")], heading=_("Tautan")),
        FieldRowPanel([FieldPanel("active_from"), FieldPanel("active_until")], heading=_("Masa tampil (WITA)")),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("banner beranda")
        verbose_name_plural = _("banner beranda")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.link_page_id and self.link_url:
            raise ValidationError(_("Pilih satu halaman atau isi satu URL (tidak keduanya)."))
        if self.active_from and self.active_until and self.active_until < self.active_from:
            raise ValidationError({"active_until": _("Tanggal akhir tidak boleh sebelum tanggal mulai.")})

    def get_link(self, request=None) -> str:
        if self.link_page_id and self.link_page is not None and self.link_page.live:
            return self.link_page.get_url(request) or ""
        return self.link_url
