"""Sessions end when they should: logout and deactivation end every session of the user,
copied cookies included; a session expires; cookies and headers are strict in production."""

from __future__ import annotations

import datetime as dt

import pytest
from itsdangerous import TimestampSigner

from comite import create_app
from comite.auth.roles import Role

PROTECTED = "/startups"


def _copy_session(app, client):
    """A second browser holding a copy of the first one's session cookie."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def _is_logged_in(client) -> bool:
    return client.get(PROTECTED).status_code == 200


def test_logout_ends_every_session_of_the_user_copied_cookies_included(
    app, client, login_as, db_session
):
    login_as(Role.MEMBER)
    copy = _copy_session(app, client)
    assert _is_logged_in(copy)

    client.post("/deconnexion")

    assert not _is_logged_in(client)
    response = copy.get(PROTECTED)
    assert response.status_code == 302
    assert response.location.startswith("/connexion")


def test_logging_out_elsewhere_ends_this_session_too(app, client, login_as, db_session):
    user = login_as(Role.MEMBER)
    laptop = app.test_client()
    laptop.post("/connexion/dev", data={"user_id": user.id})
    assert _is_logged_in(laptop)

    client.post("/deconnexion")

    assert not _is_logged_in(laptop)


def test_deactivation_ends_sessions_and_reactivation_does_not_revive_them(
    app, client, login_as, make_user, db_session
):
    agent = make_user(Role.SPONSOR)
    agent_browser = app.test_client()
    agent_browser.post("/connexion/dev", data={"user_id": agent.id})
    copy = _copy_session(app, agent_browser)
    login_as(Role.ADMIN)

    client.post(f"/admin/utilisateurs/{agent.id}/desactiver")
    assert not _is_logged_in(agent_browser)
    client.post(f"/admin/utilisateurs/{agent.id}/reactiver")

    assert not _is_logged_in(agent_browser)
    assert not _is_logged_in(copy)
    # Their next login works as before.
    agent_browser.post("/connexion/dev", data={"user_id": agent.id})
    assert _is_logged_in(agent_browser)


def test_a_session_expires_after_its_lifetime(app, client, make_user, monkeypatch, db_session):
    lifetime = app.permanent_session_lifetime
    assert dt.timedelta(hours=1) <= lifetime <= dt.timedelta(hours=12)
    user = make_user(Role.MEMBER)
    # The cookie of this login is signed as if it had been given a lifetime and a minute ago.
    stamped = int((dt.datetime.now(dt.UTC) - lifetime - dt.timedelta(minutes=1)).timestamp())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: stamped)
    client.post("/connexion/dev", data={"user_id": user.id})
    monkeypatch.undo()

    response = client.get(PROTECTED)
    assert response.status_code == 302
    assert response.location.startswith("/connexion")


def test_an_active_session_is_kept_alive_by_its_requests(client, login_as, db_session):
    login_as(Role.MEMBER)
    response = client.get(PROTECTED)
    cookie = response.headers.get("Set-Cookie", "")
    assert cookie.startswith("session=")
    assert "Expires=" in cookie


def test_login_cookie_is_httponly_and_samesite_lax(client, make_user, db_session):
    user = make_user(Role.MEMBER)
    cookie = client.post("/connexion/dev", data={"user_id": user.id}).headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # tests run over plain HTTP


@pytest.fixture
def production_app(app):
    return create_app(
        {
            "COMITE_ENV": "production",
            "SECRET_KEY": "production-secret-key",
            "DATABASE_URL": app.config["DATABASE_URL"],
            "PROCONNECT_DISCOVERY_URL": "https://proconnect.example/.well-known/openid-configuration",
            "PROCONNECT_CLIENT_ID": "comite",
            "PROCONNECT_CLIENT_SECRET": "secret",
        }
    )


def test_production_cookies_are_secure_and_https_is_enforced(production_app):
    assert production_app.config["SESSION_COOKIE_SECURE"] is True
    assert production_app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert production_app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = production_app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


def test_every_page_carries_the_security_headers(client):
    headers = client.get("/accessibilite").headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
