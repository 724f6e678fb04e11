"""Fixtures: the app on each database, a SAVEPOINT per test, a client, factories, login."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

import flask_migrate
import pytest
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import scoped_session, sessionmaker

from comite import create_app
from comite.auth.models import User, UserRole
from comite.auth.roles import Role
from comite.core.rate_limits import limiter_of
from comite.extensions import db
from comite.startups.models import Incubator, Membership, PhaseChange, Startup
from comite.startups.workflow import MemberRole, Phase, StartupStatus
from tests.databases import ENGINES, database_url

TEST_CONFIG = {
    "COMITE_ENV": "test",
    "SECRET_KEY": "test-secret-key",
    "COMITE_DEV_LOGIN": True,
    "WTF_CSRF_ENABLED": False,
    "STARTUPS_PER_PAGE": 5,
    # Tests log in and vote far faster than people: the `limits` fixture turns limits on.
    "RATE_LIMITS": False,
}


def make_test_app(url: str, **overrides) -> Flask:
    application = create_app({**TEST_CONFIG, "DATABASE_URL": url, **overrides})
    request_started.connect(_forget_user, application, weak=False)
    return application


def _forget_user(sender: Flask, **extra) -> None:
    """db_session keeps an app context pushed, which Flask reuses (with its `g`) for every
    request of a test: each request must find its user from its own session cookie, as in
    production, not from Flask-Login's cache of the previous request."""
    g.pop("_login_user", None)


@pytest.fixture(scope="session", params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def app(engine_name: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on a database built by the migrations, once per engine."""
    url = database_url(engine_name, tmp_path_factory.mktemp(engine_name))
    application = make_test_app(url)
    with application.app_context():
        flask_migrate.upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def db_session(app: Flask) -> Iterator[scoped_session]:
    """Everything a test and its requests write is rolled back at its end.

    The sessions of the test and of its requests share one connection whose outer
    transaction is never committed; their commits only release SAVEPOINTs. Flask-SQLAlchemy
    3.1 ignores a session-level bind, so db.session is swapped for a plain scoped session.
    """
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def client(app: Flask, db_session: scoped_session) -> FlaskClient:
    return app.test_client()


_sequence = itertools.count(1)


@pytest.fixture
def make_user(db_session: scoped_session):
    def make(
        *roles: Role,
        email: str | None = None,
        given_name: str = "Agathe",
        usual_name: str = "Essai",
        is_active: bool = True,
    ) -> User:
        number = next(_sequence)
        user = User(
            email=email or f"agent{number}@exemple.gouv.fr",
            given_name=given_name,
            usual_name=usual_name,
            is_active=is_active,
            role_grants=[UserRole(role=role) for role in roles],
        )
        db_session.add(user)
        db_session.commit()
        return user

    return make


@pytest.fixture
def make_incubator(db_session: scoped_session):
    def make(name: str | None = None) -> Incubator:
        number = next(_sequence)
        incubator = Incubator(name=name or f"Incubateur {number}", slug=f"incubateur-{number}")
        db_session.add(incubator)
        db_session.commit()
        return incubator

    return make


@pytest.fixture
def make_startup(db_session: scoped_session, make_incubator):
    def make(
        name: str | None = None,
        phase: Phase = Phase.INVESTIGATION,
        incubator: Incubator | None = None,
        phase_started_on: dt.date = dt.date(2026, 3, 2),
        status: StartupStatus = StartupStatus.ACTIVE,
        members: dict[User, MemberRole] | None = None,
    ) -> Startup:
        number = next(_sequence)
        startup = Startup(
            name=name or f"Startup {number}",
            slug=f"startup-{number}",
            pitch="Un service public plus simple.",
            sponsoring_administration="Ministère de l'Exemple",
            incubator=incubator or make_incubator(),
            phase=phase,
            phase_started_on=phase_started_on,
            status=status,
            phase_history=[PhaseChange(phase=phase, started_on=phase_started_on)],
            memberships=[
                Membership(user=user, role=role) for user, role in (members or {}).items()
            ],
        )
        db_session.add(startup)
        db_session.commit()
        return startup

    return make


@pytest.fixture
def login_as(client: FlaskClient, make_user):
    """Log in through the development login, as a new user with these roles (or a given one)."""

    def login(*roles: Role, user: User | None = None) -> User:
        user = user or make_user(*roles)
        response = client.post("/connexion/dev", data={"user_id": user.id})
        assert response.status_code == 303, response.text
        return user

    return login


@pytest.fixture
def limits(app, monkeypatch):
    """Rate limits on for this test (the suite runs without them), counts from zero."""
    monkeypatch.setitem(app.config, "RATE_LIMITS", True)
    limiter_of(app).storage.reset()

    def set_limit(setting: str, value: str) -> None:
        monkeypatch.setitem(app.config, setting, value)

    yield set_limit
    limiter_of(app).storage.reset()


# Playwright drives Debian's chromium: pytest-playwright's defaults look for a bundled
# browser, which is never downloaded here.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    # French date fields (jj/mm/aaaa) in the screenshots.
    "--lang=fr-FR",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}
