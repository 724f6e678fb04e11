"""The secretariat's séances: the list, planning, convening, the agenda, the state of the
séance, the live walk through the agenda (with the president) and the invitation."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from comite.auth.models import User
from comite.auth.permissions import Verdict, permission_required, require
from comite.auth.services import acting_user
from comite.committee import admin_queries as queries
from comite.committee import services
from comite.committee.admin_forms import AgendaForm, ConveneForm, MeetingForm, TransitionForm
from comite.committee.invitation import meeting_calendar
from comite.committee.models import AgendaItem, Meeting
from comite.committee.permissions import (
    can_list_meetings,
    can_manage_meetings,
    can_run_meeting,
    can_see_meeting,
)
from comite.committee.workflow import MEETING_TRANSITIONS, ItemState, MeetingState
from comite.core.errors import DomainError
from comite.core.formatting import today_in_paris
from comite.core.forms import ButtonForm, refuse_in_form
from comite.core.htmx import render_page_or_fragment
from comite.core.models import utcnow
from comite.extensions import db

bp = Blueprint("committee_admin", __name__, url_prefix="/seances")


def _load_meeting(meeting_id: int) -> Meeting:
    meeting = queries.load_meeting_for_secretariat(db.session, meeting_id)
    if meeting is None:
        abort(404, description="Cette séance n'existe pas.")
    return meeting


def _load_item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = next((item for item in meeting.items if item.id == item_id), None)
    if item is None:
        abort(404, description="Ce point n'est pas à l'ordre du jour de cette séance.")
    return item


def can_download_invitation(user: User, meeting: Meeting) -> Verdict:
    """Whoever may see the séance adds it to their calendar: the secretariat always,
    convened members once the agenda is published."""
    return can_see_meeting(user, meeting)


# -- the list ---------------------------------------------------------------------------


@bp.get("")
@permission_required(can_list_meetings)
def list_meetings():
    return render_template(
        "committee/admin/list.html",
        rows=queries.meetings_for(db.session, current_user),
        manages=bool(can_manage_meetings(current_user)),
    )


# -- planning ---------------------------------------------------------------------------


@bp.route("/nouvelle", methods=["GET", "POST"])
@permission_required(can_manage_meetings)
def create_meeting():
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            meeting = services.create_meeting(db.session, form.details(), acting_user())
        except DomainError as error:
            refuse_in_form(form, error)
        else:
            db.session.commit()
            flash(
                f"La séance « {meeting.title} » est planifiée : convoquez ses membres et "
                "composez son ordre du jour.",
                "success",
            )
            return redirect(url_for("committee_admin.manage_meeting", meeting_id=meeting.id), 303)
    return render_template(
        "committee/admin/form.html", form=form, meeting=None
    ), 422 if form.errors else 200


@bp.route("/<int:meeting_id>/modifier", methods=["GET", "POST"])
@permission_required(can_manage_meetings)
def edit_meeting(meeting_id: int):
    meeting = _load_meeting(meeting_id)
    form = MeetingForm() if request.method == "POST" else MeetingForm.for_meeting(meeting)
    if form.validate_on_submit():
        try:
            services.update_meeting(db.session, meeting, form.details(), acting_user())
        except DomainError as error:
            refuse_in_form(form, error)
        else:
            db.session.commit()
            flash("Les modalités de la séance sont enregistrées.", "success")
            return redirect(url_for("committee_admin.manage_meeting", meeting_id=meeting.id), 303)
    return render_template(
        "committee/admin/form.html", form=form, meeting=meeting
    ), 422 if form.errors else 200


# -- management: members, agenda, state ---------------------------------------------------


def _convene_form(meeting: Meeting, formdata: Any = None) -> ConveneForm:
    convened = [member.user_id for member in meeting.members]
    if formdata is None:
        president = meeting.president
        form = ConveneForm(
            formdata=None,
            data={
                "members": [str(user_id) for user_id in convened],
                "president": str(president.user_id) if president else None,
            },
        )
    else:
        form = ConveneForm()
    form.set_candidates(queries.committee_members(db.session, also=convened))
    return form


def _render_management(
    meeting: Meeting,
    convene_form: ConveneForm | None = None,
    status: int = 200,
    refusal: str | None = None,
):
    return render_template(
        "committee/admin/manage.html",
        meeting=meeting,
        convene_form=convene_form or _convene_form(meeting),
        submitted=queries.submitted_versions(db.session)
        if meeting.state is MeetingState.PLANNED
        else [],
        button=ButtonForm(),
        agenda_form=AgendaForm(),
        transitions=_transitions(meeting),
        refusal=refusal,
    ), status


def _transitions(meeting: Meeting) -> list[tuple[str, str]]:
    """The state changes the séance allows now: (verb, French label)."""
    return [
        (verb, label)
        for verb, (source, _target, label) in MEETING_TRANSITIONS.items()
        if source is meeting.state
    ]


def _refuse(meeting_id: int, error: DomainError):
    """A refusal of the service: nothing is kept, the page says why in a DSFR alert."""
    db.session.rollback()
    return _render_management(_load_meeting(meeting_id), status=422, refusal=error.message)


@bp.get("/<int:meeting_id>/gestion")
@permission_required(can_manage_meetings)
def manage_meeting(meeting_id: int):
    return _render_management(_load_meeting(meeting_id))


@bp.post("/<int:meeting_id>/gestion/membres")
@permission_required(can_manage_meetings)
def convene_members(meeting_id: int):
    meeting = _load_meeting(meeting_id)
    form = _convene_form(meeting, formdata=request.form)
    if form.validate():
        ids = form.member_ids()
        president_id = form.president_id()
        found = queries.users_by_id(db.session, [*(ids or []), president_id or 0])
        if ids is None or any(user_id not in found for user_id in ids):
            form.members.errors = [*form.members.errors, "Ce compte n'existe pas."]
        elif president_id not in found:
            form.president.errors = [*form.president.errors, "Ce compte n'existe pas."]
        else:
            try:
                services.convene(
                    db.session,
                    meeting,
                    [found[user_id] for user_id in ids],
                    found[president_id],
                    acting_user(),
                )
            except DomainError as error:
                refuse_in_form(form, error)
            else:
                db.session.commit()
                flash("Les membres convoqués et le président sont enregistrés.", "success")
                return redirect(
                    url_for("committee_admin.manage_meeting", meeting_id=meeting.id) + "#membres",
                    303,
                )
    return _render_management(_load_meeting(meeting_id), convene_form=form, status=422)


@bp.post("/<int:meeting_id>/gestion/ordre-du-jour")
@permission_required(can_manage_meetings)
def add_to_agenda(meeting_id: int):
    meeting = _load_meeting(meeting_id)
    form = AgendaForm()
    if not form.validate():
        abort(400)
    version = next(
        (v for v in queries.submitted_versions(db.session) if str(v.id) == form.version_id.data),
        None,
    )
    if version is None:
        return _refuse(
            meeting_id,
            DomainError("Seul un dossier déposé peut être inscrit à l'ordre du jour."),
        )
    try:
        services.add_to_agenda(db.session, meeting, version, acting_user())
    except DomainError as error:
        return _refuse(meeting_id, error)
    db.session.commit()
    flash(f"{version.dossier.startup.name} est inscrite à l'ordre du jour.", "success")
    return redirect(
        url_for("committee_admin.manage_meeting", meeting_id=meeting.id) + "#ordre-du-jour", 303
    )


@bp.post("/<int:meeting_id>/gestion/points/<int:item_id>/retirer")
@permission_required(can_manage_meetings)
def remove_from_agenda(meeting_id: int, item_id: int):
    meeting = _load_meeting(meeting_id)
    item = _load_item(meeting, item_id)
    if not ButtonForm().validate():
        abort(400)
    name = item.startup.name
    try:
        services.remove_from_agenda(db.session, item, acting_user())
    except DomainError as error:
        return _refuse(meeting_id, error)
    db.session.commit()
    flash(f"{name} est retirée de l'ordre du jour ; son dossier reste déposé.", "success")
    return redirect(
        url_for("committee_admin.manage_meeting", meeting_id=meeting.id) + "#ordre-du-jour", 303
    )


@bp.post("/<int:meeting_id>/etat")
@permission_required(can_manage_meetings)
def advance_meeting(meeting_id: int):
    meeting = _load_meeting(meeting_id)
    form = TransitionForm()
    if not form.validate():
        abort(400)
    verb = form.verb.data
    try:
        services.advance_meeting(db.session, meeting, verb, acting_user())
    except DomainError as error:
        return _refuse(meeting_id, error)
    db.session.commit()
    flash(f"La séance est maintenant « {meeting.state.label} ».", "success")
    if verb == "start":
        return redirect(url_for("committee_admin.run_meeting", meeting_id=meeting.id), 303)
    return redirect(url_for("committee_admin.manage_meeting", meeting_id=meeting.id), 303)


# -- the séance en cours ------------------------------------------------------------------


def _live_context(meeting: Meeting, refusal: str | None = None) -> dict[str, Any]:
    open_item = next((item for item in meeting.items if item.state is ItemState.OPEN), None)
    manages = bool(can_manage_meetings(current_user))
    return {
        "meeting": meeting,
        "open_item": open_item,
        "participation": queries.participation(open_item) if open_item else None,
        "decisions": queries.decisions_by_item(db.session, meeting),
        "stamp": queries.live_stamp(db.session, meeting.id),
        "button": ButtonForm(),
        "manages": manages,
        "transitions": _transitions(meeting) if manages else [],
        "refusal": refusal,
    }


def _render_live(meeting: Meeting, status: int = 200, refusal: str | None = None):
    return render_page_or_fragment(
        "committee/admin/live.html",
        "committee/admin/_live.html",
        status=status,
        **_live_context(meeting, refusal),
    )


@bp.get("/<int:meeting_id>/en-cours")
@permission_required(can_list_meetings)
def run_meeting(meeting_id: int):
    meeting = _load_meeting(meeting_id)
    require(can_run_meeting(current_user, meeting))
    return _render_live(meeting)


@bp.get("/<int:meeting_id>/en-cours/etat")
@permission_required(can_list_meetings)
def live_state(meeting_id: int):
    """Polled by htmx every few seconds: 204 when nothing changed since `depuis`."""
    meeting = db.session.get(Meeting, meeting_id) or abort(404)
    require(can_run_meeting(current_user, meeting))
    if request.args.get("depuis") == queries.live_stamp(db.session, meeting_id):
        response = make_response("", 204)
        response.vary.add("HX-Request")
        return response
    return _render_live(_load_meeting(meeting_id))


def _run_item(meeting_id: int, item_id: int, action: str):
    meeting = _load_meeting(meeting_id)
    require(can_run_meeting(current_user, meeting))
    item = _load_item(meeting, item_id)
    if not ButtonForm().validate():
        abort(400)
    try:
        if action == "open":
            services.open_item(db.session, item, acting_user())
            message = f"Le vote sur {item.startup.name} est ouvert."
        elif action == "remind":
            require(can_manage_meetings(current_user))
            reminded = services.remind_non_voters(db.session, item, acting_user())
            message = (
                f"Relance envoyée par courriel à {reminded} membre{'s' if reminded > 1 else ''}."
                if reminded
                else "Aucun courriel de relance à envoyer : les membres qui n'ont pas voté "
                "ont désactivé les relances."
            )
        else:
            services.close_item(db.session, item, acting_user(), today=today_in_paris())
            message = f"Le vote sur {item.startup.name} est clos : {item.result_text}"
    except DomainError as error:
        db.session.rollback()
        return _render_live(_load_meeting(meeting_id), status=422, refusal=error.message)
    db.session.commit()
    flash(message, "success")
    return redirect(
        url_for("committee_admin.run_meeting", meeting_id=meeting.id) + f"#point-{item.id}", 303
    )


@bp.post("/<int:meeting_id>/en-cours/points/<int:item_id>/ouvrir")
@permission_required(can_list_meetings)
def open_item(meeting_id: int, item_id: int):
    return _run_item(meeting_id, item_id, "open")


@bp.post("/<int:meeting_id>/en-cours/points/<int:item_id>/clore")
@permission_required(can_list_meetings)
def close_item(meeting_id: int, item_id: int):
    return _run_item(meeting_id, item_id, "close")


@bp.post("/<int:meeting_id>/en-cours/points/<int:item_id>/relance")
@permission_required(can_list_meetings)
def remind_voters(meeting_id: int, item_id: int):
    """One click: the members who have not voted on the open item get an e-mail."""
    return _run_item(meeting_id, item_id, "remind")


# -- the invitation -------------------------------------------------------------------------


@bp.get("/<int:meeting_id>/invitation.ics")
@permission_required(can_list_meetings)
def download_invitation(meeting_id: int):
    meeting = _load_meeting(meeting_id)
    require(can_download_invitation(current_user, meeting))
    agenda = (
        []
        if meeting.state is MeetingState.PLANNED
        else [
            f"{item.startup.name} – {item.dossier_version.dossier.kind.label}, "
            f"version {item.dossier_version.number}"
            for item in meeting.items
        ]
    )
    page = (
        "committee_admin.manage_meeting"
        if can_manage_meetings(current_user)
        else "committee.show_meeting"
    )
    body = meeting_calendar(
        meeting,
        uid_domain=request.host.split(":")[0],
        url=url_for(page, meeting_id=meeting.id, _external=True),
        agenda=agenda,
        now=utcnow(),
    )
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="seance-{meeting.id}.ics"'
    return response
