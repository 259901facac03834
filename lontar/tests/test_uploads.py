"""Hostile and ordinary files uploaded through Wagtail's admin views by a Staf, as a browser sends
them (lontar.uploads): refused ones leave no row and no file behind and say why in Indonesian;
accepted images are stored re-encoded, without metadata or appended payloads."""

import io
import zipfile
from unittest import mock

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, UploadedFile

from desk.tests.helpers import client_for
from lontar.testing import build_world
from lontar.tests import upload_files as F
from lontar.uploads import clean_title_text, normalise_filename

Image = get_image_model()
Document = get_document_model()
FOLDERS = ("original_images", "documents", "wagtail_uploads")


def stored_files() -> set[str]:
    names = set()
    for folder in FOLDERS:
        if default_storage.exists(folder):
            names |= {f"{folder}/{name}" for name in default_storage.listdir(folder)[1]}
    return names


class UploadCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.collection = Collection.get_first_root_node()

    def setUp(self):
        self.client = client_for(self.people["staf"])

    def snapshot(self):
        return (Image.objects.count(), Document.objects.count(), UploadedFile.objects.count(), stored_files())

    def assertNothingStored(self, before):
        self.assertEqual(self.snapshot(), before)

    def upload_image(self, name: str, data: bytes, *, title: str = "Foto uji", content_type: str = "image/jpeg"):
        return self.client.post(
            reverse("wagtailimages:add"),
            {
                "title": title,
                "collection": self.collection.pk,
                "file": SimpleUploadedFile(name, data, content_type=content_type),
            },
        )

    def upload_document(self, name: str, data: bytes, *, title: str = "Dokumen uji", content_type: str = ""):
        return self.client.post(
            reverse("wagtaildocs:add"),
            {
                "title": title,
                "collection": self.collection.pk,
                "file": SimpleUploadedFile(name, data, content_type=content_type or "application/octet-stream"),
            },
        )

    def refused(self, response, message: str):
        self.assertEqual(response.status_code, 200)
        self.assertIn("file", response.context["form"].errors)
        self.assertContains(response, message)


class ImageUploadTests(UploadCase):
    def stored(self, title="Foto uji") -> tuple[object, bytes]:
        image = Image.objects.get(title=title)
        with image.open_file() as f:
            return image, f.read()

    def test_a_photo_from_a_phone_is_stored_without_its_metadata(self):
        """EXIF (camera, description, GPS) and the JPEG comment are gone; the pixels remain."""
        response = self.upload_image("sawah.jpg", F.jpeg_bytes(gps=True))
        self.assertEqual(response.status_code, 302)
        image, data = self.stored()
        self.assertEqual((image.width, image.height), (64, 48))
        self.assertNotIn(F.GPS_MARKER.encode(), data)
        self.assertNotIn(b"Lontar Phone", data)
        stored = PILImage.open(io.BytesIO(data))
        self.assertEqual(stored.format, "JPEG")
        self.assertEqual(dict(stored.getexif()), {})
        self.assertNotIn("comment", stored.info)

    def test_a_sideways_photo_is_turned_upright_before_its_exif_is_dropped(self):
        """Orientation 6 (rotate 90°): the stored pixels are upright, 48 × 64."""
        self.upload_image("miring.jpg", F.jpeg_bytes(orientation=6))
        image, data = self.stored()
        self.assertEqual((image.width, image.height), (48, 64))
        stored = PILImage.open(io.BytesIO(data))
        self.assertEqual(stored.size, (48, 64))
        self.assertNotIn(0x0112, stored.getexif())

    def test_a_polyglot_loses_what_is_appended_to_the_image(self):
        """A valid JPEG or PNG followed by HTML: accepted, stored without the HTML."""
        for name, data in (("poly.jpg", F.jpeg_bytes()), ("poly.png", F.png_bytes())):
            with self.subTest(name):
                title = f"Poliglot {name}"
                self.assertEqual(self.upload_image(name, data + F.PAYLOAD, title=title).status_code, 302)
                _, stored = self.stored(title)
                self.assertNotIn(b"<script", stored)
                self.assertTrue(stored.startswith(data[:4]))

    def test_an_animated_gif_keeps_its_frames_and_loses_its_comment(self):
        self.assertEqual(self.upload_image("animasi.gif", F.gif_bytes(frames=3)).status_code, 302)
        _, data = self.stored()
        stored = PILImage.open(io.BytesIO(data))
        self.assertEqual(stored.n_frames, 3)
        self.assertNotIn(F.GPS_MARKER.encode(), data)

    def test_a_png_named_jpg_is_refused(self):
        before = self.snapshot()
        response = self.upload_image("foto.jpg", F.png_bytes())
        self.refused(response, "Isi berkas bukan gambar .jpeg: berkas ini berformat png")
        self.assertNothingStored(before)

    def test_html_named_jpg_is_refused(self):
        before = self.snapshot()
        # Willow takes markup for SVG: refused as not being a JPEG.
        self.refused(self.upload_image("foto.jpg", F.HTML), "Isi berkas bukan gambar .jpeg")
        self.assertNothingStored(before)

    def test_svg_is_refused_by_name_and_by_content(self):
        before = self.snapshot()
        self.refused(self.upload_image("logo.svg", F.SVG, content_type="image/svg+xml"), "Format gambar tidak didukung")
        self.refused(
            self.upload_image("logo.png", F.SVG, content_type="image/png"),
            "Isi berkas bukan gambar .png: berkas ini berformat svg",
        )
        self.assertNothingStored(before)

    def test_a_pixel_flood_is_refused_from_its_header_with_a_clear_message(self):
        """30,000 × 30,000 pixels in a small file: refused from the header, nothing decoded (a
        decoded flood is 2.7 GB; counted in decodes, not seconds)."""
        flood = F.pixel_flood_png()
        self.assertLess(len(flood), 2 * 1024 * 1024)
        before = self.snapshot()
        with mock.patch.object(ImageFile.ImageFile, "load", autospec=True, side_effect=ImageFile.ImageFile.load) as load:
            response = self.upload_image("banjir.png", flood, content_type="image/png")
        self.assertEqual(load.call_count, 0)
        self.refused(response, "Gambar ini terlalu besar")
        self.assertNothingStored(before)

    def test_too_many_pixels_below_pillows_own_limit_are_refused(self):
        """50 MP: under Pillow's default bomb limit, over Lontar's 40 MP."""
        before = self.snapshot()
        response = self.upload_image("besar.png", F.pixel_flood_png(10_000, 5_000), content_type="image/png")
        self.refused(response, "Paling banyak 40000000 piksel")
        self.assertNothingStored(before)

    @override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1024)
    def test_an_image_over_the_size_limit_is_refused(self):
        before = self.snapshot()
        big = F.png_bytes((300, 300), mode="RGB") + b"\x00" * 2048
        self.refused(self.upload_image("besar.png", big, content_type="image/png"), "Berkas terlalu besar")
        self.assertNothingStored(before)

    def test_the_file_name_and_title_are_normalised(self):
        response = self.upload_image("../../etc/Ｆｏｔｏ\u202egnp.jpg", F.jpeg_bytes(), title="Foto\u202e gpj.exe")
        self.assertEqual(response.status_code, 302)
        image = Image.objects.get(title="Foto gpj.exe")
        # Django's upload parser already drops unprintable characters; the full-width letters
        # are folded by NFKC.
        self.assertEqual(image.filename, "Fotognp.jpg")
        self.assertNotIn("..", image.file.name)

    def test_the_multiple_uploader_checks_and_rewrites_too(self):
        before = self.snapshot()
        url = reverse("wagtailimages:add_multiple")
        response = self.client.post(
            url, {"files[]": SimpleUploadedFile("x.png", F.SVG), "collection": self.collection.pk}
        )
        self.assertFalse(response.json()["success"])
        self.assertIn("Isi berkas bukan gambar .png", response.json()["error_message"])
        self.assertNothingStored(before)

        response = self.client.post(
            url,
            {
                "files[]": SimpleUploadedFile("jamak.jpg", F.jpeg_bytes(gps=True) + F.PAYLOAD),
                "collection": self.collection.pk,
            },
        )
        self.assertTrue(response.json()["success"])
        image = Image.objects.get(pk=response.json()["image_id"])
        with image.open_file() as f:
            data = f.read()
        self.assertNotIn(F.GPS_MARKER.encode(), data)
        self.assertNotIn(b"<script", data)

    def test_a_file_the_multiple_uploader_keeps_for_later_is_rewritten_too(self):
        """A title over 255 characters sends the file to Wagtail's pending uploads
        (wagtailcore.UploadedFile) instead of the form: it is stored rewritten all the same."""
        response = self.client.post(
            reverse("wagtailimages:add_multiple"),
            {
                "files[]": SimpleUploadedFile("tertunda.jpg", F.jpeg_bytes(gps=True) + F.PAYLOAD),
                "collection": self.collection.pk,
                "title": "x" * 300,
            },
        )
        self.assertTrue(response.json()["success"])
        upload = UploadedFile.objects.get()
        with upload.file.open() as f:
            data = f.read()
        self.assertNotIn(F.GPS_MARKER.encode(), data)
        self.assertNotIn(b"<script", data)
        self.assertEqual(PILImage.open(io.BytesIO(data)).format, "JPEG")


class DocumentUploadTests(UploadCase):
    def accepted(self, response, title="Dokumen uji"):
        if response.status_code != 302:
            self.fail(response.context["form"].errors)
        return Document.objects.get(title=title)

    def test_real_documents_of_every_allowed_kind_are_accepted(self):
        cases = {
            "surat.pdf": F.pdf_bytes(),
            "laporan.docx": F.docx_bytes(),
            "data.xlsx": F.xlsx_bytes(),
            "catatan.odt": F.odt_bytes(),
            "tabel.ods": F.odt_bytes(b"application/vnd.oasis.opendocument.spreadsheet"),
            "data.csv": "kecamatan;jumlah\nKerambitan – Tabanan;12\n".encode(),
            "data-windows.csv": "desa;catatan\nBelayu;sampai Mei\u2013Juni\n".encode("cp1252"),
            "baca.txt": b"Pengumuman tertulis.",
        }
        for name, data in cases.items():
            with self.subTest(name):
                document = self.accepted(self.upload_document(name, data, title=name), title=name)
                self.assertEqual(document.filename, name)

    def test_content_that_does_not_match_the_extension_is_refused(self):
        cases = {
            "surat.pdf": (F.HTML, "Isi berkas ini bukan PDF."),
            "polyglot.pdf": (b"<html>" + F.pdf_bytes(), "Isi berkas ini bukan PDF."),
            "laporan.docx": (F.pdf_bytes(), "Isi berkas ini bukan dokumen DOCX."),
            "arsip.docx": (F._zip([("a.txt", b"halo")]), "Isi berkas ini bukan dokumen DOCX."),
            "tabel.xlsx": (F.docx_bytes(), "Isi berkas ini bukan dokumen XLSX."),
            "catatan.odt": (
                F.odt_bytes(b"application/vnd.oasis.opendocument.spreadsheet"),
                "Isi berkas ini bukan dokumen ODT.",
            ),
            "data.csv": (b"a,b\n\x00\x01\x02", "Berkas teks ini berisi data biner."),
            "baca.txt": (F.SVG, "Berkas teks ini berisi HTML, SVG atau XML."),
            "halaman.txt": (b"  " + F.HTML, "Berkas teks ini berisi HTML, SVG atau XML."),
        }
        before = self.snapshot()
        for name, (data, message) in cases.items():
            with self.subTest(name):
                self.refused(self.upload_document(name, data), message)
        self.assertNothingStored(before)

    def test_documents_with_macros_are_refused(self):
        before = self.snapshot()
        macro = F.docx_bytes(extra=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")])
        self.refused(self.upload_document("makro.docx", macro), "Dokumen berisi makro tidak diterima")
        docm = F.docx_bytes(main_type="application/vnd.ms-word.document.macroEnabled.main+xml")
        self.refused(self.upload_document("makro2.docx", docm), "Isi berkas ini bukan dokumen DOCX.")
        self.assertNothingStored(before)

    def test_extensions_outside_the_allow_list_are_refused(self):
        before = self.snapshot()
        for name, data in (
            ("logo.svg", F.SVG),
            ("halaman.html", F.HTML),
            ("alat.exe", b"MZ\x90\x00"),
            ("arsip.zip", F._zip([])),
        ):
            with self.subTest(name):
                self.refused(self.upload_document(name, data), "tidak diizinkan")
        self.assertNothingStored(before)

    def test_a_zip_bomb_is_refused_before_it_is_unpacked(self):
        bomb = F.zip_bomb_docx(200)
        self.assertLess(len(bomb), 1024 * 1024)
        before = self.snapshot()
        # Refused from the archive's directory: no member is opened (200 MB would be inflated).
        with mock.patch.object(zipfile.ZipFile, "open", autospec=True, side_effect=zipfile.ZipFile.open) as unpack:
            response = self.upload_document("bom.docx", bomb)
        self.assertEqual(unpack.call_count, 0)
        self.refused(response, "Dokumen ini terlalu besar bila dibuka")
        self.assertNothingStored(before)

    def test_a_dense_archive_under_the_size_limit_is_refused_by_its_ratio(self):
        before = self.snapshot()
        self.refused(self.upload_document("padat.docx", F.zip_bomb_docx(20)), "Dokumen ini terlalu besar bila dibuka")
        self.assertNothingStored(before)

    @override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
    def test_a_document_over_the_size_limit_is_refused(self):
        before = self.snapshot()
        self.refused(self.upload_document("besar.pdf", F.pdf_bytes("x" * 4096)), "Berkas terlalu besar")
        self.assertNothingStored(before)

    def test_the_file_name_and_title_are_normalised(self):
        name = "..\\..\\laporan\u202efdp.exe\u0000.pdf"
        document = self.accepted(
            self.upload_document(name, F.pdf_bytes(), title="Laporan\u202efdp.exe"), "Laporan fdp.exe"
        )
        self.assertEqual(document.filename, "laporanfdp.exe.pdf")
        self.assertTrue(document.file.name.startswith("documents/"))

    def test_the_multiple_uploader_refuses_too(self):
        before = self.snapshot()
        response = self.client.post(
            reverse("wagtaildocs:add_multiple"),
            {"files[]": SimpleUploadedFile("surat.pdf", F.HTML), "collection": self.collection.pk},
        )
        self.assertFalse(response.json()["success"])
        self.assertIn("Isi berkas ini bukan PDF.", response.json()["error_message"])
        self.assertNothingStored(before)


class NameTests(TestCase):
    def test_names(self):
        cases = {
            "laporan.PDF": "laporan.pdf",
            "/etc/passwd": "passwd",
            "C:\\Users\\staf\\foto.JPG": "foto.jpg",
            "..": "berkas",
            ".htaccess": "htaccess",
            "a\u202eb.pdf": "a b.pdf",
            "ﬁle\u200b.txt": "file.txt",
            "x" * 300 + ".docx": "x" * 95 + ".docx",
            "tanpa-ekstensi": "tanpa-ekstensi",
        }
        for raw, expected in cases.items():
            with self.subTest(raw=raw):
                self.assertEqual(normalise_filename(raw), expected)

    def test_titles_lose_control_and_bidi_characters(self):
        self.assertEqual(clean_title_text(" Surat\u202e\r\nedaran\u0007 "), "Surat edaran")
