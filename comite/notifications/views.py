"""Each person's choice of the e-mails Comité sends them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required

from comite.auth.services import acting_user
from comite.extensions import db
from comite.notifications import preferences
from comite.notifications.forms import PreferencesForm

bp = Blueprint("notifications", __name__, url_prefix="/compte")


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def edit_preferences():
    user = acting_user()
    offered = preferences.offered_to(user)
    form = PreferencesForm().offer(offered)
    if form.validate_on_submit():
        preferences.choose(db.session, user, offered, form.wanted)
        db.session.commit()
        flash("Vos choix de notifications sont enregistrés.", "success")
        return redirect(url_for("notifications.edit_preferences"), 303)
    if not form.is_submitted():
        received = preferences.received_by(db.session, user)
        form.notifications.data = [kind.value for kind in offered if kind in received]
    return render_template(
        "notifications/preferences.html", form=form, offered=offered, user=user
    ), 422 if form.errors else 200
