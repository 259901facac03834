"""Uploaded images and documents are judged by their content, not their names (docs/security.md,
"Uploads").

Every upload path of Wagtail's admin (single and multiple upload, the chooser modals' upload
tabs, replacing a file) builds its form from ``WAGTAILIMAGES_IMAGE_FORM_BASE`` /
``WAGTAILDOCS_DOCUMENT_FORM_BASE``, i.e. :class:`ImageForm` and :class:`DocumentForm` here:

- **Images**: Wagtail's field has already opened the file with Willow, refused a format that
  differs from the extension, anything that is not an image (SVG, HTML, PDF renamed ``.png``) and
  more than ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` (width × height × frames). The form then decodes
  the image with Pillow and writes it again in the same format: metadata (EXIF with the phone's
  GPS position, XMP, comments) and anything appended after the image data (a ZIP or HTML payload
  of a polyglot) are not carried over; the orientation is applied to the pixels first and the
  colour profile kept. Animated GIF and WebP keep their frames: they are re-encoded frame by frame
  and already bounded by the pixel limit, which counts frames.
- **Documents**: the extension must be allowed (``WAGTAILDOCS_EXTENSIONS``) and the content must be
  of that kind: PDF starts with ``%PDF-``; DOCX/XLSX/PPTX are ZIP archives with
  ``[Content_Types].xml`` declaring that kind's main part and no macros; ODT/ODS are ZIP archives
  whose first entry ``mimetype`` names that kind; CSV/TXT are text (UTF-8 or Windows-1252, no NUL,
  not HTML/SVG/XML markup). Archives are refused before anything reads them when their entries
  would unpack to more than ``LONTAR_UPLOAD_MAX_UNZIPPED_BYTES`` or at a ratio above
  ``LONTAR_UPLOAD_MAX_ZIP_RATIO`` (zip bombs).
- **Names** (both): Unicode NFKC, the last path part only, no control or bidirectional-override
  characters, no leading dots, the extension in lower case, at most ``MAX_NAME_LENGTH``
  characters. Titles lose control and bidi characters too, so ``invoice\\u202efdp.exe`` cannot
  pose as a PDF in a list.

Wagtail's multiple uploader keeps a file that passed the file checks but failed another field
(a title too long) as a ``wagtailcore.UploadedFile`` and turns it into an image or document
later without the form's file field: :func:`rewrite_pending_upload` (a ``pre_save`` receiver)
gives that file the same treatment before it is stored.
"""

import io
import os
import re
import unicodedata
import warnings
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

MAX_NAME_LENGTH = 100
EXIF_ORIENTATION = 0x0112
FALLBACK_STEM = "berkas"
# How much of a text upload is read to judge it; the rest is not looked at.
TEXT_SAMPLE_BYTES = 1024 * 1024
ZIP_MAX_ENTRIES = 5000
ZIP_RATIO_FROM_BYTES = 1024 * 1024

# Pillow's names for the formats Wagtail lets through (WAGTAILIMAGES_EXTENSIONS), and how each
# is written back.
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP", "avif": "AVIF"}
MIME_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp", "avif": "image/avif"}

# Office Open XML: the main part's content type each extension must declare.
OOXML_MAIN = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
TEXT_EXTENSIONS = {"csv", "txt"}
MARKUP_START = re.compile(rb"^\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe|object)\b", re.IGNORECASE)


# --- names -----------------------------------------------------------------------------------------


def _visible(text: str) -> str:
    """``text`` without control and format characters (Unicode Cc/Cf: NUL, CR/LF, bidi overrides,
    zero-width joiners), NFKC-normalised so look-alike compatibility forms become plain letters."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)


def normalise_filename(name: str, *, max_length: int = MAX_NAME_LENGTH) -> str:
    """A safe file name for ``name`` as a browser sent it."""
    name = _visible(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = re.sub(r"[^a-z0-9]", "", extension.lower())[:10]
    stem = stem.strip(" .") or FALLBACK_STEM
    room = max_length - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip(" .") or FALLBACK_STEM
    return f"{stem}.{extension}" if extension else stem


def clean_title_text(title: str) -> str:
    return re.sub(r"\s+", " ", _visible(title or "")).strip()


def extension_of(name: str) -> str:
    return os.path.splitext(name)[1][1:].lower()


# --- images ------------------------------------------------------------------------------------------


def limit_pillow():
    """Pillow refuses to decode more pixels than Wagtail accepts on upload, wherever it opens an
    image (renditions, Willow, WeasyPrint). Pillow warns above its limit and raises above twice
    that; the warning is raised as an error for uploads (:func:`reencode_image`)."""
    PILImage.MAX_IMAGE_PIXELS = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", None) or PILImage.MAX_IMAGE_PIXELS


def reencode_image(data: bytes, format_name: str) -> bytes:
    """``data`` decoded and written again as ``format_name`` (Willow's name: jpeg, png, gif, webp,
    avif) without metadata or trailing bytes. Raises ``ValidationError`` if Pillow cannot."""
    pillow_format = PILLOW_FORMATS.get(format_name)
    if pillow_format is None:
        raise ValidationError(_("Format gambar ini tidak diterima."), code="invalid_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            source = PILImage.open(io.BytesIO(data))
            if source.format != pillow_format:
                raise ValidationError(_("Isi berkas tidak sesuai dengan jenis gambarnya."), code="invalid_image")
            frames = getattr(source, "n_frames", 1)
            out = io.BytesIO()
            icc_profile = source.info.get("icc_profile")
            options = {"icc_profile": icc_profile} if icc_profile else {}
            if frames > 1 and pillow_format in ("GIF", "WEBP"):
                _save_animation(source, out, pillow_format, options)
            else:
                _save_still(source, out, pillow_format, options)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ValidationError(_("Gambar ini terlalu banyak pikselnya."), code="file_too_many_pixels") from None
    except ValidationError:
        raise
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ValidationError(_("Gambar ini rusak atau tidak dapat dibaca."), code="invalid_image") from exc
    return out.getvalue()


def _save_still(source, out, pillow_format: str, options: dict):
    source.load()
    # EXIF orientation (phones store photos sideways and say so): applied to the pixels, since
    # the EXIF that said it is not written again.
    orientation = source.getexif().get(EXIF_ORIENTATION, 1)
    image = ImageOps.exif_transpose(source) if orientation not in (None, 1) else source
    if pillow_format == "JPEG" and image is source:
        # The original quantisation tables: no second generation of JPEG loss. Pillow would copy
        # the source's comment unless told otherwise.
        options |= {"quality": "keep", "subsampling": "keep", "optimize": True, "comment": b""}
    else:
        # A copy with no ``info``: nothing the source carried (EXIF, XMP, text chunks, comments)
        # can reach the writer except what ``options`` names.
        transparency = source.info.get("transparency")
        image = image.copy()
        image.info = {}
        if transparency is not None and pillow_format in ("PNG", "GIF"):
            options["transparency"] = transparency
        if pillow_format == "JPEG":
            options |= {"quality": 90, "optimize": True}
            if image.mode not in ("L", "RGB", "CMYK"):
                image = image.convert("RGB")
        elif pillow_format == "PNG":
            options["optimize"] = True
        elif pillow_format == "WEBP":
            options |= {"quality": 90, "method": 4}
        elif pillow_format == "AVIF":
            options["quality"] = 80
    image.save(out, format=pillow_format, **options)


def _save_animation(source, out, pillow_format: str, options: dict):
    options["save_all"] = True
    if "loop" in source.info:
        options["loop"] = source.info["loop"]
    if pillow_format == "GIF":
        options["comment"] = b""  # Pillow copies the first frame's comment otherwise
    if pillow_format == "WEBP":
        options |= {"quality": 90, "method": 4}
    if "duration" in source.info:
        options["duration"] = source.info["duration"]
    # Pillow writes each frame again from its decoded pixels (with its own duration and
    # disposal); of the source's metadata it writes only the comment, emptied above (GIF), and
    # EXIF/XMP only when passed (WebP).
    source.save(out, format=pillow_format, **options)


class ImageForm(BaseImageForm):
    """Wagtail's image form (``WAGTAILIMAGES_IMAGE_FORM_BASE``) with Lontar's checks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None:
            # Wagtail's own messages for these two are not translated into Indonesian.
            field.error_messages["invalid_image_known_format"] = _(
                "Isi berkas bukan gambar .%(extension)s: berkas ini berformat %(image_format)s. "
                "Simpan ulang gambar dengan format yang sesuai dengan namanya."
            )
            field.error_messages["file_too_many_pixels"] = _(
                "Gambar ini terlalu besar (%(num_pixels)s piksel). Paling banyak %(max_pixels_count)s piksel: "
                "perkecil ukuran gambar lalu unggah lagi."
            )

    def clean_title(self):
        return clean_title_text(self.cleaned_data.get("title", ""))

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded or "file" not in self.changed_data or not hasattr(uploaded, "image"):
            return uploaded
        return sanitised_image(uploaded, uploaded.image.format_name)


def sanitised_image(uploaded, format_name: str) -> SimpleUploadedFile:
    """The upload as a new in-memory file: re-encoded content, normalised name."""
    uploaded.seek(0)
    data = reencode_image(uploaded.read(), format_name)
    name = normalise_filename(uploaded.name)
    result = SimpleUploadedFile(name, data, content_type=MIME_TYPES[format_name])
    # Wagtail's multiple uploader and the image model read the Willow image the field opened.
    result.image = getattr(uploaded, "image", None)
    return result


# --- documents ---------------------------------------------------------------------------------------


def check_document(uploaded, extension: str):
    """Raise ``ValidationError`` unless ``uploaded``'s content is a document of ``extension``."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            raise ValidationError(_("Isi berkas ini bukan PDF."), code="invalid_document")
    elif extension in OOXML_MAIN or extension in ODF_MIMETYPES:
        _check_archive(uploaded, extension)
    elif extension in TEXT_EXTENSIONS:
        _check_text(uploaded.read(TEXT_SAMPLE_BYTES))
    else:
        raise ValidationError(_("Jenis dokumen ini tidak diterima."), code="invalid_document")
    uploaded.seek(0)


def _check_archive(uploaded, extension: str):
    kind = extension.upper()
    not_kind = ValidationError(
        _("Isi berkas ini bukan dokumen %(kind)s."), code="invalid_document", params={"kind": kind}
    )
    try:
        archive = zipfile.ZipFile(uploaded)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_kind from None
    with archive:
        entries = archive.infolist()
        # The sizes are read from the archive's directory, before anything is unpacked; Python's
        # zipfile (and openpyxl, which uses it) never unpacks past them.
        unpacked = sum(e.file_size for e in entries)
        packed = sum(e.compress_size for e in entries) or 1
        limit = settings.LONTAR_UPLOAD_MAX_UNZIPPED_BYTES
        # The ratio matters only for what is big once unpacked: small parts compress very well.
        too_dense = unpacked > ZIP_RATIO_FROM_BYTES and unpacked / packed > settings.LONTAR_UPLOAD_MAX_ZIP_RATIO
        if len(entries) > ZIP_MAX_ENTRIES or unpacked > limit or too_dense:
            raise ValidationError(
                _(
                    "Dokumen ini terlalu besar bila dibuka (%(size)s). Paling banyak %(limit)s; "
                    "berkas yang dipadatkan berlebihan ditolak."
                ),
                code="zip_bomb",
                params={"size": filesizeformat(unpacked), "limit": filesizeformat(limit)},
            )
        names = {e.filename for e in entries}
        if extension in OOXML_MAIN:
            if "[Content_Types].xml" not in names:
                raise not_kind
            content_types = archive.read("[Content_Types].xml")
            if OOXML_MAIN[extension] not in content_types:
                raise not_kind
            if any(name.lower().endswith("vbaproject.bin") for name in names) or b"macroEnabled" in content_types:
                raise ValidationError(
                    _("Dokumen berisi makro tidak diterima. Simpan ulang sebagai %(kind)s biasa."),
                    code="macro",
                    params={"kind": kind},
                )
        else:
            first = entries[0] if entries else None
            if first is None or first.filename != "mimetype":
                raise not_kind
            if archive.read(first).strip() != ODF_MIMETYPES[extension]:
                raise not_kind


def _check_text(sample: bytes):
    if b"\x00" in sample:
        raise ValidationError(_("Berkas teks ini berisi data biner."), code="invalid_document")
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if len(sample) == TEXT_SAMPLE_BYTES and exc.start >= len(sample) - 3:
            text = sample[: exc.start].decode("utf-8-sig")  # the sample ends inside a character
        else:
            try:
                # Spreadsheets saved as CSV on Windows; its five undefined bytes are not text.
                text = sample.decode("cp1252")
            except UnicodeDecodeError:
                raise ValidationError(
                    _("Berkas teks ini tidak dapat dibaca sebagai teks (UTF-8)."), code="invalid_document"
                ) from None
    if MARKUP_START.match(text.encode("utf-8")):
        raise ValidationError(_("Berkas teks ini berisi HTML, SVG atau XML."), code="invalid_document")


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (``WAGTAILDOCS_DOCUMENT_FORM_BASE``) with Lontar's checks."""

    def clean_title(self):
        return clean_title_text(self.cleaned_data.get("title", ""))

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded or "file" not in self.changed_data or not hasattr(uploaded, "content_type"):
            return uploaded
        return sanitised_document(uploaded)


def sanitised_document(uploaded):
    """The upload, checked, under its normalised name (the extension is checked by the model's
    validator against ``WAGTAILDOCS_EXTENSIONS``, with Wagtail's message)."""
    uploaded.name = normalise_filename(uploaded.name)
    extension = extension_of(uploaded.name)
    if extension in getattr(settings, "WAGTAILDOCS_EXTENSIONS", []):
        check_document(uploaded, extension)
    return uploaded


# --- Wagtail's pending uploads -------------------------------------------------------------------------


def rewrite_pending_upload(sender, instance, raw=False, **kwargs):
    """``pre_save`` of ``wagtailcore.UploadedFile``: a file the multiple uploader keeps for later
    gets the same checks and rewriting as one that becomes an image or document at once."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    file = instance.file
    if raw or not file or getattr(file, "_committed", True):
        return
    model = instance.for_content_type.model_class() if instance.for_content_type_id else None
    if model is not None and issubclass(model, get_image_model()):
        import willow

        file.seek(0)
        image = willow.Image.open(io.BytesIO(file.read()))
        file.seek(0)
        cleaned = sanitised_image(file, image.format_name)
    elif model is not None and issubclass(model, get_document_model()):
        cleaned = sanitised_document(file.file)
    else:
        return
    instance.file = cleaned


def connect():
    from django.db.models.signals import pre_save
    from wagtail.models import UploadedFile

    limit_pillow()
    pre_save.connect(rewrite_pending_upload, sender=UploadedFile, dispatch_uid="lontar.uploads.pending")
