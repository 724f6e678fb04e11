"""Incubators, the startups they carry, their phase history and their people."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comite.core.models import Base, str_enum, utcnow
from comite.startups.workflow import MemberRole, Phase, StartupStatus

if TYPE_CHECKING:
    from comite.auth.models import User


class Incubator(Base):
    __tablename__ = "incubator"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)

    startups: Mapped[list[Startup]] = relationship(back_populates="incubator")

    def __repr__(self) -> str:
        return f"<Incubator {self.slug}>"


class Startup(Base):
    __tablename__ = "startup"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    pitch: Mapped[str] = mapped_column(sa.Text, default="")
    sponsoring_administration: Mapped[str] = mapped_column(sa.String(200), default="")
    incubator_id: Mapped[int] = mapped_column(sa.ForeignKey("incubator.id"), index=True)
    phase: Mapped[Phase] = mapped_column(str_enum(Phase), index=True)
    phase_started_on: Mapped[dt.date]
    status: Mapped[StartupStatus] = mapped_column(
        str_enum(StartupStatus, 16), default=StartupStatus.ACTIVE
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    incubator: Mapped[Incubator] = relationship(back_populates="startups")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="startup", cascade="all, delete-orphan"
    )
    phase_history: Mapped[list[PhaseChange]] = relationship(
        back_populates="startup",
        cascade="all, delete-orphan",
        order_by="PhaseChange.started_on",
    )

    def __repr__(self) -> str:
        return f"<Startup {self.slug}>"


class PhaseChange(Base):
    """One step of a startup's timeline: the phase it entered and when."""

    __tablename__ = "phase_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(
        sa.ForeignKey("startup.id", ondelete="CASCADE"), index=True
    )
    phase: Mapped[Phase] = mapped_column(str_enum(Phase))
    started_on: Mapped[dt.date]

    startup: Mapped[Startup] = relationship(back_populates="phase_history")


class Membership(Base):
    """A person's place in one startup: intrapreneur, team member, coach or sponsor."""

    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    startup_id: Mapped[int] = mapped_column(
        sa.ForeignKey("startup.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MemberRole] = mapped_column(str_enum(MemberRole, 16))

    user: Mapped[User] = relationship(back_populates="memberships")
    startup: Mapped[Startup] = relationship(back_populates="memberships")

    __table_args__ = (
        sa.UniqueConstraint(
            "user_id", "startup_id", "role", name="uq_membership_user_startup_role"
        ),
    )
