"""The secretariat's verbs on the UO catalogue, the framework contracts and their prices;
each writes the audit log and only flushes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from comite.auth.models import User
from comite.committee.models import Decision
from comite.committee.workflow import DecisionState
from comite.core import audit
from comite.core.audit import apply_changes, audit_value
from comite.core.errors import DomainError, flush_or_refuse
from comite.core.formatting import date_fr, number
from comite.core.models import utcnow
from comite.notifications import outbox
from comite.orders import rules
from comite.orders.models import (
    Consumption,
    FrameworkContract,
    OrderCounter,
    OrderState,
    PurchaseOrder,
    PurchaseOrderLine,
    UnitPrice,
    WorkUnitType,
)

DUPLICATE_REFERENCE = "Un marché porte déjà cette référence."
BAD_SIRET = "Ce numéro SIRET n'est pas valide : vérifiez les 14 chiffres."
DATES_OUT_OF_ORDER = "La date de fin doit être postérieure ou égale à la date de début."
BAD_VAT_RATE = "Le taux de TVA doit être compris entre 0 et 100 %."
DUPLICATE_CODE = "Un type d'UO porte déjà ce code."
CODE_PATTERN = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")
BAD_CODE = "Lettres majuscules sans accent, chiffres et tirets, par exemple DEVOPS-SENIOR."


# Framework contracts


@dataclass(frozen=True)
class ContractDetails:
    """What the secretariat writes about a framework contract."""

    reference: str
    title: str
    holder_name: str
    holder_siret: str
    starts_on: dt.date
    ends_on: dt.date
    vat_rate: Decimal


def _clean_contract(
    session: Session, details: ContractDetails, contract: FrameworkContract | None
) -> dict[str, Any]:
    """The details, trimmed and checked: valid SIRET, dates in order, unique reference."""
    values = {
        "reference": details.reference.strip(),
        "title": details.title.strip(),
        "holder_name": details.holder_name.strip(),
        "holder_siret": re.sub(r"\s", "", details.holder_siret),
        "starts_on": details.starts_on,
        "ends_on": details.ends_on,
        "vat_rate": details.vat_rate,
    }
    if not rules.siret_is_valid(values["holder_siret"]):
        raise DomainError(BAD_SIRET, field="holder_siret")
    if values["ends_on"] < values["starts_on"]:
        raise DomainError(DATES_OUT_OF_ORDER, field="ends_on")
    if not Decimal(0) <= values["vat_rate"] < Decimal(1):
        raise DomainError(BAD_VAT_RATE, field="vat_rate")
    others = sa.select(FrameworkContract.id).where(
        sa.func.lower(FrameworkContract.reference) == values["reference"].lower()
    )
    if contract is not None:
        others = others.where(FrameworkContract.id != contract.id)
    if session.scalar(others):
        raise DomainError(DUPLICATE_REFERENCE, field="reference")
    return values


def create_contract(session: Session, details: ContractDetails, actor: User) -> FrameworkContract:
    """Add a framework contract; its reference is unique and its holder's SIRET valid."""
    values = _clean_contract(session, details, None)
    contract = FrameworkContract(**values)
    session.add(contract)
    flush_or_refuse(session, DUPLICATE_REFERENCE, "reference")
    audit.record(
        session,
        "contract.created",
        contract,
        actor=actor,
        **{name: audit_value(value) for name, value in values.items()},
    )
    session.flush()
    return contract


def update_contract(
    session: Session, contract: FrameworkContract, details: ContractDetails, actor: User
) -> bool:
    """Change a contract's details under the same checks; returns whether anything changed."""
    changes = apply_changes(contract, _clean_contract(session, details, contract))
    if not changes:
        return False
    flush_or_refuse(session, DUPLICATE_REFERENCE, "reference")
    audit.record(session, "contract.updated", contract, actor=actor, changes=changes)
    session.flush()
    return True


# Unit prices


def set_price(
    session: Session,
    contract: FrameworkContract,
    work_unit_type: WorkUnitType,
    price_ht: Decimal,
    valid_from: dt.date,
    actor: User,
) -> UnitPrice:
    """Set the price HT of a UO from a day on: the price in force then is closed the day
    before; a period already priced on or after that day is refused."""
    if price_ht <= 0:
        raise DomainError("Le prix doit être supérieur à zéro.", field="price_ht")
    if not contract.starts_on <= valid_from <= contract.ends_on:
        raise DomainError(
            f"Le prix doit prendre effet pendant le marché, du {date_fr(contract.starts_on)} "
            f"au {date_fr(contract.ends_on)}.",
            field="valid_from",
        )
    if not work_unit_type.is_active:
        raise DomainError("Ce type d'UO est désactivé.", field="work_unit_type")
    existing = [price for price in contract.prices if price.work_unit_type is work_unit_type]
    day_before = valid_from - dt.timedelta(days=1)
    # Only the open-ended price that started earlier gets closed; any other period that
    # reaches valid_from would overlap the new one.
    closing = next(
        (p for p in existing if p.valid_until is None and p.valid_from < valid_from), None
    )
    for price in existing:
        until = day_before if price is closing else price.valid_until
        if rules.periods_overlap(price.valid_from, until, valid_from, None):
            period = (
                f"du {date_fr(price.valid_from)} au {date_fr(price.valid_until)}"
                if price.valid_until
                else f"à partir du {date_fr(price.valid_from)}"
            )
            raise DomainError(
                f"Un prix de cette UO s'applique déjà {period} : "
                "les périodes ne peuvent pas se chevaucher.",
                field="valid_from",
            )
    if closing is not None:
        closing.valid_until = day_before
    price = UnitPrice(
        contract=contract,
        work_unit_type=work_unit_type,
        price_ht=rules.money(price_ht),
        valid_from=valid_from,
    )
    session.add(price)
    session.flush()
    audit.record(
        session,
        "contract.price_set",
        contract,
        actor=actor,
        work_unit=work_unit_type.code,
        price_ht=str(price.price_ht),
        valid_from=valid_from.isoformat(),
        closed_previous=(
            {"price_ht": str(closing.price_ht), "valid_until": closing.valid_until.isoformat()}
            if closing is not None
            else None
        ),
    )
    session.flush()
    return price


# UO types


def add_work_unit_type(
    session: Session, code: str, label: str, profile: str, actor: User
) -> WorkUnitType:
    """Add a UO type to the shared catalogue; its code is unique and never changes."""
    code = code.strip().upper()
    if not CODE_PATTERN.match(code):
        raise DomainError(BAD_CODE, field="code")
    if session.scalar(sa.select(WorkUnitType.id).where(WorkUnitType.code == code)):
        raise DomainError(DUPLICATE_CODE, field="code")
    work_unit_type = WorkUnitType(code=code, label=label.strip(), profile=profile.strip())
    session.add(work_unit_type)
    flush_or_refuse(session, DUPLICATE_CODE, "code")
    audit.record(
        session,
        "work_unit_type.created",
        work_unit_type,
        actor=actor,
        code=code,
        label=work_unit_type.label,
    )
    session.flush()
    return work_unit_type


def rename_work_unit_type(
    session: Session, work_unit_type: WorkUnitType, label: str, profile: str, actor: User
) -> bool:
    """Change a UO type's label or profile (not its code, which dossiers refer to)."""
    changes = apply_changes(work_unit_type, {"label": label.strip(), "profile": profile.strip()})
    if not changes:
        return False
    audit.record(session, "work_unit_type.renamed", work_unit_type, actor=actor, changes=changes)
    session.flush()
    return True


def deactivate_work_unit_type(session: Session, work_unit_type: WorkUnitType, actor: User) -> None:
    """A deactivated UO type is kept for history but offered no more in budgets or prices."""
    if not work_unit_type.is_active:
        raise DomainError("Ce type d'UO est déjà désactivé.")
    work_unit_type.is_active = False
    audit.record(session, "work_unit_type.deactivated", work_unit_type, actor=actor)
    session.flush()


def reactivate_work_unit_type(session: Session, work_unit_type: WorkUnitType, actor: User) -> None:
    """A reactivated UO type is offered again."""
    if work_unit_type.is_active:
        raise DomainError("Ce type d'UO est déjà actif.")
    work_unit_type.is_active = True
    audit.record(session, "work_unit_type.reactivated", work_unit_type, actor=actor)
    session.flush()


# -- draft purchase orders -----------------------------------------------------------------


def _next_order_number(session: Session, year: int) -> str:
    """The next number of the year. The year's counter row is created if missing (ignoring a
    concurrent creation), then locked (FOR UPDATE on PostgreSQL; SQLite serialises writers)
    so that concurrent generations never share or skip a number."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(OrderCounter).values(year=year, last_number=0).on_conflict_do_nothing())
    counter = session.scalars(
        sa.select(OrderCounter)
        .where(OrderCounter.year == year)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    counter.last_number += 1
    session.flush()
    return rules.order_number(year, counter.last_number)


def _contract_for(session: Session, unit: WorkUnitType, day: dt.date):
    """The contract in force on `day` that prices this UO (the most recent one if several)."""
    contracts = session.scalars(
        sa.select(FrameworkContract)
        .where(FrameworkContract.starts_on <= day, FrameworkContract.ends_on >= day)
        .order_by(FrameworkContract.starts_on.desc(), FrameworkContract.id.desc())
    )
    for contract in contracts:
        price = rules.price_on([p for p in contract.prices if p.work_unit_type_id == unit.id], day)
        if price is not None:
            return contract, price
    return None, None


def generate_orders(
    session: Session, decision: Decision, actor: User, today: dt.date
) -> list[PurchaseOrder]:
    """A published decision with a budget becomes one draft order per framework contract,
    each line priced with the unit price in force at the start of its period."""
    if decision.state is not DecisionState.PUBLISHED:
        raise DomainError("Seule une décision publiée donne lieu à des bons de commande.")
    if not decision.budget_lines:
        raise DomainError("Cette décision n'accorde pas de budget en unités d'œuvre.")
    existing = session.scalar(
        sa.select(sa.func.count())
        .select_from(PurchaseOrder)
        .where(PurchaseOrder.decision_id == decision.id)
    )
    if existing:
        raise DomainError("Les projets de bons de commande de cette décision existent déjà.")
    grouped: dict[int, tuple[FrameworkContract, list[tuple[Any, Any]]]] = {}
    for line in decision.budget_lines:
        contract, price = _contract_for(session, line.work_unit_type, line.period_start)
        if contract is None:
            raise DomainError(
                f"Aucun accord-cadre en vigueur le {line.period_start:%d/%m/%Y} ne fixe de prix "
                f"pour l'UO {line.work_unit_type.code} : complétez le catalogue."
            )
        grouped.setdefault(contract.id, (contract, []))[1].append((line, price))
    orders = []
    for contract, priced in grouped.values():
        order = PurchaseOrder(
            number=_next_order_number(session, today.year),
            decision=decision,
            startup=decision.startup,
            contract=contract,
            beneficiary_administration=decision.startup.sponsoring_administration,
            period_start=min(line.period_start for line, _ in priced),
            period_end=max(line.period_end for line, _ in priced),
            vat_rate=contract.vat_rate,
            created_by=actor,
            lines=[
                PurchaseOrderLine(
                    position=position,
                    work_unit_code=line.work_unit_type.code,
                    work_unit_label=line.work_unit_type.label,
                    quantity=line.quantity,
                    unit_price_ht=price.price_ht,
                )
                for position, (line, price) in enumerate(priced, start=1)
            ],
        )
        session.add(order)
        session.flush()
        audit.record(
            session,
            "order.drafted",
            order,
            actor=actor,
            number=order.number,
            decision=decision.id,
        )
        orders.append(order)
    return orders


LEGAL_COMMITMENT = re.compile(r"^\d{10}$")
IMPUTATION_FIELDS = ("financial_centre", "functional_domain", "activity")
EDITABLE_FIELDS = ("beneficiary_administration", "beneficiary_service", *IMPUTATION_FIELDS)


def update_order(
    session: Session, order: PurchaseOrder, actor: User, values: dict[str, str]
) -> bool:
    """The secretariat completes a draft: beneficiary service and budget imputation."""
    session.refresh(order, with_for_update=True)
    if order.state is not OrderState.DRAFT:
        raise DomainError(
            f"Seul un brouillon se modifie : ce bon de commande est « {order.state.label} »."
        )
    cleaned = {name: (values.get(name) or "").strip() for name in EDITABLE_FIELDS}
    changes = apply_changes(order, cleaned)
    if not changes:
        return False
    audit.record(session, "order.updated", order, actor=actor, changes=changes)
    session.flush()
    return True


def send_order(session: Session, order: PurchaseOrder, actor: User) -> PurchaseOrder:
    """The secretariat sends a draft order to the DSAF; it no longer changes."""
    session.refresh(order, with_for_update=True)
    if order.state is not OrderState.DRAFT:
        raise DomainError(f"Ce bon de commande est « {order.state.label} » : il est déjà parti.")
    if not all(getattr(order, name) for name in IMPUTATION_FIELDS):
        raise DomainError(
            "Renseignez l'imputation budgétaire (centre financier, domaine fonctionnel, "
            "activité) avant de transmettre le bon de commande."
        )
    order.state = OrderState.SENT
    order.sent_at = utcnow()
    session.flush()
    audit.record(session, "order.sent", order, actor=actor, number=order.number)
    outbox.order_sent(session, order)
    return order


def engage_order(
    session: Session, order: PurchaseOrder, actor: User, legal_commitment: str
) -> PurchaseOrder:
    """The DSAF records the Chorus legal commitment (EJ, 10 digits) of an order it received."""
    session.refresh(order, with_for_update=True)
    if order.state is not OrderState.SENT:
        raise DomainError("Seul un bon de commande transmis à la DSAF peut être engagé.")
    number = legal_commitment.strip()
    if not LEGAL_COMMITMENT.match(number):
        raise DomainError(
            "Le numéro d'engagement juridique Chorus compte 10 chiffres.", field="legal_commitment"
        )
    order.state = OrderState.COMMITTED
    order.legal_commitment = number
    order.committed_at = utcnow()
    session.flush()
    audit.record(session, "order.committed", order, actor=actor, legal_commitment=number)
    return order


def cancel_order(session: Session, order: PurchaseOrder, actor: User, reason: str) -> PurchaseOrder:
    """An order not yet engaged can be cancelled, saying why; an engaged one cannot."""
    session.refresh(order, with_for_update=True)
    if order.state not in (OrderState.DRAFT, OrderState.SENT):
        raise DomainError(f"Ce bon de commande est « {order.state.label} » : il ne s'annule plus.")
    if not reason.strip():
        raise DomainError("Indiquez le motif de l'annulation.", field="reason")
    order.state = OrderState.CANCELLED
    order.cancel_reason = reason.strip()
    order.cancelled_at = utcnow()
    session.flush()
    audit.record(session, "order.cancelled", order, actor=actor, reason=order.cancel_reason)
    return order


def declare_consumption(
    session: Session,
    line: PurchaseOrderLine,
    actor: User,
    days: Decimal,
    period_end: dt.date,
    comment: str,
) -> Consumption:
    """Days of an engaged order line declared done (service fait); a negative declaration
    corrects an earlier one and must say why. The total stays between 0 and the days ordered."""
    order = line.order
    session.refresh(order, with_for_update=True)
    if order.state is not OrderState.COMMITTED:
        raise DomainError("Le service fait se déclare sur un bon de commande engagé.")
    if not days:
        raise DomainError("Indiquez un nombre de jours non nul.", field="days")
    if days < 0 and not comment.strip():
        raise DomainError("Motivez la correction (jours négatifs).", field="comment")
    done = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Consumption.days), 0)).where(
            Consumption.line_id == line.id
        )
    )
    total = Decimal(done) + days
    ordered = line.quantity * rules.DAYS_PER_UO
    if total > ordered:
        raise DomainError(
            f"Cette ligne compte {number(ordered)} jours : impossible de déclarer plus de jours "
            f"que commandés ({number(Decimal(done))} déjà déclarés).",
            field="days",
        )
    if total < 0:
        raise DomainError("Le total déclaré ne peut pas devenir négatif.", field="days")
    consumption = Consumption(
        line=line, days=days, period_end=period_end, comment=comment.strip(), created_by=actor
    )
    session.add(consumption)
    session.flush()
    audit.record(
        session,
        "order.consumption_declared",
        order,
        actor=actor,
        work_unit=line.work_unit_code,
        days=str(days),
        period_end=period_end.isoformat(),
    )
    return consumption
