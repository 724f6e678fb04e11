"""Object-level access: a role is not enough, the object must be one's own. An intrapreneur
of startup A on startup B's dossier, a sponsor on another startup's history, a member on a
séance they are not convened to, an agent on someone else's export."""

from __future__ import annotations

import html

from comite.auth.roles import Role


def _as(client, user):
    client.post("/connexion/dev", data={"user_id": user.id})
    return client


def test_an_intrapreneur_cannot_reach_another_startups_dossier(client, world, db_session):
    browser = _as(client, world.users["intrapreneur"])
    other = world.ids["other_dossier_id"]
    assert browser.get(f"/dossiers/{world.ids['dossier_id']}").status_code == 200
    assert browser.get(f"/dossiers/{other}").status_code == 403
    assert browser.get(f"/dossiers/{other}/versions/1").status_code == 403
    assert browser.get(f"/dossiers/{other}/brouillon").status_code == 403
    assert browser.post(f"/dossiers/{other}/nouvelle-version").status_code == 403
    assert browser.post(f"/startups/{world.ids['other_slug']}/dossiers").status_code == 403


def test_a_sponsor_reads_their_startups_history_only(client, world, db_session):
    browser = _as(client, world.users["sponsor"])
    assert browser.get(f"/startups/{world.ids['slug']}/historique").status_code == 200
    assert browser.get(f"/startups/{world.ids['other_slug']}/historique").status_code == 403


def test_a_member_not_convened_stays_out_of_the_seance(client, world, make_user, db_session):
    outsider = make_user(Role.MEMBER, given_name="Non", usual_name="Convoqué")
    _as(client, outsider)
    meeting, item = world.ids["meeting_id"], world.ids["item_id"]
    assert client.get(f"/seances/{meeting}").status_code == 403
    assert client.get(f"/seances/{meeting}/points/{item}").status_code == 403
    vote = client.post(
        f"/seances/{meeting}/points/{item}/vote", data={"voter": outsider.id, "choice": "arreter"}
    )
    assert vote.status_code == 403
    assert client.post(f"/seances/{meeting}/pouvoir", data={}).status_code == 403


def test_a_member_cannot_vote_in_someone_elses_name(client, open_item, db_session):
    voter, other = open_item["members"][1], open_item["members"][2]
    _as(client, voter)
    url = f"/seances/{open_item['meeting'].id}/points/{open_item['item'].id}/vote"
    response = client.post(url, data={"voter": other.id, "choice": "arreter"})
    assert response.status_code == 303
    page = html.unescape(client.get(response.location).get_data(as_text=True))
    assert "Vous ne détenez pas le pouvoir de ce membre pour cette séance." in page
    db_session.expire_all()
    assert open_item["item"].current_ballots() == {}


def test_an_export_is_its_requesters_only(client, world, make_user, db_session):
    colleague = _as(client, make_user(Role.FINANCE))
    job = world.ids["job_id"]
    assert colleague.get(f"/exports/taches/{job}").status_code == 404
    assert colleague.get(f"/exports/taches/{job}/fichier").status_code == 404


def test_the_team_of_another_startup_cannot_answer_its_questions(
    client, world, make_user, make_startup, db_session
):
    from comite.startups.workflow import MemberRole

    stranger = make_user(Role.INTRAPRENEUR)
    make_startup("Troisième", members={stranger: MemberRole.INTRAPRENEUR})
    _as(client, stranger)
    ids = world.ids
    url = (
        f"/seances/{ids['meeting_id']}/points/{ids['item_id']}"
        f"/questions/{ids['question_id']}/reponse"
    )
    assert client.post(url, data={"text": "Réponse"}).status_code == 403


def test_a_vote_for_someone_not_convened_is_refused(client, open_item, make_user, db_session):
    voter = open_item["members"][1]
    _as(client, voter)
    url = f"/seances/{open_item['meeting'].id}/points/{open_item['item'].id}/vote"
    for other in (0, make_user(Role.MEMBER).id):
        response = client.post(
            url, data={"voter": other, "choice": "arreter"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 422
        assert "pas convoqué à cette séance" in html.unescape(response.text)
    db_session.expire_all()
    assert open_item["item"].current_ballots() == {}
