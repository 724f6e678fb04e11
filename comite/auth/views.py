"""Login page, development login and logout."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from comite.auth.forms import DevLoginForm, LogoutForm
from comite.auth.models import User
from comite.auth.services import demo_users, log_in, log_out, safe_next_url
from comite.core.errors import DomainError
from comite.extensions import db, login_manager

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    # A deactivated user's next request finds no user: they are logged out.
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.is_active else None


def dev_login_enabled() -> bool:
    return bool(current_app.config["COMITE_DEV_LOGIN"]) and (
        current_app.config["COMITE_ENV"] != "production"
    )


@bp.get("/connexion")
def login():
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("core.home"), 303)
    form = DevLoginForm(next=next_url) if dev_login_enabled() else None
    users = demo_users(db.session) if form else []
    return render_template("auth/login.html", form=form, users=users)


@bp.post("/connexion/dev")
def dev_login():
    if not dev_login_enabled():
        abort(404)
    form = DevLoginForm()
    if form.validate():
        try:
            user = log_in(db.session, db.session.get(User, form.user_id.data), method="dev")
        except DomainError as error:
            form.user_id.errors.append(error.message)
        else:
            db.session.commit()
            flash(f"Vous êtes connecté en tant que {user.full_name}.", "success")
            return redirect(safe_next_url(form.next.data) or url_for("core.home"), 303)
    return render_template("auth/login.html", form=form, users=demo_users(db.session)), 422


@bp.post("/deconnexion")
def logout():
    form = LogoutForm()
    if not form.validate():
        abort(400, description="Le formulaire de déconnexion a expiré : rechargez la page.")
    log_out(db.session, current_user)
    db.session.commit()
    flash("Vous êtes déconnecté.", "success")
    return redirect(url_for("core.home"), 303)
