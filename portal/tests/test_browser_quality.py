"""The public site's quality bars in a real browser: accessibility (axe, WCAG 2.1 A/AA), no
horizontal scrolling on a 360 px phone, a weight budget for the pages most people open, no
third-party assets, lazy responsive photos, a print stylesheet for berita, and the screenshots in
docs/screenshots/.

The content is the demo (``lontar.demo``), which carries every item through the ten SOP steps, plus
one berita with photos; loading it takes about ten seconds, so each test loads it once and checks
many pages."""

import mimetypes
import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.storage import default_storage
from django.utils import timezone

pytestmark = pytest.mark.browser

PHONE_WIDTH = 360  # conftest.PHONE
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
# What a reader on a phone downloads for a page, the editors' photos aside: HTML, CSS, scripts,
# fonts, icons and the site's own pictures.
WEIGHT_BUDGET = 200 * 1024

PHOTO_BERITA_TITLE = "Ribuan Warga Saksikan Parade Ogoh-ogoh di Tabanan"


# --- content ---------------------------------------------------------------------------------------


def _publish_content():
    """The demo, and a berita with two photos (the demo's berita have none), all through the SOP.
    Returns the addresses of one page of every public type."""
    from kegiatan.models import KegiatanPage
    from lontar.demo import demo_content, demo_people, publish_demo_item
    from opendata.models import DataSetPage
    from pengumuman.models import PengumumanPage
    from portal.models import BeritaCategory, BeritaPageImage
    from potensi.demo import _photo
    from potensi.models import PotensiPage
    from ppid.models import InformasiPublikPage
    from profil.models import ProfilPage

    people = demo_people()
    demo_content(people)
    berita = publish_demo_item(
        people,
        kind="berita",
        topic="Parade ogoh-ogoh malam pengerupukan",
        opd_short="Dispar",
        title=PHOTO_BERITA_TITLE,
        summary="Sebanyak 42 ogoh-ogoh dari banjar se-Kecamatan Tabanan diarak mengelilingi Catus Pata "
        "pada malam pengerupukan, sehari sebelum Hari Raya Nyepi.",
        body='<p>Parade dibuka oleh Bupati Tabanan di depan <a href="/profil/">Kantor Bupati</a> dan '
        "berlangsung tertib hingga pukul 22.00 WITA.</p>"
        "<p>Dinas Pariwisata mencatat lebih dari lima ribu penonton, termasuk wisatawan mancanegara yang "
        "menginap di Kediri dan Kerambitan.</p>",
        source="Dinas Pariwisata Kabupaten Tabanan",
        category=BeritaCategory.objects.get(slug="budaya"),
        images=[
            BeritaPageImage(
                image=_photo("sunset", "Ogoh-ogoh di Catus Pata"),
                caption="Ogoh-ogoh diarak di Catus Pata",
                credit="Diskominfo Kabupaten Tabanan",
            ),
            BeritaPageImage(
                image=_photo("sea", "Penonton parade"),
                caption="Penonton memadati jalan utama",
                credit="Diskominfo Kabupaten Tabanan",
            ),
        ],
    )
    potensi = PotensiPage.objects.live().get(title__startswith="Tanah Lot")
    today = timezone.localdate()
    return {
        "home": "/",
        "berita index": "/berita/",
        "berita": berita.url,
        "pengumuman index": "/pengumuman/",
        "pengumuman": PengumumanPage.objects.live().first().url,
        "agenda": "/agenda/",
        "agenda bulan": f"/agenda/{today.year}/{today.month}/",
        "kegiatan": KegiatanPage.objects.live().first().url,
        "potensi index": "/potensi-daerah/",
        "potensi sektor": f"/potensi-daerah/sektor/{potensi.sektor}/",
        "potensi": potensi.url,
        "data index": "/data/",
        "data set": DataSetPage.objects.live().first().url,
        "profil index": "/profil/",
        "profil": ProfilPage.objects.live().first().url,
        "profil sop": "/profil/sop/",
        "profil kontak": "/profil/kontak/",
        "ppid": "/ppid/",
        "dip": InformasiPublikPage.objects.live().first().url,
        "permohonan": "/ppid/permohonan/",
        "cari": "/cari/?q=Tabanan",
    }


def _serve_media(context):
    """The test settings keep uploads in memory and the live server does not serve /media/ (DEBUG is
    off), so the browser gets the editors' photos straight from the storage the server wrote them to."""

    def fulfil(route):
        name = urlsplit(route.request.url).path.removeprefix("/media/")
        if not default_storage.exists(name):
            route.fulfill(status=404)
            return
        with default_storage.open(name) as f:
            body = f.read()
        route.fulfill(status=200, body=body, content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")

    context.route(re.compile(r"^https?://[^/]+/media/"), fulfil)
    return context


def _is_content_image(url: str) -> bool:
    # Uploads and Wagtail's renditions live under /media/ (images/, original_images/).
    return urlsplit(url).path.startswith("/media/")


# --- checks -------------------------------------------------------------------------------------


def _axe_failures(page, axe: Axe) -> list[str]:
    results = axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"      {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("        " + node["failureSummary"].replace("\n", "\n        "))
        if len(violation["nodes"]) > 5:
            lines.append(f"      … and {len(violation['nodes']) - 5} more")
    return lines


def _foreign_assets(page) -> list[str]:
    """Scripts and stylesheets that load from anywhere but this site (each would block rendering on a
    third party's server and tell it who reads what)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('script[src], link[rel~="stylesheet"], link[rel~="preload"], link[rel~="modulepreload"]')]
            .map(el => new URL(el.src || el.href, location.href))
            .filter(url => url.origin !== location.origin)
            .map(url => url.href)"""
    )


def _horizontal_overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


# --- tests --------------------------------------------------------------------------------------


def test_every_public_page_type_passes_axe_and_fits_a_phone(world, new_device):
    """axe-core (WCAG 2.1 A and AA) on a desk computer and on a phone: no serious or critical
    violation on any public page type; on the phone nothing is wider than the screen; no script or
    stylesheet comes from another site."""
    pages = _publish_content()
    axe = Axe()
    failures = {}
    for phone in (False, True):
        page = _serve_media(new_device(phone=phone)).new_page()
        for name, url in pages.items():
            label = f"{name} {url} ({'360 px' if phone else '1280 px'})"
            response = page.goto(url)
            if response.status != 200:
                failures[label] = [f"  HTTP {response.status}"]
                continue
            problems = _axe_failures(page, axe)
            if phone and (width := _horizontal_overflow(page)) > PHONE_WIDTH:
                problems.append(f"  page is {width} px wide on a {PHONE_WIDTH} px screen")
            if not phone and (foreign := _foreign_assets(page)):
                problems.append(f"  third-party scripts or stylesheets: {foreign}")
            if problems:
                failures[label] = problems
    report = "\n".join(f"{label}\n" + "\n".join(lines) for label, lines in failures.items())
    assert not failures, f"Quality problems on {len(failures)} page(s):\n{report}"


def _content_images(page) -> list[dict]:
    """The editors' photos on the page, in document order, as the browser sees them."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main img')]
            .filter(img => new URL(img.getAttribute('src'), location.href).pathname.startsWith('/media/'))
            .map(img => {
                const picture = img.parentElement.tagName === 'PICTURE' ? img.parentElement : null;
                const sources = picture ? [...picture.querySelectorAll('source')] : [];
                const candidates = [img.srcset, img.src, ...sources.map(s => s.srcset)].join(' ');
                return {
                    src: img.getAttribute('src'),
                    loading: img.getAttribute('loading') || 'eager',
                    responsive: Boolean(img.srcset) || sources.some(s => s.srcset),
                    webp: /\\.webp(\\s|,|$)/.test(candidates),
                    sized: img.hasAttribute('width') && img.hasAttribute('height'),
                };
            })"""
    )


def _open_recording_requests(context, url):
    """Open ``url`` in a new tab and wait until the network is quiet; returns the tab, the page's
    response and every request that completed."""
    page = context.new_page()
    finished = []
    # Playwright wraps the handler in place, which a bound built-in method does not allow.
    page.on("requestfinished", lambda request: finished.append(request))
    response = page.goto(url, wait_until="networkidle")
    return page, response, finished


def test_home_and_berita_stay_light_and_load_photos_lazily(world, new_device):
    """On a phone, in a fresh context (nothing cached): the home page and a berita with photos each
    transfer under 200 KB apart from the editors' photos; everything comes from this site; photos
    are WebP in several widths, carry their size, and all but the first wait until scrolled to.

    Neither the live server nor ``runserver`` compresses responses, so these are the uncompressed
    bytes: stricter than what a gzip-serving production server sends."""
    pages = _publish_content()
    for name in ("home", "berita"):
        context = _serve_media(new_device(phone=True))
        page, response, finished = _open_recording_requests(context, pages[name])
        assert response.status == 200

        origin = "{0.scheme}://{0.netloc}".format(urlsplit(response.url))
        foreign = [r.url for r in finished if not r.url.startswith(origin + "/")]
        assert not foreign, f"{name}: requests to other sites: {foreign}"

        weights = {}
        for request in finished:
            if _is_content_image(request.url):
                continue
            sizes = request.sizes()
            weights[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        total = sum(weights.values())
        listing = "\n".join(f"  {size:>8} {url}" for url, size in sorted(weights.items(), key=lambda kv: -kv[1]))
        assert total < WEIGHT_BUDGET, f"{name}: {total} bytes transferred (budget {WEIGHT_BUDGET}):\n{listing}"
        assert any(url.endswith(".css") for url in weights), "the stylesheet was not counted"

        photos = _content_images(page)
        assert photos, f"{name}: no photos to check"
        for i, photo in enumerate(photos):
            assert photo["responsive"] and photo["webp"] and photo["sized"], f"{name}: {photo}"
            if i > 0:
                assert photo["loading"] == "lazy", f"{name}: photo {i + 1} loads at once: {photo}"
        context.close()


def test_screenshots_and_berita_print(world, new_device, screenshots):
    """Full-page pictures of the pages the public opens most, on a phone and a desk computer, for
    docs/screenshots/; then a berita as printed: the site's chrome and the share links gone, the
    text black on white, the addresses of its links written out."""
    pages = _publish_content()
    shots = {"home": "home", "berita": "berita", "potensi": "potensi", "data": "data set"}
    for phone, suffix in ((True, "360"), (False, "1280")):
        page = _serve_media(new_device(phone=phone)).new_page()
        for shot, name in shots.items():
            page.goto(pages[name])
            # Lazy photos load only when scrolled to; a full-page picture should show them.
            page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(img => img.loading = 'eager')")
            page.wait_for_function("() => [...document.images].every(img => img.complete)")
            page.screenshot(path=screenshots / f"{shot}-{suffix}.png", full_page=True)

    page = _serve_media(new_device()).new_page()
    page.goto(pages["berita"])
    page.emulate_media(media="print")
    for hidden in (".site-header", ".lang-switch", ".site-footer", ".crumbs", ".skip", ".share", "nav"):
        for element in page.locator(hidden).all():
            assert not element.is_visible(), f"{hidden} is printed"
    assert page.get_by_role("heading", level=1, name=PHOTO_BERITA_TITLE).is_visible()
    body = page.locator(".berita .body")
    assert body.is_visible()
    link = body.get_by_role("link", name="Kantor Bupati")
    printed_address = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert "/profil/" in printed_address, printed_address
    colours = body.evaluate("el => [getComputedStyle(el).color, getComputedStyle(document.body).backgroundColor]")
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"], colours
    assert page.locator(".berita figure").first.evaluate("f => getComputedStyle(f).breakInside") == "avoid"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
