"""Login page, development login and logout."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm import joinedload

from comite.auth import proconnect
from comite.auth.forms import DevLoginForm, LogoutForm, ProConnectLoginForm
from comite.auth.models import User
from comite.auth.services import (
    demo_users,
    log_in,
    log_out,
    safe_next_url,
    sign_in_with_proconnect,
)
from comite.core import audit
from comite.core.errors import DomainError
from comite.extensions import db, login_manager

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session "id.version" (User.get_id). A deactivated user, or a session
    older than the user's last logout or deactivation, finds no user: it is logged out."""
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    # Every request starts here: the user and their roles in one round trip.
    user = (
        db.session.execute(
            sa.select(User).where(User.id == int(user_id)).options(joinedload(User.role_grants))
        )
        .unique()
        .scalar_one_or_none()
    )
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def dev_login_enabled() -> bool:
    return bool(current_app.config["COMITE_DEV_LOGIN"]) and (
        current_app.config["COMITE_ENV"] != "production"
    )


# Kept in the session between the login and the logout: ProConnect's logout needs it.
ID_TOKEN_KEY = "proconnect_id_token"  # noqa: S105 (a session key, not a secret)
NEXT_KEY = "login_next"


def _render_login(form: DevLoginForm | None, status: int = 200):
    next_url = form.next.data if form else safe_next_url(request.args.get("next"))
    return render_template(
        "auth/login.html",
        form=form,
        users=demo_users(db.session) if form else [],
        proconnect_form=ProConnectLoginForm(next=next_url)
        if proconnect.proconnect_configured()
        else None,
    ), status


@bp.get("/connexion")
def login():
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("core.home"), 303)
    return _render_login(DevLoginForm(next=next_url) if dev_login_enabled() else None)


@bp.post("/connexion/proconnect")
def proconnect_login():
    if not proconnect.proconnect_configured():
        abort(404)
    form = ProConnectLoginForm()
    session[NEXT_KEY] = safe_next_url(form.next.data)
    try:
        return proconnect.start_login(url_for("auth.proconnect_callback", _external=True))
    except proconnect.LoginRefused as refusal:
        return _refused(refusal)


@bp.get("/connexion/proconnect/callback")
def proconnect_callback():
    if not proconnect.proconnect_configured():
        abort(404)
    try:
        identity = proconnect.finish_login()
        user = sign_in_with_proconnect(db.session, identity)
    except proconnect.LoginRefused as refusal:
        return _refused(refusal)
    session[ID_TOKEN_KEY] = identity.id_token
    db.session.commit()
    if not user.roles:
        flash("Votre compte Comité est créé.", "info")
        return redirect(url_for("core.home"), 303)
    flash(f"Vous êtes connecté en tant que {user.full_name}.", "success")
    return redirect(session.pop(NEXT_KEY, None) or url_for("core.home"), 303)


def _refused(refusal: proconnect.LoginRefused):
    """Nothing of the attempt is kept, but the refusal is written in the audit log."""
    db.session.rollback()
    audit.record_about(
        db.session,
        "auth.refused",
        "ProConnect",
        request.args.get("state", "-") or "-",
        reason=refusal.reason,
        provider_error=request.args.get("error"),
    )
    db.session.commit()
    status = 403 if refusal.reason in {"deactivated", "email_taken"} else 400
    return render_template("auth/refused.html", message=refusal.message), status


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
    return _render_login(form, 422)


@bp.post("/deconnexion")
def logout():
    form = LogoutForm()
    if not form.validate():
        abort(400, description="Le formulaire de déconnexion a expiré : rechargez la page.")
    id_token = session.get(ID_TOKEN_KEY)
    log_out(db.session, current_user)
    db.session.commit()
    session.clear()
    if id_token and proconnect.proconnect_configured():
        return proconnect.logout_redirect(id_token, url_for("auth.logout_done", _external=True))
    flash("Vous êtes déconnecté.", "success")
    return redirect(url_for("core.home"), 303)


@bp.get("/deconnexion/fin")
def logout_done():
    """ProConnect sends the browser back here once its own session is closed."""
    if proconnect.proconnect_configured() and proconnect.logout_confirmed():
        flash("Vous êtes déconnecté de Comité et de ProConnect.", "success")
    else:
        flash("Vous êtes déconnecté de Comité.", "success")
    return redirect(url_for("core.home"), 303)
