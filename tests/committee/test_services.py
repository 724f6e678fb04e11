"""Séances, votes and decisions through the services, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from comite.auth.roles import Role
from comite.committee import services
from comite.committee.models import Decision, Vote
from comite.committee.workflow import Choice, DecisionState, ItemState, Outcome
from comite.core.audit import AuditEvent
from comite.core.errors import DomainError
from comite.dossiers.workflow import VersionState
from comite.startups.workflow import Phase, StartupStatus
from tests.committee.conftest import TODAY

C, S, A = Choice.CONTINUE, Choice.STOP, Choice.ABSTAIN


def vote(db_session, seance, index, choice, voter=None):
    member = seance["members"][index]
    services.cast_vote(db_session, seance["item"], member, voter or member, choice)
    db_session.commit()


def test_agenda_takes_the_exact_submitted_version(seance):
    assert seance["item"].dossier_version is seance["version"]
    assert seance["version"].state is VersionState.UNDER_REVIEW


def test_only_committee_members_are_convened(db_session, seance, make_user):
    outsider = make_user(Role.SPONSOR)
    with pytest.raises(DomainError, match="Seuls les membres du comité"):
        services.convene(db_session, seance["meeting"], [outsider], outsider, seance["admin"])


def test_voting_on_an_item_that_is_not_open_is_refused(db_session, seance):
    with pytest.raises(DomainError, match="n'est pas ouvert"):
        vote(db_session, seance, 0, C)


def test_a_member_may_change_their_vote_and_only_the_last_counts(db_session, open_item):
    vote(db_session, open_item, 0, S)
    vote(db_session, open_item, 0, C)
    vote(db_session, open_item, 1, C)
    item = open_item["item"]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 3
    assert services.item_result(item).counts[C] == 2
    actions = db_session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.action.like("vote.%"))
    ).all()
    assert actions.count("vote.cast") == 2 and actions.count("vote.changed") == 1


def test_a_non_member_cannot_vote(db_session, open_item, make_user):
    outsider = make_user(Role.MEMBER)
    with pytest.raises(DomainError, match="Seuls les membres convoqués"):
        services.cast_vote(db_session, open_item["item"], outsider, outsider, C)


def test_a_recused_member_cannot_vote_and_their_earlier_vote_stops_counting(db_session, open_item):
    vote(db_session, open_item, 2, S)
    karim = open_item["members"][2]
    services.declare_conflict(db_session, open_item["item"], karim, "Ancien employeur")
    with pytest.raises(DomainError, match="déporté"):
        vote(db_session, open_item, 2, S)
    vote(db_session, open_item, 0, C)
    vote(db_session, open_item, 1, C)
    result = services.item_result(open_item["item"])
    assert result.eligible == 2 and result.voted == 2 and result.counts[S] == 0


def test_a_proxy_holder_casts_both_votes(db_session, open_item):
    marc, sophie, karim = open_item["members"]
    services.give_proxy(db_session, open_item["meeting"], karim, sophie)
    vote(db_session, open_item, 1, C)
    services.cast_vote(db_session, open_item["item"], sophie, karim, C)
    db_session.commit()
    ballots = open_item["item"].current_ballots()
    assert ballots[karim.id].cast_by_id == sophie.id
    with pytest.raises(DomainError, match="détient déjà un pouvoir"):
        services.give_proxy(db_session, open_item["meeting"], marc, sophie)
    with pytest.raises(DomainError, match="ne détenez pas le pouvoir"):
        services.cast_vote(db_session, open_item["item"], marc, karim, S)


def test_closing_without_quorum_postpones_and_frees_the_dossier(db_session, open_item):
    vote(db_session, open_item, 0, C)
    decision = services.close_item(db_session, open_item["item"], open_item["admin"], TODAY)
    assert decision is None
    assert open_item["item"].outcome is Outcome.POSTPONED
    assert open_item["version"].state is VersionState.SUBMITTED
    with pytest.raises(DomainError, match="n'est pas ouvert"):
        vote(db_session, open_item, 1, C)


def test_closing_with_a_majority_drafts_a_prefilled_decision(db_session, open_item):
    vote(db_session, open_item, 0, C)
    vote(db_session, open_item, 1, C)
    vote(db_session, open_item, 2, A)
    decision = services.close_item(db_session, open_item["item"], open_item["admin"], TODAY)
    db_session.commit()
    assert decision.state is DecisionState.DRAFT
    assert decision.outcome is Outcome.CONTINUE
    assert decision.next_phase is Phase.ACCELERATION
    assert decision.next_review_on == dt.date(2027, 5, 24)
    assert [(line.work_unit_type.code, str(line.quantity)) for line in decision.budget_lines] == [
        ("DEVOPS-SENIOR", "6.00"),
        ("PM", "2.50"),
    ]
    record = decision.record
    assert record["dossier"]["version"] == 1
    assert [member["name"] for member in record["convened"]] == [
        "Marc Lefèvre",
        "Sophie Martin",
        "Karim Benali",
    ]
    assert record["counts"] == {"continuer": 2, "arreter": 0, "abstention": 1}
    assert {"voter": "Karim Benali", "cast_by": "Karim Benali", "choice": "abstention"} in record[
        "votes"
    ]
    assert record["rule"].startswith("Quorum : plus de 50 %")


def test_a_tie_is_settled_by_the_president(db_session, open_item):
    services.declare_conflict(db_session, open_item["item"], open_item["members"][2], "Lien")
    vote(db_session, open_item, 0, S)  # Marc presides
    vote(db_session, open_item, 1, C)
    decision = services.close_item(db_session, open_item["item"], open_item["admin"], TODAY)
    assert decision.outcome is Outcome.STOP
    assert decision.next_phase is Phase.STOPPED
    assert decision.record["tie_broken_by_president"] is True
    assert decision.budget_lines == []


def test_secret_ballots_keep_only_counts_in_the_record_and_the_log(db_session, open_item):
    open_item["meeting"].secret_ballot = True
    vote(db_session, open_item, 0, C)
    vote(db_session, open_item, 1, S)
    vote(db_session, open_item, 2, C)
    decision = services.close_item(db_session, open_item["item"], open_item["admin"], TODAY)
    assert decision.record["votes"] is None
    assert decision.record["counts"]["continuer"] == 2
    details = db_session.scalars(
        sa.select(AuditEvent.details).where(AuditEvent.action == "vote.cast")
    ).all()
    assert details and all("choice" not in detail for detail in details)


def test_publishing_moves_the_startup_and_cannot_happen_twice(db_session, open_item):
    vote(db_session, open_item, 0, C)
    vote(db_session, open_item, 1, C)
    decision = services.close_item(db_session, open_item["item"], open_item["admin"], TODAY)
    services.publish_decision(db_session, decision, open_item["admin"], TODAY)
    db_session.commit()
    startup = decision.startup
    assert startup.phase is Phase.ACCELERATION and startup.phase_started_on == TODAY
    assert startup.phase_history[-1].phase is Phase.ACCELERATION
    assert open_item["version"].state is VersionState.DECIDED
    with pytest.raises(DomainError, match="déjà publiée"):
        services.publish_decision(db_session, decision, open_item["admin"], TODAY)
    with pytest.raises(DomainError, match="ne change plus"):
        services.update_decision(
            db_session,
            decision,
            services.DecisionDetails(Outcome.STOP, Phase.STOPPED, "", None, []),
            open_item["admin"],
        )


def test_a_correction_supersedes_the_published_decision(db_session, open_item):
    vote(db_session, open_item, 0, S)
    vote(db_session, open_item, 1, S)
    decision = services.close_item(db_session, open_item["item"], open_item["admin"], TODAY)
    services.publish_decision(db_session, decision, open_item["admin"], TODAY)
    assert decision.startup.status is StartupStatus.STOPPED
    correction = services.supersede_decision(db_session, decision, open_item["admin"])
    with pytest.raises(DomainError, match="déjà en préparation"):
        services.supersede_decision(db_session, decision, open_item["admin"])
    services.update_decision(
        db_session,
        correction,
        services.DecisionDetails(
            Outcome.CONTINUE, Phase.CONSTRUCTION, "Erreur matérielle", None, []
        ),
        open_item["admin"],
    )
    services.publish_decision(db_session, correction, open_item["admin"], TODAY)
    db_session.commit()
    assert decision.state is DecisionState.SUPERSEDED
    assert correction.supersedes_id == decision.id
    assert correction.startup.status is StartupStatus.ACTIVE
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 2


def test_the_seance_closes_only_when_every_item_is_closed(db_session, open_item):
    with pytest.raises(DomainError, match="Tous les points"):
        services.advance_meeting(db_session, open_item["meeting"], "close", open_item["admin"])
    services.close_item(db_session, open_item["item"], open_item["admin"], TODAY)
    services.advance_meeting(db_session, open_item["meeting"], "close", open_item["admin"])
    assert open_item["item"].state is ItemState.CLOSED


def test_questions_are_asked_before_the_seance_and_answered_by_the_team(
    db_session, seance, make_user
):
    question = services.ask_question(
        db_session, seance["item"], seance["members"][1], "Quel est le coût par usager ?"
    )
    team_member = seance["version"].dossier.startup.memberships[0].user
    services.answer_question(db_session, question, team_member, "Environ 3 €.")
    assert question.answer == "Environ 3 €." and question.answered_by is team_member
    services.advance_meeting(db_session, seance["meeting"], "start", seance["admin"])
    with pytest.raises(DomainError, match="avant la séance"):
        services.ask_question(db_session, seance["item"], seance["members"][1], "Trop tard ?")
