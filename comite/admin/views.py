"""The secretariat's administration: users and their roles, incubators."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from comite.admin.forms import (
    IncubatorForm,
    InviteUserForm,
    RolesForm,
    UserSearchForm,
    selected_roles,
)
from comite.auth import accounts
from comite.auth.models import User
from comite.auth.permissions import (
    can_administer,
    can_manage_incubators,
    can_manage_users,
    permission_required,
)
from comite.auth.queries import WAITING, UserSearch, count_waiting_users, search_users
from comite.auth.roles import Role
from comite.auth.services import acting_user
from comite.core.errors import DomainError
from comite.core.forms import ButtonForm, refuse_in_form
from comite.core.htmx import render_page_or_fragment
from comite.core.pagination import page_number
from comite.extensions import db
from comite.startups import services
from comite.startups.models import Incubator
from comite.startups.queries import incubators_with_startup_counts, memberships_of

bp = Blueprint("admin", __name__, url_prefix="/admin")

USERS_PER_PAGE = 50
ROLE_VALUES = {role.value: role for role in Role}


@bp.get("")
@permission_required(can_administer)
def index():
    waiting = db.session.scalar(count_waiting_users()) or 0
    return render_template("admin/index.html", waiting=waiting)


# Users


@bp.get("/utilisateurs")
@permission_required(can_manage_users)
def list_users():
    form = UserSearchForm(request.args)
    valid = form.validate()
    role = "" if form.role.errors else (form.role.data or "")
    search = UserSearch(
        text="" if form.q.errors else (form.q.data or ""),
        role=ROLE_VALUES.get(role),
        waiting=role == WAITING,
    )
    page = page_number()
    users = db.paginate(search_users(search), page=page, per_page=USERS_PER_PAGE, error_out=False)
    return render_page_or_fragment(
        "admin/users.html",
        "admin/_users.html",
        status=200 if valid else 422,
        form=form,
        users=users,
        page_url=_users_page_url,
    )


def _users_page_url(page: int) -> str:
    """The same search on another page."""
    args = MultiDict(request.args)
    args["page"] = str(page)
    return url_for("admin.list_users", **args.to_dict())


@bp.route("/utilisateurs/inviter", methods=["GET", "POST"])
@permission_required(can_manage_users)
def invite_user():
    form = InviteUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.invite_user(
                db.session,
                form.email.data,
                selected_roles(form.roles),
                acting_user(),
                given_name=form.given_name.data or "",
                usual_name=form.usual_name.data or "",
            )
        except DomainError as error:
            refuse_in_form(form, error)
        else:
            db.session.commit()
            flash(
                f"Compte créé pour {user.full_name} : cette personne pourra se connecter "
                "avec ProConnect.",
                "success",
            )
            return redirect(url_for("admin.edit_user", user_id=user.id), 303)
    return render_template("admin/user_invite.html", form=form), 422 if form.errors else 200


def _user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404, description="Cet utilisateur n'existe pas.")


def _render_user(user: User, form: RolesForm, status: int = 200, refusal: str | None = None):
    memberships = db.session.scalars(memberships_of(user)).all()
    return render_template(
        "admin/user.html",
        user=user,
        form=form,
        button=ButtonForm(),
        memberships=memberships,
        refusal=refusal,
    ), status


@bp.route("/utilisateurs/<int:user_id>", methods=["GET", "POST"])
@permission_required(can_manage_users)
def edit_user(user_id: int):
    user = _user_or_404(user_id)
    if request.method == "GET":
        form = RolesForm(data={"roles": [role.value for role in Role if role in user.roles]})
        return _render_user(user, form)
    form = RolesForm()
    if form.validate():
        try:
            changed = accounts.change_roles(
                db.session, user, selected_roles(form.roles), acting_user()
            )
        except DomainError as error:
            refuse_in_form(form, error)
        else:
            db.session.commit()
            flash(
                f"Les rôles de {user.full_name} sont enregistrés."
                if changed
                else "Aucune modification : les rôles étaient déjà ceux-là.",
                "success" if changed else "info",
            )
            return redirect(url_for("admin.edit_user", user_id=user.id), 303)
    return _render_user(user, form, 422)


@bp.post("/utilisateurs/<int:user_id>/desactiver")
@permission_required(can_manage_users)
def deactivate_user(user_id: int):
    user = _user_or_404(user_id)
    if not ButtonForm().validate():
        abort(400)
    try:
        accounts.deactivate_user(db.session, user, acting_user())
    except DomainError as error:
        db.session.rollback()
        form = RolesForm(data={"roles": [role.value for role in Role if role in user.roles]})
        return _render_user(user, form, 422, refusal=error.message)
    db.session.commit()
    flash(f"Le compte de {user.full_name} est désactivé.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), 303)


@bp.post("/utilisateurs/<int:user_id>/reactiver")
@permission_required(can_manage_users)
def reactivate_user(user_id: int):
    user = _user_or_404(user_id)
    if not ButtonForm().validate():
        abort(400)
    accounts.reactivate_user(db.session, user, acting_user())
    db.session.commit()
    flash(f"Le compte de {user.full_name} est réactivé.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), 303)


# Incubators


@bp.get("/incubateurs")
@permission_required(can_manage_incubators)
def list_incubators():
    incubators = db.session.execute(incubators_with_startup_counts()).all()
    return render_template("admin/incubators.html", incubators=incubators)


@bp.route("/incubateurs/nouveau", methods=["GET", "POST"])
@permission_required(can_manage_incubators)
def create_incubator():
    form = IncubatorForm()
    if form.validate_on_submit():
        try:
            incubator = services.create_incubator(
                db.session, form.name.data, form.slug.data or "", acting_user()
            )
        except DomainError as error:
            refuse_in_form(form, error)
        else:
            db.session.commit()
            flash(f"L'incubateur {incubator.name} est créé.", "success")
            return redirect(url_for("admin.list_incubators"), 303)
    return render_template(
        "admin/incubator_form.html", form=form, incubator=None
    ), 422 if form.errors else 200


@bp.route("/incubateurs/<int:incubator_id>/modifier", methods=["GET", "POST"])
@permission_required(can_manage_incubators)
def edit_incubator(incubator_id: int):
    incubator = db.session.get(Incubator, incubator_id) or abort(
        404, description="Cet incubateur n'existe pas."
    )
    form = IncubatorForm(obj=incubator)
    if form.validate_on_submit():
        try:
            changed = services.update_incubator(
                db.session, incubator, form.name.data, form.slug.data or "", acting_user()
            )
        except DomainError as error:
            refuse_in_form(form, error)
        else:
            db.session.commit()
            if changed:
                flash(f"L'incubateur {incubator.name} est modifié.", "success")
            return redirect(url_for("admin.list_incubators"), 303)
    return render_template(
        "admin/incubator_form.html", form=form, incubator=incubator
    ), 422 if form.errors else 200
