"""The rules of dossiers, without a database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from comite.dossiers.content import (
    BudgetLine,
    ImpactReviewContent,
    Indicator,
    IndicatorReport,
    ProductSheetContent,
    Risk,
    with_row_added,
    without_row,
)
from comite.dossiers.rules import (
    REQUIRED,
    Urgency,
    budget_line_errors,
    impact_review_submission_errors,
    next_review_due,
    product_sheet_submission_errors,
    review_urgency,
)

CODES = {"DEVOPS-SENIOR", "PM"}


def complete_sheet() -> ProductSheetContent:
    return ProductSheetContent(
        problem="Les dossiers arrivent incomplets.",
        users="Les étudiants boursiers.",
        solution="Un service en ligne qui guide pas à pas.",
        success_conditions="Un référent dans chaque CROUS.",
        indicators=[Indicator("Dossiers complets", "%", "40", "80", "Statistiques mensuelles")],
        organisation="Une équipe de quatre personnes.",
        actors="CNOUS, CROUS.",
        skills="Développement, design, déploiement.",
        requested_phase="construction",
        budget_lines=[
            BudgetLine("DEVOPS-SENIOR", Decimal("6"), dt.date(2027, 1, 1), dt.date(2027, 6, 30))
        ],
    )


def test_a_complete_fiche_produit_can_be_submitted():
    assert product_sheet_submission_errors(complete_sheet(), CODES) == {}


def test_an_empty_fiche_produit_lists_every_missing_section():
    errors = product_sheet_submission_errors(ProductSheetContent(), CODES)
    assert errors[("problem",)] == REQUIRED
    assert errors[("skills",)] == REQUIRED
    assert errors[("requested_phase",)] == "Choisissez la phase demandée."
    assert errors[("indicators",)] == "Ajoutez au moins un indicateur d'impact."
    assert errors[("budget_lines",)] == "Ajoutez au moins une ligne de budget."


def test_whitespace_is_not_an_answer():
    sheet = complete_sheet()
    sheet.problem = "   \n  "
    assert product_sheet_submission_errors(sheet, CODES) == {("problem",): REQUIRED}


def test_each_indicator_needs_its_name_unit_target_and_measure():
    sheet = complete_sheet()
    sheet.indicators.append(Indicator(name="Délai"))
    errors = product_sheet_submission_errors(sheet, CODES)
    assert set(errors) == {
        ("indicators", 1, "unit"),
        ("indicators", 1, "target"),
        ("indicators", 1, "measurement"),
    }


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        (
            BudgetLine("INCONNU", Decimal(1), dt.date(2027, 1, 1), dt.date(2027, 2, 1)),
            "work_unit_code",
            "Choisissez une unité d'œuvre du catalogue.",
        ),
        (BudgetLine("PM", None, dt.date(2027, 1, 1), dt.date(2027, 2, 1)), "quantity", REQUIRED),
        (
            BudgetLine("PM", Decimal(0), dt.date(2027, 1, 1), dt.date(2027, 2, 1)),
            "quantity",
            "La quantité doit être positive (au plus 999 999,99 UO).",
        ),
        (
            BudgetLine("PM", Decimal(-2), dt.date(2027, 1, 1), dt.date(2027, 2, 1)),
            "quantity",
            "La quantité doit être positive (au plus 999 999,99 UO).",
        ),
        (
            BudgetLine("PM", Decimal("1e9"), dt.date(2027, 1, 1), dt.date(2027, 2, 1)),
            "quantity",
            "La quantité doit être positive (au plus 999 999,99 UO).",
        ),
        (
            BudgetLine("PM", Decimal("1.255"), dt.date(2027, 1, 1), dt.date(2027, 2, 1)),
            "quantity",
            "Deux décimales au plus (par exemple 2,5 UO).",
        ),
        (BudgetLine("PM", Decimal(1), None, dt.date(2027, 2, 1)), "period_start", REQUIRED),
        (
            BudgetLine("PM", Decimal(1), dt.date(2027, 3, 1), dt.date(2027, 2, 1)),
            "period_end",
            "La fin de période précède son début.",
        ),
    ],
)
def test_budget_lines_are_checked_one_field_at_a_time(line, field, message):
    assert budget_line_errors([line], CODES) == {("budget_lines", 0, field): message}


def test_fractions_of_uo_with_two_decimals_are_fine():
    line = BudgetLine("PM", Decimal("2.25"), dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    assert budget_line_errors([line], CODES) == {}


def complete_review() -> ImpactReviewContent:
    return ImpactReviewContent(
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        indicator_reports=[
            IndicatorReport("Dossiers complets", "80", "72", "https://x.beta.gouv.fr/stats")
        ],
        achievements="Ouverture dans deux académies.",
        learnings="Les usagers lisent peu les aides.",
        risks=[Risk("Départ du développeur", "moyen")],
        next_objectives="Ouvrir partout.",
    )


def test_a_complete_review_can_be_submitted_without_budget():
    assert impact_review_submission_errors(complete_review(), CODES) == {}


def test_a_review_needs_a_period_that_ends_after_it_starts():
    review = complete_review()
    review.period_end = review.period_start
    assert impact_review_submission_errors(review, CODES) == {
        ("period_end",): "La fin de période doit suivre son début."
    }


def test_each_risk_has_a_level():
    review = complete_review()
    review.risks.append(Risk("Budget", ""))
    assert impact_review_submission_errors(review, CODES) == {
        ("risks", 1, "level"): "Choisissez un niveau de risque."
    }


@pytest.mark.parametrize(
    ("started", "decided", "due"),
    [
        (dt.date(2026, 1, 15), None, dt.date(2026, 7, 15)),
        (dt.date(2025, 1, 15), dt.date(2026, 3, 2), dt.date(2026, 9, 2)),
        (dt.date(2026, 8, 31), None, dt.date(2027, 2, 28)),  # no 31 February
    ],
)
def test_a_review_is_due_six_months_after_the_last_decision_or_the_start(started, decided, due):
    assert next_review_due(started, decided) == due


@pytest.mark.parametrize(
    ("due", "urgency"),
    [
        (dt.date(2026, 11, 23), Urgency.OVERDUE),
        (dt.date(2026, 11, 24), Urgency.SOON),
        (dt.date(2026, 12, 24), Urgency.SOON),
        (dt.date(2026, 12, 25), Urgency.LATER),
    ],
)
def test_reviews_due_within_30_days_or_overdue_are_flagged(due, urgency):
    assert review_urgency(due, today=dt.date(2026, 11, 24)) is urgency


def test_rows_are_added_and_removed_in_place():
    sheet = complete_sheet()
    with_row_added(sheet, "indicators")
    assert len(sheet.indicators) == 2 and sheet.indicators[1] == Indicator()
    without_row(sheet, "indicators", 0)
    assert sheet.indicators == [Indicator()]
    without_row(sheet, "indicators", 7)  # a stale index changes nothing
    with_row_added(sheet, "inconnu")
    assert len(sheet.indicators) == 1


def test_content_survives_its_json_round_trip():
    sheet = complete_sheet()
    assert ProductSheetContent.from_json(sheet.to_json()) == sheet
    review = complete_review()
    assert ImpactReviewContent.from_json(review.to_json()) == review
