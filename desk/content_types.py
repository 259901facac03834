"""Which page type each kind of agenda item becomes, and in which section of the public site it is
written. Every type here is produced through the SOP (its model uses ``SopItemPageMixin``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ContentType:
    kind: str
    label: str
    page_model: str  # "app_label.ModelName"
    index_model: str
    index_title: str
    index_slug: str

    def page_class(self):
        return apps.get_model(self.page_model)

    def index_class(self):
        return apps.get_model(self.index_model)

    def index_page(self):
        """The section the items of this kind are written under (the first one in the tree)."""
        return self.index_class().objects.order_by("path").first()


CONTENT_TYPES: dict[str, ContentType] = {
    ct.kind: ct
    for ct in [
        ContentType("berita", _("Berita"), "portal.BeritaPage", "portal.BeritaIndexPage", "Berita", "berita"),
        ContentType(
            "pengumuman", _("Pengumuman"), "pengumuman.PengumumanPage", "pengumuman.PengumumanIndexPage",
            "Pengumuman", "pengumuman",
        ),
        ContentType(
            "kegiatan", _("Agenda kegiatan"), "kegiatan.KegiatanPage", "kegiatan.KegiatanIndexPage",
            "Agenda Kegiatan", "agenda",
        ),
        ContentType(
            "potensi_daerah", _("Potensi daerah"), "potensi.PotensiPage", "potensi.PotensiIndexPage",
            "Potensi Daerah", "potensi-daerah",
        ),
        ContentType("data", _("Data"), "opendata.DataSetPage", "opendata.DataIndexPage", "Data", "data"),
        ContentType(
            "informasi", _("Informasi / profil"), "profil.ProfilPage", "profil.ProfilIndexPage", "Profil", "profil"
        ),
        ContentType(
            "ppid", _("Informasi publik (PPID)"), "ppid.InformasiPublikPage", "ppid.PpidIndexPage", "PPID", "ppid"
        ),
    ]
}


def content_type_for(kind: str) -> ContentType:
    return CONTENT_TYPES[kind]


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
