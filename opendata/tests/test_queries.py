"""The public data pages cost the same number of queries with 2 or 10 published data sets.

Each address is measured twice: with an empty cache (Wagtail's site root paths come from the
database, as after a restart) and again warm.

Where the queries go (warm). Wagtail's serving: 2 for the site and the home page, 2 for each URL
level below it (the child by slug, then its specific row) and 2 for view restrictions (the
ancestors, their restrictions): 6 for /data/ and its routes, 8 for a data set and its downloads.
The base template's site identity (profil app) adds 1 to each HTML page. Our own:

- list 4: view restrictions for ``.public()``, the paginator's count, the producers for the
  filter, the page of data sets with their producers;
- data set 1: its producer (the parent for the breadcrumbs comes with the routing; the table is
  the stored preview);
- data.json 2: view restrictions, the data sets with their producers;
- downloads none once the file is in the cache (warm); when it is made (cold): CSV/XLSX 1 (the
  stored table), JSON 3 (the table, the producer and Wagtail's site root paths for the metadata).

A cold cache adds 1 to the HTML pages and data.json: Wagtail's site root paths, which page URLs
need.
"""

import datetime as dt

from django.core.cache import cache
from django.test import TestCase

from desk.models import PerangkatDaerah
from lontar.testing import build_world
from opendata.models import DataSetPage
from opendata.tests.utils import PADI_CSV, START, publish_data


class QueryBoundsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.distan = PerangkatDaerah.objects.create(name="Dinas Pertanian", short_name="Distan")
        cls.dispar = PerangkatDaerah.objects.create(name="Dinas Pariwisata", short_name="Dispar")
        cls.pages = [cls.publish(i) for i in range(2)]

    @classmethod
    def publish(cls, i: int) -> DataSetPage:
        return publish_data(
            cls.people,
            topic=f"Data ke-{i:02d}",
            data=PADI_CSV,
            when=START + dt.timedelta(minutes=10 * i),
            produsen=(cls.distan, cls.dispar)[i % 2],
            frekuensi=("tahunan", "bulanan")[i % 2],
            periode="2025",
            kata_kunci="padi, kecamatan",
        )

    def assert_queries(self, url: str, *, cold: int, warm: int):
        self.client.get(url)
        cache.clear()
        with self.assertNumQueries(cold):
            r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        with self.assertNumQueries(warm):
            r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        return r

    def assert_all(self, *, listed: int):
        page = self.pages[0]
        r = self.assert_queries("/data/", cold=12, warm=11)
        self.assertEqual(r.content.decode().count('class="od-card"'), listed)
        self.assert_queries(f"/data/?produsen={self.distan.pk}&frekuensi=tahunan", cold=12, warm=11)
        self.assert_queries(page.url, cold=11, warm=10)
        r = self.assert_queries("/data/data-json/", cold=9, warm=8)
        self.assertEqual(len(r.json()["dataset"]), listed)
        self.assert_queries(f"{page.url}unduh/csv/", cold=9, warm=8)
        self.assert_queries(f"{page.url}unduh/xlsx/", cold=9, warm=8)
        self.assert_queries(f"{page.url}unduh/json/", cold=11, warm=8)

    def test_query_counts_do_not_grow_with_the_number_of_data_sets(self):
        self.assert_all(listed=2)
        self.pages += [self.publish(i) for i in range(2, 10)]
        self.assertEqual(DataSetPage.objects.live().count(), 10)
        self.assert_all(listed=10)
