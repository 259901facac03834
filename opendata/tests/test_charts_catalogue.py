"""The SVG bar chart's geometry and the catalogue's mapping of Satu Data metadata (no database)."""

from django.test import SimpleTestCase

from opendata.catalogue import temporal
from opendata.charts import MAX_BARS, bar_chart


def table(columns, types, rows):
    return {"columns": columns, "types": types, "rows": rows}


class BarChartTest(SimpleTestCase):
    def test_first_numeric_column_against_first_text_column(self):
        chart = bar_chart(
            table(
                ["Tahun", "Kecamatan", "Desa", "Luas (ha)", "Produksi (ton)"],
                ["integer", "string", "string", "integer", "integer"],
                [[2025, "Penebel", "Jatiluwih", 7380, 46346], [2025, "Kediri", "Nyitdah", 4580, 28854]],
            )
        )
        self.assertEqual((chart.label_column, chart.value_column), ("Kecamatan", "Tahun"))
        self.assertEqual([b.label for b in chart.bars], ["Penebel", "Kediri"])

    def test_bars_are_proportional_and_values_written_the_indonesian_way(self):
        chart = bar_chart(table(["K", "V"], ["string", "number"], [["a", 1000], ["b", 500], ["c", 62.75]]))
        widths = [float(b.width) for b in chart.bars]
        self.assertAlmostEqual(widths[0] / widths[1], 2, places=2)
        self.assertEqual([b.value_text for b in chart.bars], ["1.000", "500", "62,75"])
        # Coordinates keep a decimal point whatever the language.
        self.assertNotIn(",", "".join(b.x + b.y + b.width for b in chart.bars))

    def test_negative_values_grow_left_of_zero(self):
        chart = bar_chart(table(["K", "V"], ["string", "integer"], [["naik", 10], ["turun", -10]]))
        up, down = chart.bars
        self.assertEqual(up.x, chart.zero_x)
        self.assertAlmostEqual(float(down.x) + float(down.width), float(chart.zero_x), places=0)

    def test_rows_without_a_number_are_left_out_and_long_tables_cut(self):
        rows = [[f"Desa {i}", None if i % 2 else i] for i in range(100)]
        chart = bar_chart(table(["Desa", "Jumlah"], ["string", "integer"], rows))
        self.assertEqual(len(chart.bars), MAX_BARS)
        self.assertEqual(chart.total, 50)
        self.assertTrue(chart.truncated)
        self.assertEqual(chart.bars[1].label, "Desa 2")

    def test_long_labels_are_shortened_but_kept_whole_for_the_tooltip(self):
        name = "Badan Perencanaan Pembangunan Daerah Kabupaten Tabanan"
        bar = bar_chart(table(["K", "V"], ["string", "integer"], [[name, 1]])).bars[0]
        self.assertEqual(bar.full_label, name)
        self.assertTrue(bar.label.endswith("\u2026"))
        self.assertLessEqual(len(bar.label), 26)

    def test_no_chart_without_both_a_text_and_a_numeric_column(self):
        self.assertIsNone(bar_chart(table(["A", "B"], ["string", "string"], [["x", "y"]])))
        self.assertIsNone(bar_chart(table(["Tahun", "Jumlah"], ["integer", "integer"], [[2024, 1], [2025, 2]])))
        self.assertIsNone(bar_chart(table(["K", "V"], ["string", "integer"], [["x", None]])))
        self.assertIsNone(bar_chart(table(["Kosong", "V"], ["string", "integer"], [[None, 1]])))
        self.assertIsNone(bar_chart({}))


class TemporalTest(SimpleTestCase):
    def test_periods_become_iso_intervals_when_they_can(self):
        self.assertEqual(temporal("2025"), "2025-01-01/2025-12-31")
        self.assertEqual(temporal("2020-2025"), "2020-01-01/2025-12-31")
        self.assertEqual(temporal("2020 – 2025"), "2020-01-01/2025-12-31")
        self.assertEqual(temporal("2025-01-01/2025-06-30"), "2025-01-01/2025-06-30")
        self.assertIsNone(temporal("Januari–Juni 2025"))
        self.assertIsNone(temporal("2025-2020"))
        self.assertIsNone(temporal(""))
