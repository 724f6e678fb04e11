"""Opening and closing a person's session in Comité."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import session as flask_session
from flask_login import current_user, login_user, logout_user
from sqlalchemy.orm import Session

from comite.auth.models import User
from comite.auth.proconnect import Identity, LoginRefused
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
    # A permanent session expires PERMANENT_SESSION_LIFETIME after its last request.
    flask_session.permanent = True
    audit.record(session, "auth.login", user, actor=user, method=method)
    session.flush()
    return user


def log_out(session: Session, user: User) -> None:
    """Close the user's sessions, on every device, and write it in the audit log."""
    if user.is_authenticated:
        user.end_sessions()
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


def acting_user() -> User:
    """The logged-in user as a model instance, for the services and the audit log."""
    return current_user._get_current_object()


def find_user_by_email(session: Session, email: str) -> User | None:
    """Emails match whatever their case."""
    return session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))


def sign_in_with_proconnect(session: Session, identity: Identity) -> User:
    """Find (or create) the user ProConnect identified, refresh what ProConnect knows, log in.

    The ProConnect `sub` is the identity once bound; before that, an active user invited
    with the same email (any case) is bound to it. Anyone else gets an account with no role,
    which the secretariat sees first among pending accounts.
    """
    user = session.scalar(sa.select(User).where(User.proconnect_sub == identity.sub))
    if user is None:
        user = find_user_by_email(session, identity.email)
        if user is not None and user.proconnect_sub is not None:
            raise LoginRefused(
                "email_taken",
                "Un autre compte ProConnect est déjà associé à cette adresse électronique : "
                "contactez le secrétariat du comité.",
            )
        if user is not None and not user.is_active:
            raise LoginRefused("deactivated", DEACTIVATED)
        if user is not None:
            user.proconnect_sub = identity.sub
            audit.record(session, "user.proconnect_linked", user, actor=user)
        else:
            user = User(email=identity.email, proconnect_sub=identity.sub)
            session.add(user)
            session.flush()
            audit.record(session, "user.pending", user, actor=user, email=identity.email)
    if not user.is_active:
        raise LoginRefused("deactivated", DEACTIVATED)
    if user.email.lower() != identity.email.lower():
        other = find_user_by_email(session, identity.email)
        if other is not None and other.id != user.id:
            raise LoginRefused(
                "email_taken",
                "Votre nouvelle adresse électronique est déjà celle d'un autre compte : "
                "contactez le secrétariat du comité.",
            )
        audit.record(
            session, "user.email_changed", user, actor=user, before=user.email, after=identity.email
        )
        user.email = identity.email
    user.given_name = identity.given_name or user.given_name
    user.usual_name = identity.usual_name or user.usual_name
    user.siret = identity.siret or user.siret
    return log_in(session, user, method="proconnect")


DEACTIVATED = "Votre compte Comité est désactivé. Contactez le secrétariat du comité."
