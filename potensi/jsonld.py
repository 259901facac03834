"""schema.org structured data for a potensi page, so search engines and maps can show the place.

Built as a dict and serialised with ``json.dumps``; the characters that could end or confuse the
``<script>`` element it sits in are escaped, so text written on the desk cannot break out of it.
"""


from django.utils.safestring import SafeString

from portal.seo import json_for_script
from potensi.models import PotensiPage, Sektor

# A place people visit is a TouristAttraction (a kind of Place); the other sectors are plain Places.
ATTRACTION_SECTORS = {Sektor.PARIWISATA, Sektor.BUDAYA}

# The same rendition the gallery's <picture> uses as its JPEG fallback, so no extra file is made.
JSON_LD_IMAGE_SPEC = "width-960|format-jpeg"
JSON_LD_MAX_IMAGES = 3



def _absolute(root_url: str, url: str) -> str:
    # Media on another host (a CDN) already has an absolute URL.
    return root_url + url if url.startswith("/") and not url.startswith("//") else url


def potensi_json_ld_data(*, page: PotensiPage, photos, request) -> dict:
    # The site's own address (as configured in Wagtail), not whatever Host header the request had.
    parts = page.get_url_parts(request)
    if parts is None:  # not under any site (a preview elsewhere in the tree)
        root_url, page_path = request.build_absolute_uri("/").rstrip("/"), request.path
    else:
        _site_id, root_url, page_path = parts
    data = {
        "@context": "https://schema.org",
        "@type": "TouristAttraction" if page.sektor in ATTRACTION_SECTORS else "Place",
        "name": page.title,
        "url": root_url + page_path,
    }
    description = page.summary or page.search_description
    if description:
        data["description"] = description
    images = [
        _absolute(root_url, photo.image.get_rendition(JSON_LD_IMAGE_SPEC).url)
        for photo in list(photos)[:JSON_LD_MAX_IMAGES]
    ]
    if images:
        data["image"] = images
    address = {"@type": "PostalAddress", "addressRegion": "Bali", "addressCountry": "ID"}
    locality = ", ".join(part for part in (page.location_label, "Kabupaten Tabanan") if part)
    address["addressLocality"] = locality
    data["address"] = address
    if page.has_location:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(page.latitude),
            "longitude": float(page.longitude),
        }
        data["hasMap"] = page.map_url
    if page.contact_phone:
        data["telephone"] = page.contact_phone
    if page.contact_email:
        data["email"] = page.contact_email
    if page.contact_website:
        data["sameAs"] = [page.contact_website]
    return data


def potensi_json_ld(*, page: PotensiPage, photos, request) -> SafeString:
    return json_for_script(potensi_json_ld_data(page=page, photos=photos, request=request))
