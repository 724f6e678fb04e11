"""A real server on 127.0.0.1, started as `make run` starts one, on each database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from comite.demo import demo_email
from tests.databases import ENGINES, database_url
from tests.proconnect_provider import ProConnectLikeProvider

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _flask(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "flask", "--app", "comite", *args]
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, **kwargs)


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
    """The server's base URL, which also knows its database (for tests that prepare data)."""

    database_url: str


@pytest.fixture(scope="module", params=ENGINES)
def live_server(request, tmp_path_factory, browser_provider) -> Iterator[LiveServer]:
    """Migrate, load the demo and serve it with ProConnect and the development login."""
    url = database_url(request.param, tmp_path_factory.mktemp("live"), "comite_test_live")
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
    }
    _flask(env, "db", "upgrade")
    _flask(env, "seed-demo")
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "comite", "run", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
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
                pytest.fail(f"Le serveur n'a pas démarré : {server.stderr.read().decode()}")
            time.sleep(0.1)
        server_url = LiveServer(base_url)
        server_url.database_url = url
        yield server_url
    finally:
        server.terminate()
        server.wait(timeout=10)
