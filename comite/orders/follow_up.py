"""Budget follow-up: UO granted by published decisions, ordered on live purchase orders,
declared done (days of service fait), and what is left to do or to order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from comite.committee.models import Decision, DecisionBudgetLine
from comite.committee.workflow import DecisionState
from comite.orders.models import (
    Consumption,
    OrderState,
    PurchaseOrder,
    PurchaseOrderLine,
    WorkUnitType,
)
from comite.orders.rules import DAYS_PER_UO
from comite.startups.models import Startup

ZERO = Decimal("0")


@dataclass(frozen=True)
class LineFollowUp:
    """One order line: days ordered, declared done, left to do."""

    line_id: int
    code: str
    label: str
    quantity: Decimal
    consumed_days: Decimal

    @property
    def ordered_days(self) -> Decimal:
        return self.quantity * DAYS_PER_UO

    @property
    def remaining_days(self) -> Decimal:
        return self.ordered_days - self.consumed_days


@dataclass(frozen=True)
class UnitFollowUp:
    """One startup and one UO type: granted, ordered (UO), declared done (days)."""

    startup_id: int
    startup_name: str
    code: str
    label: str
    granted: Decimal
    ordered: Decimal
    consumed_days: Decimal

    @property
    def ordered_days(self) -> Decimal:
        return self.ordered * DAYS_PER_UO

    @property
    def remaining_days(self) -> Decimal:
        """Reste à faire: days ordered and not yet declared done."""
        return self.ordered_days - self.consumed_days

    @property
    def to_order(self) -> Decimal:
        """UO granted and not yet on a live order."""
        return self.granted - self.ordered


def order_follow_up(session: Session, order: PurchaseOrder) -> list[LineFollowUp]:
    consumed = dict(
        session.execute(
            sa.select(Consumption.line_id, sa.func.sum(Consumption.days))
            .join(PurchaseOrderLine)
            .where(PurchaseOrderLine.order_id == order.id)
            .group_by(Consumption.line_id)
        ).all()
    )
    return [
        LineFollowUp(
            line.id,
            line.work_unit_code,
            line.work_unit_label,
            line.quantity,
            Decimal(consumed.get(line.id, ZERO)),
        )
        for line in order.lines
    ]


def budget_follow_up(
    session: Session, *, startup_id: int | None = None, incubator_id: int | None = None
) -> list[UnitFollowUp]:
    """Three grouped sums (granted, ordered, consumed) per startup and UO code, sorted by
    startup name then code; only published decisions (a superseded one no longer counts) and
    orders that are not cancelled."""

    def scoped(query: sa.Select, startup_column) -> sa.Select:
        if startup_id is not None:
            query = query.where(startup_column == startup_id)
        if incubator_id is not None:
            query = query.where(
                startup_column.in_(
                    sa.select(Startup.id).where(Startup.incubator_id == incubator_id)
                )
            )
        return query

    granted = session.execute(
        scoped(
            sa.select(
                Decision.startup_id, WorkUnitType.code, sa.func.sum(DecisionBudgetLine.quantity)
            )
            .join(DecisionBudgetLine.decision)
            .join(DecisionBudgetLine.work_unit_type)
            .where(Decision.state == DecisionState.PUBLISHED)
            .group_by(Decision.startup_id, WorkUnitType.code),
            Decision.startup_id,
        )
    ).all()
    live_order = PurchaseOrder.state != OrderState.CANCELLED
    ordered = session.execute(
        scoped(
            sa.select(
                PurchaseOrder.startup_id,
                PurchaseOrderLine.work_unit_code,
                sa.func.sum(PurchaseOrderLine.quantity),
            )
            .join(PurchaseOrderLine.order)
            .where(live_order)
            .group_by(PurchaseOrder.startup_id, PurchaseOrderLine.work_unit_code),
            PurchaseOrder.startup_id,
        )
    ).all()
    consumed = session.execute(
        scoped(
            sa.select(
                PurchaseOrder.startup_id,
                PurchaseOrderLine.work_unit_code,
                sa.func.sum(Consumption.days),
            )
            .join(Consumption.line)
            .join(PurchaseOrderLine.order)
            .where(live_order)
            .group_by(PurchaseOrder.startup_id, PurchaseOrderLine.work_unit_code),
            PurchaseOrder.startup_id,
        )
    ).all()
    sums: dict[tuple[int, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for position, rows in enumerate((granted, ordered, consumed)):
        for startup, code, total in rows:
            sums[(startup, code)][position] = Decimal(total)
    if not sums:
        return []
    names = dict(
        session.execute(
            sa.select(Startup.id, Startup.name).where(Startup.id.in_({s for s, _ in sums}))
        ).all()
    )
    labels = dict(
        session.execute(
            sa.select(WorkUnitType.code, WorkUnitType.label).where(
                WorkUnitType.code.in_({c for _, c in sums})
            )
        ).all()
    )
    follow_up = [
        UnitFollowUp(startup, names[startup], code, labels.get(code, code), *values)
        for (startup, code), values in sums.items()
    ]
    return sorted(follow_up, key=lambda f: (f.startup_name.casefold(), f.startup_id, f.code))
