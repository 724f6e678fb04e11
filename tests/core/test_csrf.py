"""A form sent without its CSRF token (or with an expired one) is refused in French, and
what was typed is kept: the page shows it and sends it again with a fresh token."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from comite.auth.roles import Role
from comite.startups.models import Startup
from tests.conftest import make_test_app


@pytest.fixture
def protected(app, db_session):
    """The app with CSRF protection on, as in production."""
    return make_test_app(app.config["DATABASE_URL"], WTF_CSRF_ENABLED=True)


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _hidden_fields(page: str) -> list[tuple[str, str]]:
    return [
        (html.unescape(name), html.unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    ]


def _logged_in(protected, user):
    browser = protected.test_client()
    token = _token(browser.get("/connexion").text)
    response = browser.post("/connexion/dev", data={"user_id": user.id, "csrf_token": token})
    assert response.status_code == 303
    return browser


TYPED = {
    "name": "Démarches Simplifiées <script>alert(1)</script>",
    "slug": "",
    "pitch": "Dématérialiser les démarches\nen quelques clics",
    "sponsoring_administration": "DINUM",
    "phase": "investigation",
    "phase_started_on": "2026-11-02",
    "status": "active",
}


def test_a_form_without_token_is_refused_and_what_was_typed_is_kept(
    protected, make_user, make_incubator, db_session
):
    browser = _logged_in(protected, make_user(Role.ADMIN))
    incubator = make_incubator("Incubateur de la DINUM")
    typed = {**TYPED, "incubator": str(incubator.id)}

    refused = browser.post("/startups/nouvelle", data=typed)

    assert refused.status_code == 400
    page = html.unescape(refused.text)
    assert "Le formulaire a expiré ou ne provient pas de Comité" in page
    assert "Dématérialiser les démarches" in page
    assert "<script>alert(1)</script>" not in refused.text  # shown inert
    assert db_session.scalar(sa.select(sa.func.count(Startup.id))) == 0
    kept = dict(_hidden_fields(refused.text))
    assert {name: kept[name] for name in typed} == typed
    assert kept["csrf_token"]

    # One click sends it again, with the fresh token.
    again = browser.post("/startups/nouvelle", data=kept)
    assert again.status_code == 303
    startup = db_session.scalars(sa.select(Startup)).one()
    assert startup.name == TYPED["name"]
    assert startup.pitch.replace("\r\n", "\n") == TYPED["pitch"]


def test_a_wrong_token_is_refused_the_same_way(protected, make_user, db_session):
    browser = _logged_in(protected, make_user(Role.ADMIN))
    refused = browser.post(
        "/startups/nouvelle", data={"name": "Cantine", "csrf_token": "forged-token"}
    )
    assert refused.status_code == 400
    assert ("name", "Cantine") in _hidden_fields(refused.text)


def test_an_htmx_request_without_the_layout_header_is_refused(protected, make_user, db_session):
    browser = _logged_in(protected, make_user(Role.ADMIN))
    refused = browser.post(
        "/startups/nouvelle", data={"name": "Cantine"}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 400
    assert "Le formulaire a expiré" in html.unescape(refused.text)


def test_the_layout_gives_htmx_the_token(protected, make_user, db_session):
    browser = _logged_in(protected, make_user(Role.ADMIN))
    page = browser.get("/startups").text
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    response = browser.post(
        "/startups/nouvelle", data={**TYPED, "name": ""}, headers={"X-CSRFToken": token}
    )
    # Past the CSRF check, the form itself answers: a field error, not a refusal.
    assert response.status_code == 422
