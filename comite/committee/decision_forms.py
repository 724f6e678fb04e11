"""Input shape of the secretariat's decision form (the draft a closed vote prepared)."""

from __future__ import annotations

from wtforms import (
    DateField,
    FieldList,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from comite.committee.models import Decision
from comite.committee.rules import STOP_PHASES as STOPPED_PHASES
from comite.committee.services import DecisionDetails
from comite.committee.workflow import Outcome
from comite.core.forms import ButtonForm, PlausibleDate, PostForm
from comite.dossiers.content import MAX_ROWS, BudgetLine
from comite.dossiers.forms import LONG_TEXT, BudgetLineForm
from comite.dossiers.rules import REQUIRED, budget_line_errors
from comite.startups.workflow import Phase


class DecisionForm(PostForm):
    outcome = RadioField(
        "Décision",
        choices=[
            SelectChoice(Outcome.CONTINUE.value, "Continuer"),
            SelectChoice(Outcome.STOP.value, "Arrêter"),
        ],
        validators=[InputRequired("Choisissez : continuer ou arrêter.")],
    )
    next_phase = SelectField(
        "Phase suivante",
        choices=[SelectChoice("", "Choisir une phase")]
        + [SelectChoice(phase.value, phase.label) for phase in Phase],
        validators=[InputRequired("Choisissez la phase suivante.")],
        default="",
    )
    conditions = TextAreaField(
        "Conditions",
        description="Ce que la startup doit faire ou montrer d'ici le prochain comité.",
        validators=[Length(max=LONG_TEXT, message=f"{LONG_TEXT} caractères au plus.")],
        render_kw={"rows": 5},
    )
    next_review_on = DateField(
        "Date du prochain passage en comité",
        validators=[Optional(), PlausibleDate()],
    )
    budget_lines = FieldList(FormField(BudgetLineForm), max_entries=MAX_ROWS)

    def __init__(self, *args, work_unit_codes: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.work_unit_codes = [code for code, _label in work_unit_codes]
        choices = [
            SelectChoice("", "Choisir une unité d'œuvre"),
            *(SelectChoice(code, label) for code, label in work_unit_codes),
        ]
        for entry in self.budget_lines:
            entry.form.work_unit_code.choices = choices

    @classmethod
    def for_decision(cls, decision: Decision, work_unit_codes: list[tuple[str, str]]):
        """The form filled in with the draft as it stands."""
        return cls(
            formdata=None,
            data=_data(decision.outcome.value, decision.next_phase.value, decision),
            work_unit_codes=work_unit_codes,
        )

    def lines(self) -> list[BudgetLine]:
        return [
            BudgetLine(
                work_unit_code=entry.form.work_unit_code.data or "",
                quantity=entry.form.quantity.data,
                period_start=entry.form.period_start.data,
                period_end=entry.form.period_end.data,
            )
            for entry in self.budget_lines
        ]

    def validate(self, extra_validators=None) -> bool:
        """Every budget line is complete (the service keeps only complete lines), and the
        next phase goes with the outcome."""
        valid = super().validate(extra_validators)
        for (_name, index, attribute), message in budget_line_errors(
            self.lines(), self.work_unit_codes
        ).items():
            subfield = self.budget_lines.entries[index].form[attribute]
            if not subfield.errors:
                subfield.errors = [
                    *subfield.errors,
                    "Ce champ est obligatoire." if message == REQUIRED else message,
                ]
                valid = False
        if self.outcome.data and self.next_phase.data and not self.next_phase.errors:
            stopping = Phase(self.next_phase.data) in STOPPED_PHASES
            if self.outcome.data == Outcome.STOP.value and not stopping:
                self.next_phase.errors.append("Une décision d'arrêt mène à une phase d'abandon.")
                valid = False
            if self.outcome.data == Outcome.CONTINUE.value and stopping:
                self.next_phase.errors.append(
                    "Pour abandonner la startup, choisissez la décision « Arrêter »."
                )
                valid = False
        return valid

    def to_details(self) -> DecisionDetails:
        return DecisionDetails(
            outcome=Outcome(self.outcome.data),
            next_phase=Phase(self.next_phase.data),
            conditions=self.conditions.data or "",
            next_review_on=self.next_review_on.data,
            budget_lines=self.lines(),
        )

    def row_changed(self, action: str, work_unit_codes: list[tuple[str, str]]) -> DecisionForm:
        """The same input with one budget line added ("add") or removed ("remove:<i>"),
        shown again without saving."""
        rows = [
            {
                "work_unit_code": entry.form.work_unit_code.data or "",
                "quantity": entry.form.quantity.data,
                "period_start": entry.form.period_start.data,
                "period_end": entry.form.period_end.data,
            }
            for entry in self.budget_lines
        ]
        verb, _, index = action.partition(":")
        if verb == "add" and len(rows) < MAX_ROWS:
            rows.append({"work_unit_code": ""})
        # isdecimal, not isdigit: "²" is a digit int() refuses. Malformed actions are ignored.
        elif verb == "remove" and index.isdecimal() and int(index) < len(rows):
            rows.pop(int(index))
        return DecisionForm(
            formdata=None,
            data={
                "outcome": self.outcome.data,
                "next_phase": self.next_phase.data or "",
                "conditions": self.conditions.data or "",
                "next_review_on": self.next_review_on.data,
                "budget_lines": rows,
            },
            work_unit_codes=work_unit_codes,
        )


def _data(outcome: str, next_phase: str, decision: Decision) -> dict:
    return {
        "outcome": outcome,
        "next_phase": next_phase,
        "conditions": decision.conditions,
        "next_review_on": decision.next_review_on,
        "budget_lines": [
            {
                "work_unit_code": line.work_unit_type.code,
                "quantity": line.quantity,
                "period_start": line.period_start,
                "period_end": line.period_end,
            }
            for line in decision.budget_lines
        ],
    }


class DecisionActionForm(ButtonForm):
    """Publish or correct a decision: only the CSRF token."""
