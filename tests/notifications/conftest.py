"""The app set to send its e-mails to a real SMTP server (tests/smtp_server.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.committee.conftest import open_item, seance, submitted_version  # noqa: F401
from tests.smtp_server import SmtpServer

SECRETARIAT = "secretariat.comite@incubateur.example.gouv.fr"


@pytest.fixture
def smtp(app, monkeypatch) -> Iterator[SmtpServer]:
    """A running server; the app's messages go to it, replies to the secretariat."""
    server = SmtpServer()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", server.port)
    monkeypatch.setitem(app.config, "MAIL_FROM", "comite@incubateur.example.gouv.fr")
    monkeypatch.setitem(app.config, "MAIL_REPLY_TO", SECRETARIAT)
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://comite.example.gouv.fr")
    server.start()
    try:
        yield server
    finally:
        server.stop()
