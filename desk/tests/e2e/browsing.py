"""Signing in through Wagtail's real login page, for every browser test that needs a person."""

from playwright.sync_api import expect

from lontar.testing import PASSWORD


def sign_in(device, user):
    """A new page of ``device`` (a browser context) with ``user`` signed in, on the dashboard,
    which opens with the person's "Tugas saya" panel."""
    page = device.new_page()
    page.goto("/admin/login/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Tugas saya")).to_be_visible()
    return page
