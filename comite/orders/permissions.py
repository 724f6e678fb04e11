"""Who may change the catalogue of UO, the framework contracts and their prices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from comite.auth.permissions import Verdict, has_any_role
from comite.auth.roles import Role

if TYPE_CHECKING:
    from comite.auth.models import User


def can_manage_catalogue(user: User) -> Verdict:
    """Only the committee's secretariat manages contracts, unit prices and UO types."""
    return has_any_role(user, Role.ADMIN)


def can_read_orders(user: User) -> Verdict:
    """The secretariat drafts purchase orders; the DSAF reads them."""
    return has_any_role(user, Role.ADMIN, Role.FINANCE)


def can_draft_orders(user: User) -> Verdict:
    """The secretariat turns a published budget into draft purchase orders."""
    return has_any_role(user, Role.ADMIN)


def can_engage_orders(user: User) -> Verdict:
    """Only the DSAF records the legal commitment of an order."""
    return has_any_role(user, Role.FINANCE)


def can_cancel_orders(user: User) -> Verdict:
    """The secretariat or the DSAF cancels an order not yet engaged."""
    return has_any_role(user, Role.ADMIN, Role.FINANCE)


def can_declare_consumption(user: User) -> Verdict:
    """The secretariat or the DSAF records the days declared done on an engaged order."""
    return has_any_role(user, Role.ADMIN, Role.FINANCE)
