"""A real server on 127.0.0.1, started as `make run` starts one, on each database."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import requests
import sqlalchemy as sa
from psycopg import sql

from comite.demo import demo_email
from tests.databases import ENGINES, database_url
from tests.proconnect_provider import ProConnectLikeProvider
from tests.smtp_server import Mailbox, SmtpServer

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _flask(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "flask", "--app", "comite", *args]
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, **kwargs)


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory) -> dict[str, str]:
    """A migrated database with the demo data, per engine, made once for the session; each
    live server starts on a copy of it (a file copy, or PostgreSQL's CREATE DATABASE …
    TEMPLATE), not on its own migration and seeding."""
    templates: dict[str, str] = {}

    def template(engine: str) -> str:
        if engine not in templates:
            url = database_url(engine, tmp_path_factory.mktemp("demo"), "comite_test_demo")
            env = {**os.environ, "COMITE_ENV": "test", "SECRET_KEY": "x", "DATABASE_URL": url}
            _flask(env, "db", "upgrade")
            _flask(env, "seed-demo")
            templates[engine] = url
        return templates[engine]

    return template


def copy_of(template_url: str, folder: Path, name: str) -> str:
    """A fresh database holding what the template holds."""
    template = sa.make_url(template_url)
    if template.get_backend_name() == "sqlite":
        path = folder / f"{name}.sqlite3"
        shutil.copyfile(template.database, path)
        return f"sqlite:///{path}"
    target = template.set(database=f"{template.database.removesuffix('_demo')}_{name}")
    admin = template.set(database="postgres", drivername="postgresql")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as db:
        db.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(target.database)
            )
        )
        db.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(target.database), sql.Identifier(template.database)
            )
        )
    return target.render_as_string(hide_password=False)


def _wait_for_the_demo_mail(url: str, mailbox: Mailbox, worker_log: str) -> None:
    """The worker starts by sending the e-mails the demo data wrote: a test begins once it
    is done, so that the test's own writes never race the worker's on SQLite."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        waiting = connection.scalar(
            sa.text("SELECT count(*) FROM outbox_message WHERE state = 'pending'")
        )
    engine.dispose()
    deadline = time.monotonic() + 30
    while len(mailbox.messages) < waiting:
        if time.monotonic() > deadline:
            pytest.fail(f"Le worker n'a pas envoyé les courriels : {Path(worker_log).read_text()}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def browser_provider() -> Iterator[ProConnectLikeProvider]:
    """The ProConnect-like provider the live server logs in with."""
    provider = ProConnectLikeProvider()
    with provider.serving():
        provider.set_user(
            "claire.dubois",
            email=demo_email("claire.dubois"),
            given_name="Claire",
            usual_name="Dubois",
            siret="13002526500013",
        )
        yield provider


class LiveServer(str):
    """The server's base URL, which also knows its database (for tests that prepare data)
    and the mailbox where its worker delivers the e-mails."""

    database_url: str
    mailbox: Mailbox


@pytest.fixture(scope="module", params=ENGINES)
def live_server(
    request, tmp_path_factory, browser_provider, demo_templates
) -> Iterator[LiveServer]:
    """A copy of the migrated demo database, served with ProConnect and the development
    login as `make run` serves it, with its worker, which sends the e-mails to a real SMTP
    server."""
    url = copy_of(demo_templates(request.param), tmp_path_factory.mktemp("live"), "live")
    smtp = SmtpServer()
    smtp.start()
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    browser_provider.register_client(
        f"{base_url}/connexion/proconnect/callback", f"{base_url}/deconnexion/fin"
    )
    env = {
        **os.environ,
        "COMITE_ENV": "test",
        "SECRET_KEY": "browser-test-key",
        "COMITE_DEV_LOGIN": "1",
        "DATABASE_URL": url,
        "PROCONNECT_DISCOVERY_URL": browser_provider.discovery_url,
        "PROCONNECT_CLIENT_ID": browser_provider.client_id,
        "PROCONNECT_CLIENT_SECRET": browser_provider.client_secret,
        "PUBLIC_URL": base_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "MAIL_REPLY_TO": "secretariat.comite@incubateur.example.gouv.fr",
    }
    # The server logs every request on stderr: into a file, not a pipe nobody reads (once
    # its buffer is full, the server would block on its next log line).
    logs = tmp_path_factory.mktemp("live-log")
    log = logs / "server.log"
    log_file = log.open("wb")
    worker_log = (logs / "worker.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "comite", "run", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "comite", "worker"],
        env=env,
        cwd=ROOT,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(f"{base_url}/healthz", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Le serveur n'a pas démarré : {log.read_text(errors='replace')}")
            time.sleep(0.1)
        _wait_for_the_demo_mail(url, smtp.mailbox, worker_log.name)
        server_url = LiveServer(base_url)
        server_url.database_url = url
        server_url.mailbox = smtp.mailbox
        yield server_url
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=30)
        log_file.close()
        worker_log.close()
        smtp.stop()
