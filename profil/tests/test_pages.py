"""The profil section as a visitor sees it: the index (a menu of the office's profile pages), a
profil page with every kind of block, the SOP list and the contact page.

Every profil page here went live through the ten steps of the SOP (``desk.tests.sop_driver``);
pages still on the desk must stay invisible to the public.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory, TestCase
from wagtail.models import Site
from wagtail.rich_text import RichText

from desk.models import Liputan
from desk.tests import sop_driver as D
from desk.tests.helpers import text_of
from lontar.testing import PUBLIC_PAGE_QUERY_BOUND, build_world
from portal.models import HomePage
from profil import selectors
from profil.blocks import PejabatBlock
from profil.models import ProfilIndexPage, ProfilPage
from profil.site_settings import SiteIdentity

WITA = ZoneInfo("Asia/Makassar")
START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WITA)

TABLE = {
    "data": [["Bidang", "Kepala"], ["Sekretariat", "Sekretaris Dinas"], ["Bidang Informasi dan Komunikasi Publik", "Kepala Bidang"]],
    "table_caption": "Susunan organisasi",
    "table_header_choice": "row",
    "first_row_is_table_header": True,
    "first_col_is_header": False,
}


def body_with_every_block(*, photo, portrait):
    return [
        ("heading", "Visi"),
        ("paragraph", RichText("<p>Terwujudnya pelayanan informasi publik yang <b>terbuka</b>.</p>")),
        ("image", {"image": photo, "alt_text": "", "caption": "Kantor Diskominfo", "credit": "Humas"}),
        ("pejabat", {"name": "I Putu Wirawan", "jabatan": "Kepala Dinas", "photo": portrait, "nip": "19700101 199503 1 001"}),
        ("pejabat", {"name": "Ni Made Ayu Lestari", "jabatan": "Kepala Seksi", "photo": None, "nip": ""}),
        ("table", TABLE),
    ]


def crumbs_of(response) -> list[str]:
    """The breadcrumb trail of a page, as 'title' or 'title <url>' per crumb."""
    nav = re.search(r'<nav class="crumbs" aria-label="Jejak"><ol>(.*?)</ol></nav>', response.content.decode())
    if nav is None:
        return []
    out = []
    for item in re.findall(r"<li>(.*?)</li>", nav.group(1)):
        link = re.match(r'<a href="([^"]*)">([^<]*)</a>', item)
        current = re.match(r'<span aria-current="page">([^<]*)</span>', item)
        out.append(f"{link.group(2)} <{link.group(1)}>" if link else current.group(1) if current else item)
    return out


class ProfilSectionTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        cls.index = ProfilIndexPage.objects.get()
        with time_machine.travel(START, tick=False):
            cls.photo = D.make_image("Kantor Diskominfo", colour="blue")
            cls.portrait = D.make_image("Potret Kadis", colour="green")
            cls.visi = D.publish_kind(
                p, kind="informasi", topic="Visi dan Misi", title="Visi dan Misi",
                summary="Visi dan misi Dinas Komunikasi dan Informatika.",
                body=body_with_every_block(photo=cls.photo, portrait=cls.portrait),
            )
            cls.sejarah = D.publish_kind(
                p, kind="informasi", topic="Sejarah Singkat", summary="Dibentuk dengan Perda No. 13 Tahun 2016.",
                body=[("paragraph", RichText("<p>Dinas dibentuk pada 2016.</p>"))],
            )
            # Not public: a draft being written and one on the Kadis's desk.
            draft = D.start_item(p, topic="Lambang Daerah (draf)", kind="informasi")
            D.draft(draft, summary="Belum boleh tampil.")
            in_review = D.start_item(p, topic="Tugas dan Fungsi (ditelaah)", kind="informasi")
            D.draft(in_review, summary="Masih ditelaah.")
            D.advance(in_review, p, to_step=6)
        cls.hidden = [draft, in_review]

    def test_the_index_is_a_menu_of_published_profil_pages_with_sop_and_kontak(self):
        r = self.client.get("/profil/")
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "profil/profil_index_page.html")
        titles = re.findall(r'<span class="profil-menu__title">([^<]*)</span>', r.content.decode())
        self.assertEqual(titles, ["Visi dan Misi", "Sejarah Singkat", "Daftar SOP", "Kontak"])
        text = text_of(r)
        self.assertIn(f'<a href="{self.visi.url}">', text)
        self.assertIn("Visi dan misi Dinas Komunikasi dan Informatika.", text)
        self.assertIn('<a href="/profil/sop/">', text)
        self.assertIn('<a href="/profil/kontak/">', text)
        for liputan in self.hidden:
            self.assertNotIn(liputan.agenda.topic, text)

    def test_a_profil_page_renders_every_block(self):
        r = self.client.get(self.visi.url)
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "profil/profil_page.html")
        text = text_of(r)
        self.assertIn("<h1>Visi dan Misi</h1>", text)
        self.assertIn('<p class="lead">Visi dan misi Dinas Komunikasi dan Informatika.</p>', text)
        # heading and paragraph
        self.assertIn('<h2 id="visi">Visi</h2>', text)
        self.assertIn("<p>Terwujudnya pelayanan informasi publik yang <b>terbuka</b>.</p>", text)
        # image: a web rendition, its caption as alt text and figcaption, and the credit
        rendition = self.photo.get_rendition("width-960|format-webp")
        self.assertTrue(rendition.url.endswith(".webp"))
        self.assertIn(f'<img src="{rendition.url}" width="640" height="480" alt="Kantor Diskominfo" loading="lazy"', text)
        self.assertIn('<figcaption>Kantor Diskominfo <span class="credit">Humas</span></figcaption>', text)
        # pejabat, with and without photo and NIP
        portrait = self.portrait.get_rendition("fill-240x300|format-webp")
        self.assertIn(f'<img class="pejabat__foto" src="{portrait.url}"', text)
        self.assertIn('<p class="pejabat__nama">I Putu Wirawan</p> <p class="pejabat__jabatan">Kepala Dinas</p>', text)
        self.assertIn('<p class="pejabat__nip">NIP 19700101 199503 1 001</p>', text)
        self.assertIn('<p class="pejabat__nama">Ni Made Ayu Lestari</p>', text)
        self.assertEqual(text.count("pejabat__nip"), 1)
        self.assertEqual(text.count("pejabat__foto"), 1)
        # table, scrollable on a phone, with its caption and header row
        self.assertIn('<div class="table-wrap">', text)
        self.assertIn("<caption>Susunan organisasi</caption>", text)
        self.assertRegex(text, r'<th scope="col"\s*>\s*Bidang\s*</th>')
        self.assertRegex(text, r"<td\s*>\s*Bidang Informasi dan Komunikasi Publik\s*</td>")
        # no embeds or third-party assets on the page
        self.assertNotIn("<iframe", text)
        self.assertEqual(re.findall(r'src="https?://[^"]*"', text), [])

    def test_the_pejabat_block_checks_the_nip(self):
        block = PejabatBlock()
        value = {"name": "I Putu Wirawan", "jabatan": "Kepala Dinas", "photo": None}
        for nip in ("197001011995031001", "19700101 199503 1 001", ""):
            block.clean(block.to_python({**value, "nip": nip}))
        for nip in ("1970", "19700101 199503 1 00A", "1970010119950310011"):
            with self.subTest(nip=nip), self.assertRaises(ValidationError):
                block.clean(block.to_python({**value, "nip": nip}))

    def test_drafts_and_pages_in_the_workflow_are_404_to_the_public(self):
        for liputan in self.hidden:
            with self.subTest(item=liputan.agenda.topic):
                liputan.refresh_from_db()
                self.assertEqual(liputan.status, Liputan.Status.ACTIVE)
                page = liputan.page.specific
                self.assertIsInstance(page, ProfilPage)
                self.assertFalse(page.live)
                self.assertEqual(self.client.get(page.url).status_code, 404)
        self.assertEqual(self.client.get(self.visi.url).status_code, 200)

    def test_a_profil_page_goes_public_only_through_the_sop(self):
        page = self.hidden[1].page.specific
        with self.assertRaises(PermissionDenied):
            page.get_latest_revision().publish()
        self.assertEqual(self.client.get(page.url).status_code, 404)
        self.assertFalse(ProfilPage.is_creatable)
        self.assertEqual(ProfilPage.allowed_parent_page_models(), [ProfilIndexPage])
        self.assertEqual(ProfilIndexPage.allowed_parent_page_models(), [HomePage])
        self.assertEqual(ProfilIndexPage.max_count, 1)

    def test_the_sop_list_is_generated_from_the_loaded_sop(self):
        r = self.client.get("/profil/sop/")
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "profil/sop_list.html")
        text = text_of(r)
        self.assertIn("<title>Daftar SOP — ", text)
        self.assertIn("Standar Operasional Prosedur (SOP) Pengelolaan Website", text)
        self.assertIn("<dd>065/0812/ORG</dd>", text)
        self.assertIn("<dd>10 langkah</dd>", text)
        self.assertIn("<dd>330 menit</dd>", text)
        self.assertIn("<dd>3 Januari 2017</dd>", text)  # tanggal pembuatan
        self.assertIn("<dd>10 Oktober 2019</dd>", text)  # tanggal revisi
        self.assertEqual(len(re.findall(r"<tr><td>\d+</td>", text)), 10)
        self.assertEqual(crumbs_of(r), ["Beranda </>", "Profil </profil/>", "Daftar SOP"])

    def test_kontak_shows_the_office_and_the_lapor_link(self):
        r = self.client.get("/profil/kontak/")
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "profil/kontak.html")
        text = text_of(r)
        self.assertIn('<a class="button" href="https://www.lapor.go.id" rel="noopener">Sampaikan laporan di SP4N-LAPOR!</a>', text)
        self.assertIn("Jalan Diponegoro No. 5, Tabanan, Bali", text)
        self.assertIn('<a href="tel:+62361811047">(0361) 811047</a>', text)
        self.assertEqual(crumbs_of(r), ["Beranda </>", "Profil </profil/>", "Kontak"])

        identity = SiteIdentity.objects.create(
            phone="0361 123456", email="diskominfo@tabanankab.go.id",
            office_hours="Senin–Jumat, 07.30–15.30 WITA", lapor_url="https://tabanankab.lapor.go.id",
            instagram_url="https://www.instagram.com/contoh",
        )
        text = text_of(self.client.get("/profil/kontak/"))
        self.assertIn('href="https://tabanankab.lapor.go.id"', text)
        self.assertIn('<a href="tel:+62361123456">0361 123456</a>', text)
        self.assertIn('<a href="mailto:diskominfo@tabanankab.go.id">diskominfo@tabanankab.go.id</a>', text)
        self.assertIn("Senin–Jumat, 07.30–15.30 WITA", text)
        self.assertIn('<a href="https://www.instagram.com/contoh" rel="noopener">Instagram</a>', text)
        identity.delete()

    def test_breadcrumbs_lead_from_beranda_to_the_page(self):
        self.assertEqual(crumbs_of(self.client.get("/")), [])
        self.assertEqual(crumbs_of(self.client.get("/profil/")), ["Beranda </>", "Profil"])
        self.assertEqual(
            crumbs_of(self.client.get(self.visi.url)), ["Beranda </>", "Profil </profil/>", "Visi dan Misi"]
        )
        # A page not being served (no routing walked its ancestors): one query for the trail.
        request = RequestFactory().get("/")
        request._wagtail_site = Site.objects.select_related("root_page").get(is_default_site=True)  # as Wagtail finds it
        page = ProfilPage.objects.get(pk=self.visi.pk)
        with self.assertNumQueries(1):
            trail = selectors.breadcrumbs(page=page, request=request)
        self.assertEqual([(c.title, c.url) for c in trail], [("Beranda", "/"), ("Profil", "/profil/"), ("Visi dan Misi", "")])
        with self.assertNumQueries(0):
            trail = selectors.breadcrumbs(page=self.index, request=request, tail="Kontak")
        self.assertEqual([(c.title, c.url) for c in trail], [("Beranda", "/"), ("Profil", "/profil/"), ("Kontak", "")])

        berita = D.publish_berita(self.people, topic="Panen raya")
        self.assertIn('aria-current="page">Panen raya</span>', self.client.get(berita.url).content.decode())
        self.assertEqual(crumbs_of(self.client.get(berita.url)), ["Beranda </>", "Berita </berita/>", "Panen raya"])

    def test_query_counts_do_not_grow_with_the_number_of_blocks_or_pages(self):
        """Warm cache. Serving takes 2 at any depth (the pages on the path, then the deepest as
        its own type), the site's frame none (cached). Index: + its pages (1). SOP list: +
        versions and steps (2). Kontak: nothing more. Profil page: + the body's images (1 per
        image field: block images, pejabat photos) and their renditions (1); the breadcrumbs
        reuse the ancestors the routing loaded. All within the bound of 8."""
        urls = {"/profil/": 3, self.visi.url: 5, "/profil/sop/": 4, "/profil/kontak/": 2}
        self.assertLessEqual(max(urls.values()), PUBLIC_PAGE_QUERY_BOUND)
        for url, queries in urls.items():
            self.client.get(url)
            with self.subTest(url=url), self.assertNumQueries(queries):
                self.assertEqual(self.client.get(url).status_code, 200)

        # Twice the blocks with images, and two more published pages: the same numbers.
        with time_machine.travel(START + dt.timedelta(days=1), tick=False):
            more = body_with_every_block(photo=D.make_image("Foto 2"), portrait=D.make_image("Potret 2"))
            big = D.publish_kind(
                self.people, kind="informasi", topic="Struktur Organisasi",
                body=body_with_every_block(photo=self.photo, portrait=self.portrait) + more,
            )
            D.publish_kind(self.people, kind="informasi", topic="Tugas dan Fungsi")
        cache.clear()
        self.client.get(big.url)
        urls[big.url] = urls.pop(self.visi.url)
        for url, queries in urls.items():
            self.client.get(url)
            with self.subTest(url=url), self.assertNumQueries(queries):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_sitemap_lists_the_section_its_routes_and_published_pages_only(self):
        xml = self.client.get("/sitemap.xml").content.decode()
        locations = re.findall(r"<loc>(.*?)</loc>", xml)
        for path in ("/profil/", "/profil/sop/", "/profil/kontak/", self.visi.url, self.sejarah.url):
            self.assertTrue(any(loc.endswith(path) for loc in locations), path)
        self.assertFalse(any("lambang-daerah" in loc or "tugas-dan-fungsi" in loc for loc in locations))
