"""Demo people and content for development (``make run``). Every demo berita is carried through
the SOP by the same services the desk uses, so its record is real."""

import datetime as dt
from importlib import import_module

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.roles import GROUP_NAMES, SITE_ADMIN_GROUP
from desk import services
from desk.models import AgendaItem, Liputan, PerangkatDaerah
from portal.models import BeritaCategory, BeritaPage
from portal.selectors import berita_index
from sop.rules import Role

DEMO_PASSWORD = "tabanan2026"

PEOPLE = [
    # username, first, last, role, title
    ("kasi", "Ni Made", "Ayu Lestari", Role.KASI, "Kasi Pengelolaan Informasi Publik"),
    ("staf1", "I Wayan", "Sudarsana", Role.STAF, "Staf"),
    ("staf2", "Ni Luh Putu", "Ariani", Role.STAF, "Staf"),
    ("kabid", "I Gede", "Made Suardana", Role.KABID, "Kabid Pengelolaan Informasi dan Saluran Komunikasi Publik"),
    ("sekdis", "Anak Agung Ngurah", "Mahendra", Role.SEKDIS, "Sekretaris Dinas"),
    ("kadis", "I Putu", "Wirawan", Role.KADIS, "Kepala Dinas"),
]

OPD = [
    ("Dinas Pertanian", "Distan"),
    ("Dinas Pariwisata", "Dispar"),
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Pendidikan, Kepemudaan dan Olahraga", "Disdikpora"),
    ("Badan Penanggulangan Bencana Daerah", "BPBD"),
    ("Dinas Koperasi, Usaha Kecil dan Menengah", "Diskop UKM"),
]

CATEGORIES = [("Pemerintahan", "pemerintahan"), ("Pertanian", "pertanian"), ("Pariwisata", "pariwisata"), ("Budaya", "budaya")]


def demo_people() -> dict[str, object]:
    User = get_user_model()
    people = {}
    for username, first, last, role, _title in PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@tabanankab.go.id"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
        people[username] = user
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"first_name": "Admin", "last_name": "Situs", "email": "admin@tabanankab.go.id",
                  "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    admin.groups.add(Group.objects.get(name=SITE_ADMIN_GROUP))
    people["admin"] = admin
    return people


def _write(liputan: Liputan, user, *, title: str, summary: str, body: str, category: str, source: str):
    page = services.liputan_page_create(liputan=liputan, user=user, parent=berita_index(), page_class=BeritaPage)
    page.title, page.summary, page.body, page.source = title, summary, body, source
    page.category = BeritaCategory.objects.get(slug=category)
    page.save_revision(user=user)
    return page


def _start(people, *, topic: str, kind: str, opd: str, staf: str) -> Liputan:
    kasi = people["kasi"]
    agenda = services.agenda_create(
        user=kasi,
        topic=topic,
        kind=kind,
        planned_date=timezone.localdate(),
        perangkat_daerah=PerangkatDaerah.objects.get(short_name=opd),
        plan=True,
    )
    services.disposisi_send(
        agenda=agenda,
        user=kasi,
        recipients=[people[staf]],
        instruction=f"Liput dan siapkan berita: {topic}.",
        sifat="segera",
        batas_waktu=timezone.now() + dt.timedelta(hours=3),
    )
    return Liputan.objects.get(agenda=agenda)


@transaction.atomic
def demo_content(people) -> int:
    """Idempotent: creates the demo items once (when no agenda exists yet)."""
    for name, short in OPD:
        PerangkatDaerah.objects.get_or_create(name=name, defaults={"short_name": short})
    for name, slug in CATEGORIES:
        BeritaCategory.objects.get_or_create(slug=slug, defaults={"name": name})
    import_module("sop.demo").demo_holidays()
    if AgendaItem.objects.exists():
        return 0
    p = people

    # 1. Published through all ten steps.
    item = _start(p, topic="Panen raya padi di Subak Jatiluwih", kind="berita", opd="Distan", staf="staf1")
    _write(item, p["staf1"], title="Petani Subak Jatiluwih Mulai Panen Raya",
           summary="Panen raya padi lokal di kawasan Warisan Budaya Dunia Jatiluwih dimulai dengan upacara mesaba.",
           body="<p>Petani di Subak Jatiluwih, Kecamatan Penebel, memulai panen raya padi beras merah pada pekan ini. "
                "Panen diawali upacara <i>mesaba</i> sebagai ungkapan syukur.</p>"
                "<p>Dinas Pertanian mencatat luas panen mencapai 227 hektare.</p>",
           category="pertanian", source="Dinas Pertanian Kabupaten Tabanan")
    services.liputan_submit(liputan=item, user=p["staf1"])
    for who in ("kasi", "kabid", "sekdis", "kadis", "sekdis", "kabid"):
        services.liputan_act(liputan=item, user=p[who], action="forward")
    services.liputan_act(liputan=item, user=p["kasi"], action="assign", uploader=p["staf2"])
    services.liputan_act(liputan=item, user=p["staf2"], action="publish")

    # 2. Waiting for the Kabid (step 4).
    item = _start(p, topic="Tari Rejang Dewa di Desa Wisata Tista", kind="berita", opd="Dispar", staf="staf2")
    _write(item, p["staf2"], title="Tari Rejang Dewa Sambut Wisatawan di Desa Tista",
           summary="Desa wisata Tista menampilkan Tari Rejang Dewa setiap purnama.",
           body="<p>Desa Wisata Tista, Kecamatan Kerambitan, menghadirkan pementasan Tari Rejang Dewa.</p>",
           category="budaya", source="Dinas Pariwisata")
    services.liputan_submit(liputan=item, user=p["staf2"])
    services.liputan_act(liputan=item, user=p["kasi"], action="forward", comment="Layak diteruskan.")

    # 3. Returned by the Sekdis to the Staf, with a reason.
    item = _start(p, topic="Vaksinasi anak sekolah di Kediri", kind="berita", opd="Dinkes", staf="staf1")
    _write(item, p["staf1"], title="Vaksinasi Anak Sekolah di Kecamatan Kediri",
           summary="Dinas Kesehatan melaksanakan vaksinasi bagi siswa SD.", body="<p>Vaksinasi dilaksanakan di 12 SD.</p>",
           category="pemerintahan", source="Dinas Kesehatan")
    services.liputan_submit(liputan=item, user=p["staf1"])
    services.liputan_act(liputan=item, user=p["kasi"], action="forward")
    services.liputan_act(liputan=item, user=p["kabid"], action="forward")
    services.liputan_act(liputan=item, user=p["sekdis"], action="return", return_to=3,
                         comment="Lengkapi jumlah siswa yang divaksin dan nama sekolah.")

    # 4. A plan the Kasi has not yet disposed (step 2), and a draft plan (step 1).
    agenda = services.agenda_create(user=p["kasi"], topic="Festival Tanah Lot 2026", kind="berita",
                                    planned_date=timezone.localdate() + dt.timedelta(days=3),
                                    perangkat_daerah=PerangkatDaerah.objects.get(short_name="Dispar"), plan=True)
    services.agenda_create(user=p["kasi"], topic="Data produksi UMKM triwulan III", kind="data",
                           planned_date=timezone.localdate() + dt.timedelta(days=7),
                           perangkat_daerah=PerangkatDaerah.objects.get(short_name="Diskop UKM"))

    # 5. More published berita, with photos, so the home page and the list look like the real site.
    _demo_berita_with_photos(people)

    # 6. Every other section of the public site, each item through the same ten steps.
    for module in SECTION_DEMOS:
        import_module(module).demo_items(people)
    return 5 if agenda else 0


DEMO_BERITA = [
    # (topic, title, summary, category, Perangkat Daerah, photo scene)
    ("Melasti di Pantai Yeh Gangga", "Ribuan Umat Ikuti Melasti di Pantai Yeh Gangga",
     "Umat Hindu dari 30 desa adat mengikuti upacara melasti menjelang Hari Raya Nyepi.", "budaya", "Dispar", "sea"),
    ("Panen padi organik di Penebel", "Subak di Penebel Panen Padi Organik Bersertifikat",
     "Dua subak di Kecamatan Penebel memanen padi organik pertama yang bersertifikat.", "pertanian", "Distan",
     "terraces"),
    ("Jalan baru menuju Tanah Lot", "Perbaikan Jalan Menuju Tanah Lot Rampung Sebelum Libur Akhir Tahun",
     "Ruas jalan Kediri–Beraban sepanjang 4,2 km selesai diperbaiki.", "pemerintahan", None, "sunset"),
]


def _demo_berita_with_photos(people) -> None:
    from portal.models import BeritaPageImage
    from potensi.demo import _photo

    for topic, title, summary, category, opd, scene in DEMO_BERITA:
        publish_demo_item(
            people, kind="berita", topic=topic, opd_short=opd, title=title, summary=summary,
            body=f"<p>{summary}</p><p>Informasi lebih lanjut dapat diperoleh di kantor Perangkat Daerah terkait.</p>",
            category=BeritaCategory.objects.get(slug=category), source="Diskominfo Kabupaten Tabanan",
            images=[BeritaPageImage(image=_photo(scene, title), caption=title, credit="Diskominfo Kabupaten Tabanan")],
        )


SECTION_DEMOS = [
    "pengumuman.demo",
    "kegiatan.demo",
    "potensi.demo",
    "opendata.demo",
    "profil.demo",
    "ppid.demo",
]


def publish_demo_item(
    people, *, kind: str, topic: str, opd_short: str | None = None, staf: str = "staf1", uploader: str = "staf2",
    **fields,
):
    """One demo item of any kind (``desk.content_types``) from the Kasi's plan to the public site.

    The Kasi plans and disposes to ``staf``, who writes the page of the item's kind with ``fields``
    set and reports it; then each step is taken by whoever holds it, as the SOP file says, until
    ``uploader`` publishes at the last step. Returns the published page.
    """
    from sop.rules import COMPLETING_ACTION, Action

    kasi, writer = people["kasi"], people[staf]
    agenda = services.agenda_create(
        user=kasi,
        topic=topic,
        kind=kind,
        planned_date=timezone.localdate(),
        perangkat_daerah=PerangkatDaerah.objects.filter(short_name=opd_short).first() if opd_short else None,
        plan=True,
    )
    services.disposisi_send(
        agenda=agenda,
        user=kasi,
        recipients=[writer],
        instruction=f"Siapkan naskah: {topic}.",
        sifat="biasa",
        batas_waktu=timezone.now() + dt.timedelta(hours=3),
    )
    liputan = Liputan.objects.get(agenda=agenda)
    page = services.liputan_page_create(liputan=liputan, user=writer)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision(user=writer)
    services.liputan_submit(liputan=liputan, user=writer)
    liputan.refresh_from_db()
    defn = liputan.sop_version.definition()
    while liputan.status == Liputan.Status.ACTIVE:
        action = COMPLETING_ACTION[defn.step(liputan.step).kind]
        extra = {"uploader": people[uploader]} if action == Action.ASSIGN else {}
        services.liputan_act(liputan=liputan, user=liputan.holder, action=action, **extra)
        liputan.refresh_from_db()
    return page.__class__.objects.get(pk=page.pk)
