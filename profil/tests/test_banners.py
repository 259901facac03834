"""Home page banners: shown between their dates (WITA), in their order, as a carousel without
JavaScript whose first picture loads at once and the others lazily; at a fixed query cost."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory, TestCase
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from lontar.testing import build_world
from profil.models import Banner, ProfilIndexPage
from profil.selectors import BANNER_SPECS, banners_active

WITA = ZoneInfo("Asia/Makassar")
DAY = dt.date(2026, 12, 1)


def wide_image(title: str) -> Image:
    return Image.objects.create(title=title, file=get_test_image_file(filename=f"{title}.png", colour="red", size=(1600, 600)))


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=WITA)


def banner_titles(html: str) -> list[str]:
    return re.findall(r'<figcaption class="banner__title">([^<]*)</figcaption>', html)


class BannerTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.profil = ProfilIndexPage.objects.get()

        def banner(title, order, **fields):
            return Banner.objects.create(
                title=title, image=wide_image(title), sort_order=order, **fields
            )

        cls.always = banner("Selamat datang di Tabanan", 2, link_page=cls.profil)
        cls.today_only = banner("Hari ini saja", 1, active_from=DAY, active_until=DAY, link_url="https://www.lapor.go.id")
        cls.expired = banner("Sudah lewat", 0, active_until=DAY - dt.timedelta(days=1))
        cls.tomorrow = banner("Mulai besok", 3, active_from=DAY + dt.timedelta(days=1))

    def test_banners_show_between_their_dates_in_order(self):
        with time_machine.travel(at(DAY), tick=False):
            html = self.client.get("/").content.decode()
        self.assertEqual(banner_titles(html), ["Hari ini saja", "Selamat datang di Tabanan"])

        # 00:30 WITA on 2 December is still 1 December in UTC: the date that counts is Tabanan's.
        with time_machine.travel(at(DAY + dt.timedelta(days=1), 0).replace(minute=30), tick=False):
            html = self.client.get("/").content.decode()
        self.assertEqual(banner_titles(html), ["Selamat datang di Tabanan", "Mulai besok"])

        with time_machine.travel(at(DAY - dt.timedelta(days=1), 23), tick=False):
            self.assertEqual(banner_titles(self.client.get("/").content.decode()), ["Sudah lewat", "Selamat datang di Tabanan"])

    def test_the_carousel_needs_no_javascript_and_loads_only_the_first_picture_at_once(self):
        with time_machine.travel(at(DAY), tick=False):
            html = re.sub(r"\s+", " ", self.client.get("/").content.decode())
        # The banners come first on the home page, before its title.
        self.assertLess(html.index('class="banners"'), html.index('<section class="hero">'))
        images = re.findall(r"<img [^>]*banner__img[^>]*>", html)
        self.assertEqual(len(images), 2)
        self.assertIn('fetchpriority="high"', images[0])
        self.assertNotIn("loading=", images[0])
        self.assertIn('loading="lazy"', images[1])
        for img in images:
            self.assertRegex(img, r'srcset="[^"]+\.webp 640w, [^"]+\.webp 1280w"')
        self.assertIn('alt=""', images[0])  # decoration: the figcaption names the slide and its link
        # Links: to a page of the site or to a URL.
        self.assertIn('<a href="https://www.lapor.go.id"> <img', html)
        self.assertIn('<a href="/profil/"> <img', html)
        # Two slides: two dots, plain anchors.
        self.assertEqual(re.findall(r'<a href="(#banner-\d)">', html), ["#banner-1", "#banner-2"])
        self.assertNotIn("<script>", html)

    def test_no_banner_showing_means_no_carousel(self):
        with time_machine.travel(at(DAY + dt.timedelta(days=400)), tick=False):
            Banner.objects.exclude(pk=self.expired.pk).delete()
            html = self.client.get("/").content.decode()
        self.assertNotIn('class="banners"', html)
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_banners_cost_two_queries_however_many_there_are(self):
        """Banners with their images and links in one query, the carousel's renditions in a second;
        rendering asks nothing more (renditions made once, on the first view)."""
        request = RequestFactory().get("/")
        request._wagtail_site = Site.objects.select_related("root_page").get(is_default_site=True)

        def render():
            return render_to_string("profil/includes/banner.html", {"banners": banners_active(today=DAY)}, request=request)

        render()
        cache.clear()
        with self.assertNumQueries(3):  # + Wagtail's site root paths for the page link, cold cache
            render()
        with self.assertNumQueries(2):
            html = render()
        self.assertEqual(len(banner_titles(html)), 2)

        for i in range(5):
            Banner.objects.create(title=f"Tambahan {i}", image=wide_image(f"Tambahan {i}"), sort_order=10 + i)
        render()
        with self.assertNumQueries(2):
            html = render()
        self.assertEqual(len(banner_titles(html)), 7)
        # Only the renditions the carousel shows are fetched.
        self.assertEqual(
            sorted({r.filter_spec for b in banners_active(today=DAY) for r in b.image.prefetched_renditions}),
            sorted(BANNER_SPECS),
        )

        Banner.objects.all().delete()
        with self.assertNumQueries(1):
            self.assertEqual(render().strip(), "")

    def test_a_banner_checks_its_link_and_dates(self):
        image = self.always.image
        with self.assertRaises(ValidationError):
            Banner(title="x", image=image, link_page=self.profil, link_url="https://tabanankab.go.id").full_clean()
        with self.assertRaises(ValidationError):
            Banner(title="x", image=image, active_from=DAY, active_until=DAY - dt.timedelta(days=1)).full_clean()
        Banner(title="x", image=image, active_from=DAY, active_until=DAY).full_clean()
