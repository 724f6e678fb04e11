"""Defects found in review, each kept fixed by a test."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from comite.auth.roles import Role
from comite.committee import services
from comite.committee.workflow import Choice, Outcome
from comite.core.errors import DomainError
from comite.dossiers import services as dossier_services
from comite.dossiers.workflow import VersionState
from comite.startups.workflow import Phase
from tests.committee.conftest import TODAY, complete_sheet


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def item_url(seance) -> str:
    return f"/seances/{seance['meeting'].id}/points/{seance['item'].id}"


def test_the_team_sees_the_questions_but_not_the_vote(client, login_as, open_item, db_session):
    team_member = open_item["version"].dossier.startup.memberships[0].user
    services.cast_vote(
        db_session,
        open_item["item"],
        open_item["members"][0],
        open_item["members"][0],
        Choice.STOP,
    )
    db_session.commit()
    login_as(user=team_member)
    page = text(client.get(item_url(open_item)))
    assert "Questions écrites" in page
    assert "Ont voté" not in page and "Votre vote" not in page
    assert client.get(f"{item_url(open_item)}/participation").status_code == 403


def test_the_team_cannot_open_an_item_before_the_agenda_is_published(
    client, login_as, db_session, make_user, submitted_version
):
    admin = make_user(Role.ADMIN)
    member = make_user(Role.MEMBER)
    meeting = services.create_meeting(
        db_session,
        services.MeetingDetails("Planifiée", dt.datetime(2027, 1, 5, 9, tzinfo=dt.UTC)),
        admin,
    )
    services.convene(db_session, meeting, [member], member, admin)
    item = services.add_to_agenda(db_session, meeting, submitted_version, admin)
    db_session.commit()
    login_as(user=submitted_version.dossier.startup.memberships[0].user)
    assert client.get(f"/seances/{meeting.id}/points/{item.id}").status_code == 403


def test_a_proxy_without_holder_is_a_french_message(client, login_as, seance):
    login_as(user=seance["members"][2])
    response = client.post(f"/seances/{seance['meeting'].id}/pouvoir", data={"holder": ""})
    assert response.status_code == 303
    assert "Choisissez le membre qui portera votre pouvoir." in text(client.get(response.location))


def test_an_absurd_voter_id_is_refused_without_error(client, login_as, open_item):
    login_as(user=open_item["members"][0])
    response = client.post(
        f"{item_url(open_item)}/vote",
        data={"voter": "99999999999999999999", "choice": "continuer"},
    )
    assert response.status_code in (303, 422)


def test_a_member_who_gave_their_proxy_no_longer_votes_themselves(db_session, open_item):
    _marc, sophie, karim = open_item["members"]
    services.give_proxy(db_session, open_item["meeting"], karim, sophie)
    with pytest.raises(DomainError, match="Vous avez donné votre pouvoir"):
        services.cast_vote(db_session, open_item["item"], karim, karim, Choice.STOP)


def test_closing_twice_creates_one_decision(db_session, open_item):
    for member in open_item["members"][:2]:
        services.cast_vote(db_session, open_item["item"], member, member, Choice.CONTINUE)
    assert services.close_item(db_session, open_item["item"], open_item["admin"], TODAY)
    with pytest.raises(DomainError, match="n'est pas en cours de vote"):
        services.close_item(db_session, open_item["item"], open_item["admin"], TODAY)


def test_a_continue_decision_never_leads_to_an_abandon_phase(
    db_session, make_user, make_startup, seance
):
    version = seance["version"]
    content = complete_sheet()
    content.requested_phase = Phase.STOPPED.value
    version.content_json = content.to_json()
    services.advance_meeting(db_session, seance["meeting"], "start", seance["admin"])
    services.open_item(db_session, seance["item"], seance["admin"])
    for member in seance["members"][:2]:
        services.cast_vote(db_session, seance["item"], member, member, Choice.CONTINUE)
    decision = services.close_item(db_session, seance["item"], seance["admin"], TODAY)
    assert decision.outcome is Outcome.CONTINUE
    assert decision.next_phase is version.dossier.startup.phase
    decision.next_phase = Phase.STOPPED  # as a tampered draft would
    with pytest.raises(DomainError, match="ne mène pas à une phase d'abandon"):
        services.publish_decision(db_session, decision, seance["admin"], TODAY)


def test_an_answer_is_given_once_and_not_after_the_seance(db_session, seance):
    team_member = seance["version"].dossier.startup.memberships[0].user
    question = services.ask_question(db_session, seance["item"], seance["members"][0], "Coût ?")
    services.answer_question(db_session, question, team_member, "3 €.")
    with pytest.raises(DomainError, match="déjà été publiée"):
        services.answer_question(db_session, question, team_member, "Réécrit")
    assert question.answer == "3 €."


def test_a_newer_submission_replaces_the_older_one_and_agenda_dossiers_are_frozen(
    db_session, seance, submitted_version
):
    intrapreneur = submitted_version.dossier.startup.memberships[0].user
    dossier = submitted_version.dossier
    with pytest.raises(DomainError, match="ordre du jour d'une séance"):
        dossier_services.start_new_version(db_session, dossier, intrapreneur)
    services.advance_meeting(db_session, seance["meeting"], "start", seance["admin"])
    services.open_item(db_session, seance["item"], seance["admin"])
    services.close_item(db_session, seance["item"], seance["admin"], TODAY)  # postponed
    assert submitted_version.state is VersionState.SUBMITTED
    draft = dossier_services.start_new_version(db_session, dossier, intrapreneur)
    dossier_services.submit(db_session, draft, intrapreneur)
    assert submitted_version.state is VersionState.REPLACED
    assert draft.state is VersionState.SUBMITTED


def test_huge_quantities_and_malformed_row_actions_are_french_errors(
    client, login_as, submitted_version, db_session
):
    intrapreneur = submitted_version.dossier.startup.memberships[0].user
    login_as(user=intrapreneur)
    draft = dossier_services.start_new_version(db_session, submitted_version.dossier, intrapreneur)
    db_session.commit()
    url = f"/dossiers/{draft.dossier_id}/brouillon"
    data = {
        "revision": draft.revision,
        "budget_lines-0-work_unit_code": "PM",
        "budget_lines-0-quantity": "1e3000000",
    }
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "Ce nombre est trop grand" in text(response)
    odd = client.post(url, data={"revision": draft.revision, "action": "remove:indicators:²"})
    assert odd.status_code in (200, 303)


def test_the_development_login_refuses_absurd_ids(client):
    response = client.post("/connexion/dev", data={"user_id": "99999999999999999999"})
    assert response.status_code == 422


def test_ids_too_large_for_the_database_are_404_not_errors(client, login_as, seance):
    login_as(user=seance["admin"])
    for url in (
        "/seances/99999999999999999999",
        "/decisions/99999999999999999999",
        "/dossiers/99999999999999999999",
        "/seances/99999999999999999999/gestion",
    ):
        assert client.get(url).status_code == 404, url


def test_budget_dates_out_of_any_plausible_range_are_refused(
    client, login_as, submitted_version, db_session
):
    intrapreneur = submitted_version.dossier.startup.memberships[0].user
    login_as(user=intrapreneur)
    draft = dossier_services.start_new_version(db_session, submitted_version.dossier, intrapreneur)
    db_session.commit()
    response = client.post(
        f"/dossiers/{draft.dossier_id}/brouillon",
        data={"revision": draft.revision, "budget_lines-0-period_start": "0001-01-01"},
    )
    assert response.status_code == 422
    assert "Saisissez une date entre 2000 et 2100." in text(response)
