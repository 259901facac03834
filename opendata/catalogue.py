"""The machine-readable catalogue of every published data set, ``data.json``.

Why the DCAT-US / Project Open Data v1.1 ``data.json`` rather than a CKAN-compatible
``/api/3/action/package_list`` + ``package_show``:

- One document, one GET: a harvester (CKAN's ckanext-dcat and ckanext-datajson harvesters, the
  national portal's aggregators, search engines) reads the whole catalogue at once; CKAN's API
  needs one request per data set after the list.
- Its schema is published (https://project-open-data.cio.gov/v1.1/schema) and can be validated;
  an imitation of CKAN's action API would answer two actions of dozens, and clients that expect
  CKAN (package_search, organization_list, resource ids) would break in confusing ways.
- It is DCAT, the W3C vocabulary that catalogue standards (DCAT-AP, DCAT-US) and CKAN's own
  DCAT export are built on, so the fields map one to one onto the Satu Data metadata the page
  holds: title, description, publisher (produsen data), modified, license, temporal (periode),
  accrualPeriodicity (frekuensi), distributions (the three downloads).
- It costs two queries whatever the number of data sets (view restrictions, then the pages with
  their producers), and nothing to keep in step with CKAN's versions.
"""

from __future__ import annotations

import re
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone

POD_CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
POD_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
POD_DESCRIBED_BY = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"

REGENCY = "Pemerintah Kabupaten Tabanan"
OFFICE = "Dinas Komunikasi dan Informatika Kabupaten Tabanan"
SPATIAL = "Kabupaten Tabanan, Provinsi Bali, Indonesia"

# ISO 8601 repeating durations, as DCAT-US asks for accrualPeriodicity. A one-off data set has
# none (it is not "irregular", it is not updated), so the field is left out for it.
ACCRUAL_PERIODICITY = {
    "harian": "R/P1D",
    "bulanan": "R/P1M",
    "triwulanan": "R/P3M",
    "semesteran": "R/P6M",
    "tahunan": "R/P1Y",
}

_YEAR = re.compile(r"(\d{4})")
_YEARS = re.compile(r"(\d{4})\s*[-\u2013\u2014/]\s*(\d{4})")
_ISO_INTERVAL = re.compile(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}")


def temporal(periode: str) -> str | None:
    """The periode as an ISO 8601 interval when it is a year, a span of years or already one."""
    text = (periode or "").strip()
    if _ISO_INTERVAL.fullmatch(text):
        return text
    if match := _YEARS.fullmatch(text):
        start, end = match.groups()
        if start <= end:
            return f"{start}-01-01/{end}-12-31"
        return None
    if match := _YEAR.fullmatch(text):
        return f"{match[1]}-01-01/{match[1]}-12-31"
    return None


def contact_email() -> str:
    """Where questions about the data go: ``LONTAR_OPENDATA_CONTACT_EMAIL`` if the deployment sets
    it, otherwise the address the office's mail comes from."""
    configured = getattr(settings, "LONTAR_OPENDATA_CONTACT_EMAIL", "")
    return configured or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def dataset_entry(page, request) -> dict:
    landing = page.get_full_url(request)
    entry = {
        "@type": "dcat:Dataset",
        "identifier": landing,
        "title": page.title,
        "description": page.deskripsi or page.title,
        "keyword": page.keywords or ["Kabupaten Tabanan"],
        "modified": timezone.localtime(page.last_published_at).isoformat(timespec="seconds"),
        "publisher": {
            "@type": "org:Organization",
            "name": page.publisher_name or REGENCY,
            "subOrganizationOf": {"@type": "org:Organization", "name": REGENCY},
        },
        "contactPoint": {"@type": "vcard:Contact", "fn": OFFICE, "hasEmail": f"mailto:{contact_email()}"},
        "accessLevel": "public",
        "landingPage": landing,
        "language": ["id"],
        "spatial": SPATIAL,
    }
    if page.license_url:
        entry["license"] = page.license_url
    else:
        entry["rights"] = page.get_lisensi_display()
    if page.tanggal_rilis:
        entry["issued"] = page.tanggal_rilis.isoformat()
    if period := temporal(page.periode):
        entry["temporal"] = period
    if periodicity := ACCRUAL_PERIODICITY.get(page.frekuensi):
        entry["accrualPeriodicity"] = periodicity
    distributions = [
        {
            "@type": "dcat:Distribution",
            "title": f"{page.title} ({download.label})",
            "format": download.label,
            "mediaType": download.media_type,
            "downloadURL": landing + download.subpath,
        }
        for download in page.downloads()
    ]
    if distributions:
        entry["distribution"] = distributions
    return entry


def catalogue(datasets, *, request, catalogue_url: str) -> dict:
    return {
        "@context": POD_CONTEXT,
        "@id": catalogue_url,
        "@type": "dcat:Catalog",
        "conformsTo": POD_SCHEMA,
        "describedBy": POD_DESCRIBED_BY,
        "dataset": [dataset_entry(page, request) for page in datasets],
    }
