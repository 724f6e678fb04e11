"""The filters of the registers: bookmarkable GET forms, read into JSON-able filters."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session
from wtforms import SelectChoice, SelectField

from comite.committee.workflow import Outcome
from comite.core.forms import GetForm, PeriodForm
from comite.exports.registers import Filters, holders
from comite.orders.models import OrderState
from comite.startups.models import Incubator


def _incubator_field() -> SelectField:
    return SelectField("Incubateur", choices=[SelectChoice("", "Tous les incubateurs")], default="")


def _incubator_choices(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(sa.select(Incubator.id, Incubator.name).order_by(Incubator.name))
    return [
        SelectChoice("", "Tous les incubateurs"),
        *(SelectChoice(str(id_), name) for id_, name in rows),
    ]


class DecisionFilterForm(PeriodForm):
    incubator = _incubator_field()
    outcome = SelectField(
        "Décision",
        choices=[
            SelectChoice("", "Toutes les décisions"),
            *(SelectChoice(o.value, o.label) for o in Outcome),
        ],
        default="",
    )

    def prepare(self, session: Session) -> DecisionFilterForm:
        self.incubator.choices = _incubator_choices(session)
        return self

    def filters(self) -> Filters:
        return {
            **super().filters(),
            "incubator": int(self.incubator.data) if self.incubator.data else None,
            "outcome": self.outcome.data or None,
        }


class OrderFilterForm(PeriodForm):
    state = SelectField(
        "Statut",
        choices=[
            SelectChoice("", "Tous les statuts"),
            *(SelectChoice(s.value, s.label) for s in OrderState),
        ],
        default="",
    )
    holder = SelectField("Titulaire", choices=[SelectChoice("", "Tous les titulaires")], default="")

    def prepare(self, session: Session) -> OrderFilterForm:
        self.holder.choices = [
            SelectChoice("", "Tous les titulaires"),
            *(SelectChoice(h, h) for h in holders(session)),
        ]
        return self

    def filters(self) -> Filters:
        return {
            **super().filters(),
            "state": self.state.data or None,
            "holder": self.holder.data or None,
        }


class BudgetFilterForm(GetForm):
    incubator = _incubator_field()

    def prepare(self, session: Session) -> BudgetFilterForm:
        self.incubator.choices = _incubator_choices(session)
        return self

    def filters(self) -> Filters:
        return {"incubator": int(self.incubator.data) if self.incubator.data else None}


FILTER_FORMS = {
    "decisions": DecisionFilterForm,
    "commandes": OrderFilterForm,
    "budget": BudgetFilterForm,
}
