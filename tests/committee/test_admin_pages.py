"""The secretariat's séance pages: list, planning, convening, agenda, the séance en cours
with its polled panel, and the invitation."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import sqlalchemy as sa

from comite.auth.roles import Role
from comite.committee import services
from comite.committee.models import Decision, Meeting
from comite.committee.workflow import Choice, ItemState, MeetingState, TieBreak
from comite.dossiers.workflow import VersionState


def text_of(response) -> str:
    return html.unescape(response.text)


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", text_of(response), re.S).group(1).strip()


def field_errors(response, field_id: str) -> list[str]:
    """The messages shown next to a field (dsfr_field gives them stable ids)."""
    return re.findall(rf'id="{field_id}-error-\d+">(.*?)</p>', text_of(response))


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


VALID = {
    "title": "Comité d'investissement de décembre",
    "day": "2026-12-10",
    "time": "14:30",
    "place": "Salle 204, 20 avenue de Ségur, Paris",
    "video_link": "https://webinaire.numerique.gouv.fr/comite",
    "quorum": "60",
    "tie_break": "postpone",
    "secret_ballot": "y",
}


# -- access ---------------------------------------------------------------------------------

ADMIN_ONLY = [
    ("get", "/seances/nouvelle"),
    ("post", "/seances/nouvelle"),
    ("get", "/seances/{meeting}/modifier"),
    ("post", "/seances/{meeting}/modifier"),
    ("get", "/seances/{meeting}/gestion"),
    ("post", "/seances/{meeting}/gestion/membres"),
    ("post", "/seances/{meeting}/gestion/ordre-du-jour"),
    ("post", "/seances/{meeting}/gestion/points/{item}/retirer"),
    ("post", "/seances/{meeting}/etat"),
]


@pytest.fixture
def targets(seance):
    return {"meeting": seance["meeting"].id, "item": seance["item"].id}


@pytest.mark.parametrize("roles", [(), (Role.MEMBER,), (Role.INTRAPRENEUR, Role.SPONSOR)])
@pytest.mark.parametrize(("method", "url"), ADMIN_ONLY)
def test_other_roles_get_a_french_403_on_every_secretariat_page_and_form(
    client, login_as, targets, roles, method, url
):
    login_as(*roles)
    response = getattr(client, method)(url.format(**targets))
    assert response.status_code == 403
    assert "Accès refusé" in response.text


@pytest.mark.parametrize(
    ("method", "url"),
    [
        *ADMIN_ONLY,
        ("get", "/seances"),
        ("get", "/seances/{meeting}/en-cours"),
        ("get", "/seances/{meeting}/en-cours/etat"),
        ("post", "/seances/{meeting}/en-cours/points/{item}/ouvrir"),
        ("post", "/seances/{meeting}/en-cours/points/{item}/clore"),
        ("get", "/seances/{meeting}/invitation.ics"),
    ],
)
def test_anonymous_visitor_is_sent_to_login(client, targets, method, url):
    response = getattr(client, method)(url.format(**targets))
    assert response.status_code == 302
    assert "/connexion?next=" in response.location


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/seances/{meeting}/en-cours"),
        ("get", "/seances/{meeting}/en-cours/etat"),
        ("post", "/seances/{meeting}/en-cours/points/{item}/ouvrir"),
        ("post", "/seances/{meeting}/en-cours/points/{item}/clore"),
    ],
)
def test_a_convened_member_who_does_not_preside_cannot_run_the_seance(
    client, login_as, seance, targets, method, url
):
    login_as(user=seance["members"][1])
    response = getattr(client, method)(url.format(**targets))
    assert response.status_code == 403
    assert "Seuls le secrétariat et le président conduisent la séance." in text_of(response)


def test_the_seances_are_in_the_navigation_of_the_secretariat_and_members_only(client, login_as):
    login_as(Role.ADMIN)
    assert ">Séances</a>" in text_of(client.get("/"))
    login_as(Role.MEMBER)
    assert ">Séances</a>" in text_of(client.get("/"))
    login_as(Role.INTRAPRENEUR, Role.SPONSOR)
    assert ">Séances</a>" not in text_of(client.get("/"))
    assert client.get("/seances").status_code == 403


# -- the list -------------------------------------------------------------------------------


def test_the_secretariat_lists_every_seance_with_its_state_and_items(
    client, login_as, seance, planned
):
    login_as(Role.ADMIN)
    page = text_of(client.get("/seances"))
    assert "Comité de novembre" in page and "Comité de décembre" in page
    # Paris time: 9:30 UTC in November is 10:30 in Paris.
    assert "26 novembre 2026 à 10:30" in page
    assert "Ordre du jour publié" in page and "Planifiée" in page
    assert f'href="/seances/{seance["meeting"].id}/gestion"' in page
    assert 'href="/seances/nouvelle"' in page


def test_a_member_lists_only_the_published_seances_they_are_convened_to(
    client, login_as, seance, planned, db_session
):
    # Convened to the December séance too, whose agenda is not published yet.
    services.convene(
        db_session, planned["meeting"], seance["members"], seance["members"][0], planned["admin"]
    )
    db_session.commit()
    login_as(user=seance["members"][1])
    page = text_of(client.get("/seances"))
    assert "Comité de novembre" in page
    assert "Comité de décembre" not in page
    assert f'href="/seances/{seance["meeting"].id}"' in page
    assert "/gestion" not in page and "/seances/nouvelle" not in page

    login_as(Role.MEMBER)
    assert "Comité de novembre" not in text_of(client.get("/seances"))


def test_the_president_finds_the_live_page_from_the_list(client, login_as, seance):
    login_as(user=seance["members"][0])
    assert f'href="/seances/{seance["meeting"].id}/en-cours"' in text_of(client.get("/seances"))


# -- planning -------------------------------------------------------------------------------


def test_the_secretariat_plans_a_seance_in_paris_time_stored_in_utc(client, login_as, db_session):
    login_as(Role.ADMIN)
    assert "Nouvelle séance" in title_of(client.get("/seances/nouvelle"))
    response = client.post("/seances/nouvelle", data=VALID)
    assert response.status_code == 303
    meeting = db_session.scalar(sa.select(Meeting).order_by(Meeting.id.desc()))
    assert response.location.endswith(f"/seances/{meeting.id}/gestion")
    assert meeting.starts_at == dt.datetime(2026, 12, 10, 13, 30, tzinfo=dt.UTC)
    assert meeting.place == VALID["place"]
    assert meeting.video_link == VALID["video_link"]
    assert meeting.secret_ballot is True
    assert meeting.quorum * 100 == 60
    assert meeting.tie_break is TieBreak.POSTPONE
    assert meeting.state is MeetingState.PLANNED


def test_the_new_seance_form_proposes_a_quorum_of_half(client, login_as):
    login_as(Role.ADMIN)
    page = text_of(client.get("/seances/nouvelle"))
    assert re.search(r'id="quorum"[^>]*value="50"', page)
    assert re.search(r'id="tie_break-0"[^>]*checked|checked[^>]*id="tie_break-0"', page)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "Saisissez le titre de la séance."),
        ({"day": ""}, "day", "Saisissez la date de la séance."),
        ({"time": ""}, "time", "Saisissez l'heure de début de la séance."),
        ({"quorum": "100"}, "quorum", "Saisissez un pourcentage entre 1 et 99."),
        ({"quorum": "0"}, "quorum", "Saisissez un pourcentage entre 1 et 99."),
        ({"video_link": "visio"}, "video_link", "commençant par https://"),
    ],
)
def test_an_invalid_seance_is_refused_next_to_its_field(
    client, login_as, db_session, changes, field, message
):
    login_as(Role.ADMIN)
    response = client.post("/seances/nouvelle", data={**VALID, **changes})
    assert response.status_code == 422
    assert title_of(response).startswith("Erreur : ")
    assert any(message in error for error in field_errors(response, field))
    assert f'href="#{field}"' in response.text
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def test_the_edit_form_shows_the_paris_time_and_saves_changes(client, login_as, seance):
    login_as(Role.ADMIN)
    meeting = seance["meeting"]
    page = text_of(client.get(f"/seances/{meeting.id}/modifier"))
    assert re.search(r'id="time"[^>]*value="10:30"', page)
    assert re.search(r'id="day"[^>]*value="2026-11-26"', page)
    response = client.post(
        f"/seances/{meeting.id}/modifier",
        data={**VALID, "title": "Comité de novembre (reporté)", "day": "2026-11-27"},
    )
    assert response.status_code == 303
    assert meeting.title == "Comité de novembre (reporté)"
    assert meeting.starts_at == dt.datetime(2026, 11, 27, 13, 30, tzinfo=dt.UTC)


def test_an_open_seance_can_no_longer_be_edited(client, login_as, open_item):
    login_as(Role.ADMIN)
    meeting = open_item["meeting"]
    response = client.post(f"/seances/{meeting.id}/modifier", data=VALID)
    assert response.status_code == 422
    assert title_of(response).startswith("Erreur : ")
    assert "La séance est ouverte : ses modalités ne changent plus." in text_of(response)
    assert meeting.title == "Comité de novembre"


def test_an_unknown_seance_is_a_french_404(client, login_as):
    login_as(Role.ADMIN)
    response = client.get("/seances/999999/gestion")
    assert response.status_code == 404
    assert "Cette séance n'existe pas." in text_of(response)


# -- convening ------------------------------------------------------------------------------


def test_the_secretariat_convenes_members_and_a_president(
    client, login_as, planned, make_user, db_session
):
    marc = make_user(Role.MEMBER, given_name="Marc", usual_name="Lefèvre")
    sophie = make_user(Role.MEMBER, given_name="Sophie", usual_name="Martin")
    make_user(Role.SPONSOR, given_name="Thomas", usual_name="Bernard")
    login_as(user=planned["admin"])
    meeting = planned["meeting"]
    page = text_of(client.get(f"/seances/{meeting.id}/gestion"))
    assert "Marc Lefèvre" in page and "Sophie Martin" in page
    assert "Thomas Bernard" not in page
    response = client.post(
        f"/seances/{meeting.id}/gestion/membres",
        data={"members": [str(marc.id), str(sophie.id)], "president": str(sophie.id)},
    )
    assert response.status_code == 303
    db_session.refresh(meeting)
    assert {m.user_id for m in meeting.members} == {marc.id, sophie.id}
    assert meeting.president.user_id == sophie.id


def test_a_person_who_is_not_a_committee_member_cannot_be_convened(
    client, login_as, planned, make_user
):
    marc = make_user(Role.MEMBER, given_name="Marc", usual_name="Lefèvre")
    thomas = make_user(Role.SPONSOR, given_name="Thomas", usual_name="Bernard")
    login_as(user=planned["admin"])
    meeting = planned["meeting"]
    response = client.post(
        f"/seances/{meeting.id}/gestion/membres",
        data={"members": [str(marc.id), str(thomas.id)], "president": str(marc.id)},
    )
    assert response.status_code == 422
    assert title_of(response).startswith("Erreur : ")
    assert field_errors(response, "members") == [
        "Seuls les membres du comité sont convoqués : Thomas Bernard."
    ]
    assert meeting.members == []


def test_the_president_must_be_convened(client, login_as, planned, make_user):
    marc = make_user(Role.MEMBER)
    sophie = make_user(Role.MEMBER)
    login_as(user=planned["admin"])
    response = client.post(
        f"/seances/{planned['meeting'].id}/gestion/membres",
        data={"members": [str(marc.id)], "president": str(sophie.id)},
    )
    assert response.status_code == 422
    assert field_errors(response, "president") == [
        "Le président doit être l'un des membres convoqués."
    ]


def test_convening_nobody_asks_for_members_and_a_president(client, login_as, planned, make_user):
    make_user(Role.MEMBER)
    login_as(user=planned["admin"])
    response = client.post(f"/seances/{planned['meeting'].id}/gestion/membres", data={})
    assert response.status_code == 422
    assert field_errors(response, "president") == ["Désignez le président de séance."]


# -- agenda ---------------------------------------------------------------------------------


def test_a_submitted_dossier_goes_on_the_agenda_and_can_be_withdrawn(
    client, login_as, planned, submitted_version, db_session
):
    login_as(user=planned["admin"])
    meeting = planned["meeting"]
    page = text_of(client.get(f"/seances/{meeting.id}/gestion"))
    assert "Cantine Locale" in page and "Inscrire à l'ordre du jour" in page
    response = client.post(
        f"/seances/{meeting.id}/gestion/ordre-du-jour",
        data={"version_id": str(submitted_version.id)},
    )
    assert response.status_code == 303
    db_session.refresh(meeting)
    assert [item.dossier_version_id for item in meeting.items] == [submitted_version.id]
    assert submitted_version.state is VersionState.UNDER_REVIEW
    page = text_of(client.get(f"/seances/{meeting.id}/gestion"))
    assert "Aucun dossier déposé n'attend de séance." in page

    item = meeting.items[0]
    response = client.post(f"/seances/{meeting.id}/gestion/points/{item.id}/retirer")
    assert response.status_code == 303
    db_session.refresh(meeting)
    assert meeting.items == []
    assert submitted_version.state is VersionState.SUBMITTED


def test_a_dossier_that_is_not_submitted_cannot_go_on_the_agenda(client, login_as, planned, seance):
    login_as(user=planned["admin"])
    response = client.post(
        f"/seances/{planned['meeting'].id}/gestion/ordre-du-jour",
        data={"version_id": str(seance["version"].id)},
    )
    assert response.status_code == 422
    assert title_of(response).startswith("Erreur : ")
    assert "Seul un dossier déposé peut être inscrit à l'ordre du jour." in text_of(response)


def test_a_published_agenda_no_longer_changes(client, login_as, seance):
    login_as(user=seance["admin"])
    meeting = seance["meeting"]
    page = text_of(client.get(f"/seances/{meeting.id}/gestion"))
    assert "Retirer" not in page
    response = client.post(f"/seances/{meeting.id}/gestion/points/{seance['item'].id}/retirer")
    assert response.status_code == 422
    assert "L'ordre du jour est publié : il ne change plus." in text_of(response)
    assert len(meeting.items) == 1


# -- state of the séance ----------------------------------------------------------------------


def test_publishing_without_members_is_refused_in_french(client, login_as, planned):
    login_as(user=planned["admin"])
    meeting = planned["meeting"]
    assert "Publier l'ordre du jour" in text_of(client.get(f"/seances/{meeting.id}/gestion"))
    response = client.post(f"/seances/{meeting.id}/etat", data={"verb": "publish_agenda"})
    assert response.status_code == 422
    assert title_of(response).startswith("Erreur : ")
    assert "Convoquez les membres et désignez le président d'abord." in text_of(response)
    assert meeting.state is MeetingState.PLANNED


def test_publishing_without_items_is_refused_in_french(
    client, login_as, planned, make_user, db_session
):
    member = make_user(Role.MEMBER)
    services.convene(db_session, planned["meeting"], [member], member, planned["admin"])
    db_session.commit()
    login_as(user=planned["admin"])
    response = client.post(
        f"/seances/{planned['meeting'].id}/etat", data={"verb": "publish_agenda"}
    )
    assert response.status_code == 422
    assert "Inscrivez au moins un dossier à l'ordre du jour." in text_of(response)


def test_the_secretariat_publishes_then_opens_the_seance(client, login_as, seance):
    login_as(user=seance["admin"])
    meeting = seance["meeting"]
    assert "Ouvrir la séance" in text_of(client.get(f"/seances/{meeting.id}/gestion"))
    response = client.post(f"/seances/{meeting.id}/etat", data={"verb": "start"})
    assert response.status_code == 303
    assert response.location.endswith(f"/seances/{meeting.id}/en-cours")
    assert meeting.state is MeetingState.IN_PROGRESS


def test_an_unknown_transition_is_a_bad_request(client, login_as, seance):
    login_as(user=seance["admin"])
    response = client.post(f"/seances/{seance['meeting'].id}/etat", data={"verb": "delete"})
    assert response.status_code == 400


# -- the séance en cours ------------------------------------------------------------------------


def live(client, meeting):
    return text_of(client.get(f"/seances/{meeting.id}/en-cours"))


def test_the_secretariat_opens_a_vote_and_follows_participation_and_tally(
    client, login_as, seance, db_session
):
    meeting, item = seance["meeting"], seance["item"]
    marc, _sophie, karim = seance["members"]
    services.advance_meeting(db_session, meeting, "start", seance["admin"])
    db_session.commit()
    login_as(user=seance["admin"])
    assert "Ouvrir le vote" in live(client, meeting)
    response = client.post(f"/seances/{meeting.id}/en-cours/points/{item.id}/ouvrir")
    assert response.status_code == 303
    assert item.state is ItemState.OPEN

    services.declare_conflict(db_session, item, karim, "Ancien employeur")
    services.cast_vote(db_session, item, marc, marc, Choice.CONTINUE)
    db_session.commit()
    page = live(client, meeting)
    assert "1 votant sur 2 membres non déportés" in page
    assert "N'a pas encore voté : Sophie Martin." in page
    assert "Karim Benali (Ancien employeur)" in page
    assert "Décompte provisoire des votes" in page
    assert re.search(r"<td>Continuer</td><td>1</td>", page)
    assert "Clore le vote" in page


def test_the_president_runs_the_seance_and_sees_the_tally(client, login_as, open_item, db_session):
    marc, sophie, _ = open_item["members"]
    services.cast_vote(db_session, open_item["item"], sophie, sophie, Choice.STOP)
    db_session.commit()
    login_as(user=marc)
    page = live(client, open_item["meeting"])
    assert re.search(r"<td>Arrêter</td><td>1</td>", page)
    assert "N'ont pas encore voté : Karim Benali, Marc Lefèvre." in page
    # The president conducts votes, the secretariat alone changes the séance's state.
    assert "Clore la séance" not in page


def test_closing_the_vote_shows_the_result_and_the_draft_decision(
    client, login_as, open_item, db_session
):
    item = open_item["item"]
    for member in open_item["members"]:
        services.cast_vote(db_session, item, member, member, Choice.CONTINUE)
    db_session.commit()
    login_as(user=open_item["admin"])
    response = client.post(f"/seances/{open_item['meeting'].id}/en-cours/points/{item.id}/clore")
    assert response.status_code == 303
    assert item.state is ItemState.CLOSED
    decision = db_session.scalar(sa.select(Decision).where(Decision.agenda_item_id == item.id))
    page = live(client, open_item["meeting"])
    assert item.result_text and item.result_text in page
    assert "Continuer : 3 pour continuer" in page
    assert f'href="/decisions/{decision.id}"' in page
    assert "Clore la séance" in page


def test_a_postponed_item_has_no_decision_link(client, login_as, open_item, db_session):
    login_as(user=open_item["admin"])
    item = open_item["item"]
    client.post(f"/seances/{open_item['meeting'].id}/en-cours/points/{item.id}/clore")
    page = live(client, open_item["meeting"])
    assert "Quorum non atteint" in page
    assert "/decisions/" not in page
    assert "Point reporté" in page


def test_opening_a_vote_before_the_seance_opens_is_refused_in_french(client, login_as, seance):
    login_as(user=seance["admin"])
    meeting, item = seance["meeting"], seance["item"]
    response = client.post(f"/seances/{meeting.id}/en-cours/points/{item.id}/ouvrir")
    assert response.status_code == 422
    assert title_of(response).startswith("Erreur : ")
    assert "Ouvrez la séance avant d'ouvrir un vote." in text_of(response)


def test_the_live_page_refreshes_without_javascript(client, login_as, open_item):
    login_as(user=open_item["admin"])
    meeting_id = open_item["meeting"].id
    page = live(client, open_item["meeting"])
    assert re.search(rf'href="/seances/{meeting_id}/en-cours">\s*Rafraîchir</a>', page)


# -- the polled panel ---------------------------------------------------------------------------


def stamp_in(page: str) -> str:
    return re.search(r"en-cours/etat\?depuis=([^\"&]+)", page).group(1)


def test_the_panel_answers_204_while_nothing_changes_and_the_fragment_after_a_vote(
    client, login_as, open_item, db_session
):
    login_as(user=open_item["admin"])
    meeting = open_item["meeting"]
    page = live(client, meeting)
    assert 'hx-trigger="every 3s"' in page
    url = f"/seances/{meeting.id}/en-cours/etat?depuis={stamp_in(page)}"
    unchanged = client.get(url, headers={"HX-Request": "true"})
    assert unchanged.status_code == 204
    assert unchanged.data == b""
    assert "HX-Request" in unchanged.headers["Vary"]

    marc = open_item["members"][0]
    services.cast_vote(db_session, open_item["item"], marc, marc, Choice.ABSTAIN)
    db_session.commit()
    changed = client.get(url, headers={"HX-Request": "true"})
    assert changed.status_code == 200
    assert "HX-Request" in changed.headers["Vary"]
    fragment = text_of(changed)
    assert "<html" not in fragment
    assert "1 votant sur 3 membres non déportés" in fragment
    # Screen readers hear the change: one sentence for the live region of the page.
    assert 'id="annonce-decompte" class="fr-sr-only" aria-live="polite"' in page
    announcement = re.search(
        r'<p id="annonce-decompte" hx-swap-oob="innerHTML">(.*?)</p>', fragment
    )
    assert announcement.group(1) == "Point 1, Cantine Locale : 1 votant sur 3."
    assert stamp_in(fragment) != stamp_in(page)
    assert (
        client.get(f"/seances/{meeting.id}/en-cours/etat?depuis={stamp_in(fragment)}").status_code
        == 204
    )


def test_the_panel_stops_polling_once_the_seance_is_closed(client, login_as, open_item, db_session):
    services.close_item(db_session, open_item["item"], open_item["admin"], dt.date(2026, 11, 26))
    services.advance_meeting(db_session, open_item["meeting"], "close", open_item["admin"])
    db_session.commit()
    login_as(user=open_item["admin"])
    assert "hx-trigger" not in live(client, open_item["meeting"])
