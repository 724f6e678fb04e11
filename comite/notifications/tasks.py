"""What the worker does for notifications: send the outbox, remind members of tomorrow's
séances."""

from __future__ import annotations

from flask import current_app

from comite.core.models import utcnow
from comite.extensions import db
from comite.jobs import periodic, task
from comite.notifications import delivery, outbox


@task(outbox.SEND_TASK)
def send_outbox() -> None:
    """Queued after each commit that wrote messages: they go at once."""
    delivery.send_due(db.session, delivery.SmtpSettings.from_config(current_app.config))


@periodic("notifications.retry", minutes=1)
def retry_outbox() -> None:
    """The messages whose sending failed, when their next attempt is due."""
    send_outbox()


@periodic("notifications.meeting_reminders", minutes=60)
def remind_tomorrows_meetings() -> None:
    if outbox.meeting_reminders(db.session, utcnow()):
        db.session.commit()
        send_outbox()
