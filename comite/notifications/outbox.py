"""What Comité tells whom, written to the outbox in the transaction of the action itself:
if the action is rolled back, so is its message; once it is committed, the worker sends
it (comite.notifications.delivery), however long the mail server is away.

Each function here is called by the service that performs the action, with its session;
nothing is sent from a request."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, has_app_context, has_request_context, render_template, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from comite import jobs
from comite.auth.models import User, UserRole
from comite.auth.roles import Role
from comite.committee.invitation import meeting_calendar
from comite.committee.models import AgendaItem, Decision, Meeting
from comite.committee.workflow import MeetingState
from comite.core.formatting import date_fr, datetime_fr
from comite.core.models import utcnow
from comite.core.periods import PARIS
from comite.dossiers.models import DossierVersion
from comite.notifications.models import (
    Notification,
    NotificationOptOut,
    OutboxMessage,
)
from comite.orders.models import PurchaseOrder
from comite.startups.models import Membership, Startup
from comite.startups.workflow import MemberRole

# Who hears about a startup's dossiers: its team, not its sponsors (they read decisions).
TEAM_ROLES = (MemberRole.INTRAPRENEUR, MemberRole.TEAM, MemberRole.COACH)
# The session flag that asks for a delivery as soon as the transaction is committed.
_QUEUED = "comite_outbox_queued"
SEND_TASK = "notifications.send"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    content: bytes


def public_url(endpoint: str, **values: object) -> str:
    """An absolute link for an e-mail, built with PUBLIC_URL (the worker has no request)."""
    base = current_app.config["PUBLIC_URL"]
    if not base and has_request_context():
        base = request.host_url
    parts = urlsplit(base or "http://localhost/")
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def queue(
    session: Session,
    notification: Notification,
    recipients: Iterable[User],
    subject: str,
    template: str,
    attachment: Attachment | None = None,
    key: str | None = None,
    **context: object,
) -> list[OutboxMessage]:
    """One message per active recipient who did not turn this notification off; `key`
    (formatted with the recipient's id) makes a message go once only."""
    people = {user.id: user for user in recipients if user.is_active and user.email}
    if not people:
        return []
    opted_out = set(
        session.scalars(
            sa.select(NotificationOptOut.user_id).where(
                NotificationOptOut.user_id.in_(people),
                NotificationOptOut.notification == notification,
            )
        )
    )
    keys = {user_id: key.format(user=user_id) for user_id in people} if key else {}
    already = (
        set(
            session.scalars(
                sa.select(OutboxMessage.key).where(OutboxMessage.key.in_(keys.values()))
            )
        )
        if keys
        else set()
    )
    preferences_url = public_url("notifications.edit_preferences")
    messages = []
    for user_id, user in sorted(people.items()):
        if user_id in opted_out or keys.get(user_id) in already:
            continue
        body = render_template(
            f"notifications/email/{template}.txt",
            recipient=user,
            preferences_url=preferences_url,
            **context,
        )
        message = OutboxMessage(
            notification=notification,
            recipient=user,
            to_address=user.email,
            subject=subject,
            body=body,
            key=keys.get(user_id),
        )
        if attachment is not None:
            message.attachment_name = attachment.name
            message.attachment_type = attachment.content_type
            message.attachment = attachment.content
        session.add(message)
        messages.append(message)
    if messages:
        session.info[_QUEUED] = True
    return messages


@event.listens_for(Session, "after_commit")
def _send_once_committed(session: Session) -> None:
    """The worker sends the messages of a committed transaction at once; should the queue
    be out of reach, its periodic retry finds them in the outbox all the same."""
    if session.info.pop(_QUEUED, False) and has_app_context():
        try:
            jobs.enqueue(SEND_TASK)
        except Exception:
            logger.exception("Envoi des courriels non demandé au worker : il les reprendra.")


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_QUEUED, None)


# -- who hears what ------------------------------------------------------------------------


def _members(meeting: Meeting) -> list[User]:
    return [member.user for member in meeting.members]


def _team(session: Session, startup: Startup, roles: Iterable[MemberRole]) -> list[User]:
    return list(
        session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.startup_id == startup.id, Membership.role.in_(list(roles)))
        ).unique()
    )


def _meeting_context(meeting: Meeting) -> dict[str, object]:
    return {
        "meeting": meeting,
        "starts_at": datetime_fr(meeting.starts_at),
        "meeting_url": public_url("committee.show_meeting", meeting_id=meeting.id),
        "agenda": [
            f"{item.startup.name} – {item.dossier_version.dossier.kind.label}"
            for item in meeting.items
        ],
    }


def agenda_published(session: Session, meeting: Meeting) -> list[OutboxMessage]:
    """The convened members receive the agenda and the invitation for their calendar."""
    context = _meeting_context(meeting)
    invitation = meeting_calendar(
        meeting,
        uid_domain=urlsplit(public_url("core.home")).hostname or "localhost",
        url=str(context["meeting_url"]),
        agenda=list(context["agenda"]),  # type: ignore[arg-type]
        now=utcnow(),
    )
    return queue(
        session,
        Notification.AGENDA_PUBLISHED,
        _members(meeting),
        f"Ordre du jour de la séance du {date_fr(meeting.starts_at.astimezone(PARIS).date())}",
        "agenda_published",
        attachment=Attachment(f"seance-{meeting.id}.ics", "text/calendar", invitation),
        **context,
    )


def meeting_reminders(session: Session, now: dt.datetime) -> int:
    """The day before a séance (in Paris, from 8 a.m.), its convened members are reminded
    of it, once each."""
    local = now.astimezone(PARIS)
    if local.hour < 8:
        return 0
    tomorrow = local.date() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(), PARIS)
    meetings = session.scalars(
        sa.select(Meeting).where(
            Meeting.state == MeetingState.AGENDA_PUBLISHED,
            Meeting.starts_at >= start,
            Meeting.starts_at < start + dt.timedelta(days=1),
        )
    ).all()
    sent = 0
    for meeting in meetings:
        sent += len(
            queue(
                session,
                Notification.MEETING_REMINDER,
                _members(meeting),
                f"Rappel : séance du comité demain, {datetime_fr(meeting.starts_at, 'd MMMM')}",
                "meeting_reminder",
                key=f"meeting-reminder:{meeting.id}:{{user}}",
                **_meeting_context(meeting),
            )
        )
    return sent


def vote_reminder(session: Session, item: AgendaItem, waiting: set[int]) -> list[OutboxMessage]:
    """The members of `waiting` are asked to vote on the open item (for one who gave a
    proxy, its holder)."""
    meeting = item.meeting
    convened = {member.user_id: member.user for member in meeting.members}
    holders = {proxy.giver_id: proxy.holder_id for proxy in meeting.proxies}
    reminded = {holders.get(user_id, user_id) for user_id in waiting}
    return queue(
        session,
        Notification.VOTE_REMINDER,
        [convened[user_id] for user_id in reminded if user_id in convened],
        f"Votre vote est attendu : {item.startup.name}",
        "vote_reminder",
        item=item,
        item_url=public_url("committee.show_item", meeting_id=meeting.id, item_id=item.id),
        **_meeting_context(meeting),
    )


def dossier_returned(session: Session, version: DossierVersion) -> list[OutboxMessage]:
    dossier = version.dossier
    return queue(
        session,
        Notification.DOSSIER_RETURNED,
        _team(session, dossier.startup, TEAM_ROLES),
        f"{dossier.kind.label} de {dossier.startup.name} : des compléments sont demandés",
        "dossier_returned",
        dossier=dossier,
        version=version,
        dossier_url=public_url("dossiers.show_dossier", dossier_id=dossier.id),
    )


def decision_published(session: Session, decision: Decision) -> list[OutboxMessage]:
    """The team and the sponsors of the startup learn the decision."""
    startup = decision.startup
    return queue(
        session,
        Notification.DECISION_PUBLISHED,
        _team(session, startup, (*TEAM_ROLES, MemberRole.SPONSOR)),
        f"Décision du comité d'investissement : {startup.name}",
        "decision_published",
        decision=decision,
        startup=startup,
        history_url=public_url("decisions.startup_history", slug=startup.slug),
    )


def order_sent(session: Session, order: PurchaseOrder) -> list[OutboxMessage]:
    """The finance directorate is told there is an order to engage."""
    finance = session.scalars(
        sa.select(User).join(UserRole).where(UserRole.role == Role.FINANCE)
    ).all()
    return queue(
        session,
        Notification.ORDER_SENT,
        finance,
        f"Bon de commande {order.number} à engager",
        "order_sent",
        order=order,
        order_url=public_url("orders.show_order", order_id=order.id),
    )
