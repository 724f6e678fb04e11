"""Rate limits on the logins, ProConnect's callback and the vote: a French 429 page with
Retry-After, counted per address (anonymous) or per person (logged in), shared between
instances through Redis."""

from __future__ import annotations

import uuid

from comite.auth.roles import Role
from comite.core.rate_limits import limiter_of
from tests.conftest import make_test_app
from tests.databases import redis_url


def _refused(response) -> bool:
    return response.status_code == 429


def test_login_attempts_are_limited_per_address(client, make_user, limits, db_session):
    limits("RATELIMIT_LOGIN", "3 per minute")
    user = make_user(Role.MEMBER)
    for _ in range(3):
        assert client.post("/connexion/dev", data={"user_id": "999999"}).status_code == 422
    response = client.post("/connexion/dev", data={"user_id": user.id})
    assert _refused(response)
    assert "Trop de requêtes" in response.text
    assert "Réessayez dans quelques instants" in response.text
    assert int(response.headers["Retry-After"]) > 0
    # Another address is not held back by this one.
    other = client.post(
        "/connexion/dev", data={"user_id": user.id}, environ_base={"REMOTE_ADDR": "10.0.0.7"}
    )
    assert other.status_code == 303


def test_proconnect_callback_is_limited(client, limits):
    limits("RATELIMIT_LOGIN", "2 per minute")
    statuses = [client.get("/connexion/proconnect/callback").status_code for _ in range(3)]
    assert statuses[:2] != [429, 429]
    assert statuses[2] == 429


def test_pages_other_than_the_limited_ones_are_not_counted(client, limits):
    limits("RATELIMIT_LOGIN", "1 per minute")
    for _ in range(5):
        assert client.get("/connexion").status_code == 200


def test_limits_are_shared_by_the_instances_through_redis(app, db_session):
    """Two instances (two apps) behind a load balancer share one count in Redis."""
    shared = {
        "RATE_LIMITS": True,
        "RATELIMIT_STORAGE_URI": redis_url(),
        "RATELIMIT_LOGIN": "3 per minute",
        # A key prefix of this test's own: the count starts at zero, whatever ran before.
        "RATELIMIT_KEY_PREFIX": f"comite-test-{uuid.uuid4().hex}",
    }
    first, second = (make_test_app(app.config["DATABASE_URL"], **shared) for _ in range(2))
    try:
        statuses = [
            instance.test_client().post("/connexion/dev", data={"user_id": "999999"}).status_code
            for instance in (first, second, first, second)
        ]
        assert statuses == [422, 422, 422, 429]
    finally:
        limiter_of(first).storage.reset()
