"""E-mail notifications, through a real SMTP server: written to the outbox with the action,
sent by the worker's task, kept and tried again while the server is away."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import sqlalchemy as sa

from comite.auth.roles import Role
from comite.committee import services as committee
from comite.committee.workflow import Choice
from comite.core.audit import AuditEvent
from comite.dossiers import services as dossiers
from comite.notifications import delivery, outbox
from comite.notifications.models import (
    MessageState,
    Notification,
    NotificationOptOut,
    OutboxMessage,
)
from comite.orders import services as orders
from comite.startups.models import Membership
from comite.startups.workflow import MemberRole
from tests.committee.test_order_follow_up import IMPUTATION
from tests.committee.test_orders_from_decision import TODAY, priced_contract, published_decision
from tests.notifications.conftest import SECRETARIAT


def send(app, db_session, now: dt.datetime | None = None) -> int:
    """What the worker's task does."""
    return delivery.send_due(db_session, delivery.SmtpSettings.from_config(app.config), now)


def messages(db_session, notification: Notification) -> list[OutboxMessage]:
    return db_session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.notification == notification)
        .order_by(OutboxMessage.id)
    ).all()


def text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_members_receive_the_published_agenda_with_its_invitation(app, db_session, smtp, seance):
    assert send(app, db_session) == 3
    member = seance["members"][1]
    [received] = smtp.mailbox.to(member.email)
    assert received["Subject"] == "Ordre du jour de la séance du 26 novembre 2026"
    assert received["Reply-To"] == SECRETARIAT
    assert "no-reply" not in received["From"] and "noreply" not in received["From"]
    body = text(received)
    assert body.startswith("Bonjour Sophie Martin,")
    assert "1. Cantine Locale – Fiche produit" in body
    assert f"https://comite.example.gouv.fr/seances/{seance['meeting'].id}" in body
    [invitation] = list(received.iter_attachments())
    assert invitation.get_content_type() == "text/calendar"
    assert invitation.get_filename() == f"seance-{seance['meeting'].id}.ics"
    calendar = invitation.get_content()
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert "DTSTART:20261126T093000Z" in calendar
    assert "Cantine Locale" in calendar
    # Sent once: the next run finds nothing to do.
    assert send(app, db_session) == 0
    assert len(smtp.mailbox.messages) == 3


def test_a_message_is_written_with_its_action_and_undone_with_it(db_session, seance, make_user):
    assert len(messages(db_session, Notification.AGENDA_PUBLISHED)) == 3
    meeting = committee.create_meeting(
        db_session,
        committee.MeetingDetails("Comité de décembre", dt.datetime(2026, 12, 10, 9, tzinfo=dt.UTC)),
        seance["admin"],
    )
    committee.convene(db_session, meeting, seance["members"], seance["members"][0], seance["admin"])
    outbox.agenda_published(db_session, meeting)
    db_session.rollback()
    assert len(messages(db_session, Notification.AGENDA_PUBLISHED)) == 3


def test_an_smtp_outage_loses_neither_the_action_nor_the_message(app, db_session, smtp, seance):
    smtp.stop()
    start = dt.datetime.now(dt.UTC)
    assert send(app, db_session, start) == 0
    pending = messages(db_session, Notification.AGENDA_PUBLISHED)
    # The server was unreachable: the first message waits, the others were not even tried.
    assert [message.state for message in pending] == [MessageState.PENDING] * 3
    first = pending[0]
    assert first.attempts == 1
    assert "Connection" in first.last_error or "refused" in first.last_error.lower()
    assert first.next_attempt_at == start + dt.timedelta(minutes=1)
    assert seance["meeting"].state.value == "agenda_published"

    # Still down a minute later: the next message due is tried, and waits in turn.
    assert send(app, db_session, start + dt.timedelta(minutes=1)) == 0
    assert sum(message.attempts for message in pending) == 2

    # The server is back: everything goes, once.
    smtp.start()
    assert send(app, db_session, start + dt.timedelta(minutes=3)) == 3
    assert all(message.state is MessageState.SENT for message in pending)
    assert first.last_error == ""
    assert sorted(smtp.mailbox.recipients) == sorted([m.email] for m in seance["members"])


def test_retries_slow_down_to_an_hour_at_most():
    assert delivery.retry_delay(1) == dt.timedelta(minutes=1)
    assert delivery.retry_delay(4) == dt.timedelta(minutes=8)
    assert delivery.retry_delay(30) == dt.timedelta(hours=1)


def test_without_a_server_messages_wait_in_the_outbox(app, db_session, seance):
    assert app.config["SMTP_HOST"] == ""
    assert send(app, db_session) == 0
    assert {m.state for m in messages(db_session, Notification.AGENDA_PUBLISHED)} == {
        MessageState.PENDING
    }


def test_a_member_who_turned_the_agenda_off_does_not_receive_it(
    db_session, submitted_version, make_user
):
    admin = make_user(Role.ADMIN)
    quiet, other = make_user(Role.MEMBER), make_user(Role.MEMBER)
    db_session.add(NotificationOptOut(user_id=quiet.id, notification=Notification.AGENDA_PUBLISHED))
    meeting = committee.create_meeting(
        db_session,
        committee.MeetingDetails("Comité", dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC)),
        admin,
    )
    committee.convene(db_session, meeting, [quiet, other], other, admin)
    committee.add_to_agenda(db_session, meeting, submitted_version, admin)
    committee.advance_meeting(db_session, meeting, "publish_agenda", admin)
    db_session.commit()
    assert [m.to_address for m in messages(db_session, Notification.AGENDA_PUBLISHED)] == [
        other.email
    ]


def test_the_team_learns_its_dossier_is_returned(app, db_session, smtp, submitted_version):
    startup = submitted_version.dossier.startup
    sponsor = next(m.user for m in startup.memberships if m.role is MemberRole.SPONSOR)
    intrapreneur = next(m.user for m in startup.memberships if m.role is MemberRole.INTRAPRENEUR)
    secretariat = intrapreneur  # any user may stand for the secretariat in the service
    dossiers.return_for_completion(
        db_session, submitted_version, secretariat, "Ajoutez les indicateurs d'usage."
    )
    db_session.commit()
    send(app, db_session)
    [received] = smtp.mailbox.to(intrapreneur.email)
    assert received["Subject"] == "Fiche produit de Cantine Locale : des compléments sont demandés"
    assert "Ajoutez les indicateurs d'usage." in text(received)
    assert smtp.mailbox.to(sponsor.email) == []


def test_team_and_sponsor_learn_the_decision(app, db_session, smtp, seance):
    decision = published_decision(db_session, seance)
    db_session.commit()
    send(app, db_session)
    startup = decision.startup
    for membership in startup.memberships:
        [received] = [
            m for m in smtp.mailbox.to(membership.user.email) if "Décision" in m["Subject"]
        ]
        assert received["Subject"] == "Décision du comité d'investissement : Cantine Locale"
        body = text(received)
        assert "Décision : Continuer" in body
        assert f"/startups/{startup.slug}/historique" in body


def test_the_dsaf_learns_an_order_is_sent(app, db_session, smtp, seance, make_user):
    finance = make_user(Role.FINANCE, given_name="Nadia", usual_name="Roux")
    priced_contract(db_session, seance["admin"], {"DEVOPS-SENIOR": "13500.00", "PM": "12000.00"})
    decision = published_decision(db_session, seance)
    [order] = orders.generate_orders(db_session, decision, seance["admin"], TODAY)
    orders.update_order(db_session, order, seance["admin"], IMPUTATION)
    orders.send_order(db_session, order, seance["admin"])
    db_session.commit()
    send(app, db_session)
    [received] = smtp.mailbox.to(finance.email)
    assert received["Subject"] == f"Bon de commande {order.number} à engager"
    assert f"https://comite.example.gouv.fr/commandes/{order.id}" in text(received)


def test_the_secretariat_reminds_the_members_who_have_not_voted(
    app, client, login_as, db_session, smtp, open_item
):
    seance = open_item
    voted, recused, waiting = seance["members"]
    committee.cast_vote(db_session, seance["item"], voted, voted, Choice.CONTINUE)
    committee.declare_conflict(db_session, seance["item"], recused, "Ancien employeur")
    db_session.commit()
    login_as(user=seance["admin"])
    meeting_id, item_id = seance["meeting"].id, seance["item"].id

    page = client.get(f"/seances/{meeting_id}/en-cours")
    assert "Relancer par courriel le membre qui n&#39;a pas voté" in page.text

    response = client.post(
        f"/seances/{meeting_id}/en-cours/points/{item_id}/relance", follow_redirects=True
    )
    assert "Relance envoyée par courriel à 1 membre." in html.unescape(response.text)
    send(app, db_session)
    [received] = [m for m in smtp.mailbox.messages if "vote est attendu" in m["Subject"]]
    assert received["To"] == waiting.email
    assert f"/seances/{meeting_id}/points/{item_id}" in text(received)
    event = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "vote.reminder_sent")
    ).one()
    assert event.actor_id == seance["admin"].id
    assert event.details["recipients"] == [waiting.id]


def test_no_reminder_once_everyone_has_voted(client, login_as, db_session, open_item):
    seance = open_item
    for member in seance["members"]:
        committee.cast_vote(db_session, seance["item"], member, member, Choice.CONTINUE)
    db_session.commit()
    login_as(user=seance["admin"])
    response = client.post(
        f"/seances/{seance['meeting'].id}/en-cours/points/{seance['item'].id}/relance"
    )
    assert response.status_code == 422
    assert "Tous les membres non déportés ont voté" in html.unescape(response.text)
    assert messages(db_session, Notification.VOTE_REMINDER) == []


def test_a_member_cannot_send_reminders(client, login_as, db_session, open_item):
    login_as(user=open_item["members"][1])
    response = client.post(
        f"/seances/{open_item['meeting'].id}/en-cours/points/{open_item['item'].id}/relance"
    )
    assert response.status_code == 403
    assert messages(db_session, Notification.VOTE_REMINDER) == []


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # The séance starts on 26 November 2026 at 10:30 in Paris.
        (dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC), 3),  # the day before, 10:00 in Paris
        (dt.datetime(2026, 11, 25, 5, 0, tzinfo=dt.UTC), 0),  # the day before, 6:00: too early
        (dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC), 0),  # two days before
    ],
)
def test_members_are_reminded_the_day_before_a_seance(db_session, seance, now, expected):
    assert outbox.meeting_reminders(db_session, now) == expected
    # Hourly runs: the same reminder never goes twice.
    assert outbox.meeting_reminders(db_session, now + dt.timedelta(hours=1)) == 0
    assert len(messages(db_session, Notification.MEETING_REMINDER)) == expected


def test_each_person_chooses_their_notifications(client, login_as, db_session):
    member = login_as(Role.MEMBER)
    # Reached from the header of every page.
    assert 'href="/compte/notifications">Mes notifications</a>' in client.get("/").text
    page = client.get("/compte/notifications")
    assert page.status_code == 200
    body = html.unescape(page.text)
    assert "Ordre du jour publié" in body
    assert "Bon de commande transmis à la DSAF" not in body  # not for a member
    assert body.count("checked") == 3

    response = client.post(
        "/compte/notifications",
        data={"notifications": ["agenda_published", "meeting_reminder"]},
        follow_redirects=True,
    )
    assert "Vos choix de notifications sont enregistrés." in html.unescape(response.text)
    refused = db_session.scalars(
        sa.select(NotificationOptOut.notification).where(NotificationOptOut.user_id == member.id)
    ).all()
    assert refused == [Notification.VOTE_REMINDER]
    event = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "notifications.preferences_updated")
    ).one()
    assert event.details["refused"] == ["vote_reminder"]

    # Turned on again.
    client.post(
        "/compte/notifications",
        data={"notifications": ["agenda_published", "meeting_reminder", "vote_reminder"]},
    )
    assert (
        db_session.scalars(
            sa.select(NotificationOptOut).where(NotificationOptOut.user_id == member.id)
        ).all()
        == []
    )


def test_an_unknown_choice_is_refused_next_to_the_field(client, login_as, db_session):
    member = login_as(Role.MEMBER)
    response = client.post("/compte/notifications", data={"notifications": ["order_sent"]})
    assert response.status_code == 422
    assert "n'est pas un choix valide" in html.unescape(
        response.text
    ) or "invalide" in html.unescape(response.text)
    assert (
        db_session.scalars(
            sa.select(NotificationOptOut).where(NotificationOptOut.user_id == member.id)
        ).all()
        == []
    )


def test_the_page_needs_a_login(client):
    response = client.get("/compte/notifications")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


def test_a_deactivated_person_receives_nothing(db_session, submitted_version):
    startup = submitted_version.dossier.startup
    for membership in db_session.scalars(
        sa.select(Membership).where(Membership.startup_id == startup.id)
    ):
        membership.user.is_active = False
    dossiers.return_for_completion(db_session, submitted_version, membership.user, "Complétez.")
    assert messages(db_session, Notification.DOSSIER_RETURNED) == []


def test_the_secretariat_sees_what_waits_in_the_outbox_and_sends_it_now(
    app, client, login_as, db_session, smtp, seance
):
    smtp.stop()
    start = dt.datetime.now(dt.UTC)
    send(app, db_session, start)
    login_as(user=seance["admin"])
    page = html.unescape(client.get("/admin/courriels").text)
    assert "3 courriels en attente" in page
    assert "Ordre du jour de la séance du 26 novembre 2026" in page
    assert "ConnectionRefusedError" in page
    assert seance["members"][0].email in page

    smtp.start()
    response = client.post("/admin/courriels/envoyer", follow_redirects=True)
    assert "Les 3 courriels en attente partent maintenant." in html.unescape(response.text)
    # The worker finds them due at once, not in a minute.
    assert send(app, db_session) == 3
    assert "Aucun courriel en attente" in html.unescape(client.get("/admin/courriels").text)
    event = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "outbox.resend_requested")
    ).one()
    assert event.actor_id == seance["admin"].id


def test_only_the_secretariat_reads_the_outbox(client, login_as):
    login_as(Role.MEMBER)
    assert client.get("/admin/courriels").status_code == 403
    assert client.post("/admin/courriels/envoyer").status_code == 403
