"""The secretariat's verbs on accounts: invite, change roles, deactivate, reactivate."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comite.auth.models import User, UserRole
from comite.auth.queries import find_user_by_email
from comite.auth.roles import Role
from comite.core import audit
from comite.core.errors import DomainError

DUPLICATE_EMAIL = "Un compte existe déjà avec cette adresse électronique."
NO_ROLE = "Choisissez au moins un rôle ; pour retirer tout accès, désactivez le compte."
OWN_ADMIN_ROLE = (
    "Vous ne pouvez pas retirer votre propre rôle de secrétariat du comité : "
    "demandez-le à un autre membre du secrétariat."
)
OWN_ACCOUNT = (
    "Vous ne pouvez pas désactiver votre propre compte : "
    "demandez-le à un autre membre du secrétariat."
)


def _sorted_values(roles: Iterable[Role]) -> list[str]:
    return sorted(role.value for role in roles)


def invite_user(
    session: Session,
    email: str,
    roles: set[Role],
    actor: User,
    given_name: str = "",
    usual_name: str = "",
) -> User:
    """Create an active account for this email (unique in any case), ready for ProConnect."""
    email = email.strip()
    if not roles:
        raise DomainError("Choisissez au moins un rôle.", field="roles")
    if session.scalar(find_user_by_email(email)) is not None:
        raise DomainError(DUPLICATE_EMAIL, field="email")
    user = User(
        email=email,
        given_name=given_name.strip(),
        usual_name=usual_name.strip(),
        is_active=True,
        role_grants=[UserRole(role=role) for role in sorted(roles)],
    )
    try:
        # Another invitation may have taken the email since the check above.
        with session.begin_nested():
            session.add(user)
            session.flush()
    except IntegrityError as error:
        raise DomainError(DUPLICATE_EMAIL, field="email") from error
    audit.record(
        session, "user.invited", user, actor=actor, email=email, roles=_sorted_values(roles)
    )
    session.flush()
    return user


def change_roles(session: Session, user: User, roles: set[Role], actor: User) -> bool:
    """Give the user exactly these roles; an admin never removes their own admin role.

    Returns whether anything changed (nothing is written otherwise).
    """
    if not roles:
        raise DomainError(NO_ROLE, field="roles")
    if user.id == actor.id and Role.ADMIN in user.roles and Role.ADMIN not in roles:
        raise DomainError(OWN_ADMIN_ROLE, field="roles")
    before = user.roles
    if before == roles:
        return False
    user.role_grants = [grant for grant in user.role_grants if grant.role in roles] + [
        UserRole(role=role) for role in sorted(roles - before)
    ]
    audit.record(
        session,
        "user.roles_changed",
        user,
        actor=actor,
        before=_sorted_values(before),
        after=_sorted_values(roles),
    )
    session.flush()
    return True


def deactivate_user(session: Session, user: User, actor: User) -> bool:
    """Close an account: its next request is logged out; an admin never closes their own."""
    if user.id == actor.id:
        raise DomainError(OWN_ACCOUNT)
    if not user.is_active:
        return False
    user.is_active = False
    # Reactivating the account later must not revive the sessions it had.
    user.end_sessions()
    audit.record(session, "user.deactivated", user, actor=actor)
    session.flush()
    return True


def reactivate_user(session: Session, user: User, actor: User) -> bool:
    """Open a closed account again, with the roles it had."""
    if user.is_active:
        return False
    user.is_active = True
    audit.record(session, "user.reactivated", user, actor=actor)
    session.flush()
    return True
