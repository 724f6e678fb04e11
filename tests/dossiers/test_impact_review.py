"""Six-monthly impact reviews: same workflow as the fiche, their own sections."""

from __future__ import annotations

import html
import re

import sqlalchemy as sa

from comite.dossiers.models import Dossier
from comite.dossiers.workflow import DossierKind, VersionState
from tests.dossiers.conftest import sheet_form


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def create(client, startup, kind: str) -> int:
    response = client.post(f"/startups/{startup.slug}/dossiers", data={"kind": kind})
    assert response.status_code == 303, response.text
    return int(re.search(r"/dossiers/(\d+)/", response.location).group(1))


def revision(db_session, dossier_id) -> int:
    db_session.expire_all()
    return db_session.get(Dossier, dossier_id).latest.revision


def review_form(rev: int, action: str = "save", **fields) -> dict:
    data = {
        "revision": str(rev),
        "action": action,
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "indicator_reports-0-name": "Indicateur 1",
        "indicator_reports-0-target": "50",
        "indicator_reports-0-actual": "42",
        "indicator_reports-0-source_url": "https://carte-grise.beta.gouv.fr/stats",
        "achievements": "Ouverture dans trois départements.",
        "learnings": "Les garages veulent une API.",
        "risks-0-description": "Départ du développeur",
        "risks-0-level": "moyen",
        "next_objectives": "Généraliser.",
        "budget_lines-0-work_unit_code": "PM",
        "budget_lines-0-quantity": "3",
        "budget_lines-0-period_start": "2026-07-01",
        "budget_lines-0-period_end": "2026-12-31",
    }
    data.update(fields)
    return data


def test_a_review_starts_from_the_indicators_of_the_submitted_fiche(
    client, login_as, team, db_session
):
    login_as(user=team["intrapreneur"])
    sheet = create(client, team["startup"], "fiche_produit")
    client.post(
        f"/dossiers/{sheet}/brouillon", data=sheet_form(revision(db_session, sheet), "submit")
    )
    review = create(client, team["startup"], "bilan")
    db_session.expire_all()
    dossier = db_session.get(Dossier, review)
    assert dossier.kind is DossierKind.IMPACT_REVIEW
    reports = dossier.latest.content.indicator_reports
    assert [(r.name, r.target) for r in reports] == [
        ("Indicateur 1", "50"),
        ("Indicateur 2", "50"),
        ("Indicateur 3", "50"),
    ]


def test_a_complete_review_is_submitted_and_shown(client, login_as, team, db_session):
    login_as(user=team["intrapreneur"])
    review = create(client, team["startup"], "bilan")
    response = client.post(
        f"/dossiers/{review}/brouillon", data=review_form(revision(db_session, review), "submit")
    )
    assert response.status_code == 303
    page = text(client.get(f"/dossiers/{review}"))
    assert "Bilan semestriel déposé (version 1)" in page
    assert "1 janvier 2026 – 30 juin 2026" in page
    assert "Départ du développeur" in page and "Moyen" in page
    assert "UO Product Management" in page and "3 UO" in page and "60 jours" in page


def test_an_incomplete_review_shows_what_is_missing(client, login_as, team, db_session):
    login_as(user=team["intrapreneur"])
    review = create(client, team["startup"], "bilan")
    data = review_form(
        revision(db_session, review), "submit", learnings="", **{"risks-0-level": ""}
    )
    response = client.post(f"/dossiers/{review}/brouillon", data=data)
    assert response.status_code == 422
    page = text(response)
    assert 'href="#learnings"' in page and 'href="#risks-0-level"' in page
    assert "Choisissez un niveau de risque." in page
    db_session.expire_all()
    assert db_session.get(Dossier, review).latest.state is VersionState.DRAFT


def test_a_source_that_is_not_a_web_address_is_refused_in_french(
    client, login_as, team, db_session
):
    login_as(user=team["intrapreneur"])
    review = create(client, team["startup"], "bilan")
    data = review_form(
        revision(db_session, review), **{"indicator_reports-0-source_url": "javascript:alert(1)"}
    )
    response = client.post(f"/dossiers/{review}/brouillon", data=data)
    assert response.status_code == 422
    assert "Saisissez une adresse web complète" in text(response)


def test_a_malformed_date_or_quantity_is_refused_and_kept(client, login_as, team, db_session):
    login_as(user=team["intrapreneur"])
    review = create(client, team["startup"], "bilan")
    data = review_form(
        revision(db_session, review),
        period_start="31/02/2026",
        **{"budget_lines-0-quantity": "beaucoup"},
    )
    response = client.post(f"/dossiers/{review}/brouillon", data=data)
    assert response.status_code == 422
    page = text(response)
    assert "Saisissez un nombre, par exemple 2,5." in page
    assert 'value="beaucoup"' in page
    assert 'id="period_start-error-1"' in page
    assert (
        db_session.scalar(
            sa.select(sa.func.count()).select_from(Dossier).where(Dossier.id == review)
        )
        == 1
    )
