"""Exports built in the background: the request, its progress and, for a day, the file."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comite.core.models import Base, str_enum, utcnow

if TYPE_CHECKING:
    from comite.auth.models import User


class ExportState(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return {
            ExportState.PENDING: "En attente",
            ExportState.RUNNING: "En cours",
            ExportState.DONE: "Prêt",
            ExportState.FAILED: "Échec",
            ExportState.EXPIRED: "Expiré",
        }[self]


class ExportJob(Base):
    """A register too large to be written while the user waits, built by the worker."""

    __tablename__ = "export_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    register: Mapped[str] = mapped_column(sa.String(32))
    file_format: Mapped[str] = mapped_column(sa.String(8))
    filters: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    state: Mapped[ExportState] = mapped_column(
        str_enum(ExportState, 16), default=ExportState.PENDING
    )
    total_rows: Mapped[int] = mapped_column(default=0)
    done_rows: Mapped[int] = mapped_column(default=0)
    filename: Mapped[str] = mapped_column(sa.String(200), default="")
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    finished_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime | None]

    created_by: Mapped[User] = relationship()
