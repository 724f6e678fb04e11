"""Twenty members vote and change their votes on the same item while the secretariat
generates orders, all at once, on PostgreSQL (real transactions and row locks, as with
several web instances): afterwards each member has exactly one ballot in force, the tally
is the ballots, order numbers are unique and gap-free, and the audit log has every change."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import flask_migrate
import pytest
import sqlalchemy as sa

from comite.auth.models import User, UserRole
from comite.auth.roles import Role
from comite.committee import services as committee
from comite.committee.models import AgendaItem, Vote
from comite.committee.workflow import Choice
from comite.core.audit import AuditEvent
from comite.dossiers import services as dossiers
from comite.dossiers.workflow import DossierKind
from comite.extensions import db
from comite.orders.models import PurchaseOrder
from comite.startups.models import Startup
from tests.committee.conftest import complete_sheet
from tests.committee.test_order_numbering_concurrency import _published_decisions
from tests.conftest import make_test_app
from tests.databases import database_url

VOTERS = 20
ORDER_CLIENTS = 4
CHOICES = [Choice.CONTINUE, Choice.STOP, Choice.ABSTAIN]


@pytest.fixture
def committed_app(tmp_path):
    """Real transactions: every request commits; enough connections for every client."""
    app = make_test_app(
        database_url("postgresql", tmp_path, "comite_test_concurrency"),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": VOTERS + ORDER_CLIENTS + 2},
    )
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def _open_vote(admin_id: int) -> tuple[int, int, list[int]]:
    """A séance in progress with twenty convened members and its item open."""
    session = db.session
    admin = session.get(User, admin_id)
    members = [
        User(
            email=f"membre{number}@exemple.gouv.fr",
            given_name="Membre",
            usual_name=f"n° {number}",
            role_grants=[UserRole(role=Role.MEMBER)],
        )
        for number in range(VOTERS)
    ]
    session.add_all(members)
    startup = session.scalars(sa.select(Startup).order_by(Startup.id)).first()
    dossier = dossiers.create_dossier(session, startup, DossierKind.PRODUCT_SHEET, admin)
    version = dossier.latest
    dossiers.save_draft(session, version, complete_sheet(), version.revision, admin)
    dossiers.submit(session, version, admin)
    meeting = committee.create_meeting(
        session,
        committee.MeetingDetails(
            "Comité simultané", dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC), "Salle 101"
        ),
        admin,
    )
    committee.convene(session, meeting, members, members[0], admin)
    item = committee.add_to_agenda(session, meeting, version, admin)
    for verb in ("publish_agenda", "start"):
        committee.advance_meeting(session, meeting, verb, admin)
    committee.open_item(session, item, admin)
    session.commit()
    return meeting.id, item.id, [member.id for member in members]


def _run_together(tasks) -> list[BaseException]:
    start = threading.Barrier(len(tasks))
    errors: list[BaseException] = []

    def run(task) -> None:
        try:
            start.wait(timeout=30)
            task()
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "un client ne s'est pas arrêté"
    return errors


def test_simultaneous_votes_and_orders_keep_every_ballot_and_every_number(committed_app):
    with committed_app.app_context():
        admin_id, decision_ids = _published_decisions(ORDER_CLIENTS)
        meeting_id, item_id, member_ids = _open_vote(admin_id)
    vote_url = f"/seances/{meeting_id}/points/{item_id}/vote"
    # Each member votes three times, ending on a choice of their own.
    sequences = {
        member_id: [CHOICES[(index + turn) % 3] for turn in range(3)]
        for index, member_id in enumerate(member_ids)
    }

    def voter(member_id: int):
        def vote() -> None:
            client = committed_app.test_client()
            assert client.post("/connexion/dev", data={"user_id": member_id}).status_code == 303
            for choice in sequences[member_id]:
                response = client.post(vote_url, data={"voter": member_id, "choice": choice.value})
                assert response.status_code == 303, response.status_code

        return vote

    def order(decision_id: int):
        def generate() -> None:
            client = committed_app.test_client()
            client.post("/connexion/dev", data={"user_id": admin_id})
            response = client.post(f"/decisions/{decision_id}/commandes", data={})
            assert response.status_code == 303, response.status_code

        return generate

    errors = _run_together(
        [voter(member_id) for member_id in member_ids] + [order(d) for d in decision_ids]
    )
    assert errors == []

    with committed_app.app_context():
        session = db.session
        item = session.get(AgendaItem, item_id)
        ballots = item.current_ballots()
        last = {member_id: choices[-1] for member_id, choices in sequences.items()}
        assert {voter: vote.choice for voter, vote in ballots.items()} == last
        # Every ballot cast is kept (votes are never edited in place), and audited.
        votes = session.scalars(sa.select(Vote).where(Vote.item_id == item_id)).all()
        assert len(votes) == VOTERS * 3
        assert Counter(v.voter_id for v in votes) == dict.fromkeys(member_ids, 3)
        audited = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action.in_(("vote.cast", "vote.changed")))
        ).all()
        assert sorted(event.details["vote"] for event in audited) == sorted(v.id for v in votes)
        assert Counter(event.action for event in audited) == {
            "vote.cast": VOTERS,
            "vote.changed": VOTERS * 2,
        }
        assert {event.actor_id for event in audited} == set(member_ids)
        # The tally is the ballots in force.
        result = committee.item_result(item)
        assert result.voted == VOTERS
        assert dict(result.counts) == dict(Counter(last.values()))

        numbers = session.scalars(sa.select(PurchaseOrder.number)).all()
        assert sorted(numbers) == [f"BC-2026-{n:04d}" for n in range(1, ORDER_CLIENTS + 1)]
        drafted = session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == "order.drafted")
        )
        assert drafted == ORDER_CLIENTS


def test_votes_racing_the_close_never_change_the_closed_result(committed_app):
    """The secretariat closes the item while members keep changing their votes: a vote is
    either in the result frozen at closing or refused, never recorded after it."""
    with committed_app.app_context():
        admin_id, _ = _published_decisions(1)
        meeting_id, item_id, member_ids = _open_vote(admin_id)
    vote_url = f"/seances/{meeting_id}/points/{item_id}/vote"
    everyone_voted = threading.Barrier(VOTERS + 1)
    refused: list[int] = []

    def voter(index: int, member_id: int):
        def vote() -> None:
            client = committed_app.test_client()
            client.post("/connexion/dev", data={"user_id": member_id})
            for turn in range(12):
                choice = CHOICES[(index + turn) % 3].value
                response = client.post(
                    vote_url,
                    data={"voter": member_id, "choice": choice},
                    headers={"HX-Request": "true"},
                )
                if turn == 0:
                    assert response.status_code == 200
                    everyone_voted.wait(timeout=60)
                elif response.status_code == 409:  # closed: refused, and nothing recorded
                    refused.append(member_id)
                    return
                else:
                    assert response.status_code == 200, response.status_code

        return vote

    def close() -> None:
        client = committed_app.test_client()
        client.post("/connexion/dev", data={"user_id": admin_id})
        everyone_voted.wait(timeout=60)
        response = client.post(f"/seances/{meeting_id}/en-cours/points/{item_id}/clore", data={})
        assert response.status_code == 303, response.status_code

    errors = _run_together(
        [voter(index, member_id) for index, member_id in enumerate(member_ids)] + [close]
    )
    assert errors == []

    with committed_app.app_context():
        item = db.session.get(AgendaItem, item_id)
        assert item.closed_at is not None
        # What the ballots say now is what was frozen at closing: no vote slipped in after.
        assert committee.item_result(item).explain() == item.result_text
        recorded = db.session.scalar(
            sa.select(sa.func.count()).select_from(Vote).where(Vote.item_id == item_id)
        )
        audited = db.session.scalar(
            sa.select(sa.func.count()).where(
                AuditEvent.action.in_(("vote.cast", "vote.changed")),
                AuditEvent.object_id == str(item_id),
            )
        )
        assert recorded == audited
