"""Who may do what: one verdict per question, with the reason a refusal gives."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from flask import abort
from flask_login import current_user

from comite.auth.roles import Role

if TYPE_CHECKING:
    from comite.auth.models import User
    from comite.startups.models import Startup

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Verdict(True)


def has_any_role(user: User, *roles: Role) -> Verdict:
    """A user passes when they hold at least one of the roles (any role when none is named)."""
    if not user.is_authenticated:
        return Verdict(False, "Connectez-vous pour accéder à cette page.")
    wanted = set(roles) or set(Role)
    if user.roles.isdisjoint(wanted):
        if not user.roles:
            return Verdict(
                False,
                "Votre compte n'a pas encore de rôle : le secrétariat du comité "
                "vous donnera accès.",
            )
        names = ", ".join(role.label.lower() for role in sorted(wanted))
        return Verdict(False, f"Cette page est réservée aux rôles suivants : {names}.")
    return ALLOWED


def can_browse_startups(user: User) -> Verdict:
    """Every person with a role in Comité may browse the startups of the incubators."""
    return has_any_role(user)


def can_read_audit_log(user: User) -> Verdict:
    """Only the committee's secretariat reads the audit log."""
    return has_any_role(user, Role.ADMIN)


def can_administer(user: User) -> Verdict:
    """Only the committee's secretariat opens the administration pages."""
    return has_any_role(user, Role.ADMIN)


def can_manage_users(user: User) -> Verdict:
    """Only the committee's secretariat invites people, gives roles and deactivates accounts."""
    return has_any_role(user, Role.ADMIN)


def can_manage_incubators(user: User) -> Verdict:
    """Only the committee's secretariat creates and renames incubators."""
    return has_any_role(user, Role.ADMIN)


def can_manage_startups(user: User) -> Verdict:
    """Only the committee's secretariat creates and edits startups."""
    return has_any_role(user, Role.ADMIN)


def can_manage_team(user: User, startup: Startup) -> Verdict:
    """Only the committee's secretariat adds people to a startup's team or removes them."""
    return has_any_role(user, Role.ADMIN)


def require(verdict: Verdict) -> None:
    """Stop the request with a French 403 page giving the verdict's reason."""
    if not verdict:
        abort(403, description=verdict.reason)


def permission_required(
    check: Callable[[User], Verdict],
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Guard a view: anonymous people go to the login page, others need check() to allow."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            from comite.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            require(check(current_user))
            return view(*args, **kwargs)

        return wrapped

    return decorator
