"""Factories of the export tests: published decisions and purchase orders, made directly."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from decimal import Decimal

import openpyxl
import pytest

from comite.auth.roles import Role
from comite.committee.models import Decision, DecisionBudgetLine
from comite.committee.workflow import DecisionState, Outcome
from comite.orders.models import (
    FrameworkContract,
    OrderState,
    PurchaseOrder,
    PurchaseOrderLine,
    WorkUnitType,
)
from comite.startups.workflow import Phase

_numbers = itertools.count(1)
PARIS = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def make_decision(db_session, make_startup, secretariat):
    def make(
        startup=None,
        outcome: Outcome = Outcome.CONTINUE,
        published_at: dt.datetime | None = None,
        budget: tuple[tuple[str, str], ...] = (),
        conditions: str = "",
        state: DecisionState = DecisionState.PUBLISHED,
    ) -> Decision:
        startup = startup or make_startup()
        decision = Decision(
            startup=startup,
            outcome=outcome,
            next_phase=Phase.CONSTRUCTION,
            conditions=conditions,
            state=state,
            created_by=secretariat,
            published_at=published_at or dt.datetime(2026, 10, 15, 10, 0, tzinfo=dt.UTC),
            published_by=secretariat,
            next_review_on=dt.date(2027, 4, 15),
        )
        for position, (code, quantity) in enumerate(budget, start=1):
            unit = db_session.query(WorkUnitType).filter_by(code=code).one()
            decision.budget_lines.append(
                DecisionBudgetLine(
                    position=position,
                    work_unit_type=unit,
                    quantity=Decimal(quantity),
                    period_start=dt.date(2026, 11, 1),
                    period_end=dt.date(2027, 4, 30),
                )
            )
        db_session.add(decision)
        db_session.commit()
        return decision

    return make


@pytest.fixture
def make_order(db_session, make_decision, secretariat):
    contracts: dict[str, FrameworkContract] = {}

    def contract_of(holder: str) -> FrameworkContract:
        if holder not in contracts:
            contracts[holder] = FrameworkContract(
                reference=f"AC-EXPORT-{next(_numbers)}",
                title="Accord-cadre de développement agile",
                holder_name=holder,
                holder_siret="12345678900015",
                starts_on=dt.date(2026, 1, 1),
                ends_on=dt.date(2029, 12, 31),
                vat_rate=Decimal("0.20"),
            )
        return contracts[holder]

    def make(
        lines: tuple[tuple[str, str, str], ...] = (("DEVOPS-SENIOR", "1", "13500.00"),),
        state: OrderState = OrderState.DRAFT,
        holder: str = "Titulaire SAS",
        decision: Decision | None = None,
        **fields,
    ) -> PurchaseOrder:
        decision = decision or make_decision()
        order = PurchaseOrder(
            number=f"BC-2026-{next(_numbers):04d}",
            decision=decision,
            startup=decision.startup,
            contract=contract_of(holder),
            state=state,
            period_start=dt.date(2026, 11, 1),
            period_end=dt.date(2027, 4, 30),
            vat_rate=Decimal("0.20"),
            created_by=secretariat,
            lines=[
                PurchaseOrderLine(
                    position=position,
                    work_unit_code=code,
                    work_unit_label=f"Libellé {code}",
                    quantity=Decimal(quantity),
                    unit_price_ht=Decimal(price),
                )
                for position, (code, quantity, price) in enumerate(lines, start=1)
            ],
            **fields,
        )
        db_session.add(order)
        db_session.commit()
        return order

    return make


def open_workbook(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def data_rows(sheet, first_row: int = 6) -> list[tuple]:
    return [row for row in sheet.iter_rows(min_row=first_row, values_only=True)]
