"""The two databases every database test runs on: SQLite and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/comite_test"
ENGINES = ("sqlite", "postgresql")


def postgres_url(database_suffix: str = "") -> str:
    """TEST_DATABASE_URL (or the default), optionally for a sibling database."""
    url = sa.make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES_URL))
    if database_suffix:
        url = url.set(database=f"{url.database}_{database_suffix}")
    return url.render_as_string(hide_password=False)


def _unreachable(message: str, service: str = "PostgreSQL") -> None:
    # In CI a missing service is a failure: part of the suite would silently not run.
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{service} injoignable en CI : {message}", pytrace=False)
    pytest.skip(f"{service} injoignable : {message}")


DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_url() -> str:
    """TEST_REDIS_URL (or the local Redis, database 15); skip or fail when unreachable."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        _unreachable(str(error).strip(), "Redis")
    return url


def fresh_postgres_database(url: str) -> str:
    """Create the database if missing and empty its schema; skip or fail when unreachable."""
    target = sa.make_url(url)
    admin = target.set(database="postgres", drivername="postgresql")
    conninfo = admin.render_as_string(hide_password=False)
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (target.database,)
            ).fetchone()
            if not exists:
                connection.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.database))
                )
    except psycopg.OperationalError as error:
        _unreachable(str(error).strip())
    db_conninfo = target.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(db_conninfo, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")
    return url


def database_url(engine: str, folder: Path, name: str = "comite_test") -> str:
    """A fresh, empty database of that engine."""
    if engine == "sqlite":
        path = folder / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    suffix = name.removeprefix("comite_test").lstrip("_")
    return fresh_postgres_database(postgres_url(suffix))
