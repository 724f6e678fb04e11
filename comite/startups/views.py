"""The list of startups (live search), the page of one startup, and the secretariat's forms."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from comite.auth.permissions import (
    can_browse_startups,
    can_manage_startups,
    can_manage_team,
    permission_required,
    require,
)
from comite.auth.services import acting_user
from comite.committee.permissions import can_read_history
from comite.core.errors import DomainError
from comite.core.formatting import today_in_paris
from comite.core.forms import ButtonForm, refuse_in_form
from comite.core.htmx import render_page_or_fragment
from comite.core.pagination import page_number
from comite.dossiers.permissions import can_write_dossiers
from comite.dossiers.queries import dossiers_of, last_decision, review_due
from comite.extensions import db
from comite.orders.permissions import can_read_orders
from comite.startups import services
from comite.startups.forms import MembershipForm, StartupForm, StartupSearchForm
from comite.startups.models import Membership, Startup
from comite.startups.queries import (
    StartupSearch,
    active_user_emails,
    list_incubators,
    search_startups,
    startup_page,
)
from comite.startups.workflow import MemberRole, Phase, StartupStatus

bp = Blueprint("startups", __name__, url_prefix="/startups")


@bp.get("")
@permission_required(can_browse_startups)
def list_startups():
    incubators = db.session.scalars(list_incubators()).all()
    form = StartupSearchForm(request.args, incubators)
    valid = form.validate()
    search = StartupSearch(
        text="" if form.q.errors else (form.q.data or ""),
        phase=Phase(form.phase.data) if form.phase.data and not form.phase.errors else None,
        incubator_slug=form.incubateur.data if not form.incubateur.errors else None,
        sort=form.tri.data if not form.tri.errors else "nom",
    )
    page = page_number()
    startups = db.paginate(
        search_startups(search),
        page=page,
        per_page=current_app.config["STARTUPS_PER_PAGE"],
        error_out=False,
    )
    return render_page_or_fragment(
        "startups/list.html",
        "startups/_results.html",
        status=200 if valid else 422,
        form=form,
        startups=startups,
        page_url=_page_url,
        can_create=can_manage_startups(current_user),
    )


def _page_url(page: int) -> str:
    """The same search on another page."""
    args = MultiDict(request.args)
    args["page"] = str(page)
    return url_for("startups.list_startups", **args.to_dict())


def _startup_or_404(slug: str) -> Startup:
    return db.session.scalar(startup_page(slug)) or abort(
        404, description="Cette startup n'existe pas ou a changé d'adresse."
    )


def _render_startup(startup: Startup, membership_form: MembershipForm | None = None, status=200):
    team = sorted(
        startup.memberships,
        key=lambda membership: (list(MemberRole).index(membership.role), membership.user.full_name),
    )
    manages_team = bool(can_manage_team(current_user, startup))
    if manages_team and membership_form is None:
        membership_form = MembershipForm()
    return render_template(
        "startups/show.html",
        startup=startup,
        team=team,
        can_edit=can_manage_startups(current_user),
        membership_form=membership_form if manages_team else None,
        button=ButtonForm(),
        emails=db.session.execute(active_user_emails()).all() if manages_team else [],
        dossiers=dossiers_of(db.session, startup),
        review=review_due(
            startup, today_in_paris(), last_decision(db.session, startup.id, budget=False)
        ),
        can_write_dossiers=can_write_dossiers(current_user, startup),
        can_read_history=bool(can_read_history(current_user, startup)),
        can_read_budget=bool(can_read_orders(current_user)),
    ), status


@bp.get("/<slug>")
@permission_required(can_browse_startups)
def show_startup(slug: str):
    return _render_startup(_startup_or_404(slug))


def _details(form: StartupForm, incubators) -> services.StartupDetails:
    by_id = {incubator.id: incubator for incubator in incubators}
    return services.StartupDetails(
        name=form.name.data,
        slug=form.slug.data or "",
        pitch=form.pitch.data or "",
        sponsoring_administration=form.sponsoring_administration.data or "",
        incubator=by_id[form.incubator.data],
        phase=Phase(form.phase.data),
        phase_started_on=form.phase_started_on.data,
        status=StartupStatus(form.status.data),
    )


@bp.route("/nouvelle", methods=["GET", "POST"])
@permission_required(can_manage_startups)
def create_startup():
    incubators = db.session.scalars(list_incubators()).all()
    form = StartupForm(incubators)
    if form.validate_on_submit():
        try:
            startup = services.create_startup(db.session, _details(form, incubators), acting_user())
        except DomainError as error:
            refuse_in_form(form, error)
        else:
            db.session.commit()
            flash(f"La startup {startup.name} est créée.", "success")
            return redirect(url_for("startups.show_startup", slug=startup.slug), 303)
    return render_template(
        "startups/form.html", form=form, startup=None
    ), 422 if form.errors else 200


@bp.route("/<slug>/modifier", methods=["GET", "POST"])
@permission_required(can_manage_startups)
def edit_startup(slug: str):
    startup = _startup_or_404(slug)
    incubators = db.session.scalars(list_incubators()).all()
    form = StartupForm(incubators, obj=startup)
    if request.method == "GET":
        form.incubator.data = startup.incubator_id
        form.phase.data = startup.phase.value
        form.status.data = startup.status.value
    if form.validate_on_submit():
        try:
            changed = services.update_startup(
                db.session, startup, _details(form, incubators), acting_user()
            )
        except DomainError as error:
            refuse_in_form(form, error)
        else:
            db.session.commit()
            flash(
                f"La startup {startup.name} est modifiée." if changed else "Aucune modification.",
                "success" if changed else "info",
            )
            return redirect(url_for("startups.show_startup", slug=startup.slug), 303)
    return render_template(
        "startups/form.html", form=form, startup=startup
    ), 422 if form.errors else 200


@bp.post("/<slug>/equipe")
@permission_required(can_browse_startups)
def add_member(slug: str):
    startup = _startup_or_404(slug)
    require(can_manage_team(current_user, startup))
    form = MembershipForm()
    if form.validate():
        try:
            membership = services.add_member(
                db.session, startup, form.email.data, MemberRole(form.role.data), acting_user()
            )
        except DomainError as error:
            refuse_in_form(form, error)
        else:
            db.session.commit()
            flash(
                f"{membership.user.full_name} rejoint l'équipe : {membership.role.label}.",
                "success",
            )
            return redirect(url_for("startups.show_startup", slug=startup.slug) + "#equipe", 303)
    return _render_startup(_startup_or_404(slug), form, 422)


@bp.post("/<slug>/equipe/<int:membership_id>/retirer")
@permission_required(can_browse_startups)
def remove_member(slug: str, membership_id: int):
    startup = _startup_or_404(slug)
    require(can_manage_team(current_user, startup))
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.startup_id != startup.id:
        abort(404, description="Cette personne ne fait pas partie de l'équipe de cette startup.")
    if not ButtonForm().validate():
        abort(400)
    name, role = membership.user.full_name, membership.role
    services.remove_member(db.session, membership, acting_user())
    db.session.commit()
    flash(f"{name} ne fait plus partie de l'équipe ({role.label.lower()}).", "success")
    return redirect(url_for("startups.show_startup", slug=startup.slug) + "#equipe", 303)
