"""The ten steps of the SOP in a real browser: every role logs in through Wagtail's login page and
does its step by clicking through the desk and the page editor. The officials (Kabid, Sekdis,
Kadis) work on a phone-sized screen, as they do between meetings."""

import re
from contextlib import contextmanager

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

import desk.tests.helpers as H
from desk.models import AgendaItem, Liputan, StepEvent
from desk.tests.helpers import client_for, page_form_data
from lontar.testing import PASSWORD
from portal.models import BeritaPage

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}

TITLE = "Panen raya padi Subak Jatiluwih"
SUMMARY = "Petani Subak Jatiluwih memulai panen raya."
BODY = "Panen raya dimulai pagi ini dengan upacara mesaba."
KADIS_BODY = "Panen raya Subak Jatiluwih dimulai pagi ini dengan upacara mesaba."
# The decision button of the review screen, whatever the step's kind (see desk.workflow.ACTION_LABELS).
DECIDE = re.compile(r"^(Periksa dan laporkan ke|Setujui dan teruskan ke|Serahkan ke|Tugaskan staf pengunggah|Unggah dan terbitkan)")

expect.set_options(timeout=15_000)


# --- driving the UI ------------------------------------------------------------------------------


@contextmanager
def signed_in(browser, live_server, user, *, phone=False):
    """A fresh browser for ``user``: log in on Wagtail's login page, hand over the page, log out
    through the sidebar's account menu at the end."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Makassar",
        viewport=PHONE if phone else DESKTOP,
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=2 if phone else 1,
    )
    page = context.new_page()
    try:
        page.goto("/admin/login/")
        page.get_by_label("Nama pengguna").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        expect(page.get_by_role("heading", name="Tugas saya")).to_be_visible()
        yield page
        logout(page, user, phone=phone)
    finally:
        context.close()


def logout(page, user, *, phone):
    if phone:  # the sidebar is folded away behind the menu button on a phone
        page.get_by_role("button", name="Toggle sidebar").locator("visible=true").first.click()
    page.get_by_role("button", name=user.first_name).click()
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/admin/login/"))


def open_task(page, title=TITLE):
    """From anywhere in the admin: Tugas saya, then the item's card."""
    page.goto("/admin/meja/")  # the sidebar's "Tugas saya"; on a phone the sidebar is folded away
    expect(page.get_by_role("heading", name="Tugas saya")).to_be_visible()
    page.get_by_role("link", name=re.compile(re.escape(title))).click()
    expect(page.get_by_role("heading", name="Riwayat langkah SOP")).to_be_visible()


def open_review(page):
    open_task(page)
    page.get_by_role("link", name="Telaah dan putuskan").click()
    expect(page.get_by_role("button", name=DECIDE)).to_be_visible()


def decide(page, comment=""):
    if comment:
        page.get_by_label("Catatan").fill(comment)
    page.get_by_role("button", name=DECIDE).click()
    expect(page.get_by_text("Tersimpan. Langkah berikutnya sudah diberitahukan.")).to_be_visible()


def assert_usable_on_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the review screen scrolls sideways: {width}px wide"
    button = page.get_by_role("button", name=DECIDE)
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["height"] >= 44, f"the decision button is {box['height']}px tall"
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def holder(liputan):
    liputan.refresh_from_db()
    return liputan.step, liputan.holder.username


# --- the tests -----------------------------------------------------------------------------------


def test_ten_steps_in_the_browser(world, browser, live_server, screenshots):
    p = world

    # Step 1 and 2 — the Kasi plans the coverage and sends the disposisi.
    with signed_in(browser, live_server, p["kasi"]) as page:
        page.get_by_role("link", name="Agenda & disposisi").click()
        page.get_by_role("link", name="Rencana baru").click()
        page.get_by_label("Topik").fill(TITLE)
        page.get_by_label("Jenis").select_option(label="Berita")
        page.get_by_label("Tempat").fill("Jatiluwih, Penebel")
        page.get_by_label("Tanggal rencana").fill(timezone.localdate().isoformat())
        page.get_by_label("Catatan").fill("Liput bersama Dinas Pertanian")
        page.get_by_role("button", name="Simpan dan tetapkan rencana").click()
        expect(page.get_by_text("Rencana ditetapkan. Lanjutkan dengan disposisi.")).to_be_visible()

        page.get_by_label("I Wayan Sudarsana").check()
        page.get_by_label("Instruksi").fill("Liput dan foto panen raya.")
        page.get_by_label("Sifat").select_option(label="Segera")
        deadline = timezone.localtime() + timezone.timedelta(hours=4)
        page.get_by_label("Batas waktu").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_role("button", name="Kirim disposisi").click()
        expect(page.get_by_text("Disposisi dikirim ke staf.")).to_be_visible()
        expect(page.get_by_role("cell", name=re.compile(TITLE))).to_be_visible()
    liputan = Liputan.objects.get()
    assert (liputan.step, liputan.phase, liputan.holder) == (3, 0, p["staf"])
    assert liputan.disposisi.sifat == "segera"

    # Step 3 — the Staf writes the hasil liputan in Wagtail's editor and submits it to the SOP.
    with signed_in(browser, live_server, p["staf"]) as page:
        open_task(page)
        page.get_by_role("button", name="Tulis hasil liputan").click()
        expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
        expect(page.get_by_role("textbox", name=re.compile("Judul|title", re.I))).to_have_value(TITLE)
        page.get_by_label("Ringkasan").fill(SUMMARY)
        body = page.locator("section", has=page.locator("#id_body-label")).get_by_role("textbox")
        body.click()
        page.keyboard.type(BODY)
        page.get_by_label("Sumber").fill("Dinas Pertanian")
        page.get_by_role("button", name="More actions").click()
        page.get_by_role("button", name=re.compile(r"SOP 065/0812/ORG")).click()
        expect(page.locator(".messages")).to_contain_text(TITLE)
    assert holder(liputan) == (3, "kasi")
    assert liputan.phase == 1

    # Step 3, second half — the Kasi checks it and reports to the Kabid.
    with signed_in(browser, live_server, p["kasi"]) as page:
        open_review(page)
        expect(page.locator(".desk-read")).to_contain_text(BODY)
        decide(page, "Sudah sesuai.")
    assert holder(liputan) == (4, "kabid")

    # Steps 4 and 5 — the Kabid and the Sekdis read and forward on their phones.
    with signed_in(browser, live_server, p["kabid"], phone=True) as page:
        page.goto("/admin/meja/")
        expect(page.get_by_role("link", name=re.compile(TITLE))).to_be_visible()
        open_review(page)
        expect(page.locator(".desk-read")).to_contain_text(SUMMARY)
        assert_usable_on_phone(page)
        page.screenshot(path=screenshots / "review-360.png")
        decide(page)
    assert holder(liputan) == (5, "sekdis")

    with signed_in(browser, live_server, p["sekdis"], phone=True) as page:
        open_review(page)
        assert_usable_on_phone(page)
        decide(page)
    assert holder(liputan) == (6, "kadis")

    # Step 6 — the Kadis corrects the text in the editor (a new revision), then approves.
    with signed_in(browser, live_server, p["kadis"], phone=True) as page:
        open_task(page)
        page.get_by_role("link", name="Koreksi naskah").click()
        expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
        body = page.locator("section", has=page.locator("#id_body-label")).get_by_role("textbox")
        body.get_by_text("Panen raya dimulai").click()
        page.keyboard.press("Home")
        page.keyboard.press("Control+ArrowRight")  # after "Panen "
        page.keyboard.press("Control+ArrowRight")  # after "raya "
        page.keyboard.type("Subak Jatiluwih ")
        expect(body).to_contain_text(KADIS_BODY)
        page.get_by_role("button", name="Simpan konsep").click()
        expect(page.locator(".messages")).to_contain_text(TITLE)

        open_review(page)
        expect(page.locator(".desk-diff")).to_contain_text("Subak Jatiluwih")
        assert_usable_on_phone(page)
        decide(page, "Dikoreksi, silakan unggah.")
    assert holder(liputan) == (7, "sekdis")

    # Steps 7 and 8 — the hand-down.
    with signed_in(browser, live_server, p["sekdis"], phone=True) as page:
        open_review(page)
        assert_usable_on_phone(page)
        decide(page)
    assert holder(liputan) == (8, "kabid")
    with signed_in(browser, live_server, p["kabid"], phone=True) as page:
        open_review(page)
        assert_usable_on_phone(page)
        decide(page)
    assert holder(liputan) == (9, "kasi")

    # Step 9 — the Kasi chooses the second Staf to upload.
    with signed_in(browser, live_server, p["kasi"]) as page:
        open_review(page)
        page.get_by_label("Staf yang mengunggah").select_option(label="Ni Luh Putu Ariani")
        page.get_by_role("button", name="Tugaskan staf pengunggah").click()
        expect(page.get_by_text("Tersimpan. Langkah berikutnya sudah diberitahukan.")).to_be_visible()
    assert holder(liputan) == (10, "staf2")
    assert not BeritaPage.objects.get(pk=liputan.page_id).live

    # Step 10 — the chosen Staf publishes.
    with signed_in(browser, live_server, p["staf2"]) as page:
        open_review(page)
        page.get_by_role("button", name="Unggah dan terbitkan").click()
        expect(page.get_by_text("Tersimpan. Langkah berikutnya sudah diberitahukan.")).to_be_visible()
        expect(page.get_by_role("link", name="Lihat di situs")).to_be_visible()
        public_url = page.get_by_role("link", name="Lihat di situs").get_attribute("href")
    liputan.refresh_from_db()
    assert liputan.status == Liputan.Status.PUBLISHED

    # The record: ten steps, each by the right person.
    done = dict(StepEvent.objects.exclude(action="submit").values_list("step", "actor__username"))
    assert done == {1: "kasi", 2: "kasi", 3: "kasi", 4: "kabid", 5: "sekdis", 6: "kadis",
                    7: "sekdis", 8: "kabid", 9: "kasi", 10: "staf2"}

    # The public site, anonymous, on a phone: the berita with the Kadis's text, and on the home page.
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport=PHONE, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    try:
        page = context.new_page()
        page.goto(public_url)
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.locator("article")).to_contain_text(SUMMARY)
        expect(page.locator("article")).to_contain_text(KADIS_BODY)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=screenshots / "berita-360.png", full_page=True)
        page.goto("/")
        expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    finally:
        context.close()


def test_return_with_reason_on_the_phone(world, browser, live_server, screenshots):
    """The Kabid sends the hasil liputan back to the Staf from the phone; the Staf sees why."""
    p = world
    # Up to step 4 over HTTP (the browser walk of these steps is the test above).
    kasi, staf = client_for(p["kasi"]), client_for(p["staf"])
    day = timezone.localdate().isoformat()
    kasi.post(reverse("desk:agenda_create"),
              {"topic": TITLE, "kind": "berita", "planned_date": day, "place": "Jatiluwih", "plan": "1"})
    agenda_pk = AgendaItem.objects.get().pk
    deadline = (timezone.localtime() + timezone.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    kasi.post(reverse("desk:disposisi_create", args=[agenda_pk]),
              {"recipients": [p["staf"].pk], "instruction": "Liput panen raya.", "sifat": "biasa",
               "batas_waktu": deadline})
    liputan = Liputan.objects.get()
    staf.post(reverse("desk:write", args=[liputan.pk]))
    liputan.refresh_from_db()
    page_obj = liputan.page.specific
    r = staf.post(reverse("wagtailadmin_pages:edit", args=[page_obj.pk]),
                  page_form_data(page_obj, summary=SUMMARY, body=f"<p>{BODY}</p>", action="action-submit"))
    assert r.status_code == 302
    assert H.act(kasi, liputan, "forward").status_code == 302
    assert holder(liputan) == (4, "kabid")

    reason = "Tambahkan nama kelompok subak dan jumlah petani yang ikut panen."
    with signed_in(browser, live_server, p["kabid"], phone=True) as page:
        open_review(page)
        page.get_by_text("Kembalikan", exact=True).click()
        page.get_by_label("Kembalikan ke").select_option(label="Langkah 3 — Staf")
        page.get_by_label("Alasan pengembalian").fill(reason)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        send = page.get_by_role("button", name="Kirim pengembalian")
        assert send.bounding_box()["height"] >= 44
        send.click()
        expect(page.get_by_text("Tersimpan. Langkah berikutnya sudah diberitahukan.")).to_be_visible()
    assert holder(liputan) == (3, "staf1")

    with signed_in(browser, live_server, p["staf"], phone=True) as page:
        page.goto("/admin/meja/")
        card = page.get_by_role("listitem").filter(has_text=TITLE)
        expect(card).to_contain_text("Dikembalikan")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=screenshots / "inbox-360.png")
        card.get_by_role("link").click()
        expect(page.get_by_text(reason)).to_be_visible()
