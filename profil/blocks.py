"""The blocks a profil page is written with. No embed block: the public pages load nothing from
third parties."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock

RICHTEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]

# Image sizes the blocks render (profil.selectors prefetches exactly these renditions).
IMAGE_SPEC = "width-960|format-webp"
PHOTO_SPEC = "fill-240x300|format-webp"

# NIP (Nomor Induk Pegawai): 18 digits, often written in groups ("19700101 199503 1 001").
nip_validator = RegexValidator(r"^(\d\s*){18}$", _("NIP terdiri atas 18 angka."))


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Judul bagian")
        template = "profil/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("gambar"))
    alt_text = blocks.CharBlock(
        label=_("teks alternatif"), required=False, help_text=_("Untuk pembaca layar; kosongkan bila sama dengan keterangan.")
    )
    caption = blocks.CharBlock(label=_("keterangan"), required=False)
    credit = blocks.CharBlock(label=_("kredit"), required=False)

    class Meta:
        icon = "image"
        label = _("Gambar")
        template = "profil/blocks/image.html"


class PejabatBlock(blocks.StructBlock):
    """An official of the office: name, position, photo and (optionally) NIP."""

    name = blocks.CharBlock(label=_("nama"), max_length=255)
    jabatan = blocks.CharBlock(label=_("jabatan"), max_length=255)
    photo = ImageChooserBlock(label=_("foto"), required=False)
    nip = blocks.CharBlock(label=_("NIP"), required=False, max_length=24, validators=[nip_validator])

    class Meta:
        icon = "user"
        label = _("Pejabat")
        template = "profil/blocks/pejabat.html"


class ProfilStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Paragraf"), features=RICHTEXT_FEATURES, icon="pilcrow")
    image = ImageBlock()
    pejabat = PejabatBlock()
    table = TableBlock(
        label=_("Tabel"),
        table_options={"contextMenu": ["row_above", "row_below", "col_left", "col_right", "remove_row", "remove_col", "undo", "redo"]},
        template="profil/blocks/table.html",
    )

    def value_from_datadict(self, data, files, prefix):
        # Wagtail reads the posted blocks by position and count and trusts them: a form no editor
        # sends (a count that is not a number, a block that is missing) raised a server error. It
        # becomes an empty value marked unreadable, which ``clean`` turns into a form error.
        try:
            return super().value_from_datadict(data, files, prefix)
        except (KeyError, ValueError, TypeError):
            value = blocks.StreamValue(self, [])
            value.unreadable = True
            return value

    def clean(self, value):
        if getattr(value, "unreadable", False):
            raise blocks.StreamBlockValidationError(
                non_block_errors=[_("Isi halaman tidak terbaca. Muat ulang editor lalu simpan lagi.")]
            )
        return super().clean(value)


# Blocks whose value holds an image: block type → (field, the rendition it is shown as).
IMAGE_FIELDS = {"image": ("image", IMAGE_SPEC), "pejabat": ("photo", PHOTO_SPEC)}
