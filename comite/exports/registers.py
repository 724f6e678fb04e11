"""The registers the DSAF downloads: decisions, purchase orders, budget per startup.

Each register knows its columns, how to count and stream its rows for a set of filters, and
how to describe those filters in French. Filters are plain JSON values (dates as ISO text) so
that a background export can keep them in its job row."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from comite.committee.models import AgendaItem, Decision, DecisionBudgetLine, Meeting
from comite.committee.workflow import DecisionState, Outcome
from comite.core.formatting import date_fr
from comite.core.periods import within_paris_days
from comite.exports.spreadsheet import PARIS, Column, Kind
from comite.orders.follow_up import budget_follow_up
from comite.orders.models import (
    FrameworkContract,
    OrderState,
    PurchaseOrder,
    PurchaseOrderLine,
)
from comite.orders.rules import CENT, DAYS_PER_UO, order_totals
from comite.startups.models import Incubator, Startup

Filters = dict[str, Any]
# Rows are read from the database by batches of this size, never all at once.
BATCH = 1000


@dataclass(frozen=True)
class Register:
    slug: str
    title: str
    columns: Sequence[Column]
    count: Callable[[Session, Filters], int]
    # rows(session, filters, batch=BATCH): streamed from the database `batch` rows at a time.
    rows: Callable[..., Iterator[tuple]]
    describe: Callable[[Session, Filters], list[tuple[str, str]]]
    # What the page's preview shows: a few telling columns, and where the first one links
    # to (an endpoint and the name of its argument), if anywhere.
    preview_columns: tuple[int, ...]
    link: tuple[str, str] | None = None

    @property
    def preview_headers(self) -> list[str]:
        return [self.columns[index].header for index in self.preview_columns]

    def filename(self, today: dt.date, extension: str) -> str:
        return f"comite-{self.slug}-{today:%Y-%m-%d}.{extension}"


def _day(filters: Filters, name: str) -> dt.date | None:
    value = filters.get(name)
    return dt.date.fromisoformat(value) if value else None


def _period(column, filters: Filters) -> list[sa.ColumnElement[bool]]:
    """Start and end days included, as days in Paris, on a timestamp column."""
    return within_paris_days(column, _day(filters, "start"), _day(filters, "end"))


def _batches(
    session: Session, query: sa.Select, key, size: int = BATCH
) -> Iterator[Sequence[sa.Row]]:
    """The query's rows, BATCH at a time in key order, each batch a short query of its own:
    no cursor stays open (progress can be committed between batches) and memory stays flat."""
    last = None
    while True:
        page = query.order_by(key).limit(size)
        if last is not None:
            page = page.where(key > last)
        rows = session.execute(page).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _describe_period(filters: Filters) -> list[tuple[str, str]]:
    start, end = _day(filters, "start"), _day(filters, "end")
    if start and end:
        return [("Période", f"du {date_fr(start, 'short')} au {date_fr(end, 'short')}")]
    if start:
        return [("Période", f"à partir du {date_fr(start, 'short')}")]
    if end:
        return [("Période", f"jusqu'au {date_fr(end, 'short')}")]
    return []


def _describe_incubator(session: Session, filters: Filters) -> list[tuple[str, str]]:
    if not filters.get("incubator"):
        return []
    name = session.scalar(sa.select(Incubator.name).where(Incubator.id == filters["incubator"]))
    return [("Incubateur", name or "inconnu")]


# -- decisions ------------------------------------------------------------------------------

DECISION_COLUMNS = (
    Column("N° de décision", Kind.INTEGER, 12),
    Column("Publiée le", Kind.DATETIME, 18),
    Column("Séance du", Kind.DATE, 12),
    Column("Startup", Kind.TEXT, 30),
    Column("Incubateur", Kind.TEXT, 28),
    Column("Administration porteuse", Kind.TEXT, 30),
    Column("Décision", Kind.TEXT, 14),
    Column("Phase suivante", Kind.TEXT, 18),
    Column("Prochain bilan", Kind.DATE, 14),
    Column("Budget accordé (UO)", Kind.DECIMAL, 14),
    Column("Statut", Kind.TEXT, 12),
    Column("Conditions", Kind.TEXT, 50),
)


def _decisions(filters: Filters, *columns) -> sa.Select:
    query = (
        sa.select(*columns)
        .select_from(Decision)
        .join(Decision.startup)
        .where(
            Decision.state.in_((DecisionState.PUBLISHED, DecisionState.SUPERSEDED)),
            *_period(Decision.published_at, filters),
        )
    )
    if filters.get("incubator"):
        query = query.where(Startup.incubator_id == filters["incubator"])
    if filters.get("outcome"):
        query = query.where(Decision.outcome == filters["outcome"])
    return query


def _count(session: Session, query: sa.Select) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


def count_decisions(session: Session, filters: Filters) -> int:
    return _count(session, _decisions(filters, Decision.id))


def decision_rows(session: Session, filters: Filters, batch: int = BATCH) -> Iterator[tuple]:
    budget = (
        sa.select(sa.func.coalesce(sa.func.sum(DecisionBudgetLine.quantity), 0))
        .where(DecisionBudgetLine.decision_id == Decision.id)
        .scalar_subquery()
    )
    query = (
        _decisions(
            filters,
            Decision.id,
            Decision.published_at,
            Meeting.starts_at,
            Startup.name,
            Incubator.name,
            Startup.sponsoring_administration,
            Decision.outcome,
            Decision.next_phase,
            Decision.next_review_on,
            budget,
            Decision.state,
            Decision.conditions,
        )
        .join(Startup.incubator)
        .outerjoin(Decision.agenda_item)
        .outerjoin(AgendaItem.meeting)
    )
    for rows in _batches(session, query, Decision.id, batch):
        for row in rows:
            (
                id_,
                published,
                meeting,
                startup,
                incubator,
                administration,
                outcome,
                phase,
                review,
                granted,
                state,
                conditions,
            ) = row
            yield (
                id_,
                published,
                meeting.astimezone(PARIS).date() if meeting else None,
                startup,
                incubator,
                administration,
                outcome.label,
                phase.label,
                review,
                Decimal(granted).quantize(CENT),
                state.label,
                conditions,
            )


def describe_decisions(session: Session, filters: Filters) -> list[tuple[str, str]]:
    described = _describe_period(filters) + _describe_incubator(session, filters)
    if filters.get("outcome"):
        described.append(("Décision", Outcome(filters["outcome"]).label))
    return described


# -- purchase orders -----------------------------------------------------------------------

ORDER_COLUMNS = (
    Column("Numéro", Kind.TEXT, 14),
    Column("Créé le", Kind.DATETIME, 18),
    Column("Statut", Kind.TEXT, 18),
    Column("Startup", Kind.TEXT, 30),
    Column("Incubateur", Kind.TEXT, 28),
    Column("Administration bénéficiaire", Kind.TEXT, 30),
    Column("Service bénéficiaire", Kind.TEXT, 24),
    Column("Accord-cadre", Kind.TEXT, 18),
    Column("Titulaire", Kind.TEXT, 26),
    Column("SIRET du titulaire", Kind.TEXT, 16),
    Column("Début d'exécution", Kind.DATE, 14),
    Column("Fin d'exécution", Kind.DATE, 14),
    Column("Centre financier", Kind.TEXT, 18),
    Column("Domaine fonctionnel", Kind.TEXT, 16),
    Column("Activité", Kind.TEXT, 16),
    Column("UO commandées", Kind.DECIMAL, 12),
    Column("Jours", Kind.DAYS, 10),
    Column("Total HT", Kind.MONEY, 16),
    Column("TVA", Kind.MONEY, 14),
    Column("Total TTC", Kind.MONEY, 16),
    Column("EJ Chorus", Kind.TEXT, 14),
    Column("Engagé le", Kind.DATETIME, 18),
)


def _orders(filters: Filters, *columns) -> sa.Select:
    query = (
        sa.select(*columns)
        .select_from(PurchaseOrder)
        .join(PurchaseOrder.contract)
        .where(*_period(PurchaseOrder.created_at, filters))
    )
    if filters.get("state"):
        query = query.where(PurchaseOrder.state == filters["state"])
    if filters.get("holder"):
        query = query.where(FrameworkContract.holder_name == filters["holder"])
    return query


def count_orders(session: Session, filters: Filters) -> int:
    return _count(session, _orders(filters, PurchaseOrder.id))


def order_rows(session: Session, filters: Filters, batch: int = BATCH) -> Iterator[tuple]:
    query = (
        _orders(
            filters,
            PurchaseOrder.id,
            PurchaseOrder.number,
            PurchaseOrder.created_at,
            PurchaseOrder.state,
            Startup.name,
            Incubator.name,
            PurchaseOrder.beneficiary_administration,
            PurchaseOrder.beneficiary_service,
            FrameworkContract.reference,
            FrameworkContract.holder_name,
            FrameworkContract.holder_siret,
            PurchaseOrder.period_start,
            PurchaseOrder.period_end,
            PurchaseOrder.financial_centre,
            PurchaseOrder.functional_domain,
            PurchaseOrder.activity,
            PurchaseOrder.vat_rate,
            PurchaseOrder.legal_commitment,
            PurchaseOrder.committed_at,
        )
        .join(PurchaseOrder.startup)
        .join(Startup.incubator)
    )
    for rows in _batches(session, query, PurchaseOrder.id, batch):
        lines: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
        for order_id, quantity, price in session.execute(
            sa.select(
                PurchaseOrderLine.order_id,
                PurchaseOrderLine.quantity,
                PurchaseOrderLine.unit_price_ht,
            ).where(PurchaseOrderLine.order_id.in_([row[0] for row in rows]))
        ):
            lines[order_id].append((quantity, price))
        for row in rows:
            (
                id_,
                number,
                created,
                state,
                startup,
                incubator,
                administration,
                service,
                reference,
                holder,
                siret,
                start,
                end,
                centre,
                domain,
                activity,
                vat_rate,
                commitment,
                committed,
            ) = row
            priced = lines[id_]
            quantity = sum((q for q, _ in priced), Decimal("0.00"))
            total_ht, vat, total_ttc = order_totals(priced, vat_rate)
            yield (
                number,
                created,
                state.label,
                startup,
                incubator,
                administration,
                service,
                reference,
                holder,
                siret,
                start,
                end,
                centre,
                domain,
                activity,
                quantity,
                quantity * DAYS_PER_UO,
                total_ht,
                vat,
                total_ttc,
                commitment or None,
                committed,
            )


def describe_orders(session: Session, filters: Filters) -> list[tuple[str, str]]:
    described = _describe_period(filters)
    if filters.get("state"):
        described.append(("Statut", OrderState(filters["state"]).label))
    if filters.get("holder"):
        described.append(("Titulaire", filters["holder"]))
    return described


def holders(session: Session) -> list[str]:
    """The holders of the framework contracts, for the orders register's filter."""
    return list(
        session.scalars(
            sa.select(FrameworkContract.holder_name)
            .distinct()
            .order_by(FrameworkContract.holder_name)
        )
    )


# -- budget per startup --------------------------------------------------------------------

BUDGET_COLUMNS = (
    Column("Startup", Kind.TEXT, 30),
    Column("Code UO", Kind.TEXT, 18),
    Column("Unité d'œuvre", Kind.TEXT, 30),
    Column("UO accordées", Kind.DECIMAL, 13),
    Column("UO commandées", Kind.DECIMAL, 13),
    Column("Reste à commander (UO)", Kind.DECIMAL, 14),
    Column("Jours commandés", Kind.DAYS, 12),
    Column("Jours réalisés", Kind.DAYS, 12),
    Column("Reste à faire (jours)", Kind.DAYS, 14),
)


def _budget(session: Session, filters: Filters):
    return budget_follow_up(session, incubator_id=filters.get("incubator") or None)


def count_budget(session: Session, filters: Filters) -> int:
    return len(_budget(session, filters))


def budget_rows(session: Session, filters: Filters, batch: int = BATCH) -> Iterator[tuple]:
    for unit in _budget(session, filters):
        yield (
            unit.startup_name,
            unit.code,
            unit.label,
            unit.granted,
            unit.ordered,
            unit.to_order,
            unit.ordered_days,
            unit.consumed_days,
            unit.remaining_days,
        )


REGISTERS = {
    register.slug: register
    for register in (
        Register(
            "decisions",
            "Registre des décisions du comité d'investissement",
            DECISION_COLUMNS,
            count_decisions,
            decision_rows,
            describe_decisions,
            preview_columns=(0, 1, 3, 4, 6, 7, 9),
        ),
        Register(
            "commandes",
            "Registre des bons de commande",
            ORDER_COLUMNS,
            count_orders,
            order_rows,
            describe_orders,
            preview_columns=(0, 2, 3, 8, 15, 17, 19, 20),
            link=("orders.find_order", "number"),
        ),
        Register(
            "budget",
            "Suivi du budget par startup",
            BUDGET_COLUMNS,
            count_budget,
            budget_rows,
            lambda session, filters: _describe_incubator(session, filters),
            preview_columns=(0, 1, 3, 4, 5, 7, 8),
        ),
    )
}
