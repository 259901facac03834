"""Finding and sharing: site search, feeds, sitemap, robots.txt, canonical/OpenGraph/JSON-LD."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from desk.tests.sop_driver import advance, publish_berita, start_item, write
from lontar.testing import build_world
from portal.models import BeritaCategory
from portal.search import parse_filters, search_pages


class DiscoveryTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.pertanian = BeritaCategory.objects.create(name="Pertanian", slug="pertanian")
        cls.published = publish_berita(
            cls.people,
            topic="Panen raya Jatiluwih",
            title="Petani Jatiluwih mulai panen raya",
            summary="Panen raya padi beras merah di Subak Jatiluwih.",
            body="<p>Panen diawali upacara mesaba.</p>",
            category=cls.pertanian,
        )
        cls.other = publish_berita(cls.people, topic="Festival Tanah Lot", summary="Festival budaya di Tanah Lot.")
        draft = start_item(cls.people, topic="Rahasia panen draf")
        write(draft, summary="Panen yang belum boleh tayang")
        in_review = start_item(cls.people, topic="Panen dalam telaah")
        write(in_review, summary="Panen yang masih ditelaah Sekdis")
        advance(in_review, cls.people, to_step=5)

    def test_search_finds_published_pages_and_highlights_the_words(self):
        """Only what is live and public is found; the query word is marked in the extract."""
        response = self.client.get("/cari/", {"q": "panen"})
        html = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn("Petani Jatiluwih mulai panen raya", html)
        self.assertIn("<mark>Panen</mark> raya padi", html)
        self.assertNotIn("belum boleh tayang", html)
        self.assertNotIn("masih ditelaah", html)
        self.assertIn("1 hasil", html)

    def test_search_filters_by_type_and_date(self):
        self.assertIn("1 hasil", self.client.get("/cari/", {"q": "panen", "jenis": "berita"}).content.decode())
        self.assertIn("0 hasil", self.client.get("/cari/", {"q": "panen", "jenis": "pengumuman"}).content.decode())
        self.assertIn("0 hasil", self.client.get("/cari/", {"q": "panen", "dari": "2999-01-01"}).content.decode())
        # Unknown filter values are ignored rather than failing.
        response = self.client.get("/cari/", {"q": "panen", "jenis": "<script>", "dari": "kemarin"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("1 hasil", response.content.decode())

    def test_hostile_and_huge_queries_are_escaped_and_bounded(self):
        response = self.client.get("/cari/", {"q": '<img src=x onerror=alert(1)> panen'})
        html = response.content.decode()
        self.assertNotIn("<img src=x", html)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", html)
        response = self.client.get("/cari/", {"q": "a" * 10_000})
        self.assertEqual(response.status_code, 200)
        self.assertIn('value="' + "a" * 200 + '"', response.content.decode())

    def test_rss_and_atom_feeds_list_published_berita_only(self):
        rss = ET.fromstring(self.client.get("/feed/berita.rss").content)
        titles = [item.findtext("title") for item in rss.iter("item")]
        self.assertEqual(sorted(titles), sorted([self.published.title, self.other.title]))
        atom = ET.fromstring(self.client.get("/feed/berita.atom").content)
        ns = {"a": "http://www.w3.org/2005/Atom"}
        self.assertEqual(len(atom.findall("a:entry", ns)), 2)
        per_category = ET.fromstring(self.client.get("/feed/berita/pertanian.rss").content)
        self.assertEqual([i.findtext("title") for i in per_category.iter("item")], [self.published.title])
        self.assertEqual(self.client.get("/feed/berita/tidak-ada.rss").status_code, 404)

    def test_sitemap_lists_published_pages_only(self):
        xml = self.client.get("/sitemap.xml").content.decode()
        locations = re.findall(r"<loc>(.*?)</loc>", xml)
        self.assertTrue(any(loc.endswith(self.published.url) for loc in locations))
        self.assertFalse(any("rahasia-panen-draf" in loc or "panen-dalam-telaah" in loc for loc in locations))

    def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_admin(self):
        text = self.client.get("/robots.txt").content.decode()
        self.assertIn("Disallow: /admin/", text)
        self.assertIn("Sitemap: http://testserver/sitemap.xml", text)

    def test_berita_page_has_canonical_opengraph_and_newsarticle_jsonld(self):
        html = self.client.get(self.published.url).content.decode()
        self.assertIn(f'<link rel="canonical" href="http://localhost{self.published.url}">', html)
        self.assertIn('<meta property="og:type" content="article">', html)
        self.assertIn('<meta property="og:title" content="Petani Jatiluwih mulai panen raya">', html)
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
        self.assertEqual(data["@type"], "NewsArticle")
        self.assertEqual(data["headline"], "Petani Jatiluwih mulai panen raya")
        self.assertEqual(data["publisher"]["@type"], "GovernmentOrganization")
        self.assertEqual(data["articleSection"], "Pertanian")
        self.assertIn("wa.me/?text=", html)

    def test_home_page_describes_the_government_organisation(self):
        html = self.client.get("/").content.decode()
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
        self.assertEqual(data["@type"], "GovernmentOrganization")

    def test_date_bounds_are_whole_days_in_wita(self):
        """A berita published today (WITA) is found with dari=sampai=today."""
        from django.utils import timezone

        today = timezone.localdate(self.published.first_published_at).isoformat()
        html = self.client.get("/cari/", {"q": "panen", "dari": today, "sampai": today}).content.decode()
        self.assertIn("1 hasil", html)


@pytest.mark.postgres
class SearchIndexOnPostgresTest(TestCase):
    """The site search's query can use the GIN index portal/migrations/0004 adds on PostgreSQL
    (the planner would rightly read a table this small in full, so that is switched off here)."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        publish_berita(cls.people, topic="Panen raya Jatiluwih", summary="Panen raya di Subak Jatiluwih.")

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("needs PostgreSQL (DATABASE_URL=postgres://...)")

    def test_the_search_query_uses_the_title_and_body_index(self):
        queryset = search_pages(parse_filters(QueryDict("q=jatiluwih")))
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual([p.title for p in queryset[:10]], ["Panen raya Jatiluwih"])
        sql = queries.captured_queries[-1]["sql"]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertIn("lontar_search_title_body_gin", plan)
