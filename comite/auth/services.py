"""Opening and closing a person's session in Comité."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_login import login_user, logout_user
from sqlalchemy.orm import Session

from comite.auth.models import User
from comite.core import audit
from comite.core.errors import DomainError

DEMO_EMAIL_DOMAIN = "demo.comite.beta.gouv.fr"


def demo_users(session: Session) -> list[User]:
    """The demo accounts offered by the development login, one or more per role."""
    return list(
        session.scalars(
            sa.select(User)
            .where(User.is_active, User.email.endswith("@" + DEMO_EMAIL_DOMAIN))
            .order_by(User.id)
        )
    )


def log_in(session: Session, user: User | None, method: str) -> User:
    """Open a session for an active user and write it in the audit log."""
    if user is None:
        raise DomainError("Cet utilisateur n'existe pas.", field="user_id")
    if not user.is_active:
        raise DomainError("Ce compte est désactivé.", field="user_id")
    login_user(user)
    audit.record(session, "auth.login", user, actor=user, method=method)
    session.flush()
    return user


def log_out(session: Session, user: User) -> None:
    """Close the session and write it in the audit log."""
    if user.is_authenticated:
        audit.record(session, "auth.logout", user, actor=user)
        session.flush()
    logout_user()


def safe_next_url(target: str | None) -> str | None:
    """Only a path of this site is a place to come back to after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
