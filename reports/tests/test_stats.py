"""The report's arithmetic, without a database."""

import random

import pytest

from lontar.spreadsheet import safe_cell, safe_row
from reports import stats


def test_percentile_interpolates_like_postgresql_percentile_cont():
    values = [60, 100, 150, 200]
    assert stats.percentile(values, 0.5) == 125.0  # between the 2nd and 3rd
    assert stats.percentile(values, 0.9) == pytest.approx(185.0)  # rank 2.7: 150 + 0.7 × 50
    assert stats.percentile(values, 0) == 60.0
    assert stats.percentile(values, 1) == 200.0
    assert stats.percentile([7], 0.9) == 7.0
    assert stats.percentile([], 0.5) is None


def test_percentile_ignores_input_order():
    assert stats.percentile([200, 60, 150, 100], 0.5) == 125.0


def test_histogram_percentile_equals_percentile_of_the_expanded_values():
    rng = random.Random(5)
    for _ in range(200):
        values = [rng.randint(0, 40) for _ in range(rng.randint(1, 60))]
        histogram = {}
        for value in values:
            histogram[value] = histogram.get(value, 0) + 1
        for fraction in (0, 0.1, 0.5, 0.9, 1):
            assert stats.percentile_from_histogram(histogram.items(), fraction) == pytest.approx(
                stats.percentile(values, fraction)
            )


def test_histogram_percentile_skips_empty_bins_and_handles_none():
    assert stats.percentile_from_histogram([(5, 0), (10, 2)], 0.5) == 10.0
    assert stats.percentile_from_histogram([], 0.5) is None
    with pytest.raises(ValueError):
        stats.percentile_from_histogram([(1, 1)], 1.5)


def test_share_is_a_percentage_and_none_of_nothing():
    assert stats.share(18, 23) == pytest.approx(78.2608, rel=1e-4)
    assert stats.share(0, 4) == 0.0
    assert stats.share(0, 0) is None
    assert stats.rounded(78.2608) == 78.3
    assert stats.rounded(None) is None


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_like_text_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


def test_plain_text_and_numbers_are_left_alone():
    assert safe_row(["Foto kurang jelas", -5, 3.5, None, "a=b"]) == ["Foto kurang jelas", -5, 3.5, None, "a=b"]
