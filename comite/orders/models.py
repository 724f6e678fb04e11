"""The catalogue of work units (unités d'œuvre) that budgets are counted in."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from comite.core.models import Base


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
