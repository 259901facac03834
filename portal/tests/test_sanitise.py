"""Rich text leaves Lontar only through the allow-list of ``portal.sanitise``.

The cleaner is tested on its own, then on the public pages of every section that shows rich text:
each item went live through the ten SOP steps with a body carrying scripts, event handlers,
``javascript:`` links, inline styles and a frame from an unknown host, next to the formatting,
internal links and images an editor legitimately writes.
"""

import datetime as dt
import re

from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.rich_text import RichText

from desk.tests import sop_driver as D
from desk.tests.helpers import client_for
from lontar.testing import build_world
from portal.sanitise import clean_html, clean_richtext
from potensi.tests.utils import publish_potensi

HOSTILE = (
    '<p style="color:red" onclick="steal()">Teks <b>tebal</b>, <i>miring</i>'
    ' dan <a href="javascript:alert(1)">tautan jahat</a>.</p>'
    "<script>alert('xss')</script>"
    '<p><a href="JaVaScRiPt:alert(2)" onmouseover="steal()">lagi</a></p>'
    '<img src="/media/x.png" onerror="alert(3)" alt="gambar">'
    '<iframe src="https://pelacak.example/iklan" width="300">isi bingkai</iframe>'
    "<style>body{display:none}</style>"
)

FORBIDDEN = ("<script", "alert(", "onclick", "onerror", "onmouseover", "javascript:", "style=",
             "pelacak.example", "<iframe", "<style", "display:none", "isi bingkai")  # fmt: skip


class CleanerTest(SimpleTestCase):
    def assert_none_of(self, html, needles=FORBIDDEN):
        lowered = html.lower()
        for needle in needles:
            self.assertNotIn(needle.lower(), lowered)

    def test_scripts_handlers_styles_and_bad_urls_are_removed(self):
        out = clean_html(HOSTILE)
        self.assert_none_of(out)
        self.assertIn('<p>Teks <b>tebal</b>, <i>miring</i> dan <a rel="noopener noreferrer">tautan jahat</a>.</p>', out)
        self.assertIn('<img src="/media/x.png" alt="gambar">', out)

    def test_draftail_formatting_survives_unchanged(self):
        html = (
            "<h2>Judul</h2><h3>Sub</h3><h4>Subsub</h4><p><strong>a</strong> <em>b</em> <s>c</s> x<sub>2</sub>"
            " y<sup>3</sup> <code>kode</code><br>baris</p><ul><li>satu</li></ul><ol><li>dua</li></ol>"
            "<blockquote>kutipan</blockquote><hr>"
            '<table><caption>Tabel</caption><thead><tr><th scope="col">A</th></tr></thead>'
            '<tbody><tr><td colspan="2">1</td></tr></tbody></table>'
        )
        self.assertEqual(clean_html(html), html)

    def test_links_keep_safe_schemes_and_get_noopener(self):
        out = clean_html(
            '<a href="https://tabanankab.go.id/" target="_blank" rel="opener">web</a>'
            '<a href="mailto:diskominfo@tabanankab.go.id">surel</a><a href="tel:+62361811000">telp</a>'
            '<a href="/berita/panen/">internal</a><a href="data:text/html,hi">data</a>'
            '<a href="vbscript:x">vb</a>'
        )
        self.assertEqual(
            out,
            '<a href="https://tabanankab.go.id/" rel="noopener noreferrer">web</a>'
            '<a href="mailto:diskominfo@tabanankab.go.id" rel="noopener noreferrer">surel</a>'
            '<a href="tel:+62361811000" rel="noopener noreferrer">telp</a>'
            '<a href="/berita/panen/" rel="noopener noreferrer">internal</a>'
            '<a rel="noopener noreferrer">data</a><a rel="noopener noreferrer">vb</a>',
        )

    def test_images_keep_wagtail_classes_and_safe_srcset_only(self):
        out = clean_html(
            '<img class="richtext-image left peretas" src="/a.webp" width="480" height="320" alt="a" loading="lazy">'
            '<img src="/b.webp" srcset="/b.webp 1x, /b2.webp 2x" sizes="100vw" alt="b">'
            '<img src="/c.webp" srcset="javascript:alert(1) 1x" alt="c">'
            '<img src="javascript:alert(1)" alt="d">'
        )
        self.assertEqual(
            out,
            '<img class="richtext-image left" src="/a.webp" width="480" height="320" alt="a" loading="lazy">'
            '<img src="/b.webp" srcset="/b.webp 1x, /b2.webp 2x" sizes="100vw" alt="b">'
            '<img src="/c.webp" alt="c"><img alt="d">',
        )

    def test_frames_are_dropped_unless_their_host_is_allowed(self):
        frames = (
            '<div class="responsive-object" style="padding-bottom: 56.25%;">'
            '<iframe src="https://www.youtube.com/embed/abc" width="200" allow="autoplay" allowfullscreen'
            ' title="Video">cadangan<script>x()</script></iframe></div>'
            '<iframe src="https://www.youtube.com.pelacak.example/x"></iframe>'
            '<iframe src="http://www.youtube.com/embed/abc"></iframe>'
            '<iframe src="javascript:alert(1)"></iframe>'
        )
        self.assertEqual(clean_html(frames), '<div class="responsive-object"></div>')
        with override_settings(LONTAR_EMBED_HOSTS=["www.youtube.com"]):
            self.assertEqual(
                clean_html(frames),
                '<div class="responsive-object"><iframe src="https://www.youtube.com/embed/abc" width="200"'
                ' allowfullscreen="" title="Video"></iframe></div>',
            )

    def test_comments_and_unknown_tags_go_text_stays(self):
        self.assertEqual(
            clean_html('<!-- catatan --><font color="red">merah</font><svg><script>x()</script></svg><p>ok</p>'),
            "merah<p>ok</p>",
        )

    def test_empty_values_and_wrong_types(self):
        self.assertEqual(clean_richtext(None), "")
        self.assertEqual(clean_richtext(""), "")
        with self.assertRaises(TypeError):
            clean_richtext(["<p>bukan teks kaya</p>"])


class ExpandThenCleanTest(TestCase):
    """Wagtail's references (page links, images) are expanded before cleaning, so they survive."""

    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.target = D.publish_berita(cls.people, topic="Panen raya Subak Jatiluwih")
        cls.photo = D.make_image("Sawah berundak")

    def test_page_links_and_images_become_real_urls(self):
        source = (
            f'<p>Baca <a linktype="page" id="{self.target.pk}">berita panen</a>.</p>'
            f'<embed embedtype="image" id="{self.photo.pk}" format="left" alt="Sawah berundak"/>'
            '<p onclick="x()">akhir</p>'
        )
        for value in (source, RichText(source)):
            out = clean_richtext(value)
            self.assertIn(f'<a href="{self.target.url}" rel="noopener noreferrer">berita panen</a>', out)
            img = re.search(r"<img [^>]*>", out).group(0)
            self.assertIn('class="richtext-image left"', img)
            self.assertIn('alt="Sawah berundak"', img)
            self.assertRegex(img, r'src="/media/images/[^"]+"')
            self.assertIn("<p>akhir</p>", out)
            self.assertNotIn("linktype", out)


class PublicPagesTest(TestCase):
    """One item per section, published through the SOP with a hostile body."""

    @classmethod
    def setUpTestData(cls):
        p = cls.people = build_world()
        cls.target = D.publish_berita(p, topic="Panen raya Subak Jatiluwih")
        cls.photo = D.make_image("Sawah berundak")
        cls.body = HOSTILE + (
            f'<p>Baca juga <a linktype="page" id="{cls.target.pk}">berita panen</a>.</p>'
            f'<embed embedtype="image" id="{cls.photo.pk}" format="fullwidth" alt="Sawah berundak"/>'
            "<ul><li>butir satu</li></ul>"
        )
        today = timezone.localdate()
        cls.pages = {
            "berita": D.publish_berita(p, topic="Berita dengan isi berbahaya", body=cls.body),
            "pengumuman": D.publish_kind(
                p, kind="pengumuman", topic="Pengumuman berbahaya", body=cls.body, berlaku_mulai=today
            ),
            "kegiatan": D.publish_kind(
                p,
                kind="kegiatan",
                topic="Kegiatan berbahaya",
                body=cls.body,
                start=timezone.now() + dt.timedelta(days=1),
                end=timezone.now() + dt.timedelta(days=1, hours=2),
                place="Gedung Kesenian",
            ),
            "potensi": publish_potensi(p, "Potensi berbahaya", body=cls.body),
            "profil": D.publish_kind(
                p, kind="informasi", topic="Profil berbahaya", body=[("paragraph", RichText(cls.body))]
            ),
        }

    def assert_clean_and_intact(self, html):
        # From the body to the end of the article: the frame of the page has its own (trusted) markup.
        article = re.search(r'<div class="(?:body|desk-read__body)[^"]*">.*?</article>', html, re.DOTALL).group(0)
        lowered = article.lower()
        for needle in FORBIDDEN:
            self.assertNotIn(needle.lower(), lowered)
        self.assertIn("<b>tebal</b>", article)
        self.assertIn("<i>miring</i>", article)
        self.assertIn("<li>butir satu</li>", article)
        self.assertIn(f'<a href="{self.target.url}" rel="noopener noreferrer">berita panen</a>', article)
        self.assertRegex(article, r'<img [^>]*class="richtext-image full-width"[^>]*src="/media/images/')

    def test_every_section_shows_the_body_cleaned(self):
        for section, page in self.pages.items():
            with self.subTest(section=section):
                response = self.client.get(page.url)
                self.assertEqual(response.status_code, 200)
                self.assert_clean_and_intact(response.content.decode())

    def test_the_desk_review_screen_shows_the_draft_cleaned(self):
        liputan = D.start_item(self.people, topic="Naskah berbahaya di meja")
        D.write(liputan, body=self.body)
        D.advance(liputan, self.people, to_step=3, to_phase=1)
        liputan.refresh_from_db()
        response = client_for(liputan.holder).get(reverse("desk:review", args=[liputan.pk]))
        self.assertEqual(response.status_code, 200)
        self.assert_clean_and_intact(response.content.decode())
