"""Tugas saya and the overview on a 360 px phone: the due time, the time left and the state are
readable as words, the filters are tappable, and nothing scrolls sideways."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from desk.tests import sop_driver as D
from desk.tests.e2e.browsing import sign_in

pytestmark = pytest.mark.browser

expect.set_options(timeout=15_000)


def sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_kabid_reads_what_is_due_on_a_phone(world, new_device, screenshots):
    people = world
    for topic in ("Naskah panen raya subak", "Naskah festival Tanah Lot dengan judul yang cukup panjang"):
        D.advance(D.start_item(people, topic=topic), people, to_step=4)
    page = sign_in(new_device(phone=True), people["kabid"])
    expect(page.get_by_role("heading", name="Keadaan tugas")).to_be_visible()

    page.goto(reverse("desk:inbox"))
    card = page.locator(".desk-card").first
    expect(card).to_contain_text("Jatuh tempo")
    expect(card).to_contain_text(re.compile("tepat waktu|segera jatuh tempo|terlambat"))
    assert sideways_overflow(page) <= 0
    filters = page.get_by_role("navigation", name="Saring menurut keadaan").get_by_role("link")
    expect(filters).to_have_count(4)
    assert all(filters.nth(i).bounding_box()["height"] >= 44 for i in range(4))
    page.screenshot(path=screenshots / "tugas-saya-360.png", full_page=True)

    filters.filter(has_text="Terlambat").click()
    expect(page).to_have_url(re.compile(r"keadaan=terlambat"))
    expect(filters.filter(has_text="Terlambat")).to_have_attribute("aria-current", "true")
    page.get_by_label("Urutkan").select_option("umur")
    page.get_by_role("button", name="Terapkan").click()
    expect(page).to_have_url(re.compile(r"keadaan=terlambat&urut=umur"))
    expect(page.get_by_text("Tidak ada tugas dalam keadaan ini.")).to_be_visible()

    page.goto(reverse("desk:overview"))
    expect(page.get_by_role("heading", name="Ringkasan keadaan tugas")).to_be_visible()
    expect(page.locator(".desk-count")).to_have_count(3)
    assert sideways_overflow(page) <= 0
    page.screenshot(path=screenshots / "ringkasan-tugas-360.png", full_page=True)
