"""Generate the site-wide benchmark database of issue 6 on PostgreSQL.

Not part of the test suite. Drops and re-creates the database (default ``lontar_bench_site``),
migrates it, loads the SOP, the portal's pages and the roles, then writes:

- 200 images (real small JPEG files, MEDIA_ROOT/original_images/bench-foto-NNN.jpg);
- 20,000 live public pages under their section indexes — berita (most, with photos), pengumuman,
  kegiatan, potensi daerah — written straight into the page tree (treebeard materialised paths,
  COPY), each the page of a published Liputan;
- 100,000 Liputan with their agenda items and disposisi, about 1,100,000 StepEvents over two
  years (``bench/datagen.py``, shared with ``report_bench.py``), the last days' work and a backlog
  of stalled items still open with their holders, among 34 users in the SOP's roles.

    DATABASE_URL is ignored; use --database-url or BENCH_SITE_DATABASE_URL.
    .venv/bin/python bench/generate.py               # ~3 minutes on 2 busy cores
    .venv/bin/python bench/generate.py --pages 2000 --items 10000   # a small one
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import datagen  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lontar_bench_site"
# Of the pages, per agenda kind (the rest of the published items stay without a page).
PAGE_SHARES = {"berita": 0.80, "pengumuman": 0.10, "kegiatan": 0.06, "potensi_daerah": 0.04}
PARAGRAPHS = [
    "Pemerintah Kabupaten Tabanan terus berupaya meningkatkan pelayanan kepada masyarakat.",
    "Kegiatan ini diikuti oleh perangkat daerah, tokoh masyarakat dan warga setempat.",
    "Kepala Dinas menyampaikan bahwa kegiatan serupa akan dilaksanakan secara berkala.",
    "Masyarakat diharapkan berperan aktif menjaga kebersihan dan ketertiban lingkungan.",
    "Informasi lebih lanjut dapat diperoleh di kantor desa atau melalui laman resmi ini.",
]


def make_images(n: int, rng: random.Random) -> list[int]:
    """``n`` wagtailimages.Image rows with real JPEG files (small gradients, each different)."""
    from django.conf import settings
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    Image = get_image_model()
    # Idempotent: the database was dropped, so its files (and their renditions) go too.
    for old in Path(settings.MEDIA_ROOT).glob("*/bench-foto-*"):
        old.unlink()
    ids = []
    for i in range(n):
        a, b = [tuple(rng.randrange(256) for _ in range(3)) for _ in range(2)]
        picture = PILImage.linear_gradient("L").resize((800, 533)).convert("RGB")
        picture = PILImage.composite(PILImage.new("RGB", picture.size, a), PILImage.new("RGB", picture.size, b),
                                     picture.convert("L"))  # fmt: skip
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=80)
        image = Image(title=f"Foto liputan {i + 1}")
        name = f"bench-foto-{i + 1:03d}.jpg"
        image.file.save(name, ImageFile(buffer, name=name), save=False)
        image.save()
        ids.append(image.pk)
    return ids


class PagePlanner:
    """Hands out page ids for published items and remembers what each page must be; the pages
    are then written in one go (``write``) with paths computed as treebeard would."""

    def __init__(self, total: int, rng: random.Random):
        from django.db.models import Max
        from wagtail.models import Page

        self.rng = rng
        self.next_id = (Page.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.quota = {kind: round(total * share) for kind, share in PAGE_SHARES.items()}
        self.planned: dict[str, list[tuple[int, object, str]]] = {kind: [] for kind in PAGE_SHARES}

    def __call__(self, kind, published_at, topic):
        if len(self.planned.get(kind, ())) >= self.quota.get(kind, 0):
            return None
        page_id = self.next_id
        self.next_id += 1
        self.planned[kind].append((page_id, published_at, topic))
        return page_id

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.planned.values())

    def write(self, *, images: list[int], owners: list[int]) -> dict[str, int]:
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection, transaction
        from django.utils import timezone
        from django.utils.text import slugify
        from wagtail.models import Page

        from kegiatan.models import KegiatanIndexPage, KegiatanPage
        from pengumuman.models import PengumumanIndexPage, PengumumanPage
        from portal.models import BeritaIndexPage, BeritaPage, BeritaPageImage
        from potensi.models import PotensiGalleryImage, PotensiIndexPage, PotensiPage

        rng = self.rng
        sections = {
            "berita": (BeritaIndexPage, BeritaPage),
            "pengumuman": (PengumumanIndexPage, PengumumanPage),
            "kegiatan": (KegiatanIndexPage, KegiatanPage),
            "potensi_daerah": (PotensiIndexPage, PotensiPage),
        }
        page_cols = [
            "id", "path", "depth", "numchild", "translation_key", "locale", "live", "has_unpublished_changes",
            "first_published_at", "last_published_at", "title", "draft_title", "slug", "content_type",
            "url_path", "owner", "show_in_menus", "search_description", "expired", "locked",
        ]  # fmt: skip
        written = {}
        with transaction.atomic(), connection.cursor() as c:
            c.execute("SET LOCAL session_replication_role = replica")
            for kind, (index_class, page_class) in sections.items():
                planned = sorted(self.planned[kind], key=lambda p: p[1])  # tree order = publication order
                if not planned:
                    continue
                index = index_class.objects.get()
                last = index.get_last_child()
                first_step = (Page._str2int(last.path[-Page.steplen :]) + 1) if last else 1
                content_type = ContentType.objects.get_for_model(page_class).pk
                pages, details, photos = [], [], []
                for n, (page_id, at, topic) in enumerate(planned):
                    slug = f"{slugify(topic)[:60]}-{page_id}"
                    body = "".join(f"<p>{p}</p>" for p in rng.sample(PARAGRAPHS, 3))
                    pages.append(
                        (
                            page_id, Page._get_path(index.path, index.depth + 1, first_step + n), index.depth + 1, 0,
                            uuid.uuid4(), index.locale_id, True, False, at, at, topic, topic, slug, content_type,
                            f"{index.url_path}{slug}/", rng.choice(owners), False, "", False, False,
                        )
                    )  # fmt: skip
                    if kind == "berita":
                        details.append((page_id, topic[:200], body, "Diskominfo Tabanan"))
                        # Most news has one photo, some a few.
                        for order in range(1 if rng.random() < 0.8 else rng.randint(2, 4)):
                            photos.append((page_id, rng.choice(images), order, topic[:100], "Diskominfo Tabanan"))
                    elif kind == "pengumuman":
                        details.append((page_id, body, timezone.localdate(at)))
                    elif kind == "kegiatan":
                        # The event happened the day its report went out; it lasted three hours.
                        details.append((page_id, at, at + dt.timedelta(hours=3), "Tabanan", body, rng.choice(images)))
                    else:
                        details.append((page_id, topic[:200], body))
                        photos.append((page_id, rng.choice(images), 0, topic[:100], "Diskominfo Tabanan"))
                datagen.copy_rows(c, Page, page_cols, pages)
                detail_cols = {
                    "berita": ["page_ptr", "summary", "body", "source"],
                    "pengumuman": ["page_ptr", "body", "berlaku_mulai"],
                    "kegiatan": ["page_ptr", "start", "end", "place", "body", "image"],
                    "potensi_daerah": ["page_ptr", "summary", "body"],
                }[kind]
                datagen.copy_rows(c, page_class, detail_cols, details)
                if photos:
                    photo_class = BeritaPageImage if kind == "berita" else PotensiGalleryImage
                    datagen.copy_rows(c, photo_class, ["page", "image", "sort_order", "caption", "credit"], photos)
                Page.objects.filter(pk=index.pk).update(numchild=index.numchild + len(pages))
                written[kind] = len(pages)
            datagen.reset_sequences(c, (Page, BeritaPageImage, PotensiGalleryImage))
        return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_SITE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=100_000, help="Liputan (workflow items)")
    parser.add_argument("--images", type=int, default=200)
    parser.add_argument("--stall-rate", type=float, default=0.015, help="share of items stuck at a step")
    parser.add_argument("--no-search-index", action="store_true", help="skip manage.py update_index")
    args = parser.parse_args()

    started = time.perf_counter()
    datagen.ensure_database(args.database_url, drop=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "lontar.settings.dev"
    datagen.setup_django(args.database_url, "lontar.settings.dev")
    from django.core.management import call_command

    from accounts.roles import role_group
    from sop.rules import Role

    for command in ("migrate", "load_sop", "setup_portal", "setup_roles"):
        call_command(command, verbosity=0, **({"interactive": False} if command == "migrate" else {}))
    print(f"migrated and set up in {time.perf_counter() - started:.1f} s")

    rng = random.Random(20261125)
    people = datagen.make_people()
    for role, ids in people.by_role.items():
        role_group(Role(role)).user_set.add(*ids)
    step = time.perf_counter()
    images = make_images(args.images, rng)
    print(f"{len(images)} images in {time.perf_counter() - step:.1f} s")

    planner = PagePlanner(args.pages, rng)
    history = datagen.generate(0, target_items=args.items, stall_rate=args.stall_rate, people=people,
                               page_for=planner)  # fmt: skip
    step = time.perf_counter()
    written = planner.write(images=images, owners=people.staf)
    print(f"pages {written} in {time.perf_counter() - step:.1f} s")
    datagen.rebuild_totals()
    datagen.vacuum(
        ["wagtailcore_page", "portal_beritapage", "portal_beritapageimage", "desk_stepevent", "desk_agendaitem",
         "desk_disposisi", "desk_liputan", "reports_stepfigure", "reports_publishedlead"]
    )  # fmt: skip
    if not args.no_search_index:
        step = time.perf_counter()
        call_command("update_index", verbosity=0)
        # Without statistics on the new index rows PostgreSQL's planner joins them to the pages in
        # a nested loop: 4.5 s for a search that takes 0.1 s after ANALYZE (autovacuum would get
        # there on its own, minutes later).
        datagen.vacuum(["wagtailsearch_indexentry"])
        print(f"search index in {time.perf_counter() - step:.1f} s")
    print(
        f"done in {time.perf_counter() - started:.0f} s: {sum(written.values()):,} pages, {history.liputan:,} liputan"
        f" ({history.active:,} open), {history.agendas:,} agenda items ({history.open_agendas:,} open),"
        f" {history.events:,} step events"
    )


if __name__ == "__main__":
    main()
