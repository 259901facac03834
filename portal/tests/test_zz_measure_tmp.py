import datetime as dt, time
from zoneinfo import ZoneInfo
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from lontar.testing import build_world
from desk.tests import sop_driver as D
from portal.models import BeritaCategory

WITA = ZoneInfo("Asia/Makassar")

class M(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = build_world()

    def measure(self, url, label):
        self.client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(url)
        cold = len(ctx.captured_queries)
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(url)
        print(label, url, r.status_code, "cold", cold, "warm", len(ctx.captured_queries))

    def test_m(self):
        cat = BeritaCategory.objects.create(name="Pertanian", slug="pertanian")
        pages = []
        t0 = time.time()
        def pub(i):
            with time_machine.travel(dt.datetime(2026, 11, 23, 8, 0, tzinfo=WITA) + dt.timedelta(minutes=i), tick=False):
                pages.append(D.publish_berita(self.p, topic=f"Berita {i}", category=cat, source="X", image=D.make_image(f"img{i}"), caption="c", credit="k"))
        for i in range(3): pub(i)
        print("publish 3 took", time.time() - t0)
        for url in ["/", "/berita/", pages[0].url]:
            self.measure(url, "N=3")
        t0 = time.time()
        for i in range(3, 25): pub(i)
        print("publish 22 took", time.time() - t0)
        for url in ["/", "/berita/", "/berita/?halaman=2", pages[0].url]:
            self.measure(url, "N=25")
