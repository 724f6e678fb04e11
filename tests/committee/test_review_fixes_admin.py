"""Review fixes on the secretariat's and the decisions' pages: no vote shown before an item
closes, no running count of a secret ballot, no invitation before the agenda is published,
and French errors instead of 500s on absurd input."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from comite.auth.roles import Role
from comite.committee import services
from comite.committee.models import Meeting
from comite.committee.workflow import Choice
from tests.committee.conftest import TODAY
from tests.committee.decision_helpers import text, vote_and_close, words
from tests.committee.test_admin_pages import VALID, field_errors, title_of
from tests.committee.test_decision_pages import decision_form
from tests.committee.test_minutes import pdf_text

C, S = Choice.CONTINUE, Choice.STOP


def make_secret(db_session, seance) -> None:
    meeting = seance["meeting"]
    services.update_meeting(
        db_session,
        meeting,
        services.MeetingDetails(meeting.title, meeting.starts_at, secret_ballot=True),
        seance["admin"],
    )
    db_session.commit()


@pytest.fixture
def planned(db_session, make_user):
    """A séance just planned: no members, nothing on its agenda."""
    admin = make_user(Role.ADMIN, given_name="Claire", usual_name="Dubois")
    meeting = services.create_meeting(
        db_session,
        services.MeetingDetails(
            "Comité de décembre", dt.datetime(2026, 12, 10, 13, 0, tzinfo=dt.UTC)
        ),
        admin,
    )
    db_session.commit()
    return {"meeting": meeting, "admin": admin}


# -- A. the minutes show votes only once an item is closed ---------------------------------


@pytest.mark.parametrize("secret", [False, True])
def test_the_minutes_hide_votes_and_counts_while_the_vote_is_open(
    client, login_as, db_session, seance, secret
):
    if secret:
        make_secret(db_session, seance)
    meeting, item = seance["meeting"], seance["item"]
    marc, sophie, _karim = seance["members"]
    services.advance_meeting(db_session, meeting, "start", seance["admin"])
    services.open_item(db_session, item, seance["admin"])
    services.cast_vote(db_session, item, marc, marc, C)
    services.cast_vote(db_session, item, sophie, sophie, S)
    db_session.commit()
    for reader in (sophie, seance["admin"]):
        login_as(user=reader)
        response = client.get(f"/seances/{meeting.id}/releve")
        assert response.status_code == 200
        page = words(response)
        assert "Vote en cours" in page
        assert "Décompte" not in page
        assert "Bulletin secret :" not in page
        assert "Continuer 1" not in page and "Arrêter 1" not in page
        for member in seance["members"]:
            for choice in Choice:
                assert f"{member.full_name} : {choice.label}" not in page


def test_the_minutes_show_a_pending_item_as_to_be_examined(client, login_as, db_session, seance):
    meeting = seance["meeting"]
    services.advance_meeting(db_session, meeting, "start", seance["admin"])
    db_session.commit()
    login_as(user=seance["members"][1])
    page = words(client.get(f"/seances/{meeting.id}/releve"))
    assert "Votes À examiner" in page
    assert "Continuer 0" not in page


def test_the_minutes_pdf_hides_votes_while_the_vote_is_open(client, login_as, db_session, seance):
    meeting, item = seance["meeting"], seance["item"]
    marc = seance["members"][0]
    services.advance_meeting(db_session, meeting, "start", seance["admin"])
    services.open_item(db_session, item, seance["admin"])
    services.cast_vote(db_session, item, marc, marc, C)
    db_session.commit()
    login_as(user=marc)
    content = pdf_text(client.get(f"/seances/{meeting.id}/releve.pdf"))
    assert "Vote en cours" in content
    assert "Marc Lefèvre : Continuer" not in content
    assert "Continuer 1" not in content


def test_the_minutes_show_votes_and_counts_once_the_item_is_closed(
    client, login_as, db_session, open_item
):
    item = open_item["item"]
    marc, sophie, karim = open_item["members"]
    for member, choice in ((marc, C), (sophie, S), (karim, C)):
        services.cast_vote(db_session, item, member, member, choice)
    services.close_item(db_session, item, open_item["admin"], today=TODAY)
    db_session.commit()
    login_as(user=sophie)
    page = words(client.get(f"/seances/{open_item['meeting'].id}/releve"))
    assert "Marc Lefèvre : Continuer" in page
    assert "Décompte : Continuer 2, Arrêter 1, Abstention 0." in page
    assert "Vote en cours" not in page


# -- B. the live page keeps a secret ballot secret until closing ------------------------------


def test_the_live_page_gives_no_running_count_of_a_secret_ballot(
    client, login_as, db_session, seance
):
    make_secret(db_session, seance)
    meeting, item = seance["meeting"], seance["item"]
    marc, sophie, _karim = seance["members"]
    services.advance_meeting(db_session, meeting, "start", seance["admin"])
    services.open_item(db_session, item, seance["admin"])
    services.cast_vote(db_session, item, sophie, sophie, S)
    db_session.commit()
    for reader in (seance["admin"], marc):
        login_as(user=reader)
        page = text(client.get(f"/seances/{meeting.id}/en-cours"))
        assert "1 votant sur 3 membres non déportés" in page
        assert "N'ont pas encore voté : Karim Benali, Marc Lefèvre." in page
        assert "Décompte provisoire" not in page
        assert not re.search(r"<td>Arrêter</td>", page)
        assert "Vote à bulletin secret : le résultat sera donné à la clôture du vote." in page


def test_the_live_page_gives_the_result_of_a_secret_ballot_at_closing(
    client, login_as, db_session, seance
):
    make_secret(db_session, seance)
    meeting, item = seance["meeting"], seance["item"]
    services.advance_meeting(db_session, meeting, "start", seance["admin"])
    services.open_item(db_session, item, seance["admin"])
    for member, choice in zip(seance["members"], (C, S, C), strict=True):
        services.cast_vote(db_session, item, member, member, choice)
    db_session.commit()
    login_as(user=seance["admin"])
    response = client.post(f"/seances/{meeting.id}/en-cours/points/{item.id}/clore")
    assert response.status_code == 303
    page = text(client.get(f"/seances/{meeting.id}/en-cours"))
    assert f"Résultat :</strong> {item.result_text}" in page


# -- E. the invitation follows who may see the séance ---------------------------------------


def test_a_convened_member_cannot_download_the_invitation_of_a_planned_seance(
    client, login_as, planned, make_user, db_session
):
    marc = make_user(Role.MEMBER, given_name="Marc", usual_name="Lefèvre")
    meeting = planned["meeting"]
    services.convene(db_session, meeting, [marc], marc, planned["admin"])
    db_session.commit()
    url = f"/seances/{meeting.id}/invitation.ics"
    login_as(user=marc)
    refused = client.get(url)
    assert refused.status_code == 403
    assert "L'ordre du jour de cette séance n'est pas encore publié." in text(refused)
    login_as(user=planned["admin"])
    assert client.get(url).status_code == 200


# -- 500s turned into French errors -----------------------------------------------------------


def test_a_member_ticked_twice_is_convened_once(client, login_as, planned, make_user, db_session):
    marc = make_user(Role.MEMBER, given_name="Marc", usual_name="Lefèvre")
    login_as(user=planned["admin"])
    meeting = planned["meeting"]
    response = client.post(
        f"/seances/{meeting.id}/gestion/membres",
        data={"members": [str(marc.id), str(marc.id)], "president": str(marc.id)},
    )
    assert response.status_code == 303
    db_session.refresh(meeting)
    assert [member.user_id for member in meeting.members] == [marc.id]


@pytest.mark.parametrize("huge", ["99999999999999999999", str(2**31), "0", "-3"])
@pytest.mark.parametrize("field", ["members", "president"])
def test_an_impossible_member_id_is_refused_next_to_its_field(
    client, login_as, planned, make_user, huge, field
):
    marc = make_user(Role.MEMBER)
    login_as(user=planned["admin"])
    meeting = planned["meeting"]
    data = {"members": [str(marc.id)], "president": str(marc.id)}
    data[field] = [str(marc.id), huge] if field == "members" else huge
    response = client.post(f"/seances/{meeting.id}/gestion/membres", data=data)
    assert response.status_code == 422
    assert title_of(response).startswith("Erreur : ")
    assert field_errors(response, field) == ["Ce compte n'existe pas."]
    assert meeting.members == []


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_a_seance_date_out_of_range_is_refused_next_to_its_field(
    client, login_as, db_session, seance, day
):
    login_as(Role.ADMIN)
    for url in ("/seances/nouvelle", f"/seances/{seance['meeting'].id}/modifier"):
        response = client.post(url, data={**VALID, "day": day})
        assert response.status_code == 422
        assert title_of(response).startswith("Erreur : ")
        assert field_errors(response, "day") == ["Saisissez une date entre 2000 et 2100."]
        assert 'href="#day"' in response.text
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 1
    assert seance["meeting"].title == "Comité de novembre"


@pytest.mark.parametrize(
    "link",
    [
        "javascript://example.com/%0aalert(1)",
        "ftp://fichiers.example.gouv.fr/visio",
        "data://example.com/x",
    ],
)
def test_the_video_link_must_be_a_web_address(client, login_as, db_session, link):
    login_as(Role.ADMIN)
    response = client.post("/seances/nouvelle", data={**VALID, "video_link": link})
    assert response.status_code == 422
    assert field_errors(response, "video_link") == [
        "Saisissez une adresse web complète, commençant par https://."
    ]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


@pytest.mark.parametrize("link", ["http://visio.example.fr/comite", "HTTPS://Visio.Gouv.fr/a"])
def test_a_web_video_link_is_accepted(client, login_as, db_session, link):
    login_as(Role.ADMIN)
    response = client.post("/seances/nouvelle", data={**VALID, "video_link": link})
    assert response.status_code == 303
    assert db_session.scalar(sa.select(Meeting.video_link)) == link


@pytest.mark.parametrize("action", ["remove:²", "remove:-1", "remove:", "remove:x", "nimporte"])
def test_a_malformed_budget_line_action_is_ignored(client, login_as, db_session, open_item, action):
    decision = vote_and_close(db_session, open_item, [C, C, S])
    login_as(user=open_item["admin"])
    response = client.post(f"/decisions/{decision.id}/modifier", data=decision_form(action=action))
    assert response.status_code == 200
    page = text(response)
    assert "Ligne de budget 2" in page and "Ligne de budget 3" not in page
