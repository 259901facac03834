"""Demo content of the profil section for development: three profil pages carried through the
ten steps of the SOP by the desk's own services (as ``lontar.demo`` does for berita), and two home
page banners with pictures drawn here (no downloads). Not wired into ``lontar.demo`` yet.

The texts are examples for the demo, not the office's official wording.
"""

import datetime as dt
import io

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from desk import services
from desk.models import AgendaItem, Liputan
from profil.models import Banner, ProfilPage
from profil.selectors import profil_index

# Who completes each step after the Staf reports, as in lontar.demo (steps 3 to 8).
_FORWARDERS = ("kasi", "kabid", "sekdis", "kadis", "sekdis", "kabid")


def _table(caption: str, rows: list[list[str]]) -> dict:
    return {
        "data": rows,
        "table_caption": caption,
        "table_header_choice": "row",
        "first_row_is_table_header": True,
        "first_col_is_header": False,
    }


PAGES = [
    {
        "title": "Visi dan Misi",
        "slug": "visi-dan-misi",
        "summary": "Visi dan misi Dinas Komunikasi dan Informatika Kabupaten Tabanan (contoh untuk demo).",
        "body": [
            ("heading", "Visi"),
            ("paragraph", RichText(
                "<p>Terwujudnya pelayanan informasi publik dan tata kelola teknologi informasi yang terbuka, "
                "cepat, dan terpercaya di Kabupaten Tabanan.</p>"
            )),
            ("heading", "Misi"),
            ("paragraph", RichText(
                "<ol><li>Menyebarluaskan informasi pembangunan daerah secara akurat dan tepat waktu.</li>"
                "<li>Mengelola website dan media sosial pemerintah daerah sesuai standar operasional prosedur.</li>"
                "<li>Meningkatkan keterbukaan informasi publik bersama PPID.</li></ol>"
            )),
        ],
    },
    {
        "title": "Sejarah Singkat",
        "slug": "sejarah-singkat",
        "summary": "Dinas Komunikasi dan Informatika dibentuk berdasarkan Peraturan Daerah No. 13 Tahun 2016.",
        "body": [
            ("paragraph", RichText(
                "<p>Dinas Komunikasi dan Informatika Kabupaten Tabanan dibentuk berdasarkan Peraturan Daerah "
                "No. 13 Tahun 2016 tentang Pembentukan dan Susunan Perangkat Daerah, dengan kedudukan, susunan "
                "organisasi, tugas dan fungsi yang diatur dalam Peraturan Bupati No. 52 Tahun 2016.</p>"
            )),
            ("paragraph", RichText(
                "<p>Sejak 2017 pengelolaan website pemerintah daerah berjalan menurut SOP Pengelolaan Website "
                "(065/0812/ORG), yang direvisi pada 2019.</p>"
            )),
        ],
    },
    {
        "title": "Struktur Organisasi",
        "slug": "struktur-organisasi",
        "summary": "Susunan organisasi dan pejabat Dinas Komunikasi dan Informatika (contoh untuk demo).",
        "body": [
            ("heading", "Pejabat"),
            ("pejabat", {"name": "I Putu Wirawan", "jabatan": "Kepala Dinas", "photo": None, "nip": ""}),
            ("pejabat", {"name": "Anak Agung Ngurah Mahendra", "jabatan": "Sekretaris Dinas", "photo": None, "nip": ""}),
            ("pejabat", {
                "name": "I Gede Made Suardana",
                "jabatan": "Kepala Bidang Pengelolaan Informasi dan Saluran Komunikasi Publik",
                "photo": None,
                "nip": "",
            }),
            ("heading", "Susunan organisasi"),
            ("table", _table("Susunan organisasi", [
                ["Unit", "Dipimpin oleh"],
                ["Sekretariat", "Sekretaris Dinas"],
                ["Bidang Pengelolaan Informasi dan Saluran Komunikasi Publik", "Kepala Bidang"],
                ["Seksi Pengelolaan Informasi Publik", "Kepala Seksi"],
            ])),
        ],
    },
]

BANNERS = [
    ("Selamat datang di situs resmi Pemerintah Kabupaten Tabanan", ((122, 27, 12), (192, 87, 12))),
    ("Sampaikan pengaduan pelayanan publik melalui SP4N-LAPOR!", ((11, 92, 173), (20, 140, 120))),
]


def _person(people, *names):
    for name in names:
        if name in people:
            return people[name]
    raise KeyError(names[0])


def _publish_profil_page(people, spec: dict) -> ProfilPage:
    """One profil page from the Kasi's plan to the public site, through all ten steps."""
    kasi, staf, uploader = people["kasi"], _person(people, "staf1", "staf"), people["staf2"]
    agenda = services.agenda_create(
        user=kasi, topic=spec["title"], kind=AgendaItem.Kind.INFORMASI, planned_date=timezone.localdate(), plan=True
    )
    services.disposisi_send(
        agenda=agenda,
        user=kasi,
        recipients=[staf],
        instruction=f"Siapkan halaman profil: {spec['title']}.",
        sifat="biasa",
        batas_waktu=timezone.now() + dt.timedelta(days=1),
    )
    liputan = Liputan.objects.get(agenda=agenda)
    page = services.liputan_page_create(liputan=liputan, user=staf)
    page.title, page.slug, page.summary, page.body = spec["title"], spec["slug"], spec["summary"], spec["body"]
    page.save_revision(user=staf)
    services.liputan_submit(liputan=liputan, user=staf)
    for who in _FORWARDERS:
        services.liputan_act(liputan=liputan, user=people[who], action="forward")
    services.liputan_act(liputan=liputan, user=kasi, action="assign", uploader=uploader)
    services.liputan_act(liputan=liputan, user=uploader, action="publish")
    return ProfilPage.objects.get(pk=page.pk)


def banner_picture(title: str, colours, *, size=(1600, 600)) -> ImageFile:
    """A banner picture drawn with Pillow: a diagonal gradient, a few rice-terrace curves, no text
    (the title is shown over it as HTML, readable and translatable)."""
    width, height = size
    (r1, g1, b1), (r2, g2, b2) = colours
    picture = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    for x in range(width):
        t = x / (width - 1)
        draw.line([(x, 0), (x, height)], fill=(round(r1 + (r2 - r1) * t), round(g1 + (g2 - g1) * t), round(b1 + (b2 - b1) * t)))
    for i in range(6):
        top = height // 2 + i * height // 14
        draw.arc([-width // 4, top, width + width // 4, top + height], 200, 340, fill=(255, 255, 255), width=3)
    out = io.BytesIO()
    picture.save(out, "PNG")
    return ImageFile(out, name=f"banner-{title[:30].lower().replace(' ', '-')}.png")


@transaction.atomic
def demo_items(people) -> None:
    """Idempotent: publishes the profil pages that do not exist yet and adds the banners once."""
    if profil_index() is None:
        raise RuntimeError("Bagian Profil belum disiapkan (jalankan portal_setup lebih dulu).")
    for spec in PAGES:
        if not ProfilPage.objects.filter(title=spec["title"]).exists():
            _publish_profil_page(people, spec)
    if not Banner.objects.exists():
        Image = get_image_model()
        link_page = ProfilPage.objects.filter(slug="visi-dan-misi").first()
        for order, (title, colours) in enumerate(BANNERS):
            image = Image.objects.create(title=title, file=banner_picture(title, colours))
            if order == 0:
                Banner.objects.create(title=title, image=image, sort_order=order, link_page=link_page)
            else:
                Banner.objects.create(title=title, image=image, sort_order=order, link_url="https://www.lapor.go.id")
