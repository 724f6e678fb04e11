"""One purchase order as a formatted workbook: a header block, the lines, the totals.

Amounts are the ones Comité computes (each line rounded half-up, VAT on the HT total), stored
as numbers with French money formats rather than as formulas, so that the file says exactly
what the order page says."""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from comite.exports.spreadsheet import NUMBER_FORMATS, Kind, fill_cell
from comite.orders.models import PurchaseOrder
from comite.orders.rules import DAYS_PER_UO, line_total, order_totals

LINE_HEADERS = (
    ("Code UO", Kind.TEXT, 28),
    ("Unité d'œuvre", Kind.TEXT, 34),
    ("Quantité (UO)", Kind.DECIMAL, 14),
    ("Jours", Kind.DAYS, 24),
    ("Prix unitaire HT", Kind.MONEY, 18),
    ("Total HT", Kind.MONEY, 18),
)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")
TOP_RULE = Border(top=Side(style="thin"))


def write_order(target: BinaryIO, order: PurchaseOrder, exported_at: dt.datetime) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = order.number
    for index, (_, _, width) in enumerate(LINE_HEADERS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width

    def put(row: int, column: int, value, kind: Kind = Kind.TEXT, font: Font | None = None):
        cell = sheet.cell(row=row, column=column)
        if value is not None:
            fill_cell(cell, value, NUMBER_FORMATS[kind])
        if font:
            cell.font = font
        return cell

    put(1, 1, f"Projet de bon de commande {order.number}", font=Font(bold=True, size=14))
    put(2, 1, "Export du")
    put(2, 2, exported_at, Kind.DATETIME)
    contract = order.contract
    # Two columns of facts side by side keep the block short above the frozen line table.
    left = [
        ("Numéro", order.number, Kind.TEXT),
        ("Statut", order.state.label, Kind.TEXT),
        ("Startup", order.startup.name, Kind.TEXT),
        ("Administration bénéficiaire", order.beneficiary_administration, Kind.TEXT),
        ("Service bénéficiaire", order.beneficiary_service, Kind.TEXT),
        ("Début d'exécution", order.period_start, Kind.DATE),
        ("Fin d'exécution", order.period_end, Kind.DATE),
        ("Taux de TVA", order.vat_rate, Kind.PERCENT),
    ]
    right = [
        ("Accord-cadre", contract.reference, Kind.TEXT),
        ("Intitulé du marché", contract.title, Kind.TEXT),
        ("Titulaire", contract.holder_name, Kind.TEXT),
        ("SIRET du titulaire", contract.holder_siret, Kind.TEXT),
        ("Centre financier", order.financial_centre, Kind.TEXT),
        ("Domaine fonctionnel", order.functional_domain, Kind.TEXT),
        ("Activité", order.activity, Kind.TEXT),
        ("Engagement juridique", order.legal_commitment or None, Kind.TEXT),
    ]
    for first_column, facts in ((1, left), (4, right)):
        for row, (label, value, kind) in enumerate(facts, start=4):
            put(row, first_column, label, font=BOLD)
            put(row, first_column + 1, value, kind).alignment = Alignment(horizontal="left")
    row = 4 + len(left)

    header_row = row + 1
    for column, (header, _, _) in enumerate(LINE_HEADERS, start=1):
        cell = put(header_row, column, header, font=BOLD)
        cell.fill = HEADER_FILL
    row = header_row
    for line in order.lines:
        row += 1
        values = (
            line.work_unit_code,
            line.work_unit_label,
            line.quantity,
            line.quantity * DAYS_PER_UO,
            line.unit_price_ht,
            line_total(line.quantity, line.unit_price_ht),
        )
        for column, value in enumerate(values, start=1):
            put(row, column, value, LINE_HEADERS[column - 1][1])
    sheet.auto_filter.ref = f"A{header_row}:F{row}"
    # The title and the line table's header stay visible while scrolling the lines.
    sheet.freeze_panes = f"A{header_row + 1}"

    total_ht, vat, total_ttc = order_totals(
        [(line.quantity, line.unit_price_ht) for line in order.lines], order.vat_rate
    )
    row += 1
    for label, amount in (("Total HT", total_ht), ("TVA", vat), ("Total TTC", total_ttc)):
        label_cell = put(row, 5, label, font=BOLD)
        amount_cell = put(row, 6, amount, Kind.MONEY, font=BOLD if label != "TVA" else None)
        if label == "Total HT":
            label_cell.border = amount_cell.border = TOP_RULE
        row += 1
    workbook.save(target)
