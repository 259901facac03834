"""Building data sets for the tests the only way Lontar allows: through the ten steps of the SOP."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import time_machine
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from desk.tests import sop_driver as D

WITA = ZoneInfo("Asia/Makassar")
START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WITA)  # a Monday morning in Tabanan

PADI_ROWS = [
    ["Selemadeg", 14442, 2415, 59.8],
    ["Selemadeg Timur", 23885, 3890, 61.4],
    ["Selemadeg Barat", 15998, 2730, 58.6],
    ["Kerambitan", 26827, 4320, 62.1],
    ["Tabanan", 18847, 3105, 60.7],
    ["Kediri", 28854, 4580, 63.0],
    ["Marga", 26060, 4210, 61.9],
    ["Baturiti", 6194, 1120, 55.3],
    ["Penebel", 46346, 7380, 62.8],
    ["Pupuan", 12527, 2190, 57.2],
]
PADI_HEADER = ["Kecamatan", "Produksi (ton GKG)", "Luas panen (ha)", "Produktivitas (ku/ha)"]


def csv_bytes(header, rows) -> bytes:
    """An RFC 4180 CSV, as a spreadsheet program or a script would write it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


PADI_CSV = csv_bytes(PADI_HEADER, PADI_ROWS)


def xlsx_bytes(header, rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet_values(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def document(filename: str, data: bytes) -> Document:
    return Document.objects.create(title=filename, file=ContentFile(data, name=filename))


def publish_data(people, *, topic: str, filename: str = "data.csv", data: bytes = PADI_CSV, when=START, **fields):
    """One data set from the Kasi's plan to the public site, with ``data`` as its file."""
    with time_machine.travel(when, tick=False):
        return D.publish_kind(people, kind="data", topic=topic, data_file=document(filename, data), **fields)


def data_item(people, *, topic: str, to_step: int, to_phase: int = 0, data: bytes = PADI_CSV, **fields):
    """A data set still on the desk, at ``to_step``."""
    liputan = D.start_item(people, topic=topic, kind="data")
    D.draft(liputan, data_file=document("draf.csv", data), **fields)
    return D.advance(liputan, people, to_step=to_step, to_phase=to_phase)
