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
from desk.tests.e2e.browsing import sign_in
from desk.tests.helpers import client_for, page_form_data
from portal.models import BeritaPage

pytestmark = pytest.mark.browser

PHONE_WIDTH, PHONE_HEIGHT = 360, 780  # conftest.PHONE

TITLE = "Panen raya padi Subak Jatiluwih"
SUMMARY = "Petani Subak Jatiluwih memulai panen raya."
BODY = "Panen raya dimulai pagi ini dengan upacara mesaba."
KADIS_BODY = "Panen raya Subak Jatiluwih dimulai pagi ini dengan upacara mesaba."
SAVED = "Tersimpan. Langkah berikutnya sudah diberitahukan."
# The review screen's decision button, whatever the step's kind (desk.workflow.ACTION_LABELS).
DECIDE = re.compile(
    r"^(Periksa dan laporkan ke|Setujui dan teruskan ke|Serahkan ke|Tugaskan staf pengunggah|Unggah dan terbitkan)"
)

expect.set_options(timeout=15_000)


# --- driving the UI ------------------------------------------------------------------------------


def _on_phone(page) -> bool:
    return page.viewport_size["width"] <= PHONE_WIDTH


def _open_sidebar(page):
    """On a phone Wagtail folds the sidebar away behind the menu button."""
    if _on_phone(page):
        page.get_by_role("button", name="Toggle sidebar").locator("visible=true").first.click()


@contextmanager
def signed_in(device, user):
    """``user`` at ``device`` (a browser context): log in on Wagtail's login page, hand over the
    page, log out through the sidebar's account menu at the end. Several people use a device in
    turn; the logout is what separates them."""
    page = sign_in(device, user)
    try:
        yield page
        _open_sidebar(page)
        page.get_by_role("button", name=user.first_name).click()  # the account menu
        page.get_by_role("button", name="Keluar").click()
        expect(page).to_have_url(re.compile(r"/admin/login/"))
    finally:
        page.close()


def open_task(page, title=TITLE):
    """Tugas saya in the sidebar, then the item's card: the item's page with its timeline."""
    _open_sidebar(page)
    page.get_by_role("link", name="Tugas saya", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/meja/$"))
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
    expect(page.get_by_text(SAVED)).to_be_visible()


def sideways_overflow(page) -> list[str]:
    """Elements that reach past the right edge of the screen. Wagtail's main column clips its
    overflow (overflow-x: hidden), so the document's scrollWidth alone would not show them."""
    return page.evaluate(
        """() => {
            const out = [];
            for (const el of document.querySelectorAll('main *')) {
                const r = el.getBoundingClientRect();
                if (r.width > 0 && r.right > window.innerWidth + 0.5)
                    out.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)}`);
            }
            return out;
        }"""
    )


def assert_fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert sideways_overflow(page) == []


def assert_review_usable_on_phone(page):
    assert_fits_the_phone(page)
    button = page.get_by_role("button", name=DECIDE)
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["height"] >= 44, f"the decision button is {box['height']}px tall"
    # Pinned to the bottom of the screen: reachable without scrolling past the text.
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE_HEIGHT, box


def holder(liputan):
    liputan.refresh_from_db()
    return liputan.step, liputan.holder.username


# --- the tests -----------------------------------------------------------------------------------


def test_ten_steps_in_the_browser(world, new_device, screenshots):
    p = world
    desk, phone = new_device(), new_device(phone=True)  # the Kasi's and Staf's desk, the officials' phone

    # Steps 1 and 2 — the Kasi plans the coverage and sends the disposisi.
    with signed_in(desk, p["kasi"]) as page:
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
    with signed_in(desk, p["staf"]) as page:
        open_task(page)
        page.get_by_role("button", name="Tulis hasil liputan").click()
        expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
        expect(page.get_by_role("textbox", name=re.compile("Judul|title", re.I))).to_have_value(TITLE)
        page.get_by_role("textbox", name="Ringkasan").fill(SUMMARY)
        page.get_by_role("region", name="Isi berita").get_by_role("textbox").click()  # Draftail
        page.keyboard.type(BODY)
        # Draftail writes the form's hidden field a moment after the typing; a quick click on
        # submit would send the old value.
        expect(page.locator("input[name=body]")).to_have_value(re.compile("upacara mesaba"))
        page.get_by_role("textbox", name="Sumber").fill("Dinas Pertanian")
        page.get_by_role("button", name="More actions").click()  # the toggle next to "Simpan konsep"
        # Wagtail's "Submit to <workflow>", here the SOP's workflow.
        page.get_by_role("button", name=re.compile(r"^(Pengajuan ke|Submit to) SOP ")).click()
        expect(page.locator(".messages")).to_contain_text(TITLE)
    assert holder(liputan) == (3, "kasi")
    assert liputan.phase == 1

    # Step 3, second half — the Kasi checks it and reports to the Kabid.
    with signed_in(desk, p["kasi"]) as page:
        open_review(page)
        expect(page.locator(".desk-read")).to_contain_text(BODY)
        decide(page, "Sudah sesuai.")
    assert holder(liputan) == (4, "kabid")

    # Steps 4 and 5 — the Kabid and the Sekdis read and forward on their phones.
    with signed_in(phone, p["kabid"]) as page:
        open_review(page)
        expect(page.locator(".desk-read")).to_contain_text(SUMMARY)
        expect(page.locator(".desk-read")).to_contain_text(BODY)
        assert_review_usable_on_phone(page)
        page.screenshot(path=screenshots / "review-360.png")
        decide(page)
    assert holder(liputan) == (5, "sekdis")

    with signed_in(phone, p["sekdis"]) as page:
        open_review(page)
        assert_review_usable_on_phone(page)
        decide(page)
    assert holder(liputan) == (6, "kadis")

    # Step 6 — the Kadis corrects the text in the editor (a new revision), sees the change on
    # the review screen and approves.
    with signed_in(phone, p["kadis"]) as page:
        open_task(page)
        page.get_by_role("link", name="Koreksi naskah").click()
        expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
        page.get_by_role("region", name="Isi berita").get_by_role("textbox").click()
        page.keyboard.press("Control+A")
        page.keyboard.type(KADIS_BODY)
        expect(page.locator("input[name=body]")).to_have_value(re.compile("Subak Jatiluwih dimulai"))
        page.get_by_role("button", name="Simpan konsep").click()
        expect(page.locator(".messages")).to_contain_text(TITLE)

        open_review(page)
        expect(page.locator(".desk-diff")).to_contain_text("Subak Jatiluwih")
        expect(page.locator(".desk-read")).to_contain_text(KADIS_BODY)
        assert_review_usable_on_phone(page)
        decide(page, "Dikoreksi, silakan unggah.")
    assert holder(liputan) == (7, "sekdis")

    # Steps 7 and 8 — the hand-down.
    with signed_in(phone, p["sekdis"]) as page:
        open_review(page)
        assert_review_usable_on_phone(page)
        decide(page)
    assert holder(liputan) == (8, "kabid")
    with signed_in(phone, p["kabid"]) as page:
        open_review(page)
        assert_review_usable_on_phone(page)
        decide(page)
    assert holder(liputan) == (9, "kasi")

    # Step 9 — the Kasi chooses the second Staf to upload.
    with signed_in(desk, p["kasi"]) as page:
        open_review(page)
        page.get_by_label("Staf yang mengunggah").select_option(label="Ni Luh Putu Ariani")
        page.get_by_role("button", name="Tugaskan staf pengunggah").click()
        expect(page.get_by_text(SAVED)).to_be_visible()
    assert holder(liputan) == (10, "staf2")
    assert not BeritaPage.objects.get(pk=liputan.page_id).live

    # Step 10 — the chosen Staf publishes.
    with signed_in(desk, p["staf2"]) as page:
        open_review(page)
        page.get_by_role("button", name="Unggah dan terbitkan").click()
        expect(page.get_by_text(SAVED)).to_be_visible()
        public_url = page.get_by_role("link", name="Lihat di situs").get_attribute("href")
    liputan.refresh_from_db()
    assert liputan.status == Liputan.Status.PUBLISHED
    assert BeritaPage.objects.get(pk=liputan.page_id).live

    # The record: ten steps, each by the right person, plus the Staf's report within step 3.
    done = dict(StepEvent.objects.exclude(action="submit").values_list("step", "actor__username"))
    assert done == {
        1: "kasi",
        2: "kasi",
        3: "kasi",
        4: "kabid",
        5: "sekdis",
        6: "kadis",
        7: "sekdis",
        8: "kabid",
        9: "kasi",
        10: "staf2",
    }
    assert StepEvent.objects.get(action="submit").actor == p["staf"]

    # The public site, anonymous (a browser of its own, no cookies), on a phone: the berita with the
    # Kadis's text, and the home page.
    page = new_device(phone=True).new_page()
    page.goto(public_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    article = page.locator("article")
    expect(article).to_contain_text(SUMMARY)
    expect(article).to_contain_text(KADIS_BODY)
    expect(article).to_contain_text("Dinas Pertanian")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    page.screenshot(path=screenshots / "berita-published-360.png", full_page=True)
    page.goto("/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(re.compile(re.escape(public_url) + "$"))


def test_return_with_reason_on_the_phone(world, new_device, screenshots):
    """The Kabid sends the hasil liputan back to the Staf from the phone; the Staf sees it marked
    in Tugas saya, with the reason on the item."""
    p = world
    phone = new_device(phone=True)
    # Up to step 4 over HTTP; the browser walk of these steps is the test above.
    kasi, staf = client_for(p["kasi"]), client_for(p["staf"])
    r = kasi.post(
        reverse("desk:agenda_create"),
        {
            "topic": TITLE,
            "kind": "berita",
            "place": "Jatiluwih",
            "planned_date": timezone.localdate().isoformat(),
            "plan": "1",
        },
    )
    assert r.status_code == 302
    deadline = (timezone.localtime() + timezone.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    r = kasi.post(
        reverse("desk:disposisi_create", args=[AgendaItem.objects.get().pk]),
        {"recipients": [p["staf"].pk], "instruction": "Liput panen raya.", "sifat": "biasa", "batas_waktu": deadline},
    )
    assert r.status_code == 302
    liputan = Liputan.objects.get()
    staf.post(reverse("desk:write", args=[liputan.pk]))
    liputan.refresh_from_db()
    draft = liputan.page.specific
    r = staf.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        page_form_data(draft, summary=SUMMARY, body=f"<p>{BODY}</p>", action="action-submit"),
    )
    assert r.status_code == 302
    assert H.act(kasi, liputan, "forward").status_code == 302
    assert holder(liputan) == (4, "kabid")

    reason = "Tambahkan nama kelompok subak dan jumlah petani yang ikut panen."
    with signed_in(phone, p["kabid"]) as page:
        open_review(page)
        page.get_by_text("Kembalikan", exact=True).click()  # the <details> that holds the return form
        page.get_by_label("Kembalikan ke").select_option(label="Langkah 3 — Staf")
        page.get_by_label("Alasan pengembalian").fill(reason)
        assert_fits_the_phone(page)
        send = page.get_by_role("button", name="Kirim pengembalian")
        assert send.bounding_box()["height"] >= 44
        send.click()
        expect(page.get_by_text(SAVED)).to_be_visible()
    assert holder(liputan) == (3, "staf1")
    event = StepEvent.objects.get(action="return")
    assert (event.step, event.to_step, event.actor, event.comment) == (4, 3, p["kabid"], reason)

    with signed_in(phone, p["staf"]) as page:
        _open_sidebar(page)
        page.get_by_role("link", name="Tugas saya", exact=True).click()
        card = page.get_by_role("listitem").filter(has_text=TITLE)
        expect(card).to_contain_text("Dikembalikan")
        expect(card).to_contain_text("Langkah 3")
        assert_fits_the_phone(page)
        page.screenshot(path=screenshots / "inbox-360.png")
        card.get_by_role("link").click()
        expect(page.get_by_text(reason)).to_be_visible()
        expect(page.get_by_role("button", name="Lanjutkan menulis")).to_be_visible()
