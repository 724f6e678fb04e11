"""The catalogue of work units (unités d'œuvre), the framework contracts and their prices,
and the draft purchase orders (projets de bons de commande) priced from them."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comite.core.models import Base, str_enum, utcnow

if TYPE_CHECKING:
    from comite.auth.models import User
    from comite.committee.models import Decision
    from comite.startups.models import Startup

DEFAULT_VAT_RATE = Decimal("0.20")


class WorkUnitType(Base):
    """One kind of UO of the framework contract: one full-time profile for one month."""

    __tablename__ = "work_unit_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    label: Mapped[str] = mapped_column(sa.String(120))
    profile: Mapped[str] = mapped_column(sa.String(200), default="")
    is_active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<WorkUnitType {self.code}>"


class FrameworkContract(Base):
    """An accord-cadre with its holder (titulaire); orders are drawn on it at its prices."""

    __tablename__ = "framework_contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(64), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    holder_name: Mapped[str] = mapped_column(sa.String(200))
    holder_siret: Mapped[str] = mapped_column(sa.String(14))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    vat_rate: Mapped[Decimal] = mapped_column(sa.Numeric(5, 4), default=DEFAULT_VAT_RATE)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    prices: Mapped[list[UnitPrice]] = relationship(
        back_populates="contract",
        cascade="all, delete-orphan",
        order_by="(UnitPrice.work_unit_type_id, UnitPrice.valid_from)",
    )

    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        sa.CheckConstraint("vat_rate >= 0 AND vat_rate < 1", name="vat_rate_range"),
    )

    def __repr__(self) -> str:
        return f"<FrameworkContract {self.reference}>"


class UnitPrice(Base):
    """The price HT of one UO on one contract from valid_from to valid_until (open when None).

    A price is never changed once set: a new price closes it, so an order drafted at the old
    price keeps it."""

    __tablename__ = "unit_price"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        sa.ForeignKey("framework_contract.id", ondelete="CASCADE"), index=True
    )
    work_unit_type_id: Mapped[int] = mapped_column(sa.ForeignKey("work_unit_type.id"), index=True)
    price_ht: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    valid_from: Mapped[dt.date]
    valid_until: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    contract: Mapped[FrameworkContract] = relationship(back_populates="prices")
    work_unit_type: Mapped[WorkUnitType] = relationship()

    __table_args__ = (
        sa.UniqueConstraint(
            "contract_id", "work_unit_type_id", "valid_from", name="uq_unit_price_start"
        ),
        sa.CheckConstraint("price_ht >= 0", name="price_not_negative"),
        sa.CheckConstraint(
            "valid_until IS NULL OR valid_until >= valid_from", name="period_in_order"
        ),
    )

    def __repr__(self) -> str:
        return f"<UnitPrice {self.contract_id}/{self.work_unit_type_id} from {self.valid_from}>"


class OrderState(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    COMMITTED = "committed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            OrderState.DRAFT: "Brouillon",
            OrderState.SENT: "Transmis à la DSAF",
            OrderState.COMMITTED: "Engagé",
            OrderState.CANCELLED: "Annulé",
        }[self]


class OrderCounter(Base):
    """The last order number given in a year: numbers are gap-free, one year at a time."""

    __tablename__ = "order_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class PurchaseOrder(Base):
    """A projet de bon de commande: UO of one framework contract for one startup, priced
    with the unit prices in force when it was drafted (they are copied, never re-read)."""

    __tablename__ = "purchase_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decision.id"), index=True)
    startup_id: Mapped[int] = mapped_column(sa.ForeignKey("startup.id"), index=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("framework_contract.id"))
    state: Mapped[OrderState] = mapped_column(str_enum(OrderState, 16), default=OrderState.DRAFT)
    beneficiary_administration: Mapped[str] = mapped_column(sa.String(200), default="")
    beneficiary_service: Mapped[str] = mapped_column(sa.String(200), default="")
    # Budget imputation in Chorus, typed by the secretariat while the order is a draft.
    financial_centre: Mapped[str] = mapped_column(sa.String(40), default="")
    functional_domain: Mapped[str] = mapped_column(sa.String(40), default="")
    activity: Mapped[str] = mapped_column(sa.String(40), default="")
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    vat_rate: Mapped[Decimal] = mapped_column(sa.Numeric(5, 4))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    sent_at: Mapped[dt.datetime | None]
    # The legal commitment number (engagement juridique) the DSAF records in Chorus.
    legal_commitment: Mapped[str] = mapped_column(sa.String(20), default="")
    committed_at: Mapped[dt.datetime | None]
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="")
    cancelled_at: Mapped[dt.datetime | None]

    contract: Mapped[FrameworkContract] = relationship()
    created_by: Mapped[User] = relationship()
    startup: Mapped[Startup] = relationship()
    decision: Mapped[Decision] = relationship()
    lines: Mapped[list[PurchaseOrderLine]] = relationship(
        back_populates="order", order_by="PurchaseOrderLine.position", cascade="all, delete-orphan"
    )


class PurchaseOrderLine(Base):
    """UO of one type at the unit price copied when the order was drafted."""

    __tablename__ = "purchase_order_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        sa.ForeignKey("purchase_order.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    work_unit_code: Mapped[str] = mapped_column(sa.String(32))
    work_unit_label: Mapped[str] = mapped_column(sa.String(120))
    quantity: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2))
    unit_price_ht: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))

    order: Mapped[PurchaseOrder] = relationship(back_populates="lines")
    consumptions: Mapped[list[Consumption]] = relationship(
        back_populates="line", order_by="Consumption.id"
    )


class Consumption(Base):
    """Days of an order line declared done (service fait). Declarations are only added: a
    mistake is corrected by a further declaration of negative days."""

    __tablename__ = "consumption"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(sa.ForeignKey("purchase_order_line.id"), index=True)
    days: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2))
    period_end: Mapped[dt.date]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))

    line: Mapped[PurchaseOrderLine] = relationship(back_populates="consumptions")
    created_by: Mapped[User] = relationship()

    __table_args__ = (sa.CheckConstraint("days <> 0", name="days_not_zero"),)
