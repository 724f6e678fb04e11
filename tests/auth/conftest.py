"""A ProConnect-like OpenID Provider on 127.0.0.1, and a driver for the login flow."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import make_test_app
from tests.proconnect_provider import ProConnectLikeProvider

# The Flask test client serves Comité as http://localhost.
COMITE = "http://localhost"


@pytest.fixture(scope="session")
def provider() -> Iterator[ProConnectLikeProvider]:
    provider = ProConnectLikeProvider()
    with provider.serving():
        provider.register_client(
            f"{COMITE}/connexion/proconnect/callback", f"{COMITE}/deconnexion/fin"
        )
        yield provider


@pytest.fixture
def proconnect(provider, app, db_session) -> Iterator[ProConnectLikeProvider]:
    provider.reset()
    yield provider
    provider.reset()


def proconnect_app(app: Flask, provider: ProConnectLikeProvider, **overrides) -> Flask:
    """The test app with ProConnect configured against the test provider."""
    return make_test_app(
        app.config["DATABASE_URL"],
        PROCONNECT_DISCOVERY_URL=provider.discovery_url,
        PROCONNECT_CLIENT_ID=provider.client_id,
        PROCONNECT_CLIENT_SECRET=provider.client_secret,
        **overrides,
    )


class LoginFlow:
    """Follows the real HTTP redirects between Comité (test client) and the provider."""

    def __init__(self, client: FlaskClient):
        self.client = client
        self.browser = requests.Session()  # the browser's side at the provider

    def start(self, next_url: str | None = None) -> str:
        response = self.client.post("/connexion/proconnect", data={"next": next_url or ""})
        assert response.status_code == 302, response.text
        return response.location

    def authorize(self, authorize_url: str, sub: str | None = None, deny: bool = False) -> str:
        page = self.browser.get(authorize_url, timeout=5)
        assert page.status_code == 200, page.text
        data = {"action": "deny"} if deny else {"sub": sub}
        answer = self.browser.post(authorize_url, data=data, allow_redirects=False, timeout=5)
        assert answer.status_code in (302, 303), answer.text
        return answer.headers["Location"]

    def back_to_comite(self, url: str):
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == COMITE, url
        return self.client.get(f"{parts.path}?{parts.query}")

    def login(self, sub: str, next_url: str | None = None):
        return self.back_to_comite(self.authorize(self.start(next_url), sub))


@pytest.fixture
def pc_client(proconnect, app) -> FlaskClient:
    return proconnect_app(app, proconnect).test_client()


@pytest.fixture
def flow(pc_client) -> LoginFlow:
    return LoginFlow(pc_client)
