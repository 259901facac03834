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


def protect_wagtail_exports() -> None:
    """Pass every cell of Wagtail's own spreadsheet exports through ``safe_cell``.

    The admin's reports (site history, aging and locked pages, workflows and their tasks) and the
    redirects list download CSV/XLSX through ``SpreadsheetExportMixin``, whose CSV writes text as
    it is: a page title typed as ``=HYPERLINK(…)`` by a Staf would reach an administrator's
    spreadsheet as a formula. Wagtail offers no setting for this, so its one preprocessing step
    is wrapped (once; called from ``ReportsConfig.ready``)."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "lontar_safe", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        return safe_cell(original(self, field, value, export_format))

    preprocess_field_value.lontar_safe = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
