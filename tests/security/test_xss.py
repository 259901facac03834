"""Cross-site scripting: script typed into every field a person can fill reaches no page as markup.

One berita is carried through the SOP by a Staf whose very name is a payload; the agenda, the
disposisi instruction, the title, summary, rich text, photo caption and credit, tags, the Kasi's
note and the Kabid's return reason all carry payloads too. Every page that shows them (the desk,
Wagtail's own screens, the public site, the feeds) is parsed, and no element may carry an ``on*``
attribute, a ``javascript:`` URL or a <script> that came from a payload (``support.active_payloads``).
E-mails are plain text (no HTML part), one-line subjects."""

import xml.etree.ElementTree as ET

from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from desk import services
from desk.models import AgendaItem
from desk.tests import sop_driver as D
from desk.tests.helpers import client_for
from lontar.testing import build_world, make_user
from ppid.tests.utils import make_document
from sop.rules import Role
from tests.security.support import MARK, assert_inert, payload_text


def short(tag: str) -> str:
    """Two payloads that fit a 150-character name field."""
    m = f"{MARK}{tag}"
    return f"\"><img src=x onerror=alert('{m}')><svg onload=alert('{m}')>"


RICH_BODY = (
    "<p>Isi berita."
    f'<img src="x" onerror="alert(\'{MARK}body1\')">'
    f"<a href=\"javascript:alert('{MARK}body2')\">tautan</a>"
    f"<a href=\"  JaVaScRiPt:alert('{MARK}body3')\">tautan</a>"
    f"<svg onload=\"alert('{MARK}body4')\"></svg>"
    f"<script>alert('{MARK}body5')</script>"
    f"<iframe src=\"javascript:alert('{MARK}body6')\"></iframe>"
    f"<a href=\"data:text/html,<script>alert('{MARK}body7')</script>\">data</a>"
    f"<p onclick=\"alert('{MARK}body8')\" style=\"background:url(javascript:alert('{MARK}body9'))\">x</p>"
    "</p>"
)


class XssTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = p = build_world()
        # The writer's display name is hostile; so is another Staf's (the uploader).
        p["evil"] = make_user("staf_evil", role=Role.STAF, first_name=short("first"), last_name=short("last"))
        p["staf2"].first_name = short("uploader")
        p["staf2"].save()
        with cls.captureOnCommitCallbacks(execute=True):
            agenda = services.agenda_create(
                user=p["kasi"],
                topic=payload_text("topic")[:255],
                kind=AgendaItem.Kind.BERITA,
                planned_date=timezone.localdate(),
                place=short("place"),
                notes=payload_text("notes"),
                plan=True,
            )
            liputan = D.dispose(agenda, p["kasi"], p["evil"], instruction=payload_text("instruction"))
            image = D.make_image(title=short("imagetitle"))
            cls.title = f"Pameran UMKM {short('title')}"
            D.write(
                liputan,
                title=cls.title,
                summary=payload_text("summary")[:500],
                body=RICH_BODY,
                image=image,
                caption=short("caption"),
                credit=short("credit"),
                tags=(f"<svg onload=alert('{MARK}tag')>", "pameran"),
                source=short("source"),
            )
            services.liputan_submit(liputan=liputan, user=p["evil"])
            D.act(liputan, "forward", comment=payload_text("comment"))
            D.act(liputan, "return", return_to=3, comment=payload_text("reason"))
        cls.liputan = liputan
        cls.emails_after_return = list(mail.outbox)
        with cls.captureOnCommitCallbacks(execute=True):
            services.liputan_submit(liputan=liputan, user=p["evil"])
            cls.page = D.publish(liputan, p)
        cls.emails = list(mail.outbox)
        cls.document = make_document(f"Lampiran {short('doctitle')}", filename=f"{short('filename')}.pdf")
        cls.pengumuman = D.publish_kind(p, kind="pengumuman", topic="Pengumuman lampiran", attachment=cls.document)

    def assert_pages_inert(self, client, urls):
        for url in urls:
            with self.subTest(url=url):
                response = client.get(url)
                self.assertEqual(response.status_code, 200, url)
                assert_inert(self, response.content.decode(), url)

    def test_the_desk_screens_render_every_payload_as_text(self):
        liputan = self.liputan
        revisions = list(self.page.revisions.order_by("pk").values_list("pk", flat=True))
        desk_urls = [
            reverse("desk:inbox"),
            reverse("desk:liputan", args=[liputan.pk]),
            reverse("desk:review", args=[liputan.pk]),
            reverse("desk:compare", args=[liputan.pk, revisions[0], revisions[-1]]),
            reverse("desk:liputan_list"),
            reverse("desk:liputan_list") + "?status=published",
            reverse("desk:agenda_list"),
            reverse("desk:overview"),
            reverse("notifications:list"),
            reverse("wagtailadmin_home"),
        ]
        for who in ("evil", "kasi", "kabid", "admin"):
            with self.subTest(who=who):
                self.assert_pages_inert(client_for(self.people[who]), desk_urls)
        # The payloads are there, as text: the timeline shows the return reason escaped.
        timeline = client_for(self.people["kasi"]).get(reverse("desk:liputan", args=[liputan.pk])).content.decode()
        self.assertIn(f"&lt;script&gt;alert(&#x27;{MARK}reason&#x27;)&lt;/script&gt;", timeline)

    def test_wagtails_own_screens_render_every_payload_as_text(self):
        page, parent = self.page, self.page.get_parent()
        urls = [
            reverse("wagtailadmin_explore", args=[parent.pk]),
            reverse("wagtailadmin_pages:history", args=[page.pk]),
            reverse("wagtailadmin_pages:workflow_history", args=[page.pk]),
            "/admin/reports/site-history/",
            "/admin/reports/workflow/",
            "/admin/reports/workflow_tasks/",
            "/admin/documents/",
            "/admin/images/",
            "/admin/users/",
            f"/admin/pages/search/?q={MARK}",
        ]
        self.assert_pages_inert(client_for(self.people["admin"]), urls)

    def test_the_public_site_renders_every_payload_as_text(self):
        visitor = Client()
        urls = [
            self.page.url,
            "/berita/",
            "/berita/?tag=pameran",
            "/",
            "/cari/?q=pameran",
            f"/cari/?q=UMKM+{MARK}",
            self.pengumuman.url,
            "/pengumuman/",
        ]
        self.assert_pages_inert(visitor, urls)
        html = visitor.get(self.page.url).content.decode()
        # The rich text kept its words and lost its script, the title its markup.
        self.assertIn("Isi berita.", html)
        self.assertIn("Pameran UMKM &quot;&gt;&lt;img", html)
        self.assertNotRegex(html, r'(?i)(href|src|action)\s*=\s*["\']?\s*javascript:')

    def test_reflected_search_queries_are_escaped(self):
        for query in (
            f"<script>alert('{MARK}q1')</script>",
            f"\"><svg onload=alert('{MARK}q2')>",
            f"' onfocus='alert(\"{MARK}q3\")' autofocus='",
        ):
            with self.subTest(query=query):
                response = Client().get("/cari/", {"q": query})
                self.assertEqual(response.status_code, 200)
                assert_inert(self, response.content.decode())

    def test_feeds_carry_titles_and_summaries_as_text(self):
        """Feed readers render an RSS <description> and an Atom <summary type="html"> as HTML,
        so the plain-text summary is escaped once more inside the XML. Titles are text in both
        formats (RSS 2.0 and Atom's default ``type="text"``) and are carried as typed."""
        for url, html_elements in (
            ("/feed/berita.rss", ("description",)),
            ("/feed/berita.atom", ("summary", "content")),
        ):
            with self.subTest(url=url):
                response = Client().get(url)
                self.assertEqual(response.status_code, 200)
                root = ET.fromstring(response.content)
                items = [el for el in root.iter() if el.tag.split("}")[-1] in ("item", "entry")]
                texts = [el.text or "" for item in items for el in item if el.tag.split("}")[-1] in html_elements]
                self.assertTrue(any(f"{MARK}summary" in text for text in texts), "the summary is in the feed, as text")
                for text in texts:
                    assert_inert(self, text, f"{url} element text read as HTML")
                titles = [el.text for item in items for el in item if el.tag.split("}")[-1] == "title"]
                self.assertIn(self.title, titles)
        sitemap = Client().get("/sitemap.xml")
        assert_inert(self, sitemap.content.decode(), "sitemap.xml")

    def test_emails_are_plain_text_with_one_line_subjects(self):
        self.assertTrue(self.emails_after_return, "the steps sent e-mails")
        reasons = [m for m in self.emails_after_return if f"{MARK}reason" in m.body]
        self.assertTrue(reasons, "the return reason reached the Staf's e-mail")
        for message in self.emails:
            with self.subTest(subject=message.subject[:60]):
                self.assertNotIn("\n", message.subject)
                self.assertNotIn("\r", message.subject)
                self.assertEqual(message.content_subtype, "plain")
                self.assertEqual(getattr(message, "alternatives", []), [])
                # Plain text is not escaped (it would show "&lt;" to the reader), and the subject
                # is not HTML-escaped either.
                self.assertNotIn("&lt;", message.subject)
                self.assertNotIn("&amp;", message.body)
