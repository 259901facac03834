"""The public data pages cost the same number of queries with 2 or 10 published data sets,
within the bound of 8 (``lontar.testing.assert_public_page_queries``: an empty cache, then warm).

Warm: serving 2 at any depth (the pages on the path, then the deepest as its own type), the frame
none (cached). Our own:

- list 3: the paginator's count, the producers for the filter, the page of data sets with their
  producers (private sections left out by a subquery);
- data set 1: its producer (the parent for the breadcrumbs comes with the routing; the table is
  the stored preview);
- the catalogue (a route of the index) 1: the data sets with their producers;
- downloads none once the file is in the cache (warm); when it is made (cold): CSV/XLSX 1 (the
  stored table), JSON 2 (the table and the producer).

An empty cache adds to every address the sites and Wagtail's site root paths, and to the HTML
pages the site chrome.
"""

import datetime as dt

from django.test import TestCase

from desk.models import PerangkatDaerah
from lontar.testing import assert_public_page_queries, build_world
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
        return assert_public_page_queries(self, url, cold=cold, warm=warm)

    def assert_all(self, *, listed: int):
        page = self.pages[0]
        r = self.assert_queries("/data/", cold=8, warm=5)
        self.assertEqual(r.content.decode().count('class="od-card"'), listed)
        self.assert_queries(f"/data/?produsen={self.distan.pk}&frekuensi=tahunan", cold=8, warm=5)
        self.assert_queries(page.url, cold=6, warm=3)
        r = self.assert_queries("/data/data-json/", cold=5, warm=3)
        self.assertEqual(len(r.json()["dataset"]), listed)
        self.assert_queries(f"{page.url}unduh/csv/", cold=5, warm=2)
        self.assert_queries(f"{page.url}unduh/xlsx/", cold=5, warm=2)
        self.assert_queries(f"{page.url}unduh/json/", cold=6, warm=2)

    def test_query_counts_do_not_grow_with_the_number_of_data_sets(self):
        self.assert_all(listed=2)
        self.pages += [self.publish(i) for i in range(2, 10)]
        self.assertEqual(DataSetPage.objects.live().count(), 10)
        self.assert_all(listed=10)
