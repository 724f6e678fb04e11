"""The development login, logout, and coming back where one was going."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from comite.auth.roles import Role
from comite.core.audit import AuditEvent
from comite.demo import seed_demo
from tests.conftest import make_test_app


def test_login_page_offers_a_demo_user_of_each_role(client, db_session):
    seed_demo(db_session)
    db_session.commit()
    page = html.unescape(client.get("/connexion").text)
    for label in (
        "Secrétariat du comité",
        "Membre du comité",
        "Intrapreneur",
        "Sponsor",
        "Direction financière (DSAF)",
    ):
        assert f"– {label}" in page


def test_dev_login_opens_a_session_and_writes_the_audit_log(client, make_user, db_session):
    user = make_user(Role.MEMBER, given_name="Marc", usual_name="Lefèvre")
    response = client.post("/connexion/dev", data={"user_id": user.id})
    assert response.status_code == 303
    assert response.location == "/"
    page = html.unescape(client.get("/").text)
    assert "Vous êtes connecté en tant que Marc Lefèvre." in page
    assert "Se déconnecter" in page
    event = db_session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "auth.login")).one()
    assert event.actor_id == user.id
    assert event.details == {"method": "dev"}
    assert event.occurred_at.tzinfo is not None


def test_anonymous_visitor_comes_back_to_the_page_asked_after_login(
    client, make_user, make_startup
):
    startup = make_startup("Cantine Locale")
    asked = f"/startups/{startup.slug}"
    redirect = client.get(asked)
    assert redirect.status_code == 302
    login_page = client.get(redirect.location)
    assert f'value="{asked}"' in login_page.text
    user = make_user(Role.SPONSOR)
    response = client.post("/connexion/dev", data={"user_id": user.id, "next": asked})
    assert response.location == asked
    assert "Cantine Locale" in client.get(asked).text


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_login_never_sends_people_to_another_site(client, make_user, next_url):
    user = make_user(Role.MEMBER)
    response = client.post("/connexion/dev", data={"user_id": user.id, "next": next_url})
    assert response.location == "/"


def test_deactivated_user_cannot_log_in(client, make_user):
    user = make_user(Role.ADMIN, is_active=False)
    response = client.post("/connexion/dev", data={"user_id": user.id})
    assert response.status_code == 422
    assert "Ce compte est désactivé." in html.unescape(response.text)
    assert "Se déconnecter" not in response.text


def test_unknown_user_gets_a_french_message(client):
    response = client.post("/connexion/dev", data={"user_id": 987654})
    assert response.status_code == 422
    assert "Cet utilisateur n&#39;existe pas." in response.text


def test_deactivated_user_is_logged_out_at_the_next_request(client, login_as, db_session):
    user = login_as(Role.MEMBER)
    assert client.get("/startups").status_code == 200
    user.is_active = False
    db_session.commit()
    response = client.get("/startups")
    assert response.status_code == 302
    assert "/connexion" in response.location


def test_logout_closes_the_session(client, login_as, db_session):
    user = login_as(Role.MEMBER)
    response = client.post("/deconnexion")
    assert response.status_code == 303
    page = html.unescape(client.get("/").text)
    assert "Vous êtes déconnecté." in page
    assert "Se connecter" in page
    assert client.get("/startups").status_code == 302
    actions = db_session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)
    ).all()
    assert actions == ["auth.login", "auth.logout"]


def test_logout_by_get_is_not_possible(client, login_as):
    login_as(Role.MEMBER)
    assert client.get("/deconnexion").status_code == 405


def test_dev_login_does_not_exist_when_switched_off(app, db_session, make_user):
    user = make_user(Role.ADMIN)
    off = make_test_app(app.config["DATABASE_URL"], COMITE_DEV_LOGIN=False)
    client = off.test_client()
    assert client.post("/connexion/dev", data={"user_id": user.id}).status_code == 404
    page = html.unescape(client.get("/connexion").text)
    assert "Connexion de développement" not in page


def test_forms_without_csrf_token_are_refused_in_french(app, db_session, make_user):
    user = make_user(Role.ADMIN)
    protected = make_test_app(app.config["DATABASE_URL"], WTF_CSRF_ENABLED=True)
    response = protected.test_client().post("/connexion/dev", data={"user_id": user.id})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in html.unescape(response.text)
