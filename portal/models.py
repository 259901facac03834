"""The public regency website. Berita pages are written by Staf on the desk and go live only at
the SOP's last step (see ``desk.models.SopItemPageMixin``)."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from desk.models import SopItemPageMixin, perangkat_daerah_field
from portal.serving import ServedPage

BERITA_PER_PAGE = 10
HOME_LATEST = 6
RELATED_BERITA = 3


@register_snippet
class BeritaCategory(models.Model):
    name = models.CharField(_("nama"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("kategori berita")
        verbose_name_plural = _("kategori berita")

    def __str__(self):
        return self.name


class HomePage(ServedPage, Page):
    intro = models.TextField(_("pengantar"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    # Each section's index page names HomePage as its parent (desk.content_types lists them).
    max_count = 1
    # What get_context below lists, for the full-page cache (portal.page_cache).
    page_cache_lists = ("portal.beritapage", "pengumuman.pengumumanpage", "kegiatan.kegiatanpage", "profil.banner")

    class Meta:
        verbose_name = _("beranda")

    def jsonld(self, request):
        from portal.seo import OFFICE

        return {**OFFICE, "url": self.get_full_url(request)}

    def get_context(self, request, *args, **kwargs):
        from kegiatan.selectors import kegiatan_upcoming
        from pengumuman.selectors import pengumuman_current
        from portal.selectors import berita_latest
        from profil.selectors import banners_active

        context = super().get_context(request, *args, **kwargs)
        context["banners"] = banners_active()
        context["latest_berita"] = berita_latest(limit=HOME_LATEST)
        context["pengumuman_terkini"] = pengumuman_current(3)
        context["kegiatan_mendatang"] = kegiatan_upcoming(limit=3)
        return context


class BeritaIndexPage(ServedPage, Page):
    intro = models.TextField(_("pengantar"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.BeritaPage"]
    max_count = 1

    class Meta:
        verbose_name = _("daftar berita")

    def get_context(self, request, *args, **kwargs):
        from portal.selectors import berita_list

        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "").strip()[:100] or None
        paginator = Paginator(berita_list(parent=self, tag=tag), BERITA_PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("halaman", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        context["page_obj"] = page_obj
        context["berita"] = page_obj.object_list
        context["tag"] = tag
        return context


class BeritaPage(ServedPage, SopItemPageMixin, Page):
    summary = models.TextField(_("ringkasan"), max_length=500, blank=True)
    body = RichTextField(_("isi berita"), blank=True)
    category = models.ForeignKey(
        BeritaCategory, verbose_name=_("kategori"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(_("sumber"), max_length=255, blank=True)
    # The body the news concerns; the desk fills it from the agenda item.
    perangkat_daerah = perangkat_daerah_field(_("Perangkat Daerah"))
    tags = ClusterTaggableManager(_("tag"), through="portal.BeritaPageTag", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("images", label=_("Foto"), heading=_("Foto")),
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("tags"), FieldPanel("source"), FieldPanel("perangkat_daerah")],
            heading=_("Keterangan"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["portal.BeritaIndexPage"]
    subpage_types = []
    # Berita are created from a disposisi on the desk, never from the page tree.
    is_creatable = False

    class Meta:
        verbose_name = _("berita")
        verbose_name_plural = _("berita")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The photos with their images and renditions in two queries, however many photos there are.
        context["photos"] = self.images.select_related("image").prefetch_related("image__renditions")
        from portal.selectors import berita_related

        context["tags"] = list(self.tags.all())
        context["related"] = berita_related(self, tags=context["tags"], limit=RELATED_BERITA)
        return context

    og_type = "article"
    # The category and the writer (the byline) come with the page itself (portal.serving).
    serve_select_related = ("category", "owner", "perangkat_daerah")

    def jsonld(self, request):
        from portal.seo import OFFICE, description_of

        data = {
            "@type": "NewsArticle",
            "headline": self.title[:110],
            "description": description_of(self),
            # Local (WITA) offsets, as the page itself shows them.
            "datePublished": localtime(self.first_published_at).isoformat() if self.first_published_at else None,
            "dateModified": localtime(self.last_published_at or self.first_published_at).isoformat()
            if self.first_published_at
            else None,
            "mainEntityOfPage": self.get_full_url(request),
            "inLanguage": "id",
            "publisher": OFFICE,
        }
        if self.category_id:
            data["articleSection"] = self.category.name
        return data

    @property
    def lead_image(self):
        images = list(self.images.all())
        return images[0] if images else None


class BeritaPageImage(Orderable):
    page = ParentalKey(BeritaPage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("foto"), on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(_("keterangan foto"), max_length=255, blank=True)
    credit = models.CharField(_("kredit foto"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption"), FieldPanel("credit")]

    class Meta(Orderable.Meta):
        verbose_name = _("foto berita")
        verbose_name_plural = _("foto berita")


class BeritaPageTag(TaggedItemBase):
    content_object = ParentalKey(BeritaPage, on_delete=models.CASCADE, related_name="tagged_items")
