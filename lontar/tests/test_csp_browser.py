"""Wagtail's admin and the desk work under Lontar's Content-Security-Policy in chromium: the
screens people use most report no CSP violation and no console error, Draftail loads, the image
chooser opens, and an upload through Wagtail's multiple uploader goes through."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.images import get_image_model

from desk.tests import sop_driver as D
from desk.tests.e2e.browsing import sign_in
from lontar.tests.upload_files import png_bytes

pytestmark = pytest.mark.browser

expect.set_options(timeout=15_000)

# Registered before any script of a page runs, on every page the tab opens.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push([e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber, e.sample].join(' | '));
});
"""


class Watch:
    """CSP violations and console errors of one browser tab, across navigations."""

    def __init__(self, page):
        self.page = page
        self.console_errors = []
        self.violations = []
        self.policies = []
        page.add_init_script(COLLECT_VIOLATIONS)
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message):
        if message.type != "error":
            return
        # The live server does not serve media (DEBUG off, files in memory): a thumbnail that
        # fails to load is the test's set-up, not the policy.
        if message.location.get("url", "").split("//", 1)[-1].partition("/")[2].startswith(settings.MEDIA_URL[1:]):
            return
        self.console_errors.append(message.text)

    def _response(self, response):
        if response.request.resource_type == "document":
            self.policies.append(response.headers.get("content-security-policy", ""))

    def check(self, where: str):
        self.violations += [f"{where}: {v}" for v in self.page.evaluate("window.__cspViolations || []")]
        self.page.evaluate("window.__cspViolations = []")
        assert not self.violations, "\n".join(self.violations)
        assert not self.console_errors, "\n".join(self.console_errors)


def test_wagtail_admin_and_desk_work_under_the_admin_policy(world, new_device):
    people = world
    draft = D.write(
        D.start_item(people, topic="Panen raya Subak Jatiluwih"), image=D.make_image("Sawah"), caption="Sawah"
    )
    under_review = D.advance(D.start_item(people, topic="Festival Tanah Lot"), people, to_step=4)

    # The Staf: dashboard, the berita's editor with Draftail, the photo panel and the image chooser.
    page = sign_in(new_device(), people["staf"])
    watch = Watch(page)
    page.goto(reverse("wagtailadmin_home"))
    page.wait_for_load_state("networkidle")
    watch.check("dashboard")

    page.goto(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    expect(page.locator(".Draftail-Editor [contenteditable=true]").first).to_be_visible()
    page.locator("#id_images-ADD").click()  # InlinePanel: its set-up script ran (nonce)
    new_photo = page.locator("#inline_child_images-1")
    expect(new_photo).to_be_visible()
    new_photo.get_by_role("button", name=re.compile("Pilih sebuah gambar|Choose an image")).click()
    modal = page.locator(".modal-dialog")
    expect(modal.get_by_role("heading", name=re.compile("Pilih sebuah gambar|Choose an image"))).to_be_visible()
    expect(modal.get_by_text("Sawah").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    watch.check("editor and image chooser")

    # Wagtail's multiple uploader (XHR upload, then the edit form it sends back).
    page.goto(reverse("wagtailimages:add_multiple"))
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "sawah-baru.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    expect(page.locator("#upload-list .upload-success, #upload-list li.success").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    watch.check("multiple upload")
    assert get_image_model().objects.filter(title__startswith="sawah-baru").exists()

    # The desk: the Kabid's inbox and the review screen of an item at step 4.
    reviewer = sign_in(new_device(), people["kabid"])
    review_watch = Watch(reviewer)
    reviewer.goto(reverse("desk:inbox"))
    expect(reviewer.get_by_text("Festival Tanah Lot").first).to_be_visible()
    review_watch.check("desk inbox")
    reviewer.goto(reverse("desk:review", args=[under_review.pk]))
    expect(reviewer.get_by_role("button", name=re.compile("^Setujui dan teruskan ke"))).to_be_visible()
    reviewer.wait_for_load_state("networkidle")
    review_watch.check("review")

    # The policies those pages ran under: scripts from the site itself, inline ones only with the
    # response's nonce (the editor's), never 'unsafe-inline' or eval.
    script_sources = [
        re.search(r"script-src ([^;]*)", policy).group(1) for policy in watch.policies + review_watch.policies
    ]
    assert all(re.fullmatch(r"'self'( 'nonce-[A-Za-z0-9+/=]+')?", sources) for sources in script_sources), (
        script_sources
    )
    assert any("'nonce-" in sources for sources in script_sources)
