"""Configuration: defaults → instance/config.py → environment → overrides (tests)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from flask import Flask

ENVIRONMENTS = ("development", "test", "production")


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "oui"}


# Variables read from the environment, with how to parse each.
_ENV_VARIABLES: dict[str, Any] = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "COMITE_ENV": str,
    "COMITE_DEV_LOGIN": _flag,
    "PROCONNECT_DISCOVERY_URL": str,
    "PROCONNECT_CLIENT_ID": str,
    "PROCONNECT_CLIENT_SECRET": str,
    "PROCONNECT_ACR_VALUES": str,
    "PROCONNECT_ASSURANCE_LEVELS": str,
    "PROXY_COUNT": int,
    "MAX_ATTACHMENT_SIZE": int,
    "JOBS_DATABASE_URL": str,
    "JOBS_WORKERS": int,
    "JOBS_SHUTDOWN_TIMEOUT": float,
    "JOBS_IMPORTS": lambda value: [name.strip() for name in value.split(",") if name.strip()],
    "EXPORT_BACKGROUND_ROWS": int,
    "EXPORT_RETENTION_HOURS": int,
    "SESSION_LIFETIME_HOURS": float,
    "RATE_LIMITS": _flag,
    "RATELIMIT_STORAGE_URI": str,
    "RATELIMIT_LOGIN": str,
    "RATELIMIT_VOTE": str,
    "PUBLIC_URL": str,
    "SMTP_HOST": str,
    "SMTP_PORT": int,
    "SMTP_USERNAME": str,
    "SMTP_PASSWORD": str,
    "SMTP_STARTTLS": _flag,
    "SMTP_SSL": _flag,
    "SMTP_TIMEOUT": float,
    "MAIL_FROM": str,
    "MAIL_REPLY_TO": str,
}

PROCONNECT_SETTINGS = (
    "PROCONNECT_DISCOVERY_URL",
    "PROCONNECT_CLIENT_ID",
    "PROCONNECT_CLIENT_SECRET",
)


class ConfigurationError(RuntimeError):
    """The configuration would make the service unsafe or unusable."""


def default_config(instance_path: str) -> dict[str, Any]:
    sqlite_path = Path(instance_path) / "comite.sqlite3"
    return {
        "COMITE_ENV": "production",
        "COMITE_DEV_LOGIN": False,
        "SECRET_KEY": None,
        "DATABASE_URL": f"sqlite:///{sqlite_path}",
        "STARTUPS_PER_PAGE": 20,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # A session ends this long after its last request (a working day by default).
        "SESSION_LIFETIME_HOURS": 8,
        "WTF_CSRF_TIME_LIMIT": None,
        # WTForms' own French messages (comite.core.forms), without Flask-Babel.
        "WTF_I18N_ENABLED": False,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # ProConnect (OpenID Connect); the login is offered once all three are set.
        "PROCONNECT_DISCOVERY_URL": "",
        "PROCONNECT_CLIENT_ID": "",
        "PROCONNECT_CLIENT_SECRET": "",
        # Assurance level: `acr_values` for the historical eIDAS levels (eidas1, …), or
        # ProConnect's newer levels (URLs) asked through the `claims` parameter.
        "PROCONNECT_ACR_VALUES": "eidas1",
        "PROCONNECT_ASSURANCE_LEVELS": "",
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
        "PROXY_COUNT": 0,
        # Attachments of dossiers, in bytes (10 Mo by default).
        "MAX_ATTACHMENT_SIZE": 10 * 1024 * 1024,
        # Background jobs (comite.jobs): the queue's database, empty to follow DATABASE_URL
        # (a sibling SQLite file, or huey_* tables in the same PostgreSQL database).
        "JOBS_DATABASE_URL": "",
        # Threads of `flask --app comite worker`, and how long a stop (SIGTERM) waits for
        # running tasks, in seconds, before cutting them short and queueing them again.
        "JOBS_WORKERS": 1,
        "JOBS_SHUTDOWN_TIMEOUT": 20.0,
        # Modules imported at start-up for the tasks they register, besides Comité's own
        # (comite.jobs.TASK_MODULES): the tests add theirs.
        "JOBS_IMPORTS": [],
        # Exports of more rows than this are built by the worker rather than in the request;
        # their files are deleted after EXPORT_RETENTION_HOURS.
        "EXPORT_BACKGROUND_ROWS": 10_000,
        "EXPORT_RETENTION_HOURS": 24,
        # Rate limits (comite.core.rate_limits), in memory unless RATELIMIT_STORAGE_URI
        # names a storage the instances share (redis://…).
        "RATE_LIMITS": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_KEY_PREFIX": "comite",
        "RATELIMIT_LOGIN": "10 per minute; 50 per hour",
        "RATELIMIT_VOTE": "30 per minute",
        # The address of Comité as its users reach it, for the links of e-mails (the worker
        # has no request to take it from).
        "PUBLIC_URL": "",
        # E-mail notifications (comite.notifications), sent by the worker. Without a server
        # they wait in the outbox table, and go once SMTP_HOST is set.
        "SMTP_HOST": "",
        "SMTP_PORT": 25,
        "SMTP_USERNAME": "",
        "SMTP_PASSWORD": "",
        "SMTP_STARTTLS": False,
        "SMTP_SSL": False,
        "SMTP_TIMEOUT": 10.0,
        # Replies reach the secretariat: never a "no-reply" address.
        "MAIL_FROM": "comite@localhost",
        "MAIL_REPLY_TO": "",
    }


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL, whatever scheme the platform gives (postgres://…)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def load_config(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill app.config in order, the later source winning, then refuse unsafe settings."""
    app.config.update(default_config(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    for name, parse in _ENV_VARIABLES.items():
        if name in os.environ:
            app.config[name] = parse(os.environ[name])
    app.config.update(overrides or {})

    env = app.config["COMITE_ENV"]
    if env not in ENVIRONMENTS:
        raise ConfigurationError(
            f"COMITE_ENV={env!r} : valeurs possibles {', '.join(ENVIRONMENTS)}."
        )
    if env == "production" and app.config["COMITE_DEV_LOGIN"]:
        raise ConfigurationError("La connexion de développement est interdite en production.")
    if not app.config["SECRET_KEY"]:
        if env != "development":
            raise ConfigurationError("SECRET_KEY est obligatoire hors développement.")
        # A fixed key in development keeps the development login across restarts.
        app.config["SECRET_KEY"] = "comite-development-only-key"  # noqa: S105
    if env == "production" and not all(app.config[name] for name in PROCONNECT_SETTINGS):
        raise ConfigurationError(
            "En production, la connexion ProConnect est obligatoire : renseignez "
            + ", ".join(PROCONNECT_SETTINGS)
            + "."
        )
    if env == "development" and not app.config["PUBLIC_URL"]:
        # `make run` serves on 127.0.0.1:5000: the worker's links lead there.
        app.config["PUBLIC_URL"] = "http://127.0.0.1:5000"
    _check_mail(app.config)
    app.config["SESSION_COOKIE_SECURE"] = env == "production"
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(
        hours=app.config["SESSION_LIFETIME_HOURS"]
    )
    # A request may carry one attachment and its form.
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_ATTACHMENT_SIZE"] + 1024 * 1024
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["DATABASE_URL"])


NO_REPLY = re.compile(r"no.?reply|ne.?pas.?repondre|ne.?pas.?répondre", re.IGNORECASE)


def _check_mail(config: dict[str, Any]) -> None:
    """Whoever receives a message from Comité can answer it, and finds the links work."""
    for name in ("MAIL_FROM", "MAIL_REPLY_TO"):
        if NO_REPLY.search(config[name]):
            raise ConfigurationError(
                f"{name}={config[name]!r} : les réponses aux courriels de Comité doivent "
                "parvenir au secrétariat, pas à une adresse « ne pas répondre »."
            )
    if config["COMITE_ENV"] == "production" and config["SMTP_HOST"]:
        missing = [name for name in ("PUBLIC_URL", "MAIL_REPLY_TO") if not config[name]]
        if missing:
            raise ConfigurationError(
                "Pour envoyer des courriels en production, renseignez aussi "
                + ", ".join(missing)
                + " (adresse publique de Comité, adresse du secrétariat)."
            )
