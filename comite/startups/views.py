"""The list of startups (live search) and the page of one startup."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from comite.auth.permissions import can_browse_startups, permission_required
from comite.core.htmx import render_page_or_fragment
from comite.extensions import db
from comite.startups.forms import StartupSearchForm
from comite.startups.queries import StartupSearch, list_incubators, search_startups, startup_page
from comite.startups.workflow import MemberRole, Phase

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
    page = request.args.get("page", 1, type=int) or 1
    startups = db.paginate(
        search_startups(search),
        page=max(page, 1),
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
    )


def _page_url(page: int) -> str:
    """The same search on another page."""
    args = MultiDict(request.args)
    args["page"] = str(page)
    return url_for("startups.list_startups", **args.to_dict())


@bp.get("/<slug>")
@permission_required(can_browse_startups)
def show_startup(slug: str):
    startup = db.session.scalar(startup_page(slug)) or abort(
        404, description="Cette startup n'existe pas ou a changé d'adresse."
    )
    team = sorted(
        startup.memberships,
        key=lambda membership: (list(MemberRole).index(membership.role), membership.user.full_name),
    )
    return render_template("startups/show.html", startup=startup, team=team)
