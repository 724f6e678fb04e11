"""Registers written as .xlsx and .csv, re-opened and read back as a spreadsheet would."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from comite.exports.spreadsheet import (
    NUMBER_FORMATS,
    Column,
    Kind,
    csv_safe,
    is_formula_like,
    write_csv,
    write_xlsx,
)

EXPORTED_AT = dt.datetime(2026, 11, 24, 13, 5, tzinfo=dt.UTC)  # 14:05 in Paris
COLUMNS = (
    Column("Startup", width=30),
    Column("Quantité", Kind.DECIMAL),
    Column("Jours", Kind.DAYS, width=10),
    Column("Montant HT", Kind.MONEY, width=16),
    Column("Lignes", Kind.INTEGER, width=8),
    Column("Date du bon", Kind.DATE, width=12),
    Column("Engagé le", Kind.DATETIME, width=20),
)
ROW = (
    "Aides simplifiées",
    Decimal("2.25"),
    Decimal("45.0"),
    Decimal("27562.50"),
    3,
    dt.date(2026, 3, 31),
    dt.datetime(2026, 7, 1, 10, 30, tzinfo=dt.UTC),  # 12:30 in Paris, summer time
)
EMPTY_ROW = ("Sans montant", None, None, None, None, None, None)
FORMULA_CORPUS = [
    "=1+1",
    '=HYPERLINK("http://x","clic")',
    "+33 1 23 45 67 89",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
    " =1",
    "   +1",
]


def xlsx_bytes(rows, **overrides) -> bytes:
    options = {
        "title": "Bons de commande",
        "sheet_name": "Bons de commande",
        "exported_at": EXPORTED_AT,
        "filters": [("Période", "du 01/01/2026 au 31/03/2026"), ("Statut", "Engagé")],
        "columns": COLUMNS,
        "rows": rows,
    } | overrides
    target = io.BytesIO()
    write_xlsx(target, **options)
    return target.getvalue()


def read_sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def csv_bytes(rows, columns=COLUMNS) -> bytes:
    target = io.BytesIO()
    write_csv(target, columns=columns, rows=rows)
    return target.getvalue()


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_xlsx_opens_with_title_export_time_in_paris_and_filters():
    sheet = read_sheet(xlsx_bytes([ROW]))

    assert sheet.title == "Bons de commande"
    assert sheet["A1"].value == "Bons de commande"
    assert sheet["A1"].font.b
    assert sheet["A1"].font.sz > 11
    assert sheet["A2"].value == "Export du 24/11/2026 à 14:05"
    assert sheet["A3"].value == (
        "Filtres : Période : du 01/01/2026 au 31/03/2026 ; Statut : Engagé"
    )
    assert [cell.value for cell in sheet[4]] == [None] * len(COLUMNS)


def test_xlsx_without_filters_says_so():
    sheet = read_sheet(xlsx_bytes([ROW], filters=[]))

    assert sheet["A3"].value == "Filtres : aucun"


def test_xlsx_header_is_bold_filled_frozen_and_filtered_down_to_the_last_row():
    sheet = read_sheet(xlsx_bytes([ROW, EMPTY_ROW, ROW]))

    header = sheet[5]
    assert [cell.value for cell in header] == [column.header for column in COLUMNS]
    assert all(cell.font.b for cell in header)
    assert all(cell.fill.fill_type == "solid" for cell in header)
    assert sheet.freeze_panes == "A6"
    assert sheet.auto_filter.ref == "A5:G8"
    assert sheet.max_row == 8
    assert [sheet.column_dimensions[letter].width for letter in "ABCDEFG"] == [
        30,
        18,
        10,
        16,
        8,
        12,
        20,
    ]


def test_xlsx_without_rows_keeps_its_header_and_filter():
    sheet = read_sheet(xlsx_bytes([]))

    assert sheet["A5"].value == "Startup"
    assert sheet.auto_filter.ref == "A5:G5"


def test_xlsx_sheet_name_loses_forbidden_characters_and_stops_at_31():
    sheet = read_sheet(xlsx_bytes([ROW], sheet_name="Bons : 2026/T1 [engagés] * ? et le reste"))

    assert sheet.title == "Bons  2026T1 engagés   et le re"
    assert len(sheet.title) == 31


def test_xlsx_writes_numbers_as_numbers_and_dates_as_dates():
    sheet = read_sheet(xlsx_bytes([ROW]))
    startup, quantity, days, amount, lines, ordered_on, committed_at = sheet[6]

    assert startup.value == "Aides simplifiées"
    assert startup.data_type == "s"
    assert startup.number_format == "@"
    assert quantity.data_type == "n"
    assert Decimal(str(quantity.value)) == Decimal("2.25")
    assert quantity.number_format == NUMBER_FORMATS[Kind.DECIMAL] == "#,##0.00"
    assert Decimal(str(days.value)) == Decimal("45")
    assert days.number_format == NUMBER_FORMATS[Kind.DAYS]
    assert amount.data_type == "n"
    assert Decimal(str(amount.value)).quantize(Decimal("0.01")) == Decimal("27562.50")
    assert amount.number_format == NUMBER_FORMATS[Kind.MONEY] == '#,##0.00 "€"'
    assert lines.value == 3
    assert lines.number_format == NUMBER_FORMATS[Kind.INTEGER] == "#,##0"
    assert ordered_on.value == dt.datetime(2026, 3, 31)
    assert ordered_on.number_format == NUMBER_FORMATS[Kind.DATE] == "dd/mm/yyyy"
    assert committed_at.value == dt.datetime(2026, 7, 1, 12, 30)
    assert committed_at.number_format == NUMBER_FORMATS[Kind.DATETIME] == "dd/mm/yyyy hh:mm"


def test_xlsx_leaves_missing_values_empty():
    sheet = read_sheet(xlsx_bytes([EMPTY_ROW]))

    assert [cell.value for cell in sheet[6]] == ["Sans montant"] + [None] * 6


def test_yes_and_no_are_written_in_french():
    columns = (Column("Reconduit"), Column("Clos"))
    sheet = read_sheet(xlsx_bytes([(True, False)], columns=columns))

    assert [cell.value for cell in sheet[6]] == ["Oui", "Non"]
    assert read_csv(csv_bytes([(True, False)], columns))[1] == ["Oui", "Non"]


def test_naive_datetimes_are_refused_because_their_time_zone_is_unknown():
    naive = dt.datetime(2026, 7, 1, 10, 30)
    row = (*ROW[:6], naive)

    with pytest.raises(ValueError, match="timezone-aware"):
        xlsx_bytes([row])
    with pytest.raises(ValueError, match="timezone-aware"):
        csv_bytes([row])
    with pytest.raises(ValueError, match="timezone-aware"):
        xlsx_bytes([ROW], exported_at=naive)


def test_a_failed_export_leaves_no_temporary_file_behind(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def rows():
        yield ROW
        raise RuntimeError("base indisponible")

    with pytest.raises(RuntimeError):
        xlsx_bytes(rows())
    assert list(tmp_path.iterdir()) == []


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError):
        xlsx_bytes([ROW[:3]])
    with pytest.raises(ValueError):
        csv_bytes([ROW[:3]])


@pytest.mark.parametrize("text", FORMULA_CORPUS)
def test_texts_a_spreadsheet_could_run_are_formula_like(text):
    assert is_formula_like(text)
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Montant", "a=b", "3-2", "e-mail", " texte", "'=1"])
def test_ordinary_texts_are_left_alone(text):
    assert not is_formula_like(text)
    assert csv_safe(text) == text


def test_xlsx_keeps_formula_like_text_as_quoted_plain_text():
    columns = (Column("Commentaire"),)
    data = xlsx_bytes([(text,) for text in FORMULA_CORPUS], columns=columns)
    sheet = read_sheet(data)

    cells = [row[0] for row in sheet.iter_rows(min_row=6)]
    # XML reads a carriage return as a line feed: the writer says so rather than let it happen.
    assert [cell.value for cell in cells] == [t.replace("\r", "\n") for t in FORMULA_CORPUS]
    assert all(cell.data_type == "s" for cell in cells)
    assert all(cell.quotePrefix for cell in cells)
    assert "<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()


def test_xlsx_does_not_quote_ordinary_text():
    sheet = read_sheet(xlsx_bytes([ROW]))

    assert not sheet["A6"].quotePrefix


def test_xlsx_title_and_filters_cannot_become_formulas_either():
    sheet = read_sheet(xlsx_bytes([ROW], title="=1+1", filters=[("Startup", "=2+2")]))

    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].value == "=1+1"
    assert sheet["A3"].value == "Filtres : Startup : =2+2"


def test_csv_quotes_formula_like_text_with_an_apostrophe():
    columns = (Column("Commentaire"),)
    rows = read_csv(csv_bytes([(text,) for text in FORMULA_CORPUS], columns))

    assert rows[1:] == [["'" + text] for text in FORMULA_CORPUS]


def test_control_characters_are_removed_but_tabs_and_line_breaks_kept():
    columns = (Column("Commentaire"),)
    text = "Ligne\x00 un\x07\x0b\x1f\tsuite\nligne deux\ufffe"

    assert read_sheet(xlsx_bytes([(text,)], columns=columns))["A6"].value == (
        "Ligne un\tsuite\nligne deux"
    )
    assert read_csv(csv_bytes([(text,)], columns))[1] == ["Ligne un\tsuite\nligne deux"]


def test_a_control_character_cannot_hide_a_formula():
    columns = (Column("Commentaire"),)

    assert read_sheet(xlsx_bytes([("\x01=1+1",)], columns=columns))["A6"].quotePrefix
    assert read_csv(csv_bytes([("\x01=1+1",)], columns))[1] == ["'=1+1"]


def test_text_longer_than_an_excel_cell_is_cut_with_an_ellipsis():
    columns = (Column("Commentaire"),)
    fits, too_long = "a" * 32_767, "b" * 40_000
    sheet = read_sheet(xlsx_bytes([(fits,), (too_long,)], columns=columns))

    assert sheet["A6"].value == fits
    assert sheet["A7"].value == "b" * 32_766 + "…"
    assert read_csv(csv_bytes([(too_long,)], columns))[1] == ["b" * 32_766 + "…"]


def test_csv_starts_with_a_bom_and_uses_semicolons_and_crlf():
    data = csv_bytes([ROW])

    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    assert data[3:].split(b"\r\n")[0] == (
        "Startup;Quantité;Jours;Montant HT;Lignes;Date du bon;Engagé le".encode()
    )
    assert data.endswith(b"\r\n")
    assert data.count(b"\r\n") == 2


def test_csv_writes_numbers_with_a_decimal_comma_and_dates_the_french_way():
    rows = read_csv(csv_bytes([ROW, EMPTY_ROW]))

    assert rows == [
        [column.header for column in COLUMNS],
        ["Aides simplifiées", "2,25", "45,0", "27562,50", "3", "31/03/2026", "01/07/2026 12:30"],
        ["Sans montant", "", "", "", "", "", ""],
    ]


@pytest.mark.parametrize(
    ("kind", "value", "written"),
    [
        (Kind.MONEY, Decimal("1234.5"), "1234,50"),
        (Kind.MONEY, Decimal("-12"), "-12,00"),
        (Kind.MONEY, 1500, "1500,00"),
        (Kind.DECIMAL, Decimal("0.125"), "0,125"),  # never rounded: the file is data
        (Kind.DAYS, Decimal("12.25"), "12,25"),
        (Kind.DAYS, Decimal("1E+1"), "10,0"),
        (Kind.INTEGER, 1234567, "1234567"),
        (Kind.TEXT, Decimal("3.5"), "3,5"),
    ],
)
def test_csv_numbers_have_no_thousands_separator_and_their_kind_s_decimals(kind, value, written):
    assert read_csv(csv_bytes([(value,)], (Column("Valeur", kind),)))[1] == [written]


@pytest.mark.parametrize("write", [xlsx_bytes, csv_bytes])
def test_rows_are_read_once_as_they_are_written(write):
    events = []

    def rows():
        for number in range(5):
            events.append(f"ligne {number}")
            yield ROW

    generator = rows()
    if write is xlsx_bytes:
        write(generator, on_progress=lambda n: events.append(n), progress_every=2)
        assert events == ["ligne 0", "ligne 1", 2, "ligne 2", "ligne 3", 4, "ligne 4"]
    else:
        write(generator)
    assert next(generator, None) is None
    assert events[-1] == "ligne 4"


def test_writers_return_the_number_of_data_rows():
    assert (
        write_xlsx(
            io.BytesIO(),
            title="Registre",
            sheet_name="Registre",
            exported_at=EXPORTED_AT,
            filters=[],
            columns=COLUMNS,
            rows=(ROW for _ in range(7)),
        )
        == 7
    )
    assert write_csv(io.BytesIO(), columns=COLUMNS, rows=(ROW for _ in range(7))) == 7


def test_progress_is_reported_every_thousand_rows_by_default():
    seen = []
    xlsx_bytes((ROW for _ in range(2500)), on_progress=seen.append)

    assert seen == [1000, 2000]
