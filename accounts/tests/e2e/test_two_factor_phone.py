"""A Kabid sets up two-factor authentication on a 360 px phone through Wagtail's real login page,
then signs in again with a code from the app — with the requirement and login throttling on, as in
production."""

import re
from base64 import b32decode

import pytest
from playwright.sync_api import expect

from accounts.testing import totp_code
from lontar.testing import PASSWORD

pytestmark = pytest.mark.browser

PHONE_WIDTH = 360
expect.set_options(timeout=15_000)


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map(el => el.tagName + '.' + el.className)"""
    )
    assert wide == []


def tall_enough(locator):
    box = locator.bounding_box()
    assert box["height"] >= 44, f"{box['height']}px"


def password_step(page, username):
    page.goto("/admin/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_a_kabid_enrols_on_a_phone_and_signs_in_with_a_code(world, new_device, screenshots, settings):
    settings.LONTAR_REQUIRE_2FA = True
    settings.AXES_ENABLED = True
    kabid = world["kabid"]
    page = new_device(phone=True).new_page()

    password_step(page, kabid.username)
    # Straight to the set-up: nothing else of the admin opens before it.
    expect(page.get_by_role("heading", name="Pasang verifikasi dua langkah")).to_be_visible()
    expect(page.get_by_text("Jabatan Anda wajib memakai verifikasi dua langkah.")).to_be_visible()
    page.goto("/admin/meja/")
    expect(page).to_have_url(re.compile(r"/admin/dua-langkah/pasang/\?next=%2Fadmin%2Fmeja%2F$"))

    qr = page.locator(".lontar-account__qr svg")
    expect(qr).to_be_visible()
    assert 150 <= qr.bounding_box()["width"] <= 240
    code_input = page.get_by_label("Kode 6 angka")
    assert code_input.get_attribute("inputmode") == "numeric"
    assert code_input.get_attribute("autocomplete") == "one-time-code"
    tall_enough(code_input)
    tall_enough(page.get_by_role("button", name="Aktifkan"))
    fits_the_phone(page)
    page.screenshot(path=screenshots / "two-factor-enrol-360.png", full_page=True)

    # The authenticator app: the key typed in from the page (as on a phone that cannot scan itself).
    secret = page.locator("#kunci-rahasia").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8)).hex()
    code_input.fill("000000" if totp_code(key) != "000000" else "111111")
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.get_by_text("Kode tidak cocok")).to_be_visible()
    page.get_by_label("Kode 6 angka").fill(totp_code(key))
    page.get_by_role("button", name="Aktifkan").click()

    expect(page.get_by_role("heading", name="Kode cadangan")).to_be_visible()
    codes = page.locator(".lontar-account__codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{5}-[a-z2-7]{5}", c) for c in codes)
    fits_the_phone(page)
    page.screenshot(path=screenshots / "two-factor-recovery-codes-360.png", full_page=True)
    go_on = page.get_by_role("link", name="Sudah saya simpan, lanjutkan")
    tall_enough(go_on)
    go_on.click()
    expect(page).to_have_url(re.compile(r"/admin/meja/$"))

    # Next time: password, then the code.
    page.context.clear_cookies()
    password_step(page, kabid.username)
    expect(page.get_by_role("heading", name="Verifikasi dua langkah")).to_be_visible()
    fits_the_phone(page)
    verify = page.get_by_role("button", name="Verifikasi")
    tall_enough(verify)
    page.screenshot(path=screenshots / "two-factor-verify-360.png", full_page=True)
    # A step ahead: the code used at set-up a moment ago may not be used twice.
    page.get_by_label("Kode 6 angka").fill(totp_code(key, steps_ahead=1))
    verify.click()
    expect(page.get_by_role("heading", name="Tugas saya")).to_be_visible()
