"""A :class:`~lotse_reporting.domain.tables.Sheet` as CSV or XLSX (ADR 0091).

**CSV** is written for Excel in Germany: UTF-8 with a byte order mark (so Excel reads the
umlauts), ``;`` between fields, CRLF line ends, rates with a decimal comma. The legend is not in
the file (a CSV is one table; docs/reporting.md explains ``<5`` and ``x``).

**XLSX** (openpyxl): one sheet with the title, the header row in bold and frozen, counts as
numbers, rates as percentages, the marks ``<5`` and ``x`` as text, and the legend below."""

from __future__ import annotations

import csv
import io

from ..domain.tables import Sheet, SheetValue

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_value(value: SheetValue, rate: bool, decimal: bool = False) -> str:
    if value is None:
        return ""
    if rate and isinstance(value, float):
        return f"{value:.3f}".replace(".", ",")
    if decimal and isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def to_csv(sheet: Sheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow([_csv_value(v, k in sheet.rates, k in sheet.decimals)
                         for k, v in enumerate(row)])
    return out.getvalue().encode("utf-8-sig")


def _sheet_name(title: str) -> str:
    """A worksheet's name: at most 31 characters, none of ``[]:*?/\\`` (Excel refuses them)."""
    return "".join("-" if c in "[]:*?/\\" else c for c in title)[:31].strip() or "Tabelle"


def to_xlsx(sheet: Sheet) -> bytes:
    # openpyxl (about 40 MB) on the first spreadsheet a worker writes, not in every worker
    # (issue 16, the footprint of a county cell)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    page = book.active
    assert page is not None  # a new workbook has its one sheet
    page.title = _sheet_name(sheet.title)
    page.append([sheet.title])
    page["A1"].font = Font(bold=True, size=13)
    page.append(list(sheet.headers))
    for cell in page[2]:
        cell.font = Font(bold=True)
    page.freeze_panes = "A3"
    for row in sheet.rows:
        page.append(list(row))
        for k in sheet.rates:
            cell = page.cell(row=page.max_row, column=k + 1)
            if isinstance(cell.value, float):
                cell.number_format = "0.0%"
        for k in sheet.decimals:
            cell = page.cell(row=page.max_row, column=k + 1)
            if isinstance(cell.value, float):
                cell.number_format = "0.00"
    if sheet.notes:
        page.append([])
        for note in sheet.notes:
            page.append([note])
    for k, header in enumerate(sheet.headers, start=1):
        page.column_dimensions[page.cell(row=2, column=k).column_letter].width = max(
            12, min(40, len(header) + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
