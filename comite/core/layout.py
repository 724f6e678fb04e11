"""What every page's layout needs: the navigation for the user's roles."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

from comite.auth.permissions import can_administer, can_browse_startups, can_read_audit_log
from comite.committee.permissions import can_list_meetings
from comite.orders.permissions import can_read_orders


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


# (label, endpoint, who sees it, the endpoint prefix that marks it current)
_NAVIGATION = (
    ("Accueil", "core.home", None, "core.home"),
    ("Startups", "startups.list_startups", can_browse_startups, "startups."),
    ("Séances", "committee_admin.list_meetings", can_list_meetings, "committee"),
    ("Exports", "exports.index", can_read_orders, "exports."),
    ("Administration", "admin.index", can_administer, "admin."),
    ("Journal d'audit", "core.list_audit_events", can_read_audit_log, "core.list_audit_events"),
)


def navigation_items() -> list[NavItem]:
    endpoint = request.endpoint or ""
    items = []
    for label, target, check, prefix in _NAVIGATION:
        if check is not None and not check(current_user):
            continue
        items.append(NavItem(label, url_for(target), endpoint.startswith(prefix)))
    return items


def register_layout(app: Flask) -> None:
    app.jinja_env.globals["navigation_items"] = navigation_items
    app.jinja_env.globals["SERVICE_NAME"] = "Comité"
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
