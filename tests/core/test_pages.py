"""The layout every page shares, the error pages, health checks and static pages."""

from __future__ import annotations

import html

import pytest

from comite.auth.roles import Role
from tests.conftest import make_test_app


def test_pages_are_french_dsfr_pages_with_skip_links(client):
    page = client.get("/accessibilite").text
    assert '<html lang="fr"' in page
    assert "<title>Déclaration d'accessibilité – Comité</title>" in html.unescape(page)
    assert 'class="fr-skiplinks"' in page and 'href="#contenu"' in page
    assert 'class="fr-header"' in page and 'class="fr-footer"' in page
    assert "République<br>Française" in page
    assert "/static/vendor/dsfr/dsfr.min.css" in page


def test_accessibility_statement_says_not_compliant_and_how_to_appeal(client):
    page = html.unescape(client.get("/accessibilite").text)
    assert "non conforme" in page
    assert "Défenseur des droits" in page
    assert "Accessibilité : non conforme" in page  # the footer link every page carries


def test_responses_carry_a_content_security_policy_without_inline_code(client):
    response = client.get("/accessibilite")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.text and 'style="' not in response.text


def test_unknown_page_gets_a_french_404(client):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "Page non trouvée" in response.text
    assert "<title>Page non trouvée – Comité</title>" in response.text


def test_wrong_method_gets_a_french_405(client):
    response = client.post("/accessibilite")
    assert response.status_code == 405
    assert "Action non autorisée" in response.text


def test_navigation_follows_the_roles(client, login_as):
    login_as(Role.INTRAPRENEUR)
    page = client.get("/").text
    assert ">Startups</a>" in page
    assert "Journal d&#39;audit" not in page


def test_secretariat_sees_the_audit_log_in_its_navigation(client, login_as):
    login_as(Role.ADMIN)
    assert "Journal d&#39;audit" in client.get("/").text


def test_audit_log_is_refused_to_other_roles_with_a_french_page(client, login_as):
    login_as(Role.MEMBER, Role.SPONSOR)
    response = client.get("/admin/journal")
    assert response.status_code == 403
    assert "réservée aux rôles suivants : secrétariat du comité" in html.unescape(response.text)


def test_audit_log_lists_logins_with_who_and_when(client, login_as):
    admin = login_as(Role.ADMIN)
    page = client.get("/admin/journal").text
    assert "auth.login" in page
    assert admin.full_name in page


def test_healthz_answers_without_the_database():
    app = make_test_app("postgresql://nobody@127.0.0.1:1/nothing")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_answers_503_when_the_database_is_unreachable():
    app = make_test_app(
        "postgresql://nobody@127.0.0.1:1/nothing",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 1}},
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] == "injoignable"


def test_readyz_answers_200_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


@pytest.fixture
def failing_app(app):
    """The test app with a route that breaks, to see the 500 page."""
    broken = make_test_app(app.config["DATABASE_URL"], PROPAGATE_EXCEPTIONS=False)

    @broken.get("/casse")
    def crash():
        raise RuntimeError("boom")

    return broken


def test_unexpected_error_gets_a_french_500_page(failing_app):
    response = failing_app.test_client().get("/casse")
    assert response.status_code == 500
    assert "Erreur inattendue" in response.text
    assert "boom" not in response.text
