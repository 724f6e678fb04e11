"""People who use Comité and the roles they hold."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comite.auth.roles import Role
from comite.core.models import Base, str_enum, utcnow

if TYPE_CHECKING:
    from comite.startups.models import Membership


class User(UserMixin, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    given_name: Mapped[str] = mapped_column(sa.String(120), default="")
    usual_name: Mapped[str] = mapped_column(sa.String(120), default="")
    proconnect_sub: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    siret: Mapped[str | None] = mapped_column(sa.String(14))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Written into each session cookie at login (get_id): raising it ends every session
    # of the user, copies of the cookie included.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    role_grants: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    memberships: Mapped[list[Membership]] = relationship(back_populates="user")

    # Emails are unique whatever their case: an agent is one person in every spelling.
    __table_args__ = (sa.Index("uq_user_email_lower", sa.func.lower(email), unique=True),)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(grant.role for grant in self.role_grants)

    def has_role(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the session version."""
        return f"{self.id}.{self.session_version}"

    def end_sessions(self) -> None:
        """Every session opened so far stops working at its next request."""
        self.session_version += 1

    @property
    def full_name(self) -> str:
        name = f"{self.given_name} {self.usual_name}".strip()
        return name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserRole(Base):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(str_enum(Role, 16), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_grants")
