"""The catalogue of work units (unités d'œuvre), the framework contracts and their prices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comite.core.models import Base, utcnow

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
