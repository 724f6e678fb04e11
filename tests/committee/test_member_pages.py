"""The members' side of a séance: agenda, proxy, conflict of interest, questions, votes."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from comite.auth.roles import Role
from comite.committee import services
from comite.committee.workflow import Choice
from tests.committee.conftest import TODAY


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def item_url(seance) -> str:
    return f"/seances/{seance['meeting'].id}/points/{seance['item'].id}"


def test_a_convened_member_reads_the_agenda_once_published(client, login_as, seance):
    login_as(user=seance["members"][1])
    page = text(client.get(f"/seances/{seance['meeting'].id}"))
    assert "Comité de novembre" in page
    assert "Cantine Locale – Fiche produit (version 1)" in page
    assert "Marc Lefèvre – <strong>président de séance</strong>" in page


@pytest.mark.parametrize("who", ["member", "sponsor"])
def test_people_not_convened_cannot_see_the_seance(client, login_as, seance, who):
    login_as(Role.MEMBER if who == "member" else Role.SPONSOR)
    response = client.get(f"/seances/{seance['meeting'].id}")
    assert response.status_code == 403
    assert "réservée aux membres qui y sont convoqués" in text(response)


def test_a_member_votes_changes_their_vote_and_sees_participation(
    client, login_as, open_item, db_session
):
    login_as(user=open_item["members"][1])
    url = item_url(open_item)
    page = text(client.get(url))
    assert "Votre vote" in page and "0 votant" in page
    first = client.post(
        f"{url}/vote", data={"voter": open_item["members"][1].id, "choice": "arreter"}
    )
    assert first.status_code == 303
    assert "Votre vote est enregistré : arrêter." in text(client.get(url))
    client.post(f"{url}/vote", data={"voter": open_item["members"][1].id, "choice": "continuer"})
    page = text(client.get(url))
    assert "Vote enregistré : Continuer." in page
    assert "1 votant" in page and "Ont voté : Sophie Martin." in page
    # Members see who voted, not how, while the item is open.
    assert "Sophie Martin : Continuer" not in page


def test_htmx_vote_swaps_the_panel_and_the_participation(client, login_as, open_item):
    login_as(user=open_item["members"][0])
    response = client.post(
        f"{item_url(open_item)}/vote",
        data={"voter": open_item["members"][0].id, "choice": "abstention", "comment": "À revoir"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = text(response)
    assert page.lstrip().startswith('<div id="vote-panel">')
    assert "Votre vote est enregistré : abstention." in page
    assert 'id="participation"' in page and 'hx-swap-oob="true"' in page


def test_participation_poll_answers_204_when_nothing_changed(
    client, login_as, open_item, db_session
):
    login_as(user=open_item["members"][0])
    url = f"{item_url(open_item)}/participation"
    first = client.get(url, headers={"HX-Request": "true"})
    assert first.status_code == 200
    stamp = "open-0-0"
    assert f"depuis={stamp}" in first.text
    assert client.get(f"{url}?depuis={stamp}", headers={"HX-Request": "true"}).status_code == 204
    services.cast_vote(
        db_session,
        open_item["item"],
        open_item["members"][2],
        open_item["members"][2],
        Choice.CONTINUE,
    )
    db_session.commit()
    changed = client.get(f"{url}?depuis={stamp}", headers={"HX-Request": "true"})
    assert changed.status_code == 200 and "1 votant" in text(changed)


def test_a_recused_member_sees_no_vote_buttons_and_cannot_vote(client, login_as, open_item):
    karim = open_item["members"][2]
    login_as(user=karim)
    url = item_url(open_item)
    response = client.post(f"{url}/deport", data={"reason": "Ancien employeur de l'équipe"})
    assert response.status_code == 303
    page = text(client.get(url))
    assert "Votre conflit d'intérêts est enregistré" in page
    assert "Votre vote" not in page and "Déporté : Karim Benali." in page
    refused = client.post(f"{url}/vote", data={"voter": karim.id, "choice": "continuer"})
    assert "Vous vous êtes déporté sur ce point" in text(client.get(refused.location))


def test_voting_on_a_closed_item_is_refused(client, login_as, open_item, db_session):
    services.close_item(db_session, open_item["item"], open_item["admin"], TODAY)
    db_session.commit()
    login_as(user=open_item["members"][1])
    response = client.post(
        f"{item_url(open_item)}/vote",
        data={"voter": open_item["members"][1].id, "choice": "continuer"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "Le vote sur ce point n'est pas ouvert." in text(response)


def test_a_non_member_cannot_vote(client, login_as, open_item):
    login_as(Role.MEMBER)
    response = client.post(f"{item_url(open_item)}/vote", data={"voter": 1, "choice": "continuer"})
    assert response.status_code == 403


def test_a_proxy_holder_votes_twice_and_the_result_shows_both(
    client, login_as, open_item, db_session
):
    _marc, sophie, karim = open_item["members"]
    login_as(user=karim)
    client.post(f"/seances/{open_item['meeting'].id}/pouvoir", data={"holder": sophie.id})
    client.post("/deconnexion")
    login_as(user=sophie)
    url = item_url(open_item)
    page = text(client.get(url))
    assert "Vote de Karim Benali (pouvoir)" in page
    client.post(f"{url}/vote", data={"voter": sophie.id, "choice": "continuer"})
    client.post(f"{url}/vote", data={"voter": karim.id, "choice": "continuer"})
    services.close_item(db_session, open_item["item"], open_item["admin"], TODAY)
    db_session.commit()
    page = text(client.get(url))
    assert "Continuer : 2 pour continuer" in page
    assert "Karim Benali : Continuer (par pouvoir, porté par Sophie Martin)" in page


def test_secret_ballot_results_show_counts_only(client, login_as, open_item, db_session):
    open_item["meeting"].secret_ballot = True
    for member in open_item["members"]:
        services.cast_vote(db_session, open_item["item"], member, member, Choice.STOP)
    services.close_item(db_session, open_item["item"], open_item["admin"], TODAY)
    db_session.commit()
    login_as(user=open_item["members"][0])
    page = text(client.get(item_url(open_item)))
    assert "Arrêter : 0 pour continuer, 3 pour arrêter" in page
    assert "Sophie Martin : Arrêter" not in page


def test_questions_before_the_seance_and_answers_from_the_team(
    client, login_as, seance, db_session
):
    login_as(user=seance["members"][1])
    url = item_url(seance)
    client.post(f"{url}/questions", data={"text": "Combien d'usagers actifs ?"})
    client.post("/deconnexion")
    team_member = seance["version"].dossier.startup.memberships[0].user
    login_as(user=team_member)
    page = text(client.get(url))
    assert "Combien d'usagers actifs ?" in page and "Répondre" in page
    question = seance["item"].questions[0]
    client.post(f"{url}/questions/{question.id}/reponse", data={"text": "1 200 par mois."})
    assert "Réponse de Julie Moreau" in text(client.get(url))
    client.post("/deconnexion")
    login_as(Role.SPONSOR)  # not in the team: cannot answer
    assert (
        client.post(f"{url}/questions/{question.id}/reponse", data={"text": "Intrus"}).status_code
        == 403
    )


def test_questions_and_answers_stay_with_the_dossier(client, login_as, seance, db_session):
    question = services.ask_question(
        db_session, seance["item"], seance["members"][1], "Quel coût par démarche ?"
    )
    team_member = seance["version"].dossier.startup.memberships[0].user
    services.answer_question(db_session, question, team_member, "Environ 2 €.")
    db_session.commit()
    login_as(user=team_member)
    page = text(client.get(f"/dossiers/{seance['version'].dossier_id}"))
    assert "Passages en comité et questions écrites" in page
    assert "Quel coût par démarche ?" in page and "Environ 2 €." in page
    assert f"/seances/{seance['meeting'].id}/points/{seance['item'].id}" in page


def test_a_late_htmx_vote_gets_the_refusal_in_its_panel(client, login_as, open_item, db_session):
    services.close_item(db_session, open_item["item"], open_item["admin"], dt.date(2026, 11, 26))
    db_session.commit()
    login_as(user=open_item["members"][1])
    response = client.post(
        f"{item_url(open_item)}/vote",
        data={"voter": open_item["members"][1].id, "choice": "arreter"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    page = text(response)
    assert page.lstrip().startswith('<div id="vote-panel">')
    assert "Le vote sur ce point n'est pas ouvert." in page
    # Nothing else in the answer empties the panel that carries the refusal.
    assert page.count('id="vote-panel"') == 1
