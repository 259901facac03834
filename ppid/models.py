"""PPID: public information under UU 14/2008 (Keterbukaan Informasi Publik) and Perki 1/2021.

``PpidIndexPage`` is the section of the public site: its page is the Daftar Informasi Publik
(DIP) and it serves the public request form (``permohonan/``). Each DIP entry is an
``InformasiPublikPage`` written and published through the SOP like any other item.
A citizen's request is a ``PermohonanInformasi`` row, never a page: it holds personal data.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from desk.models import SopItemPageMixin
from portal.serving import ServedPage


class KategoriInformasi(models.TextChoices):
    """The kinds of public information of UU 14/2008 Pasal 9–11 and 17."""

    BERKALA = "berkala", _("Informasi berkala")
    SERTA_MERTA = "serta-merta", _("Informasi serta-merta")
    SETIAP_SAAT = "setiap-saat", _("Informasi setiap saat")
    DIKECUALIKAN = "dikecualikan", _("Informasi yang dikecualikan")


class BentukInformasi(models.TextChoices):
    CETAK = "cetak", _("Cetak")
    ELEKTRONIK = "elektronik", _("Elektronik")
    CETAK_ELEKTRONIK = "cetak-elektronik", _("Cetak dan elektronik")


class PpidIndexPage(ServedPage, RoutablePageMixin, Page):
    """The PPID section: the DIP at its own address, the request form at ``permohonan/``."""

    intro = models.TextField(_("pengantar"), blank=True)
    pejabat_nama = models.CharField(_("nama pejabat PPID"), max_length=255, blank=True)
    pejabat_jabatan = models.CharField(_("jabatan"), max_length=255, blank=True)
    alamat = models.TextField(_("alamat layanan"), blank=True)
    telepon = models.CharField(_("telepon"), max_length=64, blank=True)
    email = models.EmailField(_("email"), blank=True)
    jam_layanan = models.CharField(_("jam layanan"), max_length=255, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("pejabat_nama"),
                FieldPanel("pejabat_jabatan"),
                FieldPanel("alamat"),
                FieldPanel("telepon"),
                FieldPanel("email"),
                FieldPanel("jam_layanan"),
            ],
            heading=_("Kontak PPID"),
        ),
    ]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["ppid.InformasiPublikPage"]
    max_count = 1

    class Meta:
        verbose_name = _("PPID (daftar informasi publik)")

    @path("", name="dip")
    def dip(self, request):
        from ppid import views

        return views.dip(request, page=self)

    @path("permohonan/", name="permohonan")
    def permohonan(self, request):
        from ppid import views

        return views.permohonan(request, page=self)

    @path("permohonan/tanda-terima/<uuid:token>/", name="tanda_terima")
    def tanda_terima(self, request, token):
        from ppid import views

        return views.tanda_terima(request, page=self, token=token)

    def subpage_url(self, request, name: str, *args) -> str:
        return self.get_url(request) + self.reverse_subpage(name, args=args)


class InformasiPublikPage(ServedPage, SopItemPageMixin, Page):
    """One entry of the Daftar Informasi Publik, with the columns Perki 1/2021 requires.

    An excluded entry ("dikecualikan") is listed with its summary and the reason for the
    exclusion; it may never carry the document itself.
    """

    kategori = models.CharField(
        _("kategori"), max_length=20, choices=KategoriInformasi.choices, default=KategoriInformasi.BERKALA,
        db_index=True,
    )
    ringkasan = models.TextField(_("ringkasan isi informasi"), blank=True)
    pejabat_penguasa = models.CharField(
        _("pejabat/unit yang menguasai informasi"), max_length=255, blank=True
    )
    penanggung_jawab = models.CharField(
        _("penanggung jawab pembuatan/penerbitan informasi"), max_length=255, blank=True
    )
    waktu_pembuatan = models.CharField(
        _("waktu pembuatan informasi"), max_length=100, blank=True, help_text=_("Misalnya: Januari 2026, atau Setiap tahun.")
    )
    tempat_pembuatan = models.CharField(_("tempat pembuatan informasi"), max_length=255, blank=True)
    bentuk = models.CharField(
        _("bentuk informasi"), max_length=20, choices=BentukInformasi.choices, default=BentukInformasi.ELEKTRONIK
    )
    retensi = models.CharField(
        _("jangka waktu penyimpanan (retensi)"), max_length=100, blank=True, help_text=_("Misalnya: 5 tahun.")
    )
    alasan_pengecualian = models.TextField(
        _("alasan pengecualian"),
        blank=True,
        help_text=_("Wajib untuk informasi yang dikecualikan: dasar hukum (UU 14/2008 Pasal 17) dan uji konsekuensi."),
    )
    dokumen = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("dokumen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Tidak boleh diisi untuk informasi yang dikecualikan."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("kategori"),
        FieldPanel("ringkasan"),
        MultiFieldPanel(
            [
                FieldPanel("pejabat_penguasa"),
                FieldPanel("penanggung_jawab"),
                FieldPanel("waktu_pembuatan"),
                FieldPanel("tempat_pembuatan"),
                FieldPanel("bentuk"),
                FieldPanel("retensi"),
            ],
            heading=_("Keterangan DIP"),
        ),
        FieldPanel("alasan_pengecualian"),
        FieldPanel("dokumen"),
    ]
    search_fields = Page.search_fields + [index.SearchField("ringkasan")]
    parent_page_types = ["ppid.PpidIndexPage"]
    subpage_types = []
    # Entries are created from a disposisi on the desk, never from the page tree.
    is_creatable = False

    class Meta:
        verbose_name = _("informasi publik")
        verbose_name_plural = _("informasi publik")

    def clean(self):
        super().clean()
        if self.kategori == KategoriInformasi.DIKECUALIKAN:
            errors = {}
            if self.dokumen_id:
                errors["dokumen"] = _("Informasi yang dikecualikan tidak boleh melampirkan dokumennya.")
            if not self.alasan_pengecualian.strip():
                errors["alasan_pengecualian"] = _("Tuliskan alasan pengecualian informasi ini.")
            if errors:
                raise ValidationError(errors)

    @property
    def dikecualikan(self) -> bool:
        return self.kategori == KategoriInformasi.DIKECUALIKAN

    @property
    def dokumen_publik(self):
        """The attached document, or None for an excluded entry whatever is stored."""
        return None if self.dikecualikan else self.dokumen


class PermohonanInformasi(models.Model):
    """A citizen's request for information (Perki 1/2021 Pasal 32 ff.).

    Holds personal data (NIK, address, phone, e-mail): shown only to the PPID group in the admin,
    never on a public page. The public receipt is reached by its random ``token``.
    """

    class Status(models.TextChoices):
        BARU = "baru", _("Baru")
        DIPROSES = "diproses", _("Diproses")
        SELESAI = "selesai", _("Selesai")
        DITOLAK = "ditolak", _("Ditolak")

    class CaraMemperoleh(models.TextChoices):
        MELIHAT = "melihat", _("Melihat/membaca/mendengarkan/mencatat")
        SALINAN = "salinan", _("Mendapatkan salinan informasi (hardcopy/softcopy)")

    class CaraSalinan(models.TextChoices):
        LANGSUNG = "langsung", _("Mengambil langsung")
        POS = "pos", _("Pos")
        EMAIL = "email", _("Dikirim melalui email")

    OPEN_STATUSES = (Status.BARU, Status.DIPROSES)

    nomor = models.CharField(_("nomor registrasi"), max_length=32, unique=True, editable=False)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nama = models.CharField(_("nama"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16)
    alamat = models.TextField(_("alamat"), max_length=500)
    pekerjaan = models.CharField(_("pekerjaan"), max_length=100)
    telepon = models.CharField(_("nomor telepon"), max_length=20)
    email = models.EmailField(_("alamat email"), blank=True)
    rincian = models.TextField(_("rincian informasi yang dibutuhkan"), max_length=3000)
    tujuan = models.TextField(_("tujuan penggunaan informasi"), max_length=1000)
    cara_memperoleh = models.CharField(_("cara memperoleh informasi"), max_length=16, choices=CaraMemperoleh.choices)
    cara_mendapatkan_salinan = models.CharField(
        _("cara mendapatkan salinan"), max_length=16, choices=CaraSalinan.choices, blank=True
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.BARU)
    catatan = models.TextField(_("catatan petugas"), blank=True)
    created_at = models.DateTimeField(_("diterima pada"), default=timezone.now, editable=False)
    deadline = models.DateField(
        _("batas waktu jawaban"), editable=False, help_text=_("10 hari kerja (UU 14/2008 Pasal 22 ayat 7).")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("permohonan informasi")
        verbose_name_plural = _("permohonan informasi")
        # Requests come only from the public form and are kept as records: no add/delete.
        default_permissions = ("view", "change")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return self.nomor

    @property
    def terlambat(self) -> bool:
        """Still open after its statutory deadline (WITA)."""
        return self.status in self.OPEN_STATUSES and self.deadline < timezone.localdate()


class NomorUrutPermohonan(models.Model):
    """The last registration number given in a year; its row is locked while the next is taken."""

    tahun = models.PositiveIntegerField(primary_key=True)
    terakhir = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("nomor urut permohonan")
        verbose_name_plural = _("nomor urut permohonan")

    def __str__(self):
        return f"{self.tahun}: {self.terakhir}"
