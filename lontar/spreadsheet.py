"""Cells bound for a spreadsheet (CSV or XLSX exports).

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula, so a comment typed into Lontar could run as one
on an official's computer (CSV/formula injection, OWASP). Such text gets a leading apostrophe,
which the spreadsheet shows as plain text. Numbers are left alone: a negative number is data."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]
