"""Open data: the published decisions as public CSV and JSON (startup, date, outcome, next
phase; never a vote nor a person), and each startup's committee events in the shape of
beta.gouv.fr's startup files, so that the public site can show them."""

from __future__ import annotations

import csv
import html
import io

from comite.committee import services as committee
from comite.core.periods import PARIS
from tests.committee.test_orders_from_decision import published_decision


def test_published_decisions_are_public_json_without_votes_or_people(client, db_session, seance):
    decision = published_decision(db_session, seance)
    # A draft correction stays out until it is published.
    committee.supersede_decision(db_session, decision, seance["admin"])
    db_session.commit()

    response = client.get("/donnees-ouvertes/decisions.json")

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    entries = response.json["decisions"]
    assert entries == [
        {
            "startup": "Cantine Locale",
            "startup_slug": decision.startup.slug,
            "incubator": decision.startup.incubator.name,
            "date": decision.published_at.astimezone(PARIS).date().isoformat(),
            "seance": "2026-11-26",
            "outcome": "continue",
            "outcome_label": "Continuer",
            "next_phase": decision.next_phase.value,
            "next_phase_label": decision.next_phase.label,
        }
    ]
    body = response.get_data(as_text=True)
    for member in [*seance["members"], seance["admin"]]:
        assert member.usual_name not in body and member.email not in body
    assert "vote" not in body


def test_published_decisions_as_french_csv(client, db_session, seance):
    published_decision(db_session, seance)
    response = client.get("/donnees-ouvertes/decisions.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "decisions" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Startup", "Adresse courte", "Incubateur", "Décision publiée le"]
    assert rows[1][0] == "Cantine Locale"
    assert "Continuer" in rows[1]
    assert len(rows) == 2


def test_a_startups_committee_events_in_the_beta_gouv_shape(client, db_session, seance):
    decision = published_decision(db_session, seance)
    slug = decision.startup.slug

    response = client.get(f"/donnees-ouvertes/startups/{slug}/evenements.json")

    assert response.status_code == 200
    assert response.json["startup"] == slug
    assert response.json["events"] == [
        {
            "name": "committee",
            "date": decision.published_at.astimezone(PARIS).date().isoformat(),
            "comment": "Comité d'investissement : continuer, phase suivante "
            f"{decision.next_phase.value}.",
            "outcome": "continue",
            "next_phase": decision.next_phase.value,
        }
    ]
    assert client.get("/donnees-ouvertes/startups/inconnue/evenements.json").status_code == 404


def test_the_open_data_page_lists_the_files(client, db_session, seance):
    published_decision(db_session, seance)
    page = html.unescape(client.get("/donnees-ouvertes").get_data(as_text=True))
    assert "Données ouvertes" in page
    assert "/donnees-ouvertes/decisions.csv" in page and "/donnees-ouvertes/decisions.json" in page
    assert "Cantine Locale" in page
    assert "Licence Ouverte 2.0" in page


def test_the_page_shows_the_latest_decisions_and_the_files_hold_them_all(client, db_session):
    from comite.dataset import generate

    generate(db_session, scale=0.05, seed=3)
    db_session.commit()
    everything = client.get("/donnees-ouvertes/decisions.json").json["decisions"]
    assert len(everything) > 50
    page = client.get("/donnees-ouvertes").get_data(as_text=True)
    assert "Les 50 décisions publiées les plus récentes" in page
    assert page.count("<tr>") == 50 + 1  # the header row, then 50 decisions
