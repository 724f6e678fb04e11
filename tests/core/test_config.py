"""Configuration: what the service refuses to start with."""

from __future__ import annotations

import pytest

from comite import create_app
from comite.config import ConfigurationError, normalise_database_url

PROCONNECT = {
    "PROCONNECT_DISCOVERY_URL": "https://fca.integ01.dev-agentconnect.fr/api/v2/.well-known/openid-configuration",
    "PROCONNECT_CLIENT_ID": "comite",
    "PROCONNECT_CLIENT_SECRET": "secret",
}


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY est obligatoire"):
        create_app({"COMITE_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_test_environment_also_needs_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"COMITE_ENV": "test", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_development_starts_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({"COMITE_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SECRET_KEY"]


def test_development_login_is_refused_in_production(monkeypatch, tmp_path):
    monkeypatch.setenv("COMITE_DEV_LOGIN", "1")
    monkeypatch.setenv("SECRET_KEY", "s")
    for name, value in PROCONNECT.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match="interdite en production"):
        create_app({"COMITE_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="COMITE_ENV"):
        create_app({"COMITE_ENV": "recette", "SECRET_KEY": "s"})


def test_environment_variables_configure_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("COMITE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DATABASE_URL", "postgres://comite:pw@db.example:5432/comite")
    for name, value in PROCONNECT.items():
        monkeypatch.setenv(name, value)
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://comite:pw@db.example:5432/comite"
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_to_start_without_proconnect(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "s")
    for name in PROCONNECT:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError, match="ProConnect est obligatoire"):
        create_app({"COMITE_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///instance/comite.sqlite3", "sqlite:///instance/comite.sqlite3"),
    ],
)
def test_database_urls_use_psycopg_3(given, expected):
    assert normalise_database_url(given) == expected


@pytest.mark.parametrize(
    "address", ["no-reply@incubateur.gouv.fr", "NoReply@beta.gouv.fr", "ne-pas-repondre@x.fr"]
)
def test_a_no_reply_address_is_refused(tmp_path, address):
    """Replies to Comité's e-mails reach the secretariat."""
    with pytest.raises(ConfigurationError, match="« ne pas répondre »"):
        create_app(
            {
                "COMITE_ENV": "test",
                "SECRET_KEY": "x",
                "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
                "MAIL_REPLY_TO": address,
            }
        )


def test_production_mail_needs_the_public_address_and_the_secretariat(monkeypatch, tmp_path):
    monkeypatch.setenv("SMTP_HOST", "smtp.incubateur.gouv.fr")
    monkeypatch.setenv("SMTP_PORT", "587")
    monkeypatch.setenv("SMTP_STARTTLS", "oui")
    settings = {"COMITE_ENV": "production", "SECRET_KEY": "x", **PROCONNECT}
    settings["DATABASE_URL"] = f"sqlite:///{tmp_path}/x.db"
    with pytest.raises(ConfigurationError, match="PUBLIC_URL, MAIL_REPLY_TO"):
        create_app(settings)
    monkeypatch.setenv("PUBLIC_URL", "https://comite.incubateur.gouv.fr")
    monkeypatch.setenv("MAIL_REPLY_TO", "secretariat.comite@incubateur.gouv.fr")
    app = create_app(settings)
    assert (app.config["SMTP_PORT"], app.config["SMTP_STARTTLS"]) == (587, True)
