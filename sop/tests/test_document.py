"""The SOP as the official document (Permenpan RB 35/2012): the layout drawn from the definition
file, the HTML page in the admin, the PDF there and on the public site.

The layout tests need no database: they read the real file, so the document cannot say something
the workflow does not do. The view tests render the real, loaded SOP.
"""

import re
import tomllib
import zlib
from unittest import mock

from django.core.cache import cache
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from desk.tests.helpers import client_for, text_of
from lontar.testing import build_world, make_user
from sop import document, rules
from sop.loader import sop_load_text
from sop.tests.test_rules import REAL_TEXT, edit_step

ROLES = ["Kasi", "Staf", "Kabid", "Sekdis", "Kadis"]


def layout_of(text: str = REAL_TEXT) -> document.SopDocumentLayout:
    return document.build_layout(rules.parse_definition(text))


def on_boundary(point, symbol: document.Symbol) -> bool:
    return any(point == symbol.port(side) for side in ("top", "bottom", "left", "right"))


def pdf_objects_text(pdf: bytes) -> bytes:
    """The PDF's bytes with every compressed stream inflated: WeasyPrint packs the page objects
    into object streams, where no pattern can see them as written."""
    inflated = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            inflated.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of each page, read from the MediaBoxes (no PDF library needed)."""
    text = pdf_objects_text(pdf)
    count = re.search(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)", text, re.DOTALL) or re.search(
        rb"/Count\s+(\d+).*?/Type\s*/Pages\b", text, re.DOTALL
    )
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", text)
    sizes = [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]
    assert count and len(sizes) == int(count.group(1)), (count, sizes)
    return sizes


class LayoutFromTheRealFileTest(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.layout = layout_of()
        cls.raw_steps = {s["nomor"]: s for s in tomllib.loads(REAL_TEXT)["langkah"]}

    def test_ten_rows_and_five_pelaksana_columns_in_the_sops_order(self):
        self.assertEqual([row.number for row in self.layout.rows], list(range(1, 11)))
        self.assertEqual([c.label for c in self.layout.columns], ROLES)
        self.assertEqual(
            self.layout.columns[2].title, "Kepala Bidang Pengelolaan Informasi dan Saluran Komunikasi Publik"
        )
        self.assertEqual(self.layout.flow_width, 5 * document.COL_ROLE)

    def test_symbol_kinds_capsule_at_the_ends_diamond_where_a_step_may_return(self):
        kinds = {(s.step, s.phase): s.kind for s in self.layout.symbols}
        self.assertEqual(
            kinds,
            {
                (1, 0): "capsule",
                (2, 0): "rect",
                (3, 0): "rect",  # the Staf gathers and writes
                (3, 1): "diamond",  # the Kasi checks it and may hand it back
                (4, 0): "diamond",
                (5, 0): "diamond",
                (6, 0): "diamond",
                (7, 0): "rect",
                (8, 0): "rect",
                (9, 0): "rect",
                (10, 0): "capsule",
            },
        )
        for row in self.layout.rows:
            if row.step.kind == rules.StepKind.REVIEW:
                self.assertEqual(row.symbols[-1].kind, "diamond", row.number)

    def test_each_symbol_sits_in_its_actors_column_and_its_row(self):
        expected = {
            1: ["kasi"], 2: ["kasi"], 3: ["staf", "kasi"], 4: ["kabid"], 5: ["sekdis"],
            6: ["kadis"], 7: ["sekdis"], 8: ["kabid"], 9: ["kasi"], 10: ["staf"],
        }  # fmt: skip
        for row in self.layout.rows:
            self.assertEqual([s.role.value for s in row.symbols], expected[row.number])
            self.assertEqual([s.role.value for s in row.symbols], self.raw_steps[row.number]["pelaksana"])
            for symbol in row.symbols:
                column = self.layout.columns[symbol.column]
                self.assertEqual(column.role, symbol.role)
                self.assertLessEqual(column.x, symbol.x)
                self.assertLessEqual(symbol.x + symbol.w, column.x + document.COL_ROLE)
                self.assertLessEqual(row.top, symbol.y)
                self.assertLessEqual(symbol.y + symbol.h, row.bottom)

    def test_rows_follow_each_other_without_gaps(self):
        top = 0
        for row in self.layout.rows:
            self.assertEqual(row.top, top)
            self.assertGreaterEqual(row.height, document.ROW_MIN)
            top += row.height
        self.assertEqual(self.layout.flow_height, top)

    def test_mutu_baku_is_the_files(self):
        waktu = {10: "10 menit", 30: "30 menit", 180: "3 jam"}
        for row in self.layout.rows:
            raw = self.raw_steps[row.number]
            self.assertEqual(row.step.input, raw["kelengkapan"])
            self.assertEqual(row.step.output, raw["output"])
            self.assertEqual(row.waktu, waktu[raw["waktu_menit"]])
        self.assertEqual(self.layout.total_waktu, "5 jam 30 menit")

    def test_every_arrow_joins_two_symbols(self):
        """Forward arrows join each symbol to the next in the procedure, returns join a decision to
        the first symbol of each step it may return to; both ends lie on a symbol's edge and every
        segment is horizontal or vertical."""
        symbols = {(s.step, s.phase): s for s in self.layout.symbols}
        order = list(symbols)
        forward = [c for c in self.layout.connectors if c.kind == "forward"]
        returns = [c for c in self.layout.connectors if c.kind == "return"]
        self.assertEqual([(c.source, c.target) for c in forward], list(zip(order, order[1:], strict=False)))
        self.assertEqual(
            sorted((c.source, c.target) for c in returns),
            sorted([((3, 1), (3, 0)), ((4, 0), (3, 0)), ((5, 0), (4, 0)), ((5, 0), (3, 0)),
                    ((6, 0), (5, 0)), ((6, 0), (4, 0)), ((6, 0), (3, 0))]),
        )  # fmt: skip
        for c in self.layout.connectors:
            self.assertTrue(on_boundary(c.points[0], symbols[c.source]), c)
            self.assertTrue(on_boundary(c.points[-1], symbols[c.target]), c)
            for (x0, y0), (x1, y1) in zip(c.points, c.points[1:], strict=False):
                self.assertTrue(x0 == x1 or y0 == y1, c)
            for x, y in c.points:
                self.assertTrue(0 <= x <= self.layout.flow_width and 0 <= y <= self.layout.flow_height, c)

    def test_decisions_are_labelled_ya_and_tidak(self):
        labels = {}
        for c in self.layout.connectors:
            if c.label:
                labels.setdefault(c.source, []).append(c.label)
        self.assertEqual(
            labels, {(3, 1): ["ya", "tidak"], (4, 0): ["ya", "tidak"], (5, 0): ["ya", "tidak"], (6, 0): ["ya", "tidak"]}
        )
        remarks = {row.number: row.remarks for row in self.layout.rows if row.remarks}
        self.assertEqual(remarks[4], ("Tidak sesuai: dikembalikan ke langkah 3.",))
        self.assertEqual(remarks[6], ("Tidak sesuai: dikembalikan ke langkah 3, 4 atau 5.",))
        self.assertEqual(remarks[3], ("Tidak sesuai: dikembalikan ke Staf (langkah 3).",))

    def test_shared_return_lines_are_drawn_once(self):
        """Dashed lines drawn over each other at different dash offsets would look solid."""
        segments = [seg for row in self.layout.rows for seg in row.return_segments]
        unique = set(segments)
        for a, b in unique:
            for c, d in unique - {(a, b)}:
                if a[0] == b[0] == c[0] == d[0]:  # both vertical on one x: they must not overlap
                    self.assertFalse(min(c[1], d[1]) < max(a[1], b[1]) and min(a[1], b[1]) < max(c[1], d[1]))

    def test_identity_for_the_first_page(self):
        self.assertEqual(self.layout.organisation, ["Pemerintah Kabupaten Tabanan", "Dinas Komunikasi dan Informatika"])
        self.assertEqual(
            self.layout.dates,
            {"tanggal_pembuatan": "3 Januari 2017", "tanggal_revisi": "10 Oktober 2019", "tanggal_efektif": ""},
        )
        self.assertEqual(self.layout.nip, "19731026 199302 1 003")


class FormattingTest(SimpleTestCase):
    def test_minutes_as_the_sop_writes_them(self):
        cases = {10: "10 menit", 30: "30 menit", 60: "1 jam", 90: "1 jam 30 menit", 180: "3 jam", 330: "5 jam 30 menit"}
        for minutes, text in cases.items():
            self.assertEqual(document.format_minutes(minutes), text)

    def test_wrapped_lines_never_fewer_than_the_words_need(self):
        self.assertEqual(document.wrapped_lines("satu", 100), 1)
        self.assertEqual(document.wrapped_lines("", 100), 1)
        per_line = int(100 // (document.FONT_PX * document.CHAR_EM))
        self.assertEqual(document.wrapped_lines("x" * (per_line * 3), 100), 3)
        self.assertGreaterEqual(document.wrapped_lines("kata " * 100, 100), 500 // per_line)


class ChangingTheFileChangesTheDocumentTest(SimpleTestCase):
    def test_a_new_time_standard_and_pelaksana_show_in_the_layout(self):
        text = edit_step(4, "waktu_menit = 30", "waktu_menit = 45")
        text = edit_step(7, 'pelaksana = ["sekdis"]', 'pelaksana = ["kadis"]', text=text)
        layout = layout_of(text)
        self.assertEqual(layout.rows[3].waktu, "45 menit")
        self.assertEqual(layout.total_waktu, "5 jam 45 menit")
        self.assertEqual(layout.symbol(7).role, rules.Role.KADIS)
        self.assertEqual(layout.symbol(7).column, 4)
        # Step 6 and 7 are now both the Kadis's: the arrow goes straight down.
        arrow = next(c for c in layout.connectors if c.source == (6, 0) and c.target == (7, 0))
        self.assertEqual({x for x, _ in arrow.points}, {layout.symbol(7).cx})

    def test_a_step_that_can_no_longer_return_is_no_decision(self):
        text = edit_step(4, "kembali_ke = [3]\n", "")
        text = edit_step(5, "kembali_ke = [3, 4]", "kembali_ke = [4]", text=text)
        layout = layout_of(text)
        self.assertEqual(layout.symbol(4).kind, "rect")
        self.assertEqual(
            [(c.source, c.target) for c in layout.connectors if c.kind == "return" and c.source == (5, 0)],
            [((5, 0), (4, 0))],
        )


class DocumentViewsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = build_world()
        cls.version = cls.people["version"]
        cls.url = reverse("sop_document", args=[cls.version.pk])
        cls.pdf_url = reverse("sop_document_pdf", args=[cls.version.pk])

    def test_only_people_of_the_admin_see_it(self):
        anonymous = self.client.get(self.url)
        self.assertEqual(anonymous.status_code, 302)
        self.assertIn("/admin/login/", anonymous["Location"])
        outsider = make_user("tamu")  # an account without a role has no access to the admin
        response = client_for(outsider).get(self.url)
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(client_for(self.people["staf"]).get(self.url).status_code, 200)
        self.assertEqual(client_for(self.people["kadis"]).get(self.pdf_url).status_code, 200)

    def test_unknown_version_is_404(self):
        client = client_for(self.people["kasi"])
        self.assertEqual(client.get(reverse("sop_document", args=[999999])).status_code, 404)
        self.assertEqual(client.get(reverse("sop_document_pdf", args=[999999])).status_code, 404)

    def test_the_html_document(self):
        client = client_for(self.people["kasi"])
        client.get(self.url)  # the session and user are read once per request; count the steady state
        # session, user, the user's groups (accounts.middleware: privileges unchanged since login),
        # the user's and groups' permissions (admin access), Wagtail's profile, the version
        with self.assertNumQueries(7):
            response = client.get(self.url)
        self.assertEqual(response.status_code, 200)
        text = text_of(response)
        for expected in (
            "PEMERINTAH KABUPATEN TABANAN".title(),  # capitals come from CSS
            "<td>065/0812/ORG</td>",
            "3 Januari 2017",
            "10 Oktober 2019",
            "Drs. H. Putu Dian Setiawan",
            "NIP. 19731026 199302 1 003",
            "Peraturan Bupati No. 52 Tahun 2016",
            "Memahami keterbukaan informasi publik",
            "Komputer",
            "5 jam 30 menit",
            "@page",
            "size: A4 landscape",
        ):
            self.assertIn(expected, text)
        self.assertEqual(len(re.findall(r'<tr class="step" data-step="\d+"', text)), 10)
        self.assertEqual(re.findall(r'<th class="role" title="[^"]*">(\w+)</th>', text), ROLES)
        self.assertEqual(len(re.findall(r'class="symbol" data-kind="diamond"', text)), 4)
        self.assertEqual(len(re.findall(r'class="symbol" data-kind="capsule"', text)), 2)
        self.assertIn(f'href="{self.pdf_url}"', text)
        # The admin's SOP page links to the document.
        self.assertIn(f'href="{self.url}"', text_of(client.get(reverse("sop_current"))))

    def test_the_pdf(self):
        cache.clear()
        client = client_for(self.people["sekdis"])
        response = client.get(self.pdf_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn('filename="SOP-065-0812-ORG-v1.pdf"', response["Content-Disposition"])
        pdf = response.content
        self.assertTrue(pdf.startswith(b"%PDF-"))
        sizes = pdf_pages(pdf)
        self.assertEqual(len(sizes), 2)  # the identity page and the procedure table
        for width, height in sizes:  # A4 landscape: 297 x 210 mm
            self.assertAlmostEqual(width, 841.89, delta=1)
            self.assertAlmostEqual(height, 595.28, delta=1)
        # Drawn once per version: the second request is served from the cache.
        with mock.patch.object(document, "_draw_pdf") as draw:
            self.assertEqual(client.get(self.pdf_url).content, pdf)
        draw.assert_not_called()

    def test_a_changed_file_is_a_new_document_and_the_old_one_stays(self):
        text = edit_step(4, "waktu_menit = 30", "waktu_menit = 45")
        new = sop_load_text(text=text).version
        client = client_for(self.people["kasi"])
        old_text = text_of(client.get(self.url))
        new_text = text_of(client.get(reverse("sop_document", args=[new.pk])))
        self.assertIn("5 jam 30 menit", old_text)
        self.assertIn("5 jam 45 menit", new_text)
        self.assertIn("45 menit", new_text)
        self.assertIn("versi 2", new_text)

    # --- the public site ---

    def test_the_public_list_links_to_the_pdf_of_the_sop_in_force(self):
        url = f"/profil/sop/{self.version.pk}/pdf/"
        self.assertIn(f'href="{url}"', text_of(self.client.get("/profil/sop/")))
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF-"))

    def test_only_the_version_in_force_is_public(self):
        cache.clear()
        self.addCleanup(cache.clear)  # the stand-in below must not outlive this test
        old = self.version
        new = sop_load_text(text=edit_step(4, "waktu_menit = 30", "waktu_menit = 45")).version
        self.assertEqual(self.client.get(f"/profil/sop/{old.pk}/pdf/").status_code, 404)
        self.assertEqual(self.client.get("/profil/sop/999999/pdf/").status_code, 404)
        with mock.patch.object(document, "_draw_pdf", return_value=b"%PDF-1.7 stand-in") as draw:
            self.assertEqual(self.client.get(f"/profil/sop/{new.pk}/pdf/").status_code, 200)
        draw.assert_called_once()
