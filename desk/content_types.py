"""Which page type each kind of agenda item becomes, in which section of the public site it is
written, what of the agenda its draft starts with, and which of its fields reviewers read. Every
type here is produced through the SOP (its model uses ``SopItemPageMixin``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ReviewField:
    """One line of the review screen: a field of the page model (its verbose name is the label)
    or any attribute of the page, such as a property, with its own label."""

    name: str
    label: str | None = None
    empty: str = "—"


@dataclass(frozen=True)
class ContentType:
    kind: str
    label: str
    page_model: str  # "app_label.ModelName"
    index_model: str
    index_title: str
    index_slug: str
    # Shown on the desk's review screen besides title, summary, photos and body, in this order;
    # a plain string is shorthand for ``ReviewField(name)``.
    review_fields: tuple[ReviewField | str, ...] = ()
    # Rendered after those lines with ``page`` set to the revision under review.
    review_template: str = ""
    # (agenda attribute, page field): what a new draft copies from its agenda item, so the Staf
    # does not type again what the Kasi already planned.
    from_agenda: tuple[tuple[str, str], ...] = ()

    def page_class(self):
        return apps.get_model(self.page_model)

    def index_class(self):
        return apps.get_model(self.index_model)

    def index_page(self):
        """The section the items of this kind are written under (the first one in the tree)."""
        return self.index_class().objects.order_by("path").first()

    @property
    def review_specs(self) -> list[ReviewField]:
        return [f if isinstance(f, ReviewField) else ReviewField(f) for f in self.review_fields]


CONTENT_TYPES: dict[str, ContentType] = {
    ct.kind: ct
    for ct in [
        ContentType(
            "berita", _("Berita"), "portal.BeritaPage", "portal.BeritaIndexPage", "Berita", "berita",
            review_fields=("category", "source", "perangkat_daerah"),
            from_agenda=(("perangkat_daerah", "perangkat_daerah"),),
        ),
        ContentType(
            "pengumuman", _("Pengumuman"), "pengumuman.PengumumanPage", "pengumuman.PengumumanIndexPage",
            "Pengumuman", "pengumuman",
            review_fields=(
                "berlaku_mulai",
                ReviewField("berlaku_sampai", empty=_("Tanpa batas waktu")),
                "attachment",
            ),
        ),
        ContentType(
            "kegiatan", _("Agenda kegiatan"), "kegiatan.KegiatanPage", "kegiatan.KegiatanIndexPage",
            "Agenda Kegiatan", "agenda",
            review_fields=(ReviewField("when", _("Waktu (WITA)")), "place", "organiser", "organiser_text", "image"),
            # The agenda knows the day, not the hours: the draft starts at midnight WITA of that day
            # and the Staf sets the times.
            from_agenda=(("perangkat_daerah", "organiser"), ("place", "place"), ("planned_date", "start")),
        ),
        ContentType(
            "potensi_daerah", _("Potensi daerah"), "potensi.PotensiPage", "potensi.PotensiIndexPage",
            "Potensi Daerah", "potensi-daerah",
            review_fields=(
                "sektor",
                "kecamatan",
                "desa",
                ReviewField("coordinates", _("Koordinat (lintang, bujur)")),
                "contact_name",
                "contact_phone",
                "contact_email",
                "contact_website",
                "perangkat_daerah",
            ),
            from_agenda=(("perangkat_daerah", "perangkat_daerah"),),
        ),
        ContentType(
            "data", _("Data"), "opendata.DataSetPage", "opendata.DataIndexPage", "Data", "data",
            # Satu Data Indonesia's metadata; the description is the page's summary.
            review_fields=(
                "produsen",
                "produsen_lain",
                "periode",
                "frekuensi",
                "satuan",
                "lisensi",
                "tanggal_rilis",
                "kata_kunci",
                "data_file",
                ReviewField("row_count", _("Jumlah baris")),
            ),
            review_template="opendata/includes/dataset_review.html",
            from_agenda=(("perangkat_daerah", "produsen"),),
        ),
        ContentType(
            "informasi", _("Informasi / profil"), "profil.ProfilPage", "profil.ProfilIndexPage", "Profil", "profil"
        ),
        ContentType(
            "ppid", _("Informasi publik (PPID)"), "ppid.InformasiPublikPage", "ppid.PpidIndexPage", "PPID", "ppid",
            # The columns of the Daftar Informasi Publik.
            review_fields=(
                "kategori",
                "ringkasan",
                "pejabat_penguasa",
                "penanggung_jawab",
                "waktu_pembuatan",
                "tempat_pembuatan",
                "bentuk",
                "retensi",
                "alasan_pengecualian",
                "dokumen",
            ),
        ),
    ]
}


def content_type_for(kind: str) -> ContentType:
    return CONTENT_TYPES[kind]


def content_type_of(page) -> ContentType | None:
    """The entry whose page type ``page`` is (None for a page type the desk does not write)."""
    label = page._meta.label_lower
    for ct in CONTENT_TYPES.values():
        if ct.page_model.lower() == label:
            return ct
    return None


def installed_content_types() -> list[ContentType]:
    """The kinds whose apps are installed (all of them in this project; kept defensive for tests)."""
    installed = []
    for ct in CONTENT_TYPES.values():
        try:
            ct.page_class()
            ct.index_class()
        except LookupError:
            continue
        installed.append(ct)
    return installed
