"""Decisions (read, complete, publish, correct), a startup's decision history and the
minutes (relevé de décisions) of a séance, as a page and as a PDF."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from comite.auth.models import User
from comite.auth.permissions import ALLOWED, Verdict, has_any_role, require
from comite.auth.roles import Role
from comite.auth.services import acting_user
from comite.committee import decision_queries as queries
from comite.committee import services
from comite.committee.decision_forms import DecisionActionForm, DecisionForm
from comite.committee.models import Decision, Meeting
from comite.committee.permissions import (
    can_manage_decisions,
    can_read_decision,
    can_read_history,
    can_see_meeting,
)
from comite.committee.workflow import Choice, DecisionState, MeetingState
from comite.core.errors import DomainError
from comite.core.formatting import today_in_paris
from comite.core.forms import refuse_in_form
from comite.core.htmx import render_page_or_fragment, wants_fragment
from comite.dossiers.permissions import can_read_version
from comite.dossiers.workflow import DossierKind
from comite.extensions import db
from comite.orders.models import WorkUnitType
from comite.orders.order_views import orders_of
from comite.orders.permissions import can_draft_orders, can_read_orders
from comite.startups.queries import startup_by_slug
from comite.startups.workflow import Phase

bp = Blueprint("decisions", __name__)

MINUTES_STYLESHEET = "minutes-print.css"


def can_read_minutes(user: User, meeting: Meeting) -> Verdict:
    """The secretariat always; convened members once the séance has opened."""
    verdict = can_see_meeting(user, meeting)
    if not verdict or has_any_role(user, Role.ADMIN):
        return verdict
    if meeting.state not in (MeetingState.IN_PROGRESS, MeetingState.CLOSED):
        return Verdict(False, "Le relevé de décisions est disponible une fois la séance ouverte.")
    return ALLOWED


@bp.context_processor
def decision_labels() -> dict:
    """Labels the decision templates read from the frozen record's codes."""
    return {
        "choice_labels": {choice.value: choice.label for choice in Choice},
        "phase_labels": {phase.value: phase.label for phase in Phase},
        "dossier_kind_labels": {kind.value: kind.label for kind in DossierKind},
        "budget_days": queries.budget_days,
        "total_quantity": queries.total_quantity,
    }


def _load_decision(decision_id: int) -> Decision:
    return queries.load_decision(db.session, decision_id) or abort(
        404, description="Cette décision n'existe pas."
    )


def _work_unit_choices(decision: Decision) -> list[tuple[str, str]]:
    """The active catalogue, and the UO the decision already uses even if retired since."""
    used = {line.work_unit_type.code for line in decision.budget_lines}
    units = db.session.scalars(
        sa.select(WorkUnitType)
        .where(sa.or_(WorkUnitType.is_active, WorkUnitType.code.in_(used)))
        .order_by(WorkUnitType.id)
    )
    return [(unit.code, f"{unit.code} – {unit.label}") for unit in units]


def _render_decision(decision: Decision, status: int = 200, refusal: str | None = None):
    correction = queries.correction_of(db.session, decision)
    if correction is not None and not can_read_decision(current_user, correction):
        correction = None
    supersedes = decision.supersedes
    if supersedes is not None and not can_read_decision(current_user, supersedes):
        supersedes = None
    item = decision.agenda_item
    return render_template(
        "committee/decisions/show.html",
        decision=decision,
        record=decision.record or {},
        correction=correction,
        supersedes=supersedes,
        can_manage=bool(can_manage_decisions(current_user)),
        action_form=DecisionActionForm(),
        refusal=refusal,
        orders=orders_of(decision) if can_read_orders(current_user) else [],
        can_draft_orders=bool(can_draft_orders(current_user)),
        minutes_readable=item is not None and bool(can_read_minutes(current_user, item.meeting)),
        version_readable=item is not None
        and bool(can_read_version(current_user, item.dossier_version)),
    ), status


@bp.get("/decisions/<int:decision_id>")
@login_required
def show_decision(decision_id: int):
    decision = _load_decision(decision_id)
    require(can_read_decision(current_user, decision))
    return _render_decision(decision)


def _render_edit(decision: Decision, form: DecisionForm, status: int = 200):
    return render_page_or_fragment(
        "committee/decisions/edit.html",
        "committee/decisions/_form.html",
        status=status,
        decision=decision,
        form=form,
    )


@bp.route("/decisions/<int:decision_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_decision(decision_id: int):
    decision = _load_decision(decision_id)
    require(can_manage_decisions(current_user))
    if decision.state is not DecisionState.DRAFT:
        flash("Cette décision est publiée : corrigez-la par une nouvelle décision.", "info")
        return redirect(url_for("decisions.show_decision", decision_id=decision.id), 303)
    choices = _work_unit_choices(decision)
    if request.method == "GET":
        return _render_edit(decision, DecisionForm.for_decision(decision, choices))

    form = DecisionForm(work_unit_codes=choices)
    action = request.form.get("action", "save")
    if action != "save":
        # A budget line added or removed: the form comes back, nothing is saved yet.
        return _render_edit(decision, form.row_changed(action, choices))
    if form.validate():
        try:
            services.update_decision(db.session, decision, form.to_details(), acting_user())
        except DomainError as error:
            refuse_in_form(form, error)
        else:
            db.session.commit()
            flash("Projet de décision enregistré.", "success")
            return _redirect(url_for("decisions.show_decision", decision_id=decision.id))
    return _render_edit(decision, form, 422)


def _redirect(url: str):
    """A 303 for browsers; htmx is told to load the page itself (HX-Redirect)."""
    if wants_fragment():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


@bp.post("/decisions/<int:decision_id>/publication")
@login_required
def publish_decision(decision_id: int):
    decision = _load_decision(decision_id)
    require(can_manage_decisions(current_user))
    DecisionActionForm().validate()
    try:
        services.publish_decision(db.session, decision, acting_user(), today=today_in_paris())
    except DomainError as error:
        db.session.rollback()
        return _render_decision(decision, 422, refusal=error.message)
    db.session.commit()
    flash(
        f"Décision publiée : {decision.startup.name} passe en phase "
        f"« {decision.next_phase.label} ».",
        "success",
    )
    return redirect(url_for("decisions.show_decision", decision_id=decision.id), 303)


@bp.post("/decisions/<int:decision_id>/correction")
@login_required
def supersede_decision(decision_id: int):
    decision = _load_decision(decision_id)
    require(can_manage_decisions(current_user))
    DecisionActionForm().validate()
    try:
        correction = services.supersede_decision(db.session, decision, acting_user())
    except DomainError as error:
        db.session.rollback()
        return _render_decision(decision, 422, refusal=error.message)
    db.session.commit()
    flash(
        "Correction créée en projet : modifiez-la puis publiez-la ; elle remplacera "
        "la décision publiée.",
        "success",
    )
    return redirect(url_for("decisions.edit_decision", decision_id=correction.id), 303)


# -- a startup's history --------------------------------------------------------------------


@bp.get("/startups/<slug>/historique")
@login_required
def startup_history(slug: str):
    startup = db.session.scalar(startup_by_slug(slug)) or abort(
        404, description="Cette startup n'existe pas."
    )
    require(can_read_history(current_user, startup))
    return render_template(
        "startups/history.html",
        startup=startup,
        entries=queries.startup_timeline(db.session, startup, current_user),
    )


# -- minutes ------------------------------------------------------------------------------


def _minutes(meeting_id: int) -> queries.Minutes:
    meeting = queries.load_meeting(db.session, meeting_id) or abort(
        404, description="Cette séance n'existe pas."
    )
    require(can_read_minutes(current_user, meeting))
    return queries.meeting_minutes(
        db.session, meeting, with_drafts=bool(can_manage_decisions(current_user))
    )


@bp.get("/seances/<int:meeting_id>/releve")
@login_required
def show_minutes(meeting_id: int):
    return render_template("committee/decisions/minutes.html", minutes=_minutes(meeting_id))


@bp.get("/seances/<int:meeting_id>/releve.pdf")
@login_required
def download_minutes(meeting_id: int):
    from weasyprint import CSS, HTML  # loaded on demand: it pulls in Pango
    from weasyprint.text.fonts import FontConfiguration

    minutes = _minutes(meeting_id)
    meeting = minutes.meeting
    static = Path(current_app.static_folder or "static")
    document = HTML(
        string=render_template(
            "committee/decisions/minutes_print.html", minutes=minutes, today=today_in_paris()
        ),
        base_url=str(static),
    )
    # The print stylesheet's @font-face (Marianne) needs one font configuration for both.
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(static / MINUTES_STYLESHEET), font_config=fonts)
    pdf = document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="releve-seance-{meeting.id}.pdf"'
    )
    return response
