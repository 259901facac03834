"""Real files, good and hostile, built in memory for the upload tests: every one is what a browser
would send, byte for byte."""

import io
import struct
import zipfile
import zlib

from PIL import Image

# What a polyglot hides after the image data: a browser sniffing the file would see HTML.
PAYLOAD = b"<html><script>alert('lontar')</script></html>"
GPS_MARKER = "Jl. Gunung Agung, Tabanan"


def png_bytes(size=(64, 48), colour=(200, 120, 40), *, mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size=(64, 48), colour=(30, 140, 60), *, orientation: int | None = None, gps: bool = False) -> bytes:
    """A JPEG as a phone writes it: EXIF with a camera model, optionally a GPS position and an
    orientation tag."""
    image = Image.new("RGB", size, colour)
    # A marker in one corner shows which way up the pixels are.
    image.paste((255, 0, 0), (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    exif[0x0110] = "Lontar Phone 1"  # Model
    exif[0x010E] = GPS_MARKER  # ImageDescription: text that must not survive
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "S", 2: (8.0, 32.0, 10.0), 3: "E", 4: (115.0, 7.0, 30.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif.tobytes(), comment=GPS_MARKER.encode())
    return out.getvalue()


def gif_bytes(frames: int = 3, size=(32, 32)) -> bytes:
    images = [Image.new("RGB", size, (60 * i, 120, 200 - 50 * i)) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(
        out, "GIF", save_all=True, append_images=images[1:], duration=120, loop=0, comment=GPS_MARKER.encode()
    )
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pixel_flood_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels (900 million: 0.9 GB once
    decoded) in a file under 1 MB: the rows are all zeros and compress well."""
    row = b"\x00" + b"\x00" * width  # filter byte + one grey byte per pixel
    compressor = zlib.compressobj(9)
    rows_per_chunk = 500
    data = b"".join(compressor.compress(row * rows_per_chunk) for _ in range(height // rows_per_chunk))
    data += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b"")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"><rect width="10" height="10"/></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def pdf_bytes(text: str = "Surat edaran") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        + f"% {text}\n".encode()
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def _zip(entries: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, (name, data) in enumerate(entries):
            kind = zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=kind)
    return out.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="{part}" ContentType="{type}"/></Types>'
)


def docx_bytes(*, extra: list[tuple[str, bytes]] = (), main_type: str | None = None) -> bytes:
    main_type = main_type or "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES.format(part="/word/document.xml", type=main_type).encode()),
            (
                "word/document.xml",
                b"<w:document><w:body><w:p><w:r><w:t>Laporan</w:t></w:r></w:p></w:body></w:document>",
            ),
            *extra,
        ]
    )


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["kecamatan", "jumlah"])
    workbook.active.append(["Kediri", 12])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def odt_bytes(mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    return _zip([("mimetype", mimetype), ("content.xml", b"<office:document-content/>")], stored_first=True)


def zip_bomb_docx(unpacked_mb: int = 200) -> bytes:
    """A DOCX whose one extra part unpacks to ``unpacked_mb`` MB of zeros (a few hundred KB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            CONTENT_TYPES.format(
                part="/word/document.xml",
                type="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            ),
        )
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/bomb.bin", "w", force_zip64=True) as part:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(unpacked_mb):
                part.write(chunk)
    return out.getvalue()
