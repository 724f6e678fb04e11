"""A real SMTP server (aiosmtpd) on 127.0.0.1, and the app set to send to it."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.committee.conftest import open_item, seance, submitted_version  # noqa: F401

SECRETARIAT = "secretariat.comite@incubateur.example.gouv.fr"


class Mailbox:
    """What the server received: each message as the recipient's mail client parses it."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.recipients.append(list(envelope.rcpt_tos))
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        """The server goes away (an outage); start() brings it back on the same port."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


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
