"""Reading an uploaded CSV or XLSX into one normalised table, and writing that table back out as
CSV, XLSX or JSON.

Plain Python (``csv``, ``json``, ``openpyxl``) with no model or database access, so it is tested
on its own. A table is a dict that can be stored in a JSONField as it is::

    {"columns": ["Kecamatan", "Produksi (ton)"],
     "types": ["string", "integer"],
     "rows": [["Kediri", 28154], ["Marga", 25410]]}

A cell is ``str``, ``int``, ``float``, ``bool`` or ``None`` (empty). ``types`` names each column's
kind in the Frictionless Table Schema vocabulary: "integer", "number", "boolean" or "string"
(also for empty and mixed columns). Lists, not objects per row: PostgreSQL's jsonb does not keep
the order of an object's keys, and the order of the columns matters.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import math
import re
import zipfile
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from lontar.spreadsheet import safe_cell

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200
# An XLSX is a zip archive: 10 MB compressed can unpack to gigabytes (a "zip bomb"); openpyxl
# would build all of it in memory, so the unpacked size is checked before the file is opened.
MAX_XLSX_UNPACKED = 200 * 1024 * 1024
PREVIEW_ROWS = 100

SUPPORTED_EXTENSIONS = ("csv", "xlsx")
NUMERIC_TYPES = ("integer", "number")

CSV_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_CHARS = 64 * 1024
_SNIFF_ROWS = 50

# Numbers in a CSV, read per column (see ``_infer_column``). At most 15 digits: longer digit
# strings (NIK, NPWP, account numbers) would lose digits in a spreadsheet and are kept as text,
# and so are values with leading zeros (postcodes, kode wilayah) and a leading "+" (telephone).
_INTEGER = re.compile(r"-?(?:0|[1-9]\d{0,14})")
_DECIMAL_POINT = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+(?:[eE][-+]?\d+)?|[eE][-+]?\d+)")
# Indonesian notation: a point groups thousands, a comma marks decimals ("1.234.567,5").
_DECIMAL_COMMA = re.compile(r"-?(?:0|[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d*)(?:,\d+)?")
_BOOLEANS = {"true": True, "false": False}
# Characters an XLSX (XML 1.0) cannot hold; openpyxl refuses to write them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Spreadsheet formula injection (CSV injection): Excel, LibreOffice and Google Sheets treat a cell
# that starts with one of these as a formula ("=HYPERLINK(...)", "+cmd|' /C calc'!A0", "@SUM(...)",
# "-2+3"), so a hostile value in an uploaded data set could run when a visitor opens the download.
# CSV and XLSX exports therefore write such text cells with a leading apostrophe, which every
# spreadsheet shows as text (OWASP's advice). Numbers are numbers and are left alone (a negative
# number is not text), and so is a lone "-", the usual placeholder for "no data" in statistics
# tables, which no spreadsheet evaluates. Tab and carriage return are included as OWASP lists them.
# The JSON download keeps values exactly as stored: it is not opened by a spreadsheet. The rule
# itself is Lontar's one rule for every export (``lontar.spreadsheet.safe_cell``).


class TableError(ValueError):
    """The file cannot become a table; the message is for the person who uploaded it."""


# --- reading ---------------------------------------------------------------------------------------


def extension_of(filename: str) -> str:
    name = (filename or "").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def read_table(data: bytes, filename: str) -> dict:
    """The normalised table in ``data``, a CSV or XLSX file named ``filename``.

    Raises ``TableError`` with a message in Indonesian for an unsupported type, an empty file, a
    missing or repeated column name, a row whose width differs from the header's, or a file over
    the limits (``MAX_BYTES``, ``MAX_ROWS``, ``MAX_COLUMNS``).
    """
    ext = extension_of(filename)
    if ext in ("xls", "ods", "numbers"):
        raise TableError(
            _("Format .%(ext)s tidak didukung. Simpan ulang berkas sebagai XLSX (Excel 2007 ke atas) atau CSV.")
            % {"ext": ext}
        )
    if ext not in SUPPORTED_EXTENSIONS:
        raise TableError(
            _("Format berkas %(ext)s tidak didukung. Unggah berkas CSV atau XLSX.")
            % {"ext": f".{ext}" if ext else _("(tanpa ekstensi)")}
        )
    if len(data) > MAX_BYTES:
        raise TableError(
            _("Berkas terlalu besar (%(size)s MB). Batasnya %(max)s MB.")
            % {"size": _megabytes(len(data)), "max": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise TableError(_("Berkas kosong."))
    if ext == "csv":
        text = decode_text(data)
        delimiter, text = sniff_delimiter(text)
        return _normalise(_csv_rows(text, delimiter), from_text=True, decimal_comma_first=delimiter == ";")
    return _normalise(_xlsx_rows(data), from_text=False)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def decode_text(data: bytes) -> str:
    """The text of a CSV, whatever Excel or another program saved it as.

    UTF-8 (with or without Excel's byte-order mark), UTF-16 with a byte-order mark (Excel's
    "Unicode Text"), then Windows-1252, which is what Excel on Indonesian Windows writes for
    "CSV (Comma delimited)", and Latin-1 as the last resort (it decodes any byte).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TableError(_("Berkas CSV tidak dapat dibaca: penyandian UTF-16 rusak.")) from exc
    else:
        for encoding in ("utf-8-sig", "cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if "\x00" in text:
        raise TableError(_("Berkas ini bukan teks CSV. Unggah berkas CSV atau XLSX yang sah."))
    return text


def sniff_delimiter(text: str) -> tuple[str, str]:
    """The delimiter of a CSV text, and the text without Excel's ``sep=`` line if it had one.

    ``csv.Sniffer`` guesses from how often characters occur and is easily misled (decimal commas
    in a semicolon file, commas inside text); instead each candidate is tried on the first rows
    and the one that gives every row the header's width (more than one column) wins.
    """
    first_line, _sep, rest = text.partition("\n")
    hint = first_line.strip()
    if hint.lower().startswith("sep=") and len(hint) == 5:
        return hint[4], rest
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # no half row at the end
    best, best_width = None, 1
    for delimiter in CSV_DELIMITERS:
        try:
            rows = [row for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if row]
        except csv.Error:
            continue
        rows = rows[:_SNIFF_ROWS]
        if not rows:
            continue
        width = len(rows[0])
        if width > best_width and all(len(row) == width for row in rows):
            best, best_width = delimiter, width
    if best is None:
        # No candidate fits every row: take the one the header uses most, and let the width
        # check name the row that does not fit.
        counts = {d: first_line.count(d) for d in CSV_DELIMITERS}
        best = max(CSV_DELIMITERS, key=lambda d: counts[d]) if any(counts.values()) else ","
    return best, text


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise TableError(
            _("Berkas CSV tidak dapat dibaca pada baris %(line)d: %(error)s.")
            % {"line": reader.line_num, "error": exc}
        ) from exc


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list]]:
    # Imported here: openpyxl is only needed when an XLSX is read or written.
    import openpyxl

    broken = _("Berkas XLSX rusak atau bukan berkas Excel XLSX. Simpan ulang dari Excel atau unggah CSV.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise TableError(broken) from exc
    if unpacked > MAX_XLSX_UNPACKED:
        raise TableError(
            _("Isi berkas XLSX terlalu besar setelah dibuka (%(size)s MB). Batasnya %(max)s MB.")
            % {"size": _megabytes(unpacked), "max": MAX_XLSX_UNPACKED // (1024 * 1024)}
        )
    try:
        # data_only: a formula cell gives the value Excel last calculated, not the formula.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, InvalidFileException, XML errors)
        raise TableError(broken) from exc
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        # Forget the size the file declares: a sheet claiming A1:XFD1048576 would otherwise make
        # openpyxl pad every row to 16,384 cells. Rows then end at their last stored cell.
        sheet.reset_dimensions()
        try:
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(row)
        except TableError:
            raise
        except Exception as exc:
            raise TableError(broken) from exc
    finally:
        workbook.close()


def _cell(value):
    """One cell as stored: text trimmed (empty text is ``None``), dates as ISO 8601 text."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds" if not value.microsecond else "auto")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = _ILLEGAL_XML.sub("", str(value)).strip()
    return text or None


def _column_name(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a year written as a number in a header cell, 2025.0 → "2025"
    name = " ".join(str(value).split())
    return name or None


def _normalise(rows: Iterable[tuple[int, list]], *, from_text: bool, decimal_comma_first: bool = False) -> dict:
    columns: list[str] | None = None
    width = 0
    body: list[list] = []
    for line, raw in rows:
        cells = [_cell(value) for value in raw]
        if all(cell is None for cell in cells):
            continue  # blank lines and empty rows carry nothing
        if columns is None:
            columns = _header(cells)
            width = len(columns)
            continue
        if len(cells) > width:
            if any(cell is not None for cell in cells[width:]):
                raise TableError(
                    _("Baris %(line)d berisi %(found)d kolom, padahal judul kolomnya %(expected)d. "
                      "Setiap baris harus sama lebar dengan baris judul.")
                    % {"line": line, "found": _last_filled(cells), "expected": width}
                )
            cells = cells[:width]
        elif len(cells) < width:
            if from_text:
                # A CSV row with fewer fields has lost or merged some: refused, not guessed.
                raise TableError(
                    _("Baris %(line)d berisi %(found)d kolom, padahal judul kolomnya %(expected)d. "
                      "Setiap baris harus sama lebar dengan baris judul.")
                    % {"line": line, "found": len(cells), "expected": width}
                )
            cells += [None] * (width - len(cells))  # a spreadsheet row simply ends at its last value
        if len(body) >= MAX_ROWS:
            raise TableError(
                _("Berkas berisi lebih dari %(max)s baris data. Pecah data menjadi beberapa berkas.")
                % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        body.append(cells)
    if columns is None:
        raise TableError(_("Berkas kosong."))
    if not body:
        raise TableError(_("Berkas hanya berisi baris judul kolom, tanpa baris data."))
    if from_text:
        for index in range(width):
            _infer_column(body, index, decimal_comma_first=decimal_comma_first)
    return {"columns": columns, "types": [column_type(row[i] for row in body) for i in range(width)], "rows": body}


def _last_filled(cells: list) -> int:
    return max(i for i, cell in enumerate(cells) if cell is not None) + 1


def _header(cells: list) -> list[str]:
    names = [_column_name(cell) for cell in cells[: _last_filled(cells)]]
    if len(names) > MAX_COLUMNS:
        raise TableError(
            _("Berkas berisi %(found)d kolom. Batasnya %(max)d kolom.") % {"found": len(names), "max": MAX_COLUMNS}
        )
    seen = set()
    for number, name in enumerate(names, start=1):
        if name is None:
            raise TableError(
                _("Judul kolom ke-%(n)d kosong. Baris pertama berkas harus berisi judul setiap kolom.") % {"n": number}
            )
        if name.casefold() in seen:
            raise TableError(_("Judul kolom “%(name)s” dipakai lebih dari sekali.") % {"name": name})
        seen.add(name.casefold())
    return names


def _parse_decimal_point(text: str):
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL_POINT.fullmatch(text):
        value = float(text)
        return value if math.isfinite(value) else None
    return None


def _parse_decimal_comma(text: str):
    if not _DECIMAL_COMMA.fullmatch(text):
        return None
    plain = text.replace(".", "")
    if "," in plain:
        value = float(plain.replace(",", "."))
        return value if math.isfinite(value) else None
    return int(plain) if len(plain.lstrip("-")) <= 15 else None


def _infer_column(body: list[list], index: int, *, decimal_comma_first: bool) -> None:
    """A CSV column becomes numbers (or true/false) only if every filled cell reads as one.

    A column is all-or-nothing, so a code column with "05" keeps "12" as text too. Both decimal
    notations are accepted, one per column; "1.234" is ambiguous, so the file decides: a
    semicolon-separated file comes from a comma-decimal locale (Excel in Indonesian writes one)
    and is read the Indonesian way first (1.234 = 1234), any other the international way first.
    """
    values = [row[index] for row in body if row[index] is not None]
    if not values:
        return
    lowered = [v.lower() for v in values]
    if all(v in _BOOLEANS for v in lowered):
        for row in body:
            if row[index] is not None:
                row[index] = _BOOLEANS[row[index].lower()]
        return
    parsers = (_parse_decimal_point, _parse_decimal_comma)
    if decimal_comma_first:
        parsers = parsers[::-1]
    for parse in parsers:
        parsed = [parse(v) for v in values]
        if all(p is not None for p in parsed):
            numbers = iter(parsed)
            for row in body:
                if row[index] is not None:
                    row[index] = next(numbers)
            return


def column_type(values: Iterable) -> str:
    filled = [v for v in values if v is not None]
    if not filled:
        return "string"
    if all(isinstance(v, bool) for v in filled):
        return "boolean"
    if any(isinstance(v, bool) or not isinstance(v, int | float) for v in filled):
        return "string"
    return "integer" if all(isinstance(v, int) for v in filled) else "number"


def preview(table: dict, rows: int = PREVIEW_ROWS) -> dict:
    """The first ``rows`` rows of a table, for the public page (which never loads the whole)."""
    return {"columns": table["columns"], "types": table["types"], "rows": table["rows"][:rows]}


# --- writing ---------------------------------------------------------------------------------------


def neutralise(value):
    """A text cell made safe to open in a spreadsheet (``lontar.spreadsheet.safe_cell``), except
    a lone "-", the "no data" placeholder of statistics tables, which no spreadsheet evaluates."""
    return value if value == "-" else safe_cell(value)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same number
    if isinstance(value, int):
        return str(value)
    return neutralise(value)


def to_csv(table: dict) -> bytes:
    """RFC 4180 CSV in UTF-8 without a byte-order mark: comma, CRLF, a point for decimals, so
    programs read it as written; people who want a spreadsheet take the XLSX."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(name) for name in table["columns"]])
    writer.writerows([_csv_cell(value) for value in row] for row in table["rows"])
    return out.getvalue().encode("utf-8")


def to_xlsx(table: dict, *, sheet_title: str = "Data") -> bytes:
    """One sheet, header in bold and frozen; numbers as numbers, text as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in table["columns"]:
        cell = WriteOnlyCell(sheet, value=neutralise(name))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table["rows"]:
        # Text starting with "=" would be written as a formula; ``neutralise`` prevents that too.
        sheet.append([neutralise(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_json(table: dict, *, metadata: dict) -> bytes:
    """The metadata, the columns with their types, and one object per row (keys in column order)."""
    columns = table["columns"]
    document = {
        **metadata,
        "kolom": [{"nama": name, "tipe": kind} for name, kind in zip(columns, table["types"], strict=True)],
        "data": [dict(zip(columns, row, strict=True)) for row in table["rows"]],
    }
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
