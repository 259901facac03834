"""The frame of every public page (portal/templates/portal/base.html): the main menu, the footer
and the breadcrumbs, read from the site settings (``profil.SiteIdentity``) or, when the site was
never configured, from the office's defaults — and what they cost in queries."""

import re

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.template import RequestContext, Template
from django.template.loader import render_to_string
from django.test import RequestFactory, TestCase
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from desk.tests.helpers import client_for, text_of
from lontar.testing import build_world
from profil import selectors
from profil.models import ProfilIndexPage
from profil.site_settings import MenuItem, SiteIdentity

DEFAULT_MENU = [
    ("Beranda", "/"),
    ("Berita", "/berita/"),
    ("Pengumuman", "/pengumuman/"),
    ("Agenda", "/agenda/"),
    ("Potensi Daerah", "/potensi-daerah/"),
    ("Data", "/data/"),
    ("PPID", "/ppid/"),
    ("Profil", "/profil/"),
]


def menu_of(html: str) -> list[tuple[str, str]]:
    """The main menu as (label, href) pairs, in order."""
    nav = re.search(r'<nav aria-label="Navigasi utama" class="nav">(.*?)</nav>', html, re.S).group(1)
    return [(label, url) for url, label in re.findall(r'<a href="([^"]*)"(?: aria-current="page")?>([^<]*)</a>', nav)]


def current_of(html: str) -> list[str]:
    return re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', html)


def footer_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S).group(1))


class ChromeTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.site = Site.objects.get(is_default_site=True)
        cls.profil = ProfilIndexPage.objects.get()

    def configure(self, *links, **fields) -> SiteIdentity:
        identity = SiteIdentity.objects.create(**fields)
        for i, (placement, label, target) in enumerate(links):
            page = target if isinstance(target, Page) else None
            MenuItem.objects.create(
                setting=identity, sort_order=i, placement=placement, label=label,
                link_page=page, link_url="" if page else target,
            )
        return identity

    def request(self, path="/"):
        request = RequestFactory().get(path)
        request._wagtail_site = self.site  # as Wagtail's page serving leaves it
        return request

    def test_an_unconfigured_site_shows_the_default_menu_and_the_office_footer(self):
        html = self.client.get("/").content.decode()
        self.assertEqual(menu_of(html), DEFAULT_MENU)
        self.assertEqual(current_of(html), ["Beranda"])
        self.assertEqual(current_of(self.client.get("/berita/").content.decode()), ["Berita"])
        self.assertEqual(current_of(self.client.get("/profil/kontak/").content.decode()), ["Profil"])
        self.assertIn('<span class="brand__name">Pemerintah Kabupaten Tabanan</span>', html)
        self.assertIn('<span class="brand__sub">Dinas Komunikasi dan Informatika Kabupaten Tabanan</span>', html)
        footer = footer_of(html)
        self.assertIn("Jalan Diponegoro No. 5, Tabanan, Bali", footer)
        self.assertIn('Telp. <a href="tel:+62361811047">(0361) 811047</a>', footer)
        self.assertIn('<strong>Pengaduan:</strong> <a href="https://www.lapor.go.id" rel="noopener">SP4N-LAPOR!</a>', footer)
        self.assertNotIn("Tautan terkait", footer)
        self.assertNotIn("Media sosial", footer)
        # Showing the defaults writes nothing: a public GET creates no settings row.
        self.assertFalse(SiteIdentity.objects.exists())

    def test_the_menu_and_footer_come_from_the_settings(self):
        berita_index = Page.objects.get(slug="berita")
        unpublished = self.profil.add_child(instance=Page(title="Belum terbit", slug="belum-terbit", live=False))
        self.configure(
            (MenuItem.Placement.MAIN, "Beranda", "/"),
            (MenuItem.Placement.MAIN, "", self.profil),  # no label: the page title
            (MenuItem.Placement.MAIN, "Kabar", berita_index),
            (MenuItem.Placement.MAIN, "Tidak tampil", unpublished),
            (MenuItem.Placement.MAIN, "JDIH", "https://jdih.tabanankab.go.id"),
            (MenuItem.Placement.MAIN, "Cari", "/cari/"),  # a view, not a page
            (MenuItem.Placement.FOOTER, "Portal Kabupaten Tabanan", "https://tabanankab.go.id"),
            (MenuItem.Placement.FOOTER, "Kontak", self.profil),
            government_name="Pemkab Tabanan", office_name="Diskominfo Tabanan", address="Jl. Pahlawan No. 1\nTabanan",
            phone="", email="kominfo@tabanankab.go.id", instagram_url="https://www.instagram.com/contoh",
            youtube_url="https://www.youtube.com/@contoh", lapor_url="https://tabanankab.lapor.go.id",
        )
        html = self.client.get("/berita/").content.decode()
        self.assertEqual(
            menu_of(html),
            [("Beranda", "/"), ("Profil", "/profil/"), ("Kabar", "/berita/"), ("JDIH", "https://jdih.tabanankab.go.id"),
             ("Cari", "/cari/")],
        )
        self.assertEqual(current_of(html), ["Kabar"])
        self.assertEqual(current_of(self.client.get("/cari/").content.decode()), ["Cari"])
        self.assertIn('<span class="brand__name">Pemkab Tabanan</span>', html)
        footer = footer_of(html)
        self.assertIn("Jl. Pahlawan No. 1<br>Tabanan", footer)
        self.assertNotIn("tel:", footer)
        self.assertIn('<a href="mailto:kominfo@tabanankab.go.id">kominfo@tabanankab.go.id</a>', footer)
        self.assertIn('<li><a href="https://tabanankab.go.id" rel="noopener">Portal Kabupaten Tabanan</a></li>', footer)
        self.assertIn('<li><a href="/profil/">Kontak</a></li>', footer)
        self.assertIn('<li><a href="https://www.instagram.com/contoh" rel="noopener">Instagram</a></li>', footer)
        self.assertIn('<li><a href="https://www.youtube.com/@contoh" rel="noopener">YouTube</a></li>', footer)
        self.assertNotIn("Facebook", footer)
        self.assertIn('<a href="https://tabanankab.lapor.go.id" rel="noopener">SP4N-LAPOR!</a>', footer)

    def test_only_footer_links_configured_keeps_the_default_menu(self):
        self.configure((MenuItem.Placement.FOOTER, "Portal Kabupaten Tabanan", "https://tabanankab.go.id"))
        html = self.client.get("/").content.decode()
        self.assertEqual(menu_of(html), DEFAULT_MENU)
        self.assertIn("Portal Kabupaten Tabanan", footer_of(html))

    def test_the_menu_works_without_javascript(self):
        html = text_of(self.client.get("/"))
        # A <details> toggle on phones, shown open by CSS on wide screens; no script at all.
        self.assertRegex(html, r'<details class="menu" data-menu> <summary class="menu__toggle">.*?Menu</summary>')
        self.assertEqual(re.findall(r"<script(?![^>]*application/ld\+json)[^>]*>", html), [])
        # Nothing loaded from elsewhere: no absolute src, no stylesheet from another host.
        self.assertEqual(re.findall(r'src="https?://[^"]*"', html), [])
        self.assertEqual(re.findall(r'<link rel="stylesheet" href="https?://', html), [])

    def test_a_menu_item_links_to_one_page_or_one_url(self):
        identity = SiteIdentity.objects.create()
        for fields in ({}, {"link_page": self.profil, "link_url": "https://tabanankab.go.id"}, {"link_url": "https://tabanankab.go.id"}):
            with self.subTest(fields=fields), self.assertRaises(ValidationError):
                MenuItem(setting=identity, **fields).full_clean()
        MenuItem(setting=identity, link_page=self.profil).full_clean()
        MenuItem(setting=identity, label="Portal", link_url="https://tabanankab.go.id").full_clean()
        MenuItem(setting=identity, label="Cari", link_url="/cari/").full_clean()
        for url in ("//evil.example", "javascript:alert(1)", "cari", "ftp://tabanankab.go.id"):
            with self.subTest(url=url), self.assertRaises(ValidationError):
                MenuItem(setting=identity, label="x", link_url=url).full_clean()

    def test_header_and_footer_are_read_once_then_served_from_the_cache(self):
        """Rendered on their own (the site already found, as in page serving)."""
        render = lambda request: render_to_string("portal/base.html", {"request": request}, request=request)  # noqa: E731
        with self.assertNumQueries(1):  # the settings row (absent)
            html = render(self.request())
        self.assertEqual(menu_of(html), DEFAULT_MENU)
        with self.assertNumQueries(0):
            render(self.request())

        self.configure(
            *[(MenuItem.Placement.MAIN, f"Menu {i}", self.profil) for i in range(6)],
            *[(MenuItem.Placement.FOOTER, f"Tautan {i}", f"https://contoh{i}.go.id") for i in range(6)],
        )
        # Saving the settings forgot the cached chrome: the settings row, then all its links with
        # their pages, and Wagtail's site root paths for the links' page URLs.
        with self.assertNumQueries(3):
            html = render(self.request())
        self.assertEqual(len(menu_of(html)), 6)
        self.assertEqual(len(re.findall(r">Tautan \d<", footer_of(html))), 6)
        request = self.request()
        with self.assertNumQueries(0):
            html = render(request)
            # The same request asks again (another template, settings.profil.SiteIdentity).
            selectors.site_chrome(request)
            other = Template("{{ settings.profil.SiteIdentity.office_name }}").render(RequestContext(request))
        self.assertEqual(len(menu_of(html)), 6)
        self.assertEqual(other, "Dinas Komunikasi dan Informatika Kabupaten Tabanan")
        # An empty cache (a restart): the settings, the links and Wagtail's site root paths.
        cache.clear()
        with self.assertNumQueries(3):
            render(self.request())

    def test_the_cached_chrome_follows_every_change_it_shows(self):
        identity = self.configure((MenuItem.Placement.MAIN, "Profil", self.profil))
        self.assertEqual(menu_of(self.client.get("/").content.decode()), [("Profil", "/profil/")])

        # The settings edited: a new label and a new link.
        identity.office_name = "Diskominfo Tabanan"
        identity.save()
        MenuItem.objects.create(setting=identity, sort_order=5, placement=MenuItem.Placement.MAIN, label="Cari", link_url="/cari/")
        html = self.client.get("/").content.decode()
        self.assertIn('<span class="brand__sub">Diskominfo Tabanan</span>', html)
        self.assertEqual(menu_of(html), [("Profil", "/profil/"), ("Cari", "/cari/")])

        # The linked page unpublished: its link goes; published again under a new slug: it returns there.
        self.profil.unpublish()
        self.assertEqual(menu_of(self.client.get("/").content.decode()), [("Cari", "/cari/")])
        self.profil.refresh_from_db()
        self.profil.slug = "tentang"
        self.profil.save_revision().publish()
        self.assertEqual(menu_of(self.client.get("/").content.decode()), [("Profil", "/tentang/"), ("Cari", "/cari/")])

        # A link removed; then the whole settings row: the defaults again.
        MenuItem.objects.filter(label="Cari").delete()
        self.assertEqual(menu_of(self.client.get("/").content.decode()), [("Profil", "/tentang/")])
        identity.delete()
        self.assertEqual(menu_of(self.client.get("/").content.decode()), DEFAULT_MENU)

    def test_a_whole_page_with_a_configured_chrome(self):
        """Warm cache, menu and footer linking pages: the contact page costs the serving (2: the
        pages on its path, then the profil index as its own type) and nothing for the chrome."""
        self.configure(
            (MenuItem.Placement.MAIN, "Beranda", "/"),
            (MenuItem.Placement.MAIN, "Profil", self.profil),
            (MenuItem.Placement.FOOTER, "Kontak", self.profil),
        )
        self.client.get("/profil/kontak/")
        with self.assertNumQueries(2):
            html = self.client.get("/profil/kontak/").content.decode()
        self.assertEqual(menu_of(html), [("Beranda", "/"), ("Profil", "/profil/")])


class AdminTest(TestCase):
    """The site administrator keeps identity, menu and banners in Wagtail's admin."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.site = Site.objects.get(is_default_site=True)

    def test_identity_and_menu_are_edited_in_the_settings(self):
        client = client_for(self.people["admin"])
        page = client.get(reverse("wagtailsettings:edit", args=["profil", "siteidentity"]), follow=True)
        self.assertEqual(page.status_code, 200)
        url = page.redirect_chain[-1][0] if page.redirect_chain else page.request["PATH_INFO"]
        self.assertContains(page, "Navigasi")
        home, profil = self.site.root_page, ProfilIndexPage.objects.get()
        link = {"label": "", "link_page": "", "link_url": ""}
        data = nested_form_data({
            "government_name": "Pemerintah Kabupaten Tabanan",
            "office_name": "Dinas Komunikasi dan Informatika Kabupaten Tabanan",
            "address": "Jalan Diponegoro No. 5, Tabanan, Bali",
            "phone": "(0361) 811047",
            "email": "diskominfo@tabanankab.go.id",
            "office_hours": "",
            "instagram_url": "", "facebook_url": "https://www.facebook.com/contoh", "youtube_url": "", "x_url": "",
            "lapor_url": "https://www.lapor.go.id",
            "links": inline_formset([
                {**link, "placement": "main", "label": "Beranda", "link_page": home.pk, "ORDER": 1},
                {**link, "placement": "main", "link_page": profil.pk, "ORDER": 2},
                {**link, "placement": "footer", "label": "JDIH", "link_url": "https://jdih.tabanankab.go.id", "ORDER": 3},
            ]),
        })
        response = client.post(url, data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        html = self.client.get("/").content.decode()
        self.assertEqual(menu_of(html), [("Beranda", "/"), ("Profil", "/profil/")])
        footer = footer_of(html)
        self.assertIn('<a href="https://jdih.tabanankab.go.id" rel="noopener">JDIH</a>', footer)
        self.assertIn('<a href="mailto:diskominfo@tabanankab.go.id">', footer)
        self.assertIn('<a href="https://www.facebook.com/contoh" rel="noopener">Facebook</a>', footer)

        # A link with both a page and a URL is refused with a message, nothing saved.
        data["links-0-link_url"] = "https://tabanankab.go.id"
        response = client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Pilih satu halaman atau isi satu URL")

    def test_banners_are_snippets_in_the_admin(self):
        client = client_for(self.people["admin"])
        self.assertEqual(client.get(reverse("wagtailsnippets_profil_banner:list")).status_code, 200)
        self.assertEqual(client.get(reverse("wagtailsnippets_profil_banner:add")).status_code, 200)
