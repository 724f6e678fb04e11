"""Registers written as .xlsx and .csv files that a French spreadsheet opens as they are.

A register is a title, the time of the export, the filters applied, then a table whose
columns each have a kind (text, money, days, date…). French conventions:

- .xlsx cells hold real numbers and dates; their number format (stored in Excel's
  locale-independent codes) is shown by a French Excel as "1 234,56 €" or "24/11/2026";
- .csv files are UTF-8 with a BOM (so Excel guesses the encoding), separated by ";" (the
  comma is the decimal separator), with a decimal comma and no thousands separator, dates
  as 24/11/2026, times in Europe/Paris.

Formula injection (OWASP "CSV Injection"): a text that starts with "=", "+", "-", "@", a
tab or a carriage return, even after spaces, may be run as a formula by a spreadsheet. In
.xlsx such a text is stored as a plain string marked "quote prefix" (Excel keeps it as text
when the cell is edited); in .csv it is written after an apostrophe. Every text first loses
the control characters XML 1.0 forbids (tab and line breaks stay) and is cut to the
32,767 characters of an Excel cell.
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import csv
import datetime as dt
import enum
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from comite.core.periods import PARIS

CELL_LIMIT = 32_767
SHEET_NAME_LIMIT = 31
HEADER_ROW = 5

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_IN_SHEET_NAME = re.compile(r"[\\/?*\[\]:]")


class Kind(enum.StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"
    DAYS = "days"
    DATE = "date"
    DATETIME = "datetime"
    PERCENT = "percent"


NUMBER_FORMATS: dict[Kind, str] = {
    Kind.TEXT: "@",
    Kind.INTEGER: "#,##0",
    Kind.DECIMAL: "#,##0.00",
    Kind.MONEY: '#,##0.00 "€"',
    Kind.DAYS: "#,##0.0#",  # 12,5 and 12,25 days: a quarter day is never hidden
    Kind.DATE: "dd/mm/yyyy",
    Kind.DATETIME: "dd/mm/yyyy hh:mm",
    Kind.PERCENT: "0.00%",
}
# Decimals always shown in a CSV; a value with more keeps them all (the file is data).
_CSV_DECIMALS = {Kind.DECIMAL: 2, Kind.MONEY: 2, Kind.DAYS: 1}

_TITLE_FONT = Font(bold=True, size=14)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    width: float = 18


def is_formula_like(text: str) -> bool:
    """A spreadsheet may run a text starting with = + - @, a tab or a CR, even after spaces."""
    return text.lstrip(" ").startswith(_FORMULA_STARTS)


def csv_safe(text: str) -> str:
    """A formula-like text is written after an apostrophe, which spreadsheets read as text."""
    return "'" + text if is_formula_like(text) else text


def clean_text(text: str) -> str:
    """A text loses the characters XML forbids and is cut with "…" to fit an Excel cell."""
    text = _NOT_IN_XML.sub("", text)
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


def sheet_title(name: str) -> str:
    """Excel refuses \\ / ? * [ ] : in a sheet name, longer than 31 or quoted at either end."""
    title = _NOT_IN_SHEET_NAME.sub("", name).strip(" '")[:SHEET_NAME_LIMIT].rstrip(" '")
    return title or "Export"


def write_xlsx(
    target: BinaryIO,
    *,
    title: str,
    sheet_name: str,
    exported_at: dt.datetime,
    filters: Sequence[tuple[str, str]],
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    on_progress: Callable[[int], None] | None = None,
    progress_every: int = 1000,
) -> int:
    """Stream the register into a one-sheet workbook and return the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(sheet_name))
    # A streamed sheet takes its widths and panes before its first row.
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"

    exported = _in_paris(exported_at)
    described = " ; ".join(f"{label} : {value}" for label, value in filters) or "aucun"
    try:
        sheet.append([_xlsx_cell(sheet, title, font=_TITLE_FONT)])
        sheet.append([_xlsx_cell(sheet, f"Export du {exported:%d/%m/%Y} à {exported:%H:%M}")])
        sheet.append([_xlsx_cell(sheet, f"Filtres : {described}")])
        sheet.append([])
        sheet.append(
            [_xlsx_cell(sheet, c.header, font=_HEADER_FONT, fill=_HEADER_FILL) for c in columns]
        )
        # Each column's style is made once and copied into its cells: setting the number
        # format cell by cell costs a style lookup per cell (openpyxl copies styles the same
        # way when it copies a sheet).
        styles = [_xlsx_cell(sheet, "", NUMBER_FORMATS[column.kind])._style for column in columns]
        count = 0
        for row in rows:
            sheet.append(
                [_data_cell(sheet, value, style) for style, value in zip(styles, row, strict=True)]
            )
            count += 1
            if on_progress and count % progress_every == 0:
                on_progress(count)
    except BaseException:
        # openpyxl streams the sheet into a temporary file, which only saving deletes.
        with contextlib.suppress(Exception):
            sheet.close()
            sheet._writer.cleanup()
        raise

    # The filter is written after the rows, so it can cover them once they are counted.
    last_column = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{HEADER_ROW + count}"
    workbook.save(target)
    return count


def write_csv(
    target: BinaryIO, *, columns: Sequence[Column], rows: Iterable[Sequence[object]]
) -> int:
    """Write the header and the rows as a French CSV and return the number of data rows."""
    target.write(codecs.BOM_UTF8)
    text = io.TextIOWrapper(target, encoding="utf-8", newline="")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_safe(clean_text(column.header)) for column in columns)
    count = 0
    for row in rows:
        writer.writerow(
            _csv_field(value, column.kind) for column, value in zip(columns, row, strict=True)
        )
        count += 1
    text.flush()
    text.detach()  # the caller owns the target and closes it
    return count


def _in_paris(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("Comité only exports timezone-aware datetimes.")
    return moment.astimezone(PARIS)


def _xlsx_cell(
    sheet,
    value: object,
    number_format: str = "General",
    font: Font | None = None,
    fill: PatternFill | None = None,
) -> WriteOnlyCell | None:
    if value is None:
        return None
    cell = WriteOnlyCell(sheet)
    fill_cell(cell, value, number_format)
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    return cell


def _data_cell(sheet, value: object, style) -> WriteOnlyCell | None:
    if value is None:
        return None
    cell = WriteOnlyCell(sheet)
    cell._style = copy.copy(style)
    _set_value(cell, value)
    return cell


def fill_cell(cell, value: object, number_format: str = "General") -> None:
    """Give a cell (streamed or not) its value the Comité way: text that can never become a
    formula, Paris wall-clock times, Oui/Non for booleans, and the number format."""
    cell.number_format = number_format
    _set_value(cell, value)


def _set_value(cell, value: object) -> None:
    if isinstance(value, bool):
        value = "Oui" if value else "Non"
    if isinstance(value, dt.datetime):
        value = _in_paris(value).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, str):
        text = clean_text(value)
        # XML reads a carriage return as a line feed: say so rather than let it happen.
        cell.value = text.replace("\r\n", "\n").replace("\r", "\n")
        cell.data_type = "s"  # openpyxl would otherwise make a formula of "=…"
        if is_formula_like(text):
            cell.quotePrefix = True
    else:
        cell.value = value


def _csv_field(value: object, kind: Kind) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, dt.datetime):
        return f"{_in_paris(value):%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, int | float | Decimal):
        return _french_number(Decimal(str(value)), _CSV_DECIMALS.get(kind, 0))
    return csv_safe(clean_text(str(value)))


def _french_number(value: Decimal, decimals: int) -> str:
    """1234,50: a decimal comma, no thousands separator, at least `decimals` decimals."""
    whole, _, fraction = f"{value:f}".partition(".")
    fraction = fraction.ljust(decimals, "0")
    return f"{whole},{fraction}" if fraction else whole
