"""Every response carries the security headers (lontar.security_headers, Django's
SecurityMiddleware): a public page, a page of the admin, a document download and a 404. The public
policy has no nonce and nothing inline; the admin's has a nonce only where Wagtail needs one."""

import re
import shutil
import tempfile

from django.core.files.base import ContentFile
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from wagtail.documents import get_document_model

from desk.tests import sop_driver as D
from desk.tests.helpers import client_for
from lontar.testing import build_world, media_on_disk

PUBLIC_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-src": "'none'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
    ),
}
MEDIA = tempfile.mkdtemp(prefix="lontar-test-media-")


def directives(policy: str) -> dict[str, str]:
    """The policy's directives (django-csp writes them in no fixed order)."""
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


@media_on_disk(MEDIA)
class SecurityHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.document = get_document_model().objects.create(
            title="Tabel", file=ContentFile(b"kecamatan,jumlah\nKediri,3\n", name="tabel.csv")
        )

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def assertCommonHeaders(self, response):
        for header, value in COMMON.items():
            self.assertEqual(response.get(header), value, header)

    def test_a_public_page(self):
        response = Client().get("/")
        self.assertEqual(response.status_code, 200)
        self.assertCommonHeaders(response)
        self.assertEqual(directives(response["Content-Security-Policy"]), PUBLIC_POLICY)

    def test_a_404(self):
        response = Client().get("/tidak-ada-halaman-ini/")
        self.assertEqual(response.status_code, 404)
        self.assertCommonHeaders(response)
        self.assertEqual(directives(response["Content-Security-Policy"]), PUBLIC_POLICY)

    def test_a_document_download(self):
        # Signed in: a document no published page uses yet is for the admin only.
        response = client_for(self.people["staf"]).get(self.document.url)
        self.assertEqual(response.status_code, 200)
        self.assertCommonHeaders(response)
        # Wagtail's own, stricter policy for a file: nothing in it may load or run anything.
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'")
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))

    def test_the_admin_login_and_dashboard(self):
        for client, url in ((Client(), reverse("wagtailadmin_login")), (client_for(self.people["staf"]), "/admin/")):
            with self.subTest(url):
                response = client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertCommonHeaders(response)
                policy = directives(response["Content-Security-Policy"])
                self.assertEqual(policy["script-src"], "'self'")  # no inline script on these: no nonce
                self.assertEqual(policy["style-src"], "'self' 'unsafe-inline'")
                self.assertEqual(policy["object-src"], "'none'")
                self.assertEqual(policy["frame-ancestors"], "'self'")

    def test_the_page_editor_marks_wagtails_inline_scripts_with_the_responses_nonce(self):
        """Every inline script the editor's HTML holds carries the nonce of the policy sent with
        it; a second response has another nonce."""
        page = D.write(D.start_item(self.people, topic="Panen raya"), image=D.make_image("Sawah"))
        client = client_for(self.people["staf"])
        nonces = []
        for _ in range(2):
            response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
            self.assertEqual(response.status_code, 200)
            nonce = re.fullmatch(
                r"'self' 'nonce-([A-Za-z0-9+/=]+)'", directives(response["Content-Security-Policy"])["script-src"]
            )
            self.assertIsNotNone(nonce, response["Content-Security-Policy"])
            nonces.append(nonce.group(1))
            inline = re.findall(
                r"<script(?![^>]*\bsrc=)(?![^>]*type=\"(?:application/json|application/ld\+json)\")([^>]*)>",
                response.content.decode(),
            )
            self.assertGreaterEqual(len(inline), 3)  # image chooser, InlinePanel, category chooser, dates
            for attributes in inline:
                self.assertIn(f'nonce="{nonce.group(1)}"', attributes)
        self.assertNotEqual(*nonces)

    @override_settings(
        LONTAR_EMBED_HOSTS=["www.youtube.com"],
        MEDIA_URL="https://media.tabanankab.go.id/lontar/",
        LONTAR_CSP_EXTRA_IMG_SRC=["https://cdn.tabanankab.go.id"],
    )
    def test_embed_and_media_hosts_join_the_policy(self):
        policy = directives(Client().get("/")["Content-Security-Policy"])
        self.assertEqual(policy["frame-src"], "https://www.youtube.com")
        self.assertEqual(policy["img-src"], "'self' data: https://cdn.tabanankab.go.id https://media.tabanankab.go.id")
        self.assertEqual(policy["script-src"], "'self'")

    @override_settings(LONTAR_PAGE_CACHE_SECONDS=300)
    def test_a_page_from_the_full_page_cache_carries_the_policy_in_force(self):
        from django.core.cache import cache

        cache.clear()
        first = Client().get("/")
        with override_settings(LONTAR_EMBED_HOSTS=["www.youtube.com"]):
            second = Client().get("/")
        self.assertEqual((first["X-Cache"], second["X-Cache"]), ("MISS", "HIT"))
        self.assertEqual(directives(first["Content-Security-Policy"]), PUBLIC_POLICY)
        self.assertIn("frame-src https://www.youtube.com", second["Content-Security-Policy"])
        self.assertNotIn("nonce", second["Content-Security-Policy"])
        self.assertCommonHeaders(second)
