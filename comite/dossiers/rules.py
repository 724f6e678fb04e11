"""The rules of dossiers: what a complete dossier holds, and when impact reviews are due.

Pure functions: no Flask, no session. Errors are keyed by the path of the field they are
about, e.g. ("indicators", 0, "name"), and worded in French for the person who typed it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from comite.dossiers.content import (
    RISK_LEVELS,
    BudgetLine,
    ImpactReviewContent,
    ProductSheetContent,
)
from comite.startups.workflow import Phase

FieldPath = tuple[str | int, ...]
Errors = dict[FieldPath, str]

REQUIRED = "Ce champ est obligatoire pour déposer le dossier."
REVIEW_INTERVAL = relativedelta(months=6)
DUE_SOON = dt.timedelta(days=30)
MAX_UO_PER_LINE = Decimal("999999.99")


def _require_texts(errors: Errors, content: object, attributes: Collection[str]) -> None:
    for attribute in attributes:
        if not str(getattr(content, attribute) or "").strip():
            errors[(attribute,)] = REQUIRED


def budget_line_errors(
    lines: list[BudgetLine], work_unit_codes: Collection[str], path: str = "budget_lines"
) -> Errors:
    """Each line names a UO of the catalogue, a positive quantity with at most two decimals
    (1 UO is one full-time profile for one month) and a period that ends after it starts."""
    errors: Errors = {}
    for index, line in enumerate(lines):
        if line.work_unit_code not in work_unit_codes:
            errors[(path, index, "work_unit_code")] = "Choisissez une unité d'œuvre du catalogue."
        if line.quantity is None:
            errors[(path, index, "quantity")] = REQUIRED
        elif line.quantity <= 0 or line.quantity > MAX_UO_PER_LINE:
            errors[(path, index, "quantity")] = (
                "La quantité doit être positive (au plus 999 999,99 UO)."
            )
        elif line.quantity != line.quantity.quantize(Decimal("0.01")):
            errors[(path, index, "quantity")] = "Deux décimales au plus (par exemple 2,5 UO)."
        if line.period_start is None:
            errors[(path, index, "period_start")] = REQUIRED
        if line.period_end is None:
            errors[(path, index, "period_end")] = REQUIRED
        if line.period_start and line.period_end and line.period_end < line.period_start:
            errors[(path, index, "period_end")] = "La fin de période précède son début."
    return errors


def product_sheet_submission_errors(
    content: ProductSheetContent, work_unit_codes: Collection[str]
) -> Errors:
    """A fiche produit is submitted with every section of the procurement texts filled in,
    at least one indicator and at least one budget line."""
    errors: Errors = {}
    _require_texts(
        errors,
        content,
        (
            "problem",
            "users",
            "solution",
            "success_conditions",
            "organisation",
            "actors",
            "skills",
        ),
    )
    if content.requested_phase not in {phase.value for phase in Phase}:
        errors[("requested_phase",)] = "Choisissez la phase demandée."
    if not content.indicators:
        errors[("indicators",)] = "Ajoutez au moins un indicateur d'impact."
    for index, indicator in enumerate(content.indicators):
        for attribute in ("name", "unit", "target", "measurement"):
            if not getattr(indicator, attribute).strip():
                errors[("indicators", index, attribute)] = REQUIRED
    if not content.budget_lines:
        errors[("budget_lines",)] = "Ajoutez au moins une ligne de budget."
    errors.update(budget_line_errors(content.budget_lines, work_unit_codes))
    return errors


def impact_review_submission_errors(
    content: ImpactReviewContent, work_unit_codes: Collection[str]
) -> Errors:
    """An impact review covers a period, reports every indicator (target and actual), says
    what was achieved and learned, names its main risks and the next objectives; budget
    lines, when asked, are complete."""
    errors: Errors = {}
    if content.period_start is None:
        errors[("period_start",)] = REQUIRED
    if content.period_end is None:
        errors[("period_end",)] = REQUIRED
    if content.period_start and content.period_end and content.period_end <= content.period_start:
        errors[("period_end",)] = "La fin de période doit suivre son début."
    _require_texts(errors, content, ("achievements", "learnings", "next_objectives"))
    if not content.indicator_reports:
        errors[("indicator_reports",)] = "Rendez compte d'au moins un indicateur."
    for index, report in enumerate(content.indicator_reports):
        for attribute in ("name", "target", "actual"):
            if not getattr(report, attribute).strip():
                errors[("indicator_reports", index, attribute)] = REQUIRED
    if not content.risks:
        errors[("risks",)] = "Indiquez au moins un risque principal."
    for index, risk in enumerate(content.risks):
        if not risk.description.strip():
            errors[("risks", index, "description")] = REQUIRED
        if risk.level not in RISK_LEVELS:
            errors[("risks", index, "level")] = "Choisissez un niveau de risque."
    errors.update(budget_line_errors(content.budget_lines, work_unit_codes))
    return errors


def next_review_due(started_on: dt.date, last_decision_on: dt.date | None) -> dt.date:
    """An impact review is due six months after the last committee decision, or after the
    startup's start when no committee has decided yet."""
    return (last_decision_on or started_on) + REVIEW_INTERVAL


class Urgency(enum.StrEnum):
    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"

    @property
    def label(self) -> str:
        return {
            Urgency.OVERDUE: "En retard",
            Urgency.SOON: "Dans moins de 30 jours",
            Urgency.LATER: "À venir",
        }[self]


def review_urgency(due_on: dt.date, today: dt.date) -> Urgency:
    """Overdue past the due date, flagged within 30 days of it."""
    if due_on < today:
        return Urgency.OVERDUE
    if due_on - today <= DUE_SOON:
        return Urgency.SOON
    return Urgency.LATER
