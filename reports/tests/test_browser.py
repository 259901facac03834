"""The report as a Kadis sees it in a real browser: the period buttons, both charts, the tables,
and nothing that scrolls the page sideways on a desk computer or a phone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from desk.tests.e2e.browsing import sign_in
from reports.tests.fixture import RETURN_REASON, write_history

pytestmark = pytest.mark.browser

expect.set_options(timeout=15_000)


@pytest.mark.parametrize("phone", [False, True], ids=["desk", "phone"])
def test_the_kadis_reads_the_compliance_report(world, new_device, screenshots, phone):
    write_history(world)
    page = sign_in(new_device(phone=phone), world["kadis"])
    page.goto(reverse("reports:report") + "?dari=2026-03-01&sampai=2026-03-31")
    expect(page.get_by_role("heading", name="Per langkah", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Median durasi terhadap standar per langkah")).to_be_visible()
    expect(page.get_by_role("img", name="Bagian langkah dalam standar waktu")).to_be_visible()
    expect(page.get_by_text(RETURN_REASON)).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.screenshot(path=screenshots / f"laporan-{'360' if phone else 'desk'}.png", full_page=True)
    page.get_by_role("link", name="Tahun ini").click()
    expect(page.get_by_role("link", name="Tahun ini")).not_to_have_class("button button-small button-secondary")
