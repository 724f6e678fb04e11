"""Reading users: the secretariat's list, pending accounts first."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from comite.auth.models import User, UserRole
from comite.auth.roles import Role

# The role filter's value for accounts that have no role yet.
WAITING = "attente"

_HAS_A_ROLE = sa.exists().where(UserRole.user_id == User.id)

# Someone who logged in through ProConnect without being invited waits for the secretariat.
IS_WAITING = sa.and_(User.is_active, ~_HAS_A_ROLE)


@dataclass(frozen=True)
class UserSearch:
    text: str = ""
    role: Role | None = None
    waiting: bool = False


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_users(search: UserSearch) -> sa.Select[tuple[User]]:
    """Users whose name or email contains the text (any case), accounts waiting first."""
    query = sa.select(User)
    text = search.text.strip().lower()
    if text:
        pattern = f"%{_escape_like(text)}%"
        full_name = sa.func.lower(User.given_name + " " + User.usual_name)
        query = query.where(
            sa.or_(
                full_name.like(pattern, escape="\\"),
                sa.func.lower(User.email).like(pattern, escape="\\"),
            )
        )
    if search.role is not None:
        query = query.where(
            sa.exists().where(UserRole.user_id == User.id, UserRole.role == search.role)
        )
    if search.waiting:
        query = query.where(IS_WAITING)
    return query.order_by(
        sa.case((IS_WAITING, 0), else_=1),
        sa.func.lower(User.usual_name),
        sa.func.lower(User.given_name),
        sa.func.lower(User.email),
        User.id,
    )


def count_waiting_users() -> sa.Select[tuple[int]]:
    return sa.select(sa.func.count()).select_from(User).where(IS_WAITING)


def find_user_by_email(email: str) -> sa.Select[tuple[User]]:
    """The account with this email, whatever its case."""
    return sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())
