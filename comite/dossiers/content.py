"""What a dossier says: the sections of a fiche produit and of an impact review.

A version's content is a snapshot, stored as one JSON document and read back into these
dataclasses: quantities of UO stay `Decimal` (written as strings), days stay `date`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from comite.dossiers.workflow import DossierKind


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if dataclasses.is_dataclass(value):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    return value


@dataclass
class Indicator:
    name: str = ""
    unit: str = ""
    baseline: str = ""
    target: str = ""
    measurement: str = ""

    def as_line(self) -> str:
        return (
            f"{self.name} ({self.unit}) : de {self.baseline or '?'} à {self.target or '?'}"
            f" – mesure : {self.measurement}"
        )


@dataclass
class BudgetLine:
    work_unit_code: str = ""
    quantity: Decimal | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BudgetLine:
        return cls(
            work_unit_code=data.get("work_unit_code", ""),
            quantity=_decimal(data.get("quantity")),
            period_start=_date(data.get("period_start")),
            period_end=_date(data.get("period_end")),
        )

    def as_line(self) -> str:
        period = ""
        if self.period_start or self.period_end:
            start = self.period_start.isoformat() if self.period_start else "?"
            end = self.period_end.isoformat() if self.period_end else "?"
            period = f" du {start} au {end}"
        quantity = "?" if self.quantity is None else self.quantity
        return f"{self.work_unit_code} : {quantity} UO{period}"


@dataclass
class IndicatorReport:
    name: str = ""
    target: str = ""
    actual: str = ""
    source_url: str = ""

    def as_line(self) -> str:
        target, actual = self.target or "?", self.actual or "?"
        return f"{self.name} : cible {target}, atteint {actual} ({self.source_url})"


RISK_LEVELS = {"faible": "Faible", "moyen": "Moyen", "eleve": "Élevé"}


@dataclass
class Risk:
    description: str = ""
    level: str = ""

    @property
    def level_label(self) -> str:
        return RISK_LEVELS.get(self.level, "")

    def as_line(self) -> str:
        return f"{self.description} (niveau : {RISK_LEVELS.get(self.level, '?')})"


@dataclass
class ProductSheetContent:
    problem: str = ""
    users: str = ""
    solution: str = ""
    success_conditions: str = ""
    indicators: list[Indicator] = field(default_factory=list)
    organisation: str = ""
    actors: str = ""
    skills: str = ""
    requested_phase: str = ""
    budget_lines: list[BudgetLine] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProductSheetContent:
        texts = {
            key: data.get(key, "")
            for key in (
                "problem",
                "users",
                "solution",
                "success_conditions",
                "organisation",
                "actors",
                "skills",
                "requested_phase",
            )
        }
        return cls(
            **texts,
            indicators=[Indicator(**item) for item in data.get("indicators", [])],
            budget_lines=[BudgetLine.from_json(item) for item in data.get("budget_lines", [])],
        )

    def to_json(self) -> dict[str, Any]:
        return _jsonable(self)


@dataclass
class ImpactReviewContent:
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    indicator_reports: list[IndicatorReport] = field(default_factory=list)
    achievements: str = ""
    learnings: str = ""
    risks: list[Risk] = field(default_factory=list)
    next_objectives: str = ""
    budget_lines: list[BudgetLine] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImpactReviewContent:
        return cls(
            period_start=_date(data.get("period_start")),
            period_end=_date(data.get("period_end")),
            indicator_reports=[
                IndicatorReport(**item) for item in data.get("indicator_reports", [])
            ],
            achievements=data.get("achievements", ""),
            learnings=data.get("learnings", ""),
            risks=[Risk(**item) for item in data.get("risks", [])],
            next_objectives=data.get("next_objectives", ""),
            budget_lines=[BudgetLine.from_json(item) for item in data.get("budget_lines", [])],
        )

    def to_json(self) -> dict[str, Any]:
        return _jsonable(self)


Content = ProductSheetContent | ImpactReviewContent

CONTENT_CLASSES: dict[DossierKind, type[ProductSheetContent] | type[ImpactReviewContent]] = {
    DossierKind.PRODUCT_SHEET: ProductSheetContent,
    DossierKind.IMPACT_REVIEW: ImpactReviewContent,
}

# (attribute, French title), in the order the procurement texts give them.
SECTIONS = {
    DossierKind.PRODUCT_SHEET: [
        ("problem", "Problème à résoudre"),
        ("users", "Usagers concernés"),
        ("solution", "Solution et nature du produit"),
        ("success_conditions", "Conditions de succès"),
        ("indicators", "Impacts visés (indicateurs)"),
        ("organisation", "Modalités d'organisation"),
        ("actors", "Acteurs associés"),
        ("skills", "Compétences à mobiliser"),
        ("requested_phase", "Phase demandée"),
        ("budget_lines", "Budget demandé (unités d'œuvre)"),
    ],
    DossierKind.IMPACT_REVIEW: [
        ("period_start", "Début de la période"),
        ("period_end", "Fin de la période"),
        ("indicator_reports", "Indicateurs : cible et réalisé"),
        ("achievements", "Ce qui a été réalisé"),
        ("learnings", "Ce qui a été appris"),
        ("risks", "Principaux risques"),
        ("next_objectives", "Objectifs de la période suivante"),
        ("budget_lines", "Budget demandé pour la période suivante (unités d'œuvre)"),
    ],
}


def empty_content(kind: DossierKind) -> Content:
    return CONTENT_CLASSES[kind]()


def read_content(kind: DossierKind, data: dict[str, Any]) -> Content:
    return CONTENT_CLASSES[kind].from_json(data or {})


def section_text(content: Content, attribute: str) -> str:
    """A section as plain text, one line per row for the lists: what the diff compares."""
    value = getattr(content, attribute)
    if isinstance(value, list):
        return "\n".join(item.as_line() for item in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value or ""


# The rows a list section holds, and how many at most.
ROW_TYPES: dict[str, type] = {
    "indicators": Indicator,
    "budget_lines": BudgetLine,
    "indicator_reports": IndicatorReport,
    "risks": Risk,
}
MAX_ROWS = 30


def with_row_added(content: Content, name: str) -> Content:
    """The content with one more empty row in the list `name` (up to MAX_ROWS)."""
    rows = getattr(content, name, None)
    if name in ROW_TYPES and rows is not None and len(rows) < MAX_ROWS:
        rows.append(ROW_TYPES[name]())
    return content


def without_row(content: Content, name: str, index: int) -> Content:
    """The content without the row `index` of the list `name`."""
    rows = getattr(content, name, None)
    if name in ROW_TYPES and rows is not None and 0 <= index < len(rows):
        rows.pop(index)
    return content
