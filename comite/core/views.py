"""Home, health checks, the accessibility statement and the audit log."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from comite.auth.permissions import can_read_audit_log, permission_required
from comite.core.audit_log import AuditFilterForm, audit_events
from comite.core.formatting import today_in_paris
from comite.core.next_steps import next_steps_of
from comite.core.pagination import page_number
from comite.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    """What the person has to do next, block by block for their roles; a presentation of
    Comité to anonymous visitors."""
    steps = None
    if current_user.is_authenticated:
        steps = next_steps_of(db.session, current_user, today_in_paris())
    return render_template("core/home.html", steps=steps)


@bp.get("/healthz")
def healthz():
    """Liveness: the process answers, without touching the database."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """Readiness: the database answers."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return {"status": "indisponible", "database": "injoignable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.get("/accessibilite")
def accessibility():
    return render_template("core/accessibility.html")


AUDIT_EVENTS_PER_PAGE = 50


@bp.get("/admin/journal")
@permission_required(can_read_audit_log)
def list_audit_events():
    form = AuditFilterForm(request.args).prepare(db.session)
    valid = form.validate()
    page = page_number()
    events = db.paginate(
        audit_events(form if valid else None),
        page=page,
        per_page=AUDIT_EVENTS_PER_PAGE,
        error_out=False,
    )
    filters = {name: value for name, value in request.args.items() if name != "page" and value}
    return render_template(
        "core/audit_log.html",
        events=events,
        form=form,
        page_url=lambda number: url_for("core.list_audit_events", page=number, **filters),
    ), 200 if valid else 422
