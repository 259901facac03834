"""Demo potensi daerah for development. Each item is carried through the ten steps of the SOP by
the desk's own services (as ``lontar.demo`` does), so its record is real; the photos are drawn
here with Pillow, nothing is downloaded."""

import datetime as dt
import io
from decimal import Decimal

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image

from desk import services
from desk.models import AgendaItem, Liputan, PerangkatDaerah
from potensi.models import Kecamatan, PotensiGalleryImage, Sektor

KIND = AgendaItem.Kind.POTENSI
PHOTO_SIZE = (1600, 1067)  # large enough for every width in the gallery's srcset

ITEMS = [
    {
        "topic": "Daya tarik wisata Tanah Lot",
        "opd": ("Dinas Pariwisata", "Dispar"),
        "page": {
            "title": "Tanah Lot: Pura di Atas Batu Karang",
            "sektor": Sektor.PARIWISATA,
            "summary": "Pura Luhur Tanah Lot berdiri di atas batu karang di tepi Samudra Hindia dan menjadi "
            "tujuan wisata matahari terbenam paling terkenal di Tabanan.",
            "body": "<p>Daya Tarik Wisata Tanah Lot di Desa Beraban, Kecamatan Kediri, dikelola bersama oleh "
            "Pemerintah Kabupaten Tabanan dan desa adat. Pura Luhur Tanah Lot dapat dicapai dengan berjalan "
            "kaki saat air laut surut.</p><p>Kawasan ini dilengkapi area parkir, pusat kuliner dan pasar "
            "seni yang menjual kerajinan warga setempat.</p>",
            "kecamatan": Kecamatan.KEDIRI,
            "desa": "Beraban",
            "latitude": Decimal("-8.621214"),
            "longitude": Decimal("115.086807"),
            "contact_name": "Dinas Pariwisata Kabupaten Tabanan",
            "contact_email": "dispar@tabanankab.go.id",
            "contact_website": "https://www.tabanankab.go.id/",
        },
        "photos": [
            ("sunset", "Pura Luhur Tanah Lot saat matahari terbenam"),
            ("sea", "Ombak Samudra Hindia di sekitar batu karang Tanah Lot"),
        ],
    },
    {
        "topic": "Sawah berundak Subak Jatiluwih",
        "opd": ("Dinas Pertanian", "Distan"),
        "page": {
            "title": "Subak Jatiluwih, Warisan Budaya Dunia",
            "sektor": Sektor.PERTANIAN,
            "summary": "Sawah berundak Jatiluwih di lereng Gunung Batukaru diairi dengan sistem subak yang "
            "diakui UNESCO sebagai Warisan Budaya Dunia.",
            "body": "<p>Petani Subak Jatiluwih, Kecamatan Penebel, menanam padi beras merah lokal dengan "
            "pengairan subak yang diatur bersama sejak berabad-abad.</p><p>Wisatawan dapat menyusuri jalur "
            "trekking di antara pematang dan membeli beras merah langsung dari petani.</p>",
            "kecamatan": Kecamatan.PENEBEL,
            "desa": "Jatiluwih",
            "latitude": Decimal("-8.370300"),
            "longitude": Decimal("115.131700"),
            "contact_name": "Dinas Pertanian Kabupaten Tabanan",
            "contact_email": "distan@tabanankab.go.id",
        },
        "photos": [
            ("terraces", "Sawah berundak Jatiluwih menjelang panen"),
            ("terraces-morning", "Kabut pagi di atas Subak Jatiluwih"),
        ],
    },
    {
        "topic": "Kopi robusta Pupuan",
        "opd": ("Dinas Koperasi, Usaha Kecil dan Menengah", "Diskop UKM"),
        "page": {
            "title": "Kopi Robusta Pupuan dari Lereng Barat Tabanan",
            "sektor": Sektor.UMKM,
            "summary": "Kelompok tani dan UMKM di Pupuan mengolah kopi robusta petik merah menjadi kopi "
            "bubuk dan biji sangrai bermerek lokal.",
            "body": "<p>Kecamatan Pupuan adalah sentra kopi robusta Kabupaten Tabanan. UMKM setempat "
            "mengolah biji petik merah dengan proses natural dan semi-washed.</p><p>Pembeli dan calon "
            "mitra dapat mengunjungi rumah produksi dan kebun kopi di Desa Pupuan.</p>",
            "kecamatan": Kecamatan.PUPUAN,
            "desa": "Pupuan",
            "latitude": Decimal("-8.343100"),
            "longitude": Decimal("115.025400"),
            "contact_name": "Dinas Koperasi, Usaha Kecil dan Menengah Kabupaten Tabanan",
            "contact_email": "diskopukm@tabanankab.go.id",
        },
        "photos": [("coffee", "Biji kopi robusta Pupuan yang telah disangrai")],
    },
]


def _gradient(draw: ImageDraw.ImageDraw, box, top, bottom):
    x0, y0, x1, y1 = box
    height = max(y1 - y0, 1)
    for y in range(y0, y1):
        t = (y - y0) / height
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(x0, y), (x1, y)], fill=colour)


def _scene(name: str) -> PILImage.Image:
    """A simple drawn picture standing in for a photo."""
    w, h = PHOTO_SIZE
    img = PILImage.new("RGB", PHOTO_SIZE)
    draw = ImageDraw.Draw(img)
    if name in ("sunset", "sea"):
        _gradient(
            draw,
            (0, 0, w, h * 6 // 10),
            (250, 170, 90) if name == "sunset" else (120, 180, 230),
            (240, 110, 70) if name == "sunset" else (200, 225, 245),
        )
        _gradient(draw, (0, h * 6 // 10, w, h), (40, 90, 140), (20, 50, 90))
        if name == "sunset":
            draw.ellipse((w * 0.62, h * 0.38, w * 0.74, h * 0.56), fill=(255, 210, 120))
        draw.polygon([(w * 0.18, h), (w * 0.26, h * 0.52), (w * 0.44, h * 0.48), (w * 0.55, h)], fill=(45, 35, 30))
        # The temple's tiered roofs on the rock.
        for i in range(4):
            half = w * (0.06 - i * 0.012)
            y = h * (0.48 - i * 0.035)
            draw.polygon([(w * 0.35 - half, y), (w * 0.35 + half, y), (w * 0.35, y - h * 0.05)], fill=(30, 22, 20))
    elif name.startswith("terraces"):
        _gradient(draw, (0, 0, w, h // 4), (170, 205, 235) if name == "terraces" else (225, 230, 235), (220, 235, 240))
        greens = [(60, 130, 50), (90, 160, 60), (120, 175, 70), (75, 145, 55)]
        band = h // 14
        for i, y in enumerate(range(h // 4, h, band)):
            offset = (i % 3) * w // 30
            draw.rectangle((0, y, w, y + band), fill=greens[i % len(greens)])
            draw.arc(
                (-w // 4 + offset, y - band, w + w // 4 - offset, y + band * 2), 200, 340, fill=(40, 90, 35), width=6
            )
    else:
        _gradient(draw, (0, 0, w, h), (70, 45, 30), (35, 22, 15))
        for row in range(9):
            for col in range(14):
                cx, cy = col * w / 13 + (row % 2) * w / 26, row * h / 8
                draw.ellipse((cx - 44, cy - 30, cx + 44, cy + 30), fill=(110 + (row * col) % 30, 65, 35))
                draw.line([(cx - 30, cy), (cx + 30, cy)], fill=(50, 28, 18), width=5)
    return img


def _photo(name: str, title: str) -> Image:
    buffer = io.BytesIO()
    _scene(name).save(buffer, format="JPEG", quality=82, optimize=True)
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"potensi-{name}.jpg"))


def _carry_to_publication(liputan: Liputan, *, uploader) -> None:
    """Each holder in turn takes the item forward until the uploader publishes at step 10."""
    liputan.refresh_from_db()
    while liputan.status == Liputan.Status.ACTIVE:
        if liputan.step == 9:
            services.liputan_act(liputan=liputan, user=liputan.holder, action="assign", uploader=uploader)
        elif liputan.step == 10:
            services.liputan_act(liputan=liputan, user=liputan.holder, action="publish")
        else:
            services.liputan_act(liputan=liputan, user=liputan.holder, action="forward")
        liputan.refresh_from_db()


@transaction.atomic
def demo_items(people) -> None:
    """Three published potensi across sectors and kecamatan. Idempotent: an item whose agenda
    already exists is left alone. ``people`` is ``lontar.demo.demo_people()`` (or the test world)."""
    kasi = people["kasi"]
    writer = people.get("staf1") or people["staf"]
    uploader = people["staf2"]
    for item in ITEMS:
        if AgendaItem.objects.filter(kind=KIND, topic=item["topic"]).exists():
            continue
        name, short = item["opd"]
        opd, _created = PerangkatDaerah.objects.get_or_create(name=name, defaults={"short_name": short})
        agenda = services.agenda_create(
            user=kasi,
            topic=item["topic"],
            kind=KIND,
            planned_date=timezone.localdate(),
            perangkat_daerah=opd,
            place=f"Desa {item['page']['desa']}",
            plan=True,
        )
        services.disposisi_send(
            agenda=agenda,
            user=kasi,
            recipients=[writer],
            instruction=f"Siapkan profil potensi daerah: {item['topic']}.",
            sifat="biasa",
            batas_waktu=timezone.now() + dt.timedelta(days=2),
        )
        liputan = Liputan.objects.get(agenda=agenda)
        page = services.liputan_page_create(liputan=liputan, user=writer)
        for field, value in item["page"].items():
            setattr(page, field, value)
        page.perangkat_daerah = opd
        page.images = [
            PotensiGalleryImage(image=_photo(scene, caption), caption=caption, credit="Diskominfo Kabupaten Tabanan")
            for scene, caption in item["photos"]
        ]
        page.save_revision(user=writer)
        services.liputan_submit(liputan=liputan, user=writer)
        _carry_to_publication(liputan, uploader=uploader)
