"""The committee members' side of a séance: the agenda, conflicts of interest, proxies,
written questions and their answers, and the vote itself."""

from __future__ import annotations

import sqlalchemy as sa
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
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from comite.auth.models import User
from comite.auth.permissions import ALLOWED, Verdict, require
from comite.auth.services import acting_user
from comite.committee import services
from comite.committee.forms import AnswerForm, ProxyForm, QuestionForm, RecusalForm, VoteForm
from comite.committee.models import AgendaItem, Meeting, MeetingMember, Question, Recusal, Vote
from comite.committee.permissions import can_run_meeting, can_see_meeting, is_convened
from comite.committee.workflow import Choice, ItemState, MeetingState
from comite.core.errors import DomainError
from comite.core.htmx import render_page_or_fragment, wants_fragment
from comite.dossiers.models import Dossier, DossierVersion
from comite.dossiers.permissions import is_team_member
from comite.extensions import db
from comite.startups.models import Startup

bp = Blueprint("committee", __name__, url_prefix="/seances")


def load_meeting(meeting_id: int) -> Meeting:
    meeting = db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            # The convened members' names; their own roles are not needed here.
            selectinload(Meeting.members).joinedload(MeetingMember.user).lazyload(User.role_grants),
            selectinload(Meeting.proxies),
            # Each item with its version, dossier and startup in one query. A version's
            # content is read only on its own item's page (one query there).
            selectinload(Meeting.items)
            .joinedload(AgendaItem.dossier_version)
            .defer(DossierVersion.content_json)
            .joinedload(DossierVersion.dossier)
            .joinedload(Dossier.startup)
            .selectinload(Startup.memberships),
        )
    )
    if meeting is None:
        abort(404, description="Cette séance n'existe pas.")
    return meeting


def load_item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = next((item for item in meeting.items if item.id == item_id), None)
    if item is None:
        abort(404, description="Ce point n'est pas à l'ordre du jour de cette séance.")
    return item


def can_see_item(user: User, item: AgendaItem) -> Verdict:
    """Convened members (and the secretariat) see the item; once the agenda is published,
    the startup's team comes to answer the written questions (it does not see the vote)."""
    verdict = can_see_meeting(user, item.meeting)
    if verdict:
        return verdict
    if is_team_member(user, item.startup) and item.meeting.state is not MeetingState.PLANNED:
        return ALLOWED
    return verdict


@bp.get("/<int:meeting_id>")
@login_required
def show_meeting(meeting_id: int):
    meeting = load_meeting(meeting_id)
    require(can_see_meeting(current_user, meeting))
    convened = is_convened(current_user, meeting)
    proxy_form = None
    if convened and not any(p.giver_id == current_user.id for p in meeting.proxies):
        proxy_form = ProxyForm()
        proxy_form.holder.choices = _holder_choices(meeting)
    return render_template(
        "committee/meeting.html",
        meeting=meeting,
        convened=convened,
        proxy_form=proxy_form,
        can_run=bool(can_run_meeting(current_user, meeting)),
    )


def _holder_choices(meeting: Meeting) -> list[SelectChoice]:
    holders = {proxy.holder_id for proxy in meeting.proxies}
    return [SelectChoice("", "Choisir un membre")] + [
        SelectChoice(str(member.user_id), member.user.full_name)
        for member in meeting.members
        if member.user_id != current_user.id and member.user_id not in holders
    ]


@bp.post("/<int:meeting_id>/pouvoir")
@login_required
def give_proxy(meeting_id: int):
    meeting = load_meeting(meeting_id)
    require(can_see_meeting(current_user, meeting))
    form = ProxyForm()
    form.holder.choices = _holder_choices(meeting)
    if form.validate():
        holder = next(m.user for m in meeting.members if str(m.user_id) == form.holder.data)
        try:
            services.give_proxy(db.session, meeting, acting_user(), holder)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        except sa.exc.IntegrityError:
            db.session.rollback()
            flash("Ce pouvoir vient d'être enregistré par ailleurs : rechargez la page.", "error")
        else:
            flash(
                f"Vous avez donné votre pouvoir à {holder.full_name} pour cette séance.", "success"
            )
    else:
        flash("Choisissez le membre qui portera votre pouvoir.", "error")
    return redirect(url_for("committee.show_meeting", meeting_id=meeting.id), 303)


def _item_context(item: AgendaItem) -> dict:
    meeting = item.meeting
    me = current_user
    convened = is_convened(me, meeting)
    recused = {recusal.user_id: recusal for recusal in item.recusals}
    ballots = item.current_ballots()
    # The votes this member casts: their own, and the one of the member whose proxy they hold.
    voters = []
    gave_proxy = any(proxy.giver_id == me.id for proxy in meeting.proxies)
    if convened and item.state is ItemState.OPEN:
        if me.id not in recused and not gave_proxy:
            voters.append(me)
        for proxy in meeting.proxies:
            if proxy.holder_id == me.id and proxy.giver_id not in recused:
                voters.append(proxy.giver)
    return {
        "meeting": meeting,
        "item": item,
        "convened": convened,
        "sees_vote": bool(can_see_meeting(me, meeting)),
        "team": is_team_member(me, item.startup),
        "recused": recused,
        "ballots": ballots,
        "voters": voters,
        "vote_forms": {voter.id: VoteForm(voter=voter.id) for voter in voters},
        "result": services.item_result(item),
        "stamp": participation_stamp(item),
    }


@bp.get("/<int:meeting_id>/points/<int:item_id>")
@login_required
def show_item(meeting_id: int, item_id: int):
    meeting = load_meeting(meeting_id)
    item = load_item(meeting, item_id)
    require(can_see_item(current_user, item))
    return _render_item(item)


def _render_item(item: AgendaItem, fragment: str | None = None):
    """The item page (or, for htmx, one of its fragments)."""
    context = {
        "recusal_form": RecusalForm(),
        "question_form": QuestionForm(),
        "answer_form": AnswerForm(),
        **_item_context(item),
    }
    if fragment is None:
        return render_template("committee/item.html", **context)
    return render_page_or_fragment("committee/item.html", fragment, **context)


@bp.post("/<int:meeting_id>/points/<int:item_id>/vote")
@login_required
def cast_vote(meeting_id: int, item_id: int):
    meeting = load_meeting(meeting_id)
    item = load_item(meeting, item_id)
    require(can_see_meeting(current_user, meeting))
    form = VoteForm()
    status = 200
    member = next((m for m in meeting.members if m.user_id == form.voter.data), None)
    if not form.validate():
        # The comment's own message when it is the comment that is wrong.
        errors = form.comment.errors or ["Choisissez continuer, arrêter ou abstention."]
        message, category, status = errors[0], "error", 422
    elif member is None:
        message = "Ce vote est pour un membre qui n'est pas convoqué à cette séance."
        category, status = "error", 422
    else:
        voter = member.user
        try:
            services.cast_vote(
                db.session,
                item,
                acting_user(),
                voter,
                Choice(form.choice.data),
                form.comment.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            message, category, status = error.message, "error", 409
        else:
            _commit_keeping_the_page(item)
            whose = "Votre vote" if voter.id == current_user.id else f"Le vote de {voter.full_name}"
            message = f"{whose} est enregistré : {Choice(form.choice.data).label.lower()}."
            category = "success"
    if wants_fragment():
        if status == 409:  # the refusal rolled back: everything is read again
            item = load_item(load_meeting(meeting_id), item_id)
        response = make_response(
            render_template(
                "committee/_vote_panel.html",
                message=message,
                category=category,
                refresh_participation=True,
                **_item_context(item),
            ),
            status,
        )
        response.vary.add("HX-Request")
        return response
    flash(message, category)
    return redirect(url_for("committee.show_item", meeting_id=meeting_id, item_id=item_id), 303)


def _commit_keeping_the_page(item: AgendaItem) -> None:
    """Commit a vote without expiring the séance just loaded: only what a vote changes (the
    item's votes, recusals and state, which other members may have changed too) is read
    again for the answer, not the whole séance."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    session.expire(item, ["votes", "recusals", "state"])


def participation_stamp(item: AgendaItem) -> str:
    """Changes whenever the participation shown could change: cheap to compute."""
    votes = db.session.scalar(
        sa.select(sa.func.count()).select_from(Vote).where(Vote.item_id == item.id)
    )
    recusals = db.session.scalar(
        sa.select(sa.func.count()).select_from(Recusal).where(Recusal.item_id == item.id)
    )
    return f"{item.state.value}-{votes}-{recusals}"


@bp.get("/<int:meeting_id>/points/<int:item_id>/participation")
@login_required
def participation(meeting_id: int, item_id: int):
    """Polled by htmx: 204 when nothing changed since `depuis`, the panel otherwise."""
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting_id:
        abort(404)
    require(can_see_meeting(current_user, item.meeting))
    if request.args.get("depuis") == participation_stamp(item):
        return "", 204
    return _render_item(
        load_item(load_meeting(meeting_id), item_id), "committee/_participation.html"
    )


@bp.post("/<int:meeting_id>/points/<int:item_id>/deport")
@login_required
def declare_conflict(meeting_id: int, item_id: int):
    meeting = load_meeting(meeting_id)
    item = load_item(meeting, item_id)
    require(can_see_meeting(current_user, meeting))
    form = RecusalForm()
    try:
        if not form.validate():
            raise DomainError(form.reason.errors[0], field="reason")
        services.declare_conflict(db.session, item, acting_user(), form.reason.data)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    except sa.exc.IntegrityError:
        db.session.rollback()
        flash("Vous avez déjà déclaré un conflit d'intérêts sur ce point.", "error")
    else:
        flash(
            "Votre conflit d'intérêts est enregistré : vous ne votez pas sur ce point.", "success"
        )
    return redirect(url_for("committee.show_item", meeting_id=meeting_id, item_id=item_id), 303)


@bp.post("/<int:meeting_id>/points/<int:item_id>/questions")
@login_required
def ask_question(meeting_id: int, item_id: int):
    meeting = load_meeting(meeting_id)
    item = load_item(meeting, item_id)
    require(can_see_meeting(current_user, meeting))
    form = QuestionForm()
    try:
        if not form.validate():
            raise DomainError("Écrivez votre question (4 000 caractères au plus).", "text")
        services.ask_question(db.session, item, acting_user(), form.text.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("Votre question est transmise à l'équipe de la startup.", "success")
    return redirect(
        url_for("committee.show_item", meeting_id=meeting_id, item_id=item_id, _anchor="questions"),
        303,
    )


@bp.post("/<int:meeting_id>/points/<int:item_id>/questions/<int:question_id>/reponse")
@login_required
def answer_question(meeting_id: int, item_id: int, question_id: int):
    meeting = load_meeting(meeting_id)
    item = load_item(meeting, item_id)
    question = db.session.get(Question, question_id)
    if question is None or question.item_id != item.id:
        abort(404)
    if not is_team_member(current_user, item.startup):
        abort(403, description="Seule l'équipe de la startup répond aux questions du comité.")
    form = AnswerForm()
    try:
        if not form.validate():
            raise DomainError("Écrivez votre réponse (4 000 caractères au plus).", "text")
        services.answer_question(db.session, question, acting_user(), form.text.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("Votre réponse est publiée.", "success")
    return redirect(
        url_for("committee.show_item", meeting_id=meeting_id, item_id=item_id, _anchor="questions"),
        303,
    )
