"""Reading uploaded CSV and XLSX files into a table and writing it back out (no database)."""

import codecs
import datetime as dt
import io
import json
import zipfile
from unittest import mock

import openpyxl
from django.test import SimpleTestCase

from opendata import tables
from opendata.tables import TableError, read_table, to_csv, to_json, to_xlsx


def xlsx(rows, *, sheets=None) -> bytes:
    """An XLSX file whose first sheet holds ``rows`` (and further sheets from ``sheets``)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Padi"
    for row in rows:
        sheet.append(row)
    for title, more in (sheets or {}).items():
        other = workbook.create_sheet(title)
        for row in more:
            other.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_values(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


PADI_CSV = (
    "Kecamatan,Produksi (ton),Luas panen (ha),Produktivitas (ku/ha)\r\n"
    "Penebel,46346,7380,62.8\r\n"
    "Kediri,28854,4580,63.0\r\n"
    "Baturiti,6194,1120,55.3\r\n"
)


class CsvReadingTest(SimpleTestCase):
    def test_header_and_rows_with_numbers_as_numbers(self):
        table = read_table(PADI_CSV.encode(), "padi.csv")
        self.assertEqual(table["columns"], ["Kecamatan", "Produksi (ton)", "Luas panen (ha)", "Produktivitas (ku/ha)"])
        self.assertEqual(table["types"], ["string", "integer", "integer", "number"])
        self.assertEqual(table["rows"][0], ["Penebel", 46346, 7380, 62.8])
        self.assertIsInstance(table["rows"][1][3], float)
        self.assertEqual(len(table["rows"]), 3)

    def test_encodings_utf8_with_and_without_bom_utf16_and_windows_1252(self):
        text = "Desa,Keterangan\nBelimbing,Kopi robusta – Pupuan\n"
        for data in (
            text.encode("utf-8"),
            codecs.BOM_UTF8 + text.encode("utf-8"),
            text.encode("utf-16"),  # with its byte-order mark, as Excel's "Unicode Text"
            text.encode("cp1252"),
        ):
            with self.subTest(data=data[:8]):
                table = read_table(data, "desa.csv")
                self.assertEqual(table["columns"], ["Desa", "Keterangan"])
                self.assertEqual(table["rows"], [["Belimbing", "Kopi robusta – Pupuan"]])
        # Latin-1 is the last resort: every byte decodes.
        self.assertEqual(read_table("Nama\nJosé\x81\n".encode("latin-1"), "a.csv")["rows"], [["José\x81"]])

    def test_delimiters_are_sniffed(self):
        for delimiter in (",", ";", "\t", "|"):
            with self.subTest(delimiter=delimiter):
                data = PADI_CSV.replace(",", delimiter).replace(f"62{delimiter}8", "62.8").replace(f"63{delimiter}0", "63.0")
                data = data.replace(f"55{delimiter}3", "55.3")
                table = read_table(data.encode(), "padi.csv")
                self.assertEqual(len(table["columns"]), 4)
                self.assertEqual(table["rows"][2], ["Baturiti", 6194, 1120, 55.3])

    def test_quoted_delimiters_and_line_breaks_stay_inside_their_cell(self):
        data = 'Nama,Alamat\n"Kantor Bupati","Jl. Pahlawan No. 19, Tabanan"\n"Diskominfo","Jl. Diponegoro,\nTabanan"\n'
        table = read_table(data.encode(), "a.csv")
        self.assertEqual(table["rows"], [["Kantor Bupati", "Jl. Pahlawan No. 19, Tabanan"], ["Diskominfo", "Jl. Diponegoro,\nTabanan"]])

    def test_excel_sep_line_names_the_delimiter(self):
        table = read_table(b"sep=;\nA;B\n1;2\n", "a.csv")
        self.assertEqual(table, {"columns": ["A", "B"], "types": ["integer", "integer"], "rows": [[1, 2]]})

    def test_indonesian_decimal_comma_in_a_semicolon_file(self):
        data = "Kecamatan;Produksi;Produktivitas\nPenebel;46.346;62,8\nKediri;1.234.567;63\n"
        table = read_table(data.encode(), "a.csv")
        self.assertEqual(table["rows"], [["Penebel", 46346, 62.8], ["Kediri", 1234567, 63]])
        # In a comma file a point is a decimal point.
        table = read_table(b"A,B\n46.346,1\n", "a.csv")
        self.assertEqual(table["rows"], [[46.346, 1]])

    def test_codes_and_long_digit_strings_stay_text(self):
        data = "Kode,NIK,Telepon,Campur\n05,5102012345678901,+62361811047,12\n12,5102019876543210,+62361811048,n/a\n"
        table = read_table(data.encode(), "a.csv")
        self.assertEqual(table["types"], ["string", "string", "string", "string"])
        # A column is numeric only if all of it is: "12" stays text next to "05" and "n/a".
        self.assertEqual(table["rows"][1], ["12", "5102019876543210", "+62361811048", "n/a"])

    def test_empty_cells_are_none_and_blank_lines_are_skipped(self):
        table = read_table(b"A,B\n\n1,\n ,2\n,,\n", "a.csv")
        self.assertEqual(table["rows"], [[1, None], [None, 2]])
        self.assertEqual(table["types"], ["integer", "integer"])

    def test_true_false_columns_are_booleans(self):
        table = read_table(b"Desa,Wisata\nJatiluwih,TRUE\nTista,false\n", "a.csv")
        self.assertEqual(table["types"], ["string", "boolean"])
        self.assertEqual(table["rows"], [["Jatiluwih", True], ["Tista", False]])

    def test_trailing_empty_fields_are_not_columns(self):
        table = read_table(b"A,B,\n1,2,\n3,4,\n", "a.csv")
        self.assertEqual(table["columns"], ["A", "B"])
        self.assertEqual(table["rows"], [[1, 2], [3, 4]])


class XlsxReadingTest(SimpleTestCase):
    def test_first_sheet_values_keep_their_types(self):
        data = xlsx(
            [
                ["Kecamatan", "Produksi (ton)", "Produktivitas", "Tanggal panen", 2025],
                ["Penebel", 46346, 62.8, dt.datetime(2025, 3, 14), "ya"],
                ["Kediri", 28854, 63.0, dt.datetime(2025, 4, 2, 8, 30), None],
            ],
            sheets={"Lain": [["Tidak", "dibaca"]]},
        )
        table = read_table(data, "padi.xlsx")
        self.assertEqual(table["columns"], ["Kecamatan", "Produksi (ton)", "Produktivitas", "Tanggal panen", "2025"])
        self.assertEqual(table["types"], ["string", "integer", "number", "string", "string"])
        self.assertEqual(
            table["rows"],
            [["Penebel", 46346, 62.8, "2025-03-14", "ya"], ["Kediri", 28854, 63.0, "2025-04-02T08:30:00", None]],
        )

    def test_rows_ending_early_are_padded(self):
        table = read_table(xlsx([["A", "B", "C"], [1], [None, None, 3], [], [2, "x"]]), "a.xlsx")
        self.assertEqual(table["rows"], [[1, None, None], [None, None, 3], [2, "x", None]])

    def test_a_cell_right_of_the_header_is_refused(self):
        with self.assertRaisesMessage(TableError, "Baris 3 berisi 4 kolom, padahal judul kolomnya 2."):
            read_table(xlsx([["A", "B"], [1, 2], [1, 2, None, "lebih"]]), "a.xlsx")

    def test_formula_text_in_a_sheet_is_read_as_its_value_not_run(self):
        # openpyxl stores no calculated value for formulas it writes, so the cell reads as empty;
        # what matters is that nothing is evaluated and the text of the formula is not exported.
        table = read_table(xlsx([["A", "B"], [1, "=1+1"]]), "a.xlsx")
        self.assertEqual(table["rows"], [[1, None]])

    def test_control_characters_are_dropped(self):
        table = read_table(b"A\nbaris\x0bsatu\n", "a.csv")
        self.assertEqual(table["rows"], [["barissatu"]])
        to_xlsx(table)  # would raise IllegalCharacterError otherwise


class RefusedFilesTest(SimpleTestCase):
    def assertRefused(self, data: bytes, filename: str, message: str):
        with self.assertRaises(TableError) as caught:
            read_table(data, filename)
        self.assertIn(message, str(caught.exception))

    def test_unsupported_types(self):
        self.assertRefused(b"%PDF-1.7", "laporan.pdf", "Format berkas .pdf tidak didukung. Unggah berkas CSV atau XLSX.")
        self.assertRefused(b"data", "tanpa-ekstensi", "Format berkas (tanpa ekstensi) tidak didukung.")
        self.assertRefused(b"\xd0\xcf\x11\xe0", "lama.xls", "Format .xls tidak didukung. Simpan ulang berkas sebagai XLSX")
        self.assertRefused(b"PK", "lembar.ods", "Format .ods tidak didukung.")

    def test_empty_files(self):
        self.assertRefused(b"", "a.csv", "Berkas kosong.")
        self.assertRefused(b"\r\n \n", "a.csv", "Berkas kosong.")
        self.assertRefused(b",,\n,,\n", "a.csv", "Berkas kosong.")
        self.assertRefused(xlsx([]), "a.xlsx", "Berkas kosong.")
        self.assertRefused(b"A,B\n", "a.csv", "Berkas hanya berisi baris judul kolom, tanpa baris data.")

    def test_ragged_rows(self):
        self.assertRefused(b"A,B,C\n1,2,3\n4,5\n", "a.csv", "Baris 3 berisi 2 kolom, padahal judul kolomnya 3.")
        self.assertRefused(b"A,B\n1,2\n3,4,5\n", "a.csv", "Baris 3 berisi 3 kolom, padahal judul kolomnya 2.")

    def test_missing_and_repeated_column_names(self):
        self.assertRefused(b"A,,C\n1,2,3\n", "a.csv", "Judul kolom ke-2 kosong.")
        self.assertRefused(b"Tahun,tahun\n1,2\n", "a.csv", "Judul kolom \u201ctahun\u201d dipakai lebih dari sekali.")

    def test_too_many_rows(self):
        data = b"A\n" + b"1\n" * tables.MAX_ROWS
        self.assertEqual(len(read_table(data, "a.csv")["rows"]), 50_000)
        self.assertRefused(data + b"1\n", "a.csv", "Berkas berisi lebih dari 50.000 baris data.")

    def test_too_large(self):
        data = b"A\n" + b"x" * tables.MAX_BYTES
        self.assertRefused(data, "a.csv", "Berkas terlalu besar (10,0 MB). Batasnya 10 MB.")

    def test_too_many_columns(self):
        header = ",".join(f"K{i}" for i in range(tables.MAX_COLUMNS + 1))
        self.assertRefused(f"{header}\n".encode(), "a.csv", "Berkas berisi 201 kolom. Batasnya 200 kolom.")

    def test_binary_or_broken_content(self):
        self.assertRefused(b"PK\x03\x04\x00\x00binary", "a.csv", "Berkas ini bukan teks CSV.")
        self.assertRefused(b"A,B\n1,2\n", "a.xlsx", "Berkas XLSX rusak atau bukan berkas Excel XLSX.")
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("hello.txt", "bukan lembar kerja")
        self.assertRefused(archive.getvalue(), "a.xlsx", "Berkas XLSX rusak atau bukan berkas Excel XLSX.")

    def test_an_xlsx_that_unpacks_too_large_is_not_opened(self):
        with mock.patch.object(tables, "MAX_XLSX_UNPACKED", 1000), mock.patch("openpyxl.load_workbook") as load:
            self.assertRefused(xlsx([["A"], [1]]), "a.xlsx", "Isi berkas XLSX terlalu besar setelah dibuka")
        load.assert_not_called()

    def test_unreadable_csv(self):
        # A field beyond the csv module's limit (131,072 characters), e.g. an unclosed quote.
        data = b'A\n"' + b"x" * 200_000 + b'"\n'
        self.assertRefused(data, "a.csv", "Berkas CSV tidak dapat dibaca pada baris")


class ExportTest(SimpleTestCase):
    def test_csv_round_trip_is_byte_for_byte(self):
        table = read_table(PADI_CSV.encode(), "padi.csv")
        self.assertEqual(to_csv(table).decode(), PADI_CSV)
        self.assertEqual(read_table(to_csv(table), "unduh.csv"), table)

    def test_xlsx_round_trip_keeps_numbers_as_numbers(self):
        table = read_table(PADI_CSV.encode(), "padi.csv")
        data = to_xlsx(table)
        self.assertEqual(read_table(data, "unduh.xlsx"), table)
        values = xlsx_values(data)
        self.assertEqual(values[0], table["columns"])
        self.assertEqual(values[1], ["Penebel", 46346, 7380, 62.8])
        self.assertIsInstance(values[1][1], int)

    def test_json_has_columns_types_and_one_object_per_row(self):
        table = read_table(PADI_CSV.encode(), "padi.csv")
        document = json.loads(to_json(table, metadata={"judul": "Padi"}))
        self.assertEqual(document["judul"], "Padi")
        self.assertEqual(document["kolom"][1], {"nama": "Produksi (ton)", "tipe": "integer"})
        self.assertEqual(list(document["data"][0].items()), list(zip(table["columns"], ["Penebel", 46346, 7380, 62.8], strict=True)))

    def test_formula_injection_is_neutralised_in_csv_and_xlsx(self):
        table = {
            "columns": ["=Nama", "Nilai", "Catatan"],
            "types": ["string", "integer", "string"],
            "rows": [
                ['=HYPERLINK("http://contoh.invalid","klik")', -5, "+62361"],
                ["@SUM(A1:A9)", 3, "-2+3"],
                ["\tcmd", 0, "-"],
                ["biasa", 1, "a=b"],
            ],
        }
        csv_text = to_csv(table).decode()
        self.assertEqual(
            csv_text.splitlines(),
            [
                "'=Nama,Nilai,Catatan",
                '"\'=HYPERLINK(""http://contoh.invalid"",""klik"")",-5,\'+62361',
                "'@SUM(A1:A9),3,'-2+3",
                "'\tcmd,0,-",
                "biasa,1,a=b",
            ],
        )
        data = to_xlsx(table)
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        self.assertEqual(sheet["A1"].value, "'=Nama")
        self.assertEqual(sheet["A2"].value, '\'=HYPERLINK("http://contoh.invalid","klik")')
        self.assertEqual(sheet["A2"].data_type, "s")  # text, not a formula
        self.assertEqual(sheet["B2"].value, -5)  # a negative number stays a number
        self.assertEqual(sheet["C3"].value, "'-2+3")
        self.assertEqual(sheet["C4"].value, "-")
        self.assertFalse(any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row))
        # JSON is not opened by spreadsheets and keeps the values as uploaded.
        self.assertEqual(json.loads(to_json(table, metadata={}))["data"][0]["=Nama"], table["rows"][0][0])

    def test_floats_and_booleans_in_csv(self):
        table = {"columns": ["A", "B", "C"], "types": ["number", "boolean", "number"], "rows": [[0.1, True, 1e-05], [2.5, False, None]]}
        self.assertEqual(to_csv(table), b"A,B,C\r\n0.1,true,1e-05\r\n2.5,false,\r\n")
        self.assertEqual(read_table(to_csv(table), "a.csv"), table)

    def test_preview_keeps_the_first_hundred_rows(self):
        table = read_table(b"A\n" + b"".join(b"%d\n" % i for i in range(250)), "a.csv")
        self.assertEqual(tables.preview(table)["rows"], [[i] for i in range(100)])
        self.assertEqual(tables.preview(table)["columns"], ["A"])
