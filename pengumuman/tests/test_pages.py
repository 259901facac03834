"""Announcements as a visitor sees them: current ones first, the archive below, each with its
period of validity; the home page shows those valid today (WITA). Every announcement went live
through the ten steps of the SOP (``desk.tests.sop_driver.publish_kind``)."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import TestCase
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from desk.tests import sop_driver as D
from desk.tests.helpers import text_of
from lontar.testing import assert_public_page_queries, build_world
from pengumuman.models import PengumumanPage
from pengumuman.selectors import pengumuman_current

WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=WITA)
PUBLISHED_AT = dt.datetime(2026, 11, 2, 9, 0, tzinfo=WITA)


def day(d: int, month: int = 11) -> dt.date:
    return dt.date(2026, month, d)


def publish_pengumuman(people, *, minutes: int = 0, **fields) -> PengumumanPage:
    with time_machine.travel(PUBLISHED_AT + dt.timedelta(minutes=minutes), tick=False):
        return D.publish_kind(people, kind="pengumuman", **fields)


def hidden_pengumuman(people, topic: str, to_step: int, to_phase: int = 0, **fields):
    with time_machine.travel(PUBLISHED_AT, tick=False):
        liputan = D.start_item(people, topic=topic, kind="pengumuman")
        D.draft(liputan, **fields)
        return D.advance(liputan, people, to_step=to_step, to_phase=to_phase)


def make_document(title: str = "Surat edaran") -> Document:
    document = Document.objects.create(title=title, file=ContentFile(b"%PDF-1.4 uji\n" * 100, name="surat-edaran.pdf"))
    document.get_file_size()  # stored, as an upload in the admin does
    return document


def section_titles(response, section_id: str) -> list[str]:
    """The announcement titles listed in the section with ``section_id``, in order."""
    html = response.content.decode()
    found = re.search(rf'<section aria-labelledby="{section_id}"[^>]*>(.*?)</section>', html, re.S)
    if not found:
        return []
    return re.findall(r'<h3 class="pengumuman-item__title"><a href="[^"]*">([^<]*)</a></h3>', found.group(1))


def home_titles(response) -> list[str]:
    return re.findall(
        r'<h3 class="card__title pengumuman-card__title"><a href="[^"]*">([^<]*)</a></h3>', response.content.decode()
    )


class PengumumanListTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        cls.document = make_document()
        cls.jalan = publish_pengumuman(
            p, topic="Penutupan jalan Pacung", berlaku_mulai=day(15), berlaku_sampai=day(30), minutes=1,
            body="<p>Ruas jalan ditutup sementara.</p>", attachment=cls.document,
        )
        cls.beasiswa = publish_pengumuman(
            p, topic="Pendaftaran beasiswa", berlaku_mulai=day(18), berlaku_sampai=day(20, 12), minutes=2,
        )
        cls.tetap = publish_pengumuman(p, topic="Jam layanan kantor", berlaku_mulai=day(1), minutes=3)
        cls.lelang = publish_pengumuman(
            p, topic="Lelang jabatan", berlaku_mulai=day(25), berlaku_sampai=day(5, 12), minutes=4,
        )
        cls.listrik = publish_pengumuman(
            p, topic="Pemadaman listrik", berlaku_mulai=day(1), berlaku_sampai=day(10), minutes=5,
        )
        cls.vaksin = publish_pengumuman(
            p, topic="Vaksinasi rabies", berlaku_mulai=day(1), berlaku_sampai=day(19), minutes=6,
        )
        valid = {"berlaku_mulai": day(1), "berlaku_sampai": day(30)}
        cls.hidden = [
            hidden_pengumuman(p, "Pengumuman draf Staf", 3, **valid),
            hidden_pengumuman(p, "Pengumuman di meja Kasi", 3, 1, **valid),
            hidden_pengumuman(p, "Pengumuman di meja Sekdis", 5, **valid),
            hidden_pengumuman(p, "Pengumuman menunggu unggah", 10, **valid),
        ]

    def get(self, url, when=NOW, **params):
        with time_machine.travel(when, tick=False):
            return self.client.get(url, params)

    def test_index_lists_current_then_upcoming_then_the_archive(self):
        r = self.get("/pengumuman/")
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "pengumuman/pengumuman_index_page.html")
        # Current: the most recently in force first.
        self.assertEqual(
            section_titles(r, "pengumuman-berlaku"),
            ["Pendaftaran beasiswa", "Penutupan jalan Pacung", "Jam layanan kantor"],
        )
        self.assertEqual(section_titles(r, "pengumuman-akan-berlaku"), ["Lelang jabatan"])
        # Archive: the most recently expired first.
        self.assertEqual(section_titles(r, "pengumuman-arsip"), ["Vaksinasi rabies", "Pemadaman listrik"])
        text = text_of(r)
        self.assertLess(text.index("Berlaku saat ini"), text.index("Akan berlaku"))
        self.assertLess(text.index("Akan berlaku"), text.index("<h2 id=\"pengumuman-arsip\">Arsip</h2>"))
        self.assertIn("Berlaku 15 November 2026 s.d. 30 November 2026", text)
        self.assertIn("Berlaku sejak 1 November 2026", text)
        self.assertIn("Lampiran: PDF", text)
        self.assertIn("Tidak berlaku lagi", text)
        self.assertIn("Belum berlaku", text)
        self.assertIn('<link rel="stylesheet" href="/static/pengumuman/pengumuman.css">', text)

    def test_home_shows_at_most_three_current_announcements(self):
        r = self.get("/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(home_titles(r), ["Pendaftaran beasiswa", "Penutupan jalan Pacung", "Jam layanan kantor"])
        text = text_of(r)
        self.assertIn("Berlaku s.d. 20 Desember 2026", text)
        self.assertIn('href="/pengumuman/"', text)
        self.assertEqual([p.title for p in pengumuman_current(2, today=day(20))], home_titles(r)[:2])

    def test_an_announcement_leaves_home_and_current_list_at_midnight_wita(self):
        # Valid through 19 November: shown until 23:59:59 WITA (15:59:59 UTC) ...
        last_moment = dt.datetime(2026, 11, 19, 23, 59, 59, tzinfo=WITA)
        with time_machine.travel(last_moment, tick=False):
            self.assertIn("Vaksinasi rabies", [p.title for p in pengumuman_current()])
        self.assertIn("Vaksinasi rabies", section_titles(self.get("/pengumuman/", last_moment), "pengumuman-berlaku"))
        self.assertIn("Vaksinasi rabies", text_of(self.get("/", last_moment)))
        # ... and gone at midnight WITA, although in UTC it is still the 19th.
        midnight = dt.datetime(2026, 11, 20, 0, 0, tzinfo=WITA)
        self.assertEqual(midnight.astimezone(dt.UTC).date(), day(19))
        with time_machine.travel(midnight, tick=False):
            self.assertNotIn("Vaksinasi rabies", [p.title for p in pengumuman_current()])
        index = self.get("/pengumuman/", midnight)
        self.assertNotIn("Vaksinasi rabies", section_titles(index, "pengumuman-berlaku"))
        self.assertEqual(section_titles(index, "pengumuman-arsip")[0], "Vaksinasi rabies")
        self.assertNotIn("Vaksinasi rabies", text_of(self.get("/", midnight)))

    def test_an_announcement_arrives_on_its_first_day(self):
        before = dt.datetime(2026, 11, 24, 23, 59, tzinfo=WITA)
        self.assertNotIn("Lelang jabatan", home_titles(self.get("/", before)))
        first_day = dt.datetime(2026, 11, 25, 0, 0, tzinfo=WITA)
        self.assertIn("Lelang jabatan", section_titles(self.get("/pengumuman/", first_day), "pengumuman-berlaku"))
        self.assertEqual(home_titles(self.get("/", first_day))[0], "Lelang jabatan")

    def test_home_shows_nothing_when_no_announcement_is_valid(self):
        r = self.get("/", dt.datetime(2027, 6, 1, 9, 0, tzinfo=WITA))
        # Only the one without an end date remains.
        self.assertEqual(home_titles(r), ["Jam layanan kantor"])
        PengumumanPage.objects.filter(pk=self.tetap.pk).update(berlaku_sampai=day(30))
        r = self.get("/", dt.datetime(2027, 6, 1, 9, 0, tzinfo=WITA))
        self.assertEqual(home_titles(r), [])
        self.assertNotIn('id="pengumuman-terkini"', r.content.decode())

    def test_items_on_the_desk_never_appear(self):
        for url in ("/", "/pengumuman/"):
            r = self.get(url)
            for liputan in self.hidden:
                self.assertNotIn(liputan.title, r.content.decode())

    def test_items_on_the_desk_are_404_to_the_public(self):
        for liputan in self.hidden:
            with self.subTest(item=liputan.title):
                liputan.refresh_from_db()
                page = liputan.page.specific
                self.assertFalse(page.live)
                self.assertEqual(self.get(page.url).status_code, 404)

    def test_a_private_announcement_is_left_out(self):
        PageViewRestriction.objects.create(page=self.jalan, restriction_type="password", password="rahasia")
        self.assertEqual(
            {p.pk for p in pengumuman_current(today=day(20))},
            set(
                PengumumanPage.objects.live().public().filter(berlaku_mulai__lte=day(20))
                .exclude(berlaku_sampai__lt=day(20)).values_list("pk", flat=True)
            ),
        )
        for url in ("/", "/pengumuman/"):
            self.assertNotIn("Penutupan jalan Pacung", self.get(url).content.decode())

    def test_detail_shows_validity_body_and_attachment(self):
        r = self.get(self.jalan.url)
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "pengumuman/pengumuman_page.html")
        text = text_of(r)
        self.assertIn("<h1>Penutupan jalan Pacung</h1>", text)
        self.assertIn("Berlaku 15 November 2026 s.d. 30 November 2026", text)
        self.assertIn('<span class="pengumuman-status">Berlaku</span>', text)
        self.assertIn("<p>Ruas jalan ditutup sementara.</p>", text)
        self.assertIn(f'<a href="{self.document.url}">Unduh lampiran: Surat edaran</a>', text)
        self.assertIn("(PDF, 1,3 KB)", text)  # text_of folds the no-break space
        self.assertIn('<a href="/pengumuman/">Pengumuman</a>', text)

    def test_an_expired_announcement_stays_readable_and_says_so(self):
        r = self.get(self.listrik.url)
        self.assertEqual(r.status_code, 200)
        self.assertIn("Tidak berlaku lagi", text_of(r))
        self.assertNotIn("Unduh lampiran", text_of(r))


class ValidationTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()

    def test_validity_cannot_end_before_it_begins(self):
        page = PengumumanPage(title="Pengumuman", slug="pengumuman", berlaku_mulai=day(20), berlaku_sampai=day(19))
        with self.assertRaises(ValidationError) as caught:
            page.clean()
        self.assertEqual(
            caught.exception.message_dict,
            {"berlaku_sampai": ["Tanggal berlaku sampai tidak boleh lebih awal daripada tanggal berlaku mulai."]},
        )
        # A single day, or no end at all, is fine.
        PengumumanPage(title="P", slug="p", berlaku_mulai=day(20), berlaku_sampai=day(20)).clean()
        PengumumanPage(title="P", slug="p", berlaku_mulai=day(20)).clean()

    def test_the_desk_cannot_save_a_draft_with_reversed_dates(self):
        with time_machine.travel(PUBLISHED_AT, tick=False):
            liputan = D.start_item(self.people, topic="Pengumuman terbalik", kind="pengumuman")
            with self.assertRaises(ValidationError):
                D.draft(liputan, berlaku_mulai=day(20), berlaku_sampai=day(19))

    def test_validity_starts_today_in_wita_by_default(self):
        # 17:00 UTC on 19 November is already 01:00 on 20 November in Tabanan.
        with time_machine.travel(dt.datetime(2026, 11, 19, 17, 0, tzinfo=dt.UTC), tick=False):
            self.assertEqual(PengumumanPage(title="P").berlaku_mulai, day(20))


class QueryBoundsTest(TestCase):
    """The list, an announcement and the home page cost the same number of queries for 3 or 15
    announcements, within the bound of 8. Warm: serving 2, the frame none (cached). Own queries:
    index 3 (current and upcoming in one query with their attachments, the archive's count and
    page); announcement 1 (its attachment). An empty cache adds 3 (sites, site root paths, chrome)."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.document = make_document()
        cls.pages = [cls.publish(i) for i in range(3)]

    @classmethod
    def publish(cls, i: int) -> PengumumanPage:
        # Two in three are current; the others expired.
        expired = i % 3 == 2
        return publish_pengumuman(
            cls.people, topic=f"Pengumuman ke-{i:02d}", minutes=i, attachment=cls.document,
            berlaku_mulai=day(1), berlaku_sampai=day(10) if expired else day(30),
        )

    def assert_queries(self, url: str, *, cold: int, warm: int):
        with time_machine.travel(NOW, tick=False):
            return assert_public_page_queries(self, url, cold=cold, warm=warm)

    def check_all(self, *, current: int, archived: int):
        r = self.assert_queries("/pengumuman/", cold=8, warm=5)
        self.assertEqual(len(section_titles(r, "pengumuman-berlaku")), current)
        self.assertEqual(len(section_titles(r, "pengumuman-arsip")), archived)
        self.assert_queries(self.pages[0].url, cold=6, warm=3)

    def test_query_counts_do_not_grow_with_the_number_of_announcements(self):
        self.check_all(current=2, archived=1)
        self.pages += [self.publish(i) for i in range(3, 15)]
        self.assertEqual(PengumumanPage.objects.live().count(), 15)
        self.check_all(current=10, archived=5)

    def test_the_home_page_blocks_cost_one_query_each(self):
        """Current announcements and upcoming events add one query each to the home page, however
        many are shown."""
        from kegiatan.selectors import kegiatan_upcoming

        with time_machine.travel(NOW, tick=False):
            self.pages += [self.publish(i) for i in range(3, 6)]
            with self.assertNumQueries(1):
                self.assertEqual(len(list(pengumuman_current(3))), 3)
            with self.assertNumQueries(1):
                list(kegiatan_upcoming(limit=3))
