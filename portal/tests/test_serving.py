"""Lontar's page routing (portal.serving) finds what Wagtail's own routing finds, honours view
restrictions, follows site changes, and keeps the fullest page, the home page with banners and a
configured menu, within the bound of 8 queries."""

from django.contrib.auth.models import Group
from django.test import RequestFactory, TestCase
from wagtail.models import Page, PageViewRestriction, Site

from desk.tests import sop_driver as D
from lontar.testing import PUBLIC_PAGE_QUERY_BOUND, assert_public_page_queries, build_world
from portal import serving
from portal.selectors import berita_latest
from potensi.tests.utils import publish_potensi
from profil.models import Banner, ProfilIndexPage
from profil.site_settings import MenuItem, SiteIdentity


def wagtail_route(path: str, host: str = "localhost"):
    request = RequestFactory().get(path, HTTP_HOST=host)
    return Page.route_for_request(request, path)


def lontar_route(path: str, host: str = "localhost"):
    request = RequestFactory().get(path, HTTP_HOST=host)
    return serving.route_for_request(request, path)


def described(result):
    """What a route result means: the page, and for routable pages the view and its arguments."""
    if result is None:
        return None
    page, args, kwargs = result
    if args and callable(args[0]):
        view, view_args, view_kwargs = args
        args = (view.__name__, tuple(view_args), tuple(sorted(view_kwargs.items())))
    return (type(page).__name__, page.pk, args, tuple(sorted(kwargs.items())))


class RoutingTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.berita = D.publish_berita(cls.people, topic="Panen raya di Penebel")
        cls.potensi = publish_potensi(cls.people, "Air Terjun Yeh Hoo", sektor="pariwisata")
        cls.draft = D.write(D.start_item(cls.people, topic="Masih di meja"))

    def test_every_kind_of_address_routes_as_wagtail_routes_it(self):
        paths = [
            "/",
            "/berita/",
            self.berita.url,
            "/potensi-daerah/",
            "/potensi-daerah/sektor/pariwisata/",
            "/potensi-daerah/sektor/tidak-ada/",
            self.potensi.url,
            "/profil/sop/",
            "/profil/kontak/",
            "/agenda/2026/11/",
            "/tidak-ada/",
            "/berita/tidak-ada/",
            f"{self.berita.url}lebih-dalam/",
            "/berita/" + self.draft.slug + "/",  # in the workflow, never published
        ]
        for path in paths:
            with self.subTest(path=path):
                self.assertEqual(described(lontar_route(path)), described(wagtail_route(path)))
        self.assertIsNone(lontar_route("/berita/" + self.draft.slug + "/"))
        self.assertEqual(lontar_route(self.berita.url)[0].pk, self.berita.pk)

    def test_a_page_and_its_parents_come_in_two_queries_whatever_the_depth(self):
        home_id = Site.objects.get().root_page_id
        lontar_route("/")  # fills the cached sites and Wagtail's site root paths
        with self.assertNumQueries(1):
            self.assertEqual(lontar_route("/")[0].pk, home_id)
        with self.assertNumQueries(2):
            page = lontar_route(self.berita.url)[0]
        # The routing left the parents on the page: breadcrumbs and get_parent() cost nothing.
        with self.assertNumQueries(0):
            self.assertEqual(page.get_parent().slug, "berita")
            self.assertEqual(page.category_id, self.berita.category_id)
        # An address below a page without routes is known missing from the one query.
        with self.assertNumQueries(1):
            self.assertIsNone(lontar_route("/berita/tidak-ada/"))

    def test_the_site_is_found_as_wagtail_finds_it_and_follows_changes(self):
        site = Site.objects.get()
        self.assertEqual(self.client.get(self.berita.url).status_code, 200)
        # Another site on another hostname, rooted at the berita section.
        Site.objects.create(hostname="berita.tabanankab.go.id", port=80, root_page=Page.objects.get(slug="berita"))
        slug_path = "/" + self.berita.slug + "/"
        self.assertEqual(described(lontar_route(slug_path, "berita.tabanankab.go.id")), described(wagtail_route(slug_path, "berita.tabanankab.go.id")))
        self.assertEqual(lontar_route(slug_path, "berita.tabanankab.go.id")[0].pk, self.berita.pk)
        # The default site answers unknown hostnames; when it stops being the default, nobody does.
        self.assertEqual(lontar_route("/", "lain.example")[0].pk, site.root_page_id)
        site.is_default_site = False
        site.save()
        self.assertIsNone(lontar_route("/", "lain.example"))
        self.assertIsNone(wagtail_route("/", "lain.example"))


class RestrictionTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.berita = D.publish_berita(cls.people, topic="Rapat internal")

    def test_a_restriction_above_a_page_still_guards_it_and_hides_it_from_lists(self):
        self.assertEqual(self.client.get(self.berita.url).status_code, 200)
        restriction = PageViewRestriction.objects.create(
            page=Page.objects.get(slug="berita"), restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(Group.objects.get(name="Kasi"))
        r = self.client.get(self.berita.url)
        self.assertEqual(r.status_code, 302)
        self.assertIn("/_util/login/", r["Location"])
        self.assertEqual(list(berita_latest(limit=5)), [])
        self.assertNotIn("Rapat internal", self.client.get("/").content.decode())
        # A member of the group reads it.
        self.client.force_login(self.people["kasi"])
        self.assertEqual(self.client.get(self.berita.url).status_code, 200)

    def test_a_restriction_on_the_page_itself(self):
        PageViewRestriction.objects.create(page=self.berita, restriction_type=PageViewRestriction.LOGIN)
        self.assertEqual(self.client.get(self.berita.url).status_code, 302)
        self.assertEqual(self.client.get("/berita/").status_code, 200)
        self.assertNotIn("Rapat internal", self.client.get("/berita/").content.decode())


class FullestPageTest(TestCase):
    """The home page with everything on it: banners with links, a configured menu and footer,
    berita with photos, pengumuman and kegiatan."""

    def test_the_home_page_with_banners_and_a_configured_menu_stays_within_the_bound(self):
        people = build_world()
        profil = ProfilIndexPage.objects.get()
        for i in range(3):
            D.publish_berita(people, topic=f"Berita {i}", image=D.make_image(f"Foto {i}"))
            Banner.objects.create(title=f"Spanduk {i}", image=D.make_image(f"Spanduk {i}"), link_page=profil, sort_order=i)
        identity = SiteIdentity.objects.create()
        MenuItem.objects.create(setting=identity, placement=MenuItem.Placement.MAIN, label="Profil", link_page=profil)
        MenuItem.objects.create(setting=identity, placement=MenuItem.Placement.FOOTER, label="Kontak", link_url="/profil/kontak/")
        r = assert_public_page_queries(self, "/", cold=12, warm=PUBLIC_PAGE_QUERY_BOUND)
        html = r.content.decode()
        self.assertEqual(html.count('class="banner__title"'), 3)
        self.assertIn('<a href="/profil/">Profil</a>', html)
