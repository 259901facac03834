"""From an uploaded Wagtail document to the table stored on a data set page.

The reading itself is plain Python in ``opendata.tables``; this module only opens the document's
file (local disk or remote storage alike) and says whether it changed since it was last read.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from opendata import tables


def document_fingerprint(document) -> str:
    """What identifies the file's content: a replaced file has a new name or hash."""
    return f"{document.pk}:{document.file.name}:{document.file_hash}"


def document_table(document) -> dict:
    """The normalised table in ``document``'s file; ``tables.TableError`` if it cannot be one."""
    try:
        size = document.file.size
    except (OSError, ValueError) as exc:
        raise tables.TableError(_("Berkas data tidak dapat dibuka. Unggah ulang berkasnya.")) from exc
    if size > tables.MAX_BYTES:
        raise tables.TableError(
            _("Berkas terlalu besar (%(size)s MB). Batasnya %(max)s MB.")
            % {"size": f"{size / (1024 * 1024):.1f}".replace(".", ","), "max": tables.MAX_BYTES // (1024 * 1024)}
        )
    try:
        with document.open_file() as f:
            data = f.read(tables.MAX_BYTES + 1)
    except OSError as exc:
        raise tables.TableError(_("Berkas data tidak dapat dibuka. Unggah ulang berkasnya.")) from exc
    return tables.read_table(data, document.file.name)
