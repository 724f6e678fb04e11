"""Each person's choice of the e-mails Comité sends them; the secretariat's view of the
outbox."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import login_required

from comite import jobs
from comite.auth.permissions import can_administer, permission_required
from comite.auth.services import acting_user
from comite.core import audit
from comite.core.forms import ButtonForm
from comite.core.models import utcnow
from comite.extensions import db
from comite.notifications import delivery, outbox, preferences
from comite.notifications.forms import PreferencesForm

bp = Blueprint("notifications", __name__)

RECENTLY_SENT = 50


@bp.route("/compte/notifications", methods=["GET", "POST"])
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


@bp.get("/admin/courriels")
@permission_required(can_administer)
def list_messages():
    """What waits in the outbox (and why), and what went lately."""
    return render_template(
        "notifications/outbox.html",
        waiting=delivery.waiting(db.session),
        sent=delivery.recently_sent(db.session, RECENTLY_SENT),
        button=ButtonForm(),
        server=bool(current_app.config["SMTP_HOST"]),
    )


@bp.post("/admin/courriels/envoyer")
@permission_required(can_administer)
def send_now():
    """Once the mail server is back: the waiting messages go without waiting their turn."""
    if not ButtonForm().validate():
        abort(400)
    count = delivery.make_due_now(db.session, utcnow())
    audit.record_about(
        db.session, "outbox.resend_requested", "OutboxMessage", "*", acting_user(), count=count
    )
    db.session.commit()
    if count:
        jobs.enqueue(outbox.SEND_TASK)
        flash(
            f"Les {count} courriels en attente partent maintenant."
            if count > 1
            else "Le courriel en attente part maintenant.",
            "success",
        )
    else:
        flash("Aucun courriel en attente.", "info")
    return redirect(url_for("notifications.list_messages"), 303)
