"""Decision pages: the secretariat completes, publishes and corrects a decision; members, the
team and sponsors read it; the startup's decision history."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from comite.auth.roles import Role
from comite.committee import services
from comite.committee.models import Decision
from comite.committee.workflow import Choice, DecisionState, MeetingState, Outcome
from comite.startups.workflow import MemberRole, Phase, StartupStatus
from tests.committee.decision_helpers import team_of, text, vote_and_close, words

C, S, A = Choice.CONTINUE, Choice.STOP, Choice.ABSTAIN


@pytest.fixture
def draft(db_session, open_item):
    """A draft decision to continue (2 for, 1 against), prepared by closing the vote."""
    decision = vote_and_close(db_session, open_item, [C, C, S])
    return {**open_item, "decision": decision}


@pytest.fixture
def published(db_session, draft):
    services.publish_decision(db_session, draft["decision"], draft["admin"], dt.date(2026, 11, 27))
    db_session.commit()
    return draft


@pytest.fixture
def secret_decision(db_session, seance):
    """A published decision of a séance voted by secret ballot."""
    meeting = seance["meeting"]
    services.update_meeting(
        db_session,
        meeting,
        services.MeetingDetails(
            meeting.title, meeting.starts_at, meeting.place, secret_ballot=True
        ),
        seance["admin"],
    )
    services.advance_meeting(db_session, meeting, "start", seance["admin"])
    services.open_item(db_session, seance["item"], seance["admin"])
    decision = vote_and_close(db_session, seance, [C, S, C])
    services.publish_decision(db_session, decision, seance["admin"], dt.date(2026, 11, 27))
    db_session.commit()
    return {**seance, "decision": decision}


def decision_form(**fields) -> dict:
    data = {
        "action": "save",
        "outcome": "continue",
        "next_phase": "acceleration",
        "conditions": "Publier la page /stats\navant le prochain comité.",
        "next_review_on": "2027-05-27",
        "budget_lines-0-work_unit_code": "DEVOPS-SENIOR",
        "budget_lines-0-quantity": "6",
        "budget_lines-0-period_start": "2027-01-01",
        "budget_lines-0-period_end": "2027-06-30",
        "budget_lines-1-work_unit_code": "PM",
        "budget_lines-1-quantity": "2,5",
        "budget_lines-1-period_start": "2027-01-01",
        "budget_lines-1-period_end": "2027-06-30",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


# -- the secretariat completes the draft ----------------------------------------------------


def test_the_admin_reads_the_prefilled_draft_with_its_budget_and_record(client, login_as, draft):
    login_as(user=draft["admin"])
    response = client.get(f"/decisions/{draft['decision'].id}")
    page, seen = text(response), words(response)
    assert "Projet de décision – Cantine Locale" in page
    assert "Continuer" in page and "Accélération" in page
    # 6 + 2,5 UO from the fiche, in days too.
    assert "UO Devops – Senior" in page and "120 jours" in page
    assert "8,5 UO" in page and "170 jours" in page
    assert "Marc Lefèvre : Continuer" in seen and "Karim Benali : Arrêter" in seen
    assert "Continuer : 2 pour continuer, 1 pour arrêter" in page
    version = draft["version"]
    assert f'href="/dossiers/{version.dossier_id}/versions/1"' in page
    assert "Publier la décision" in page


def test_the_admin_edits_a_draft_with_a_french_quantity(client, login_as, draft, db_session):
    login_as(user=draft["admin"])
    decision = draft["decision"]
    assert client.get(f"/decisions/{decision.id}/modifier").status_code == 200
    response = client.post(f"/decisions/{decision.id}/modifier", data=decision_form())
    assert response.status_code == 303
    assert response.location.endswith(f"/decisions/{decision.id}")
    db_session.expire_all()
    decision = db_session.get(Decision, decision.id)
    assert [line.quantity for line in decision.budget_lines] == [Decimal("6"), Decimal("2.5")]
    assert decision.conditions.startswith("Publier la page /stats")
    assert decision.next_review_on == dt.date(2027, 5, 27)
    page = text(client.get(response.location))
    assert "Projet de décision enregistré." in page
    assert '<span class="comite-pre-line">Publier la page /stats\navant' in page


def test_decision_form_errors_show_next_to_their_fields(client, login_as, draft, db_session):
    login_as(user=draft["admin"])
    decision = draft["decision"]
    response = client.post(
        f"/decisions/{decision.id}/modifier",
        data=decision_form(
            outcome=None,
            **{
                "budget_lines-0-quantity": "beaucoup",
                "budget_lines-1-period_end": "",
                "budget_lines-1-work_unit_code": "",
            },
        ),
    )
    assert response.status_code == 422
    page = text(response)
    assert "<title>Erreur : " in page
    assert 'id="outcome-error-1">Choisissez : continuer ou arrêter.' in page
    assert 'id="budget_lines-0-quantity-error-1">Saisissez un nombre, par exemple 2,5.' in page
    assert 'id="budget_lines-1-period_end-error-1">Ce champ est obligatoire.' in page
    assert "Choisissez une unité d'œuvre du catalogue." in page
    assert 'href="#budget_lines-1-period_end"' in page
    assert "beaucoup" in page  # what was typed stays
    db_session.expire_all()
    assert db_session.get(Decision, decision.id).budget_lines[0].quantity == Decimal("6")


def test_a_stop_decision_cannot_lead_to_a_next_phase(client, login_as, draft):
    login_as(user=draft["admin"])
    response = client.post(
        f"/decisions/{draft['decision'].id}/modifier", data=decision_form(outcome="stop")
    )
    assert response.status_code == 422
    assert "Une décision d'arrêt mène à une phase d'abandon." in text(response)


def test_budget_lines_are_added_and_removed_without_javascript(client, login_as, draft):
    login_as(user=draft["admin"])
    url = f"/decisions/{draft['decision'].id}/modifier"
    added = text(client.post(url, data=decision_form(action="add")))
    assert "Ligne de budget 3" in added and "2,5" in added
    removed = text(client.post(url, data=decision_form(action="remove:0")))
    assert "Ligne de budget 2" not in removed
    assert 'value="PM" selected' in removed or 'selected value="PM"' in removed


# -- publication and correction -------------------------------------------------------------


def test_publishing_moves_the_startup_to_its_next_phase(client, login_as, draft, db_session):
    login_as(user=draft["admin"])
    decision = draft["decision"]
    response = client.post(f"/decisions/{decision.id}/publication")
    assert response.status_code == 303
    page = text(client.get(response.location))
    assert "Décision publiée : Cantine Locale passe en phase « Accélération »." in page
    assert "Publier la décision" not in page and "Modifier le projet" not in page
    assert "Corriger (nouvelle décision)" in page
    startup = decision.startup
    startup_page = text(client.get(f"/startups/{startup.slug}"))
    assert "Accélération, depuis le" in startup_page
    # A published decision has no edit form.
    edit = client.get(f"/decisions/{decision.id}/modifier")
    assert edit.status_code == 303
    assert (
        client.post(f"/decisions/{decision.id}/modifier", data=decision_form()).status_code == 303
    )
    db_session.expire_all()
    assert db_session.get(Decision, decision.id).conditions == ""


def test_publishing_twice_is_refused_in_french(client, login_as, published):
    login_as(user=published["admin"])
    response = client.post(f"/decisions/{published['decision'].id}/publication")
    assert response.status_code == 422
    page = text(response)
    assert "<title>Erreur : " in page
    assert "Cette décision est déjà publiée." in page


def test_a_correction_supersedes_the_decision_and_both_link_to_each_other(
    client, login_as, published, db_session
):
    login_as(user=published["admin"])
    original = published["decision"]
    response = client.post(f"/decisions/{original.id}/correction")
    assert response.status_code == 303
    correction_id = int(re.search(r"/decisions/(\d+)/modifier", response.location).group(1))
    assert correction_id != original.id
    assert "Correction créée en projet" in text(client.get(response.location))
    client.post(
        f"/decisions/{correction_id}/modifier",
        data=decision_form(next_phase="consolidation", conditions="Corrigée."),
    )
    # A second correction while one is in preparation is refused in French.
    again = client.post(f"/decisions/{original.id}/correction")
    assert again.status_code == 422
    assert "Une correction de cette décision est déjà en préparation." in text(again)

    assert client.post(f"/decisions/{correction_id}/publication").status_code == 303
    db_session.expire_all()
    assert db_session.get(Decision, original.id).state is DecisionState.SUPERSEDED
    old_page = text(client.get(f"/decisions/{original.id}"))
    assert "Remplacée" in old_page
    assert f'href="/decisions/{correction_id}"' in old_page
    assert "Corriger (nouvelle décision)" not in old_page
    new_page = text(client.get(f"/decisions/{correction_id}"))
    assert "Cette décision corrige" in new_page
    assert f'href="/decisions/{original.id}"' in new_page
    assert original.startup.phase is Phase.CONSOLIDATION


# -- who reads what -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MEMBER, Role.FINANCE, Role.SPONSOR])
def test_only_the_secretariat_edits_publishes_and_sees_drafts(client, login_as, draft, role):
    login_as(role)
    decision_id = draft["decision"].id
    shown = client.get(f"/decisions/{decision_id}")
    assert shown.status_code == 403
    assert "Ce projet de décision n'est pas encore publié." in text(shown)
    assert client.get(f"/decisions/{decision_id}/modifier").status_code == 403
    assert (
        client.post(f"/decisions/{decision_id}/modifier", data=decision_form()).status_code == 403
    )
    assert client.post(f"/decisions/{decision_id}/publication").status_code == 403
    assert draft["decision"].state is DecisionState.DRAFT


def test_a_member_reads_a_published_decision_but_cannot_correct_it(client, login_as, published):
    login_as(user=published["members"][1])
    decision_id = published["decision"].id
    page = words(client.get(f"/decisions/{decision_id}"))
    assert "Décision du comité – Cantine Locale" in page
    assert "Sophie Martin : Continuer" in page
    assert "Corriger" not in page
    assert client.post(f"/decisions/{decision_id}/correction").status_code == 403


def test_a_secret_ballot_decision_shows_the_counts_only(client, login_as, secret_decision):
    login_as(user=secret_decision["members"][0])
    page = words(client.get(f"/decisions/{secret_decision['decision'].id}"))
    assert "Vote à bulletin secret : seuls les décomptes sont conservés." in page
    assert "Continuer : 2" in page and "Arrêter : 1" in page
    for member in secret_decision["members"]:
        for choice in Choice:
            assert f"{member.full_name} : {choice.label}" not in page


def test_the_team_and_the_sponsor_read_the_decision(client, login_as, published):
    for role in ("intrapreneur", "sponsor"):
        login_as(user=team_of(published, role))
        assert client.get(f"/decisions/{published['decision'].id}").status_code == 200


# -- the startup's history ------------------------------------------------------------------


def test_the_history_shows_dossiers_seance_and_decisions_newest_first(client, login_as, published):
    login_as(user=team_of(published, "intrapreneur"))
    startup = published["decision"].startup
    response = client.get(f"/startups/{startup.slug}/historique")
    assert response.status_code == 200
    page = text(response)
    # The fixture's séance is dated in the future: it comes first.
    seance_at = page.index("Séance « Comité de novembre »")
    decision_at = page.index("Décision : continuer")
    dossier_at = page.index("Fiche produit, version 1 déposée")
    assert seance_at < decision_at < dossier_at
    assert "8,5 UO" in page and "Accélération" in page
    assert f'href="/decisions/{published["decision"].id}"' in page
    assert "Continuer : 2 pour continuer, 1 pour arrêter" in page
    assert "Historique des décisions" in text(client.get(f"/startups/{startup.slug}"))


def test_the_history_hides_drafts_from_the_team(client, login_as, draft):
    login_as(user=team_of(draft, "intrapreneur"))
    page = text(client.get(f"/startups/{draft['decision'].startup.slug}/historique"))
    assert "Décision : continuer" not in page
    assert "Fiche produit, version 1 déposée" in page


def test_the_sponsor_of_the_startup_reads_its_history_not_another_one(
    client, login_as, published, make_startup, make_user
):
    startup = published["decision"].startup
    login_as(user=team_of(published, "sponsor"))
    assert client.get(f"/startups/{startup.slug}/historique").status_code == 200

    other_sponsor = make_user(Role.SPONSOR)
    make_startup("Autre Service", members={other_sponsor: MemberRole.SPONSOR})
    login_as(user=other_sponsor)
    refused = client.get(f"/startups/{startup.slug}/historique")
    assert refused.status_code == 403
    assert "Vous ne suivez pas cette startup : son historique ne vous est pas ouvert." in text(
        refused
    )
    assert client.get(f"/decisions/{published['decision'].id}").status_code == 403


def test_the_history_of_an_unknown_startup_is_a_404(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/startups/inconnue/historique").status_code == 404


def test_a_stop_decision_stops_the_startup(client, login_as, db_session, open_item):
    decision = vote_and_close(db_session, open_item, [S, S, C])
    assert decision.outcome is Outcome.STOP
    login_as(user=open_item["admin"])
    client.post(f"/decisions/{decision.id}/publication")
    db_session.expire_all()
    startup = db_session.get(Decision, decision.id).startup
    assert startup.status is StartupStatus.STOPPED
    assert open_item["meeting"].state is MeetingState.IN_PROGRESS
