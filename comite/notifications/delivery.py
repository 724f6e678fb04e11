"""Sending the outbox: each due message in turn, by SMTP, until the server accepts it.

A message the server refuses or cannot take (outage, timeout) stays in the outbox with
its error and is tried again later, less and less often (1, 2, 4 … minutes, at most an
hour apart): nothing is ever dropped. Several workers may run at once: on PostgreSQL a
message is locked while it is sent (SKIP LOCKED), so that each goes once."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from comite.core.models import utcnow
from comite.notifications.models import MessageState, OutboxMessage

logger = logging.getLogger(__name__)

MAX_RETRY_DELAY = dt.timedelta(hours=1)
# Messages sent by one run of the task, before it lets the worker do something else.
BATCH = 200


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str
    password: str
    starttls: bool
    ssl: bool
    timeout: float
    sender: str
    reply_to: str

    @classmethod
    def from_config(cls, config: dict) -> SmtpSettings:
        return cls(
            host=config["SMTP_HOST"],
            port=config["SMTP_PORT"],
            username=config["SMTP_USERNAME"],
            password=config["SMTP_PASSWORD"],
            starttls=config["SMTP_STARTTLS"],
            ssl=config["SMTP_SSL"],
            timeout=config["SMTP_TIMEOUT"],
            sender=config["MAIL_FROM"],
            reply_to=config["MAIL_REPLY_TO"] or config["MAIL_FROM"],
        )


def retry_delay(attempts: int) -> dt.timedelta:
    """After the n-th failed attempt: 1, 2, 4 … minutes, never more than an hour."""
    return min(dt.timedelta(minutes=2 ** (attempts - 1)), MAX_RETRY_DELAY)


def as_email(message: OutboxMessage, settings: SmtpSettings) -> EmailMessage:
    email = EmailMessage()
    email["From"] = formataddr(("Comité – secrétariat du comité", settings.sender))
    email["Reply-To"] = settings.reply_to
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(idstring=f"comite-{message.id}")
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    if message.attachment is not None:
        maintype, _, subtype = (message.attachment_type or "application/octet-stream").partition(
            "/"
        )
        email.add_attachment(
            message.attachment,
            maintype=maintype,
            subtype=subtype,
            filename=message.attachment_name,
        )
    return email


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.ssl:
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            timeout=settings.timeout,
            context=ssl.create_default_context(),
        )
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        if settings.starttls:
            server.starttls(context=ssl.create_default_context())
    if settings.username:
        server.login(settings.username, settings.password)
    return server


def _next_due(session: Session, now: dt.datetime) -> OutboxMessage | None:
    return session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.state == MessageState.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()


def send_due(session: Session, settings: SmtpSettings, now: dt.datetime | None = None) -> int:
    """Send the messages due now, one transaction each; returns how many went. Without a
    server (SMTP_HOST empty) messages wait in the outbox."""
    if not settings.host:
        return 0
    now = now or utcnow()
    sent = 0
    server: smtplib.SMTP | None = None
    try:
        for _ in range(BATCH):
            message = _next_due(session, now)
            if message is None:
                break
            message.attempts += 1
            try:
                if server is None:
                    server = _connect(settings)
                server.send_message(as_email(message, settings))
            except (smtplib.SMTPException, OSError) as error:
                message.last_error = f"{type(error).__name__}: {error}"[:2000]
                message.next_attempt_at = now + retry_delay(message.attempts)
                session.commit()
                logger.warning(
                    "Courriel %s non envoyé (essai %d) : %s",
                    message.id,
                    message.attempts,
                    message.last_error,
                )
                # The connection may be broken: the next message opens a new one, and
                # an unreachable server is not tried again for every message.
                server = _close(server)
                if isinstance(error, OSError | smtplib.SMTPServerDisconnected):
                    break
                continue
            message.state = MessageState.SENT
            message.sent_at = utcnow()
            message.last_error = ""
            session.commit()
            sent += 1
    finally:
        _close(server)
    return sent


def _close(server: smtplib.SMTP | None) -> None:
    if server is None:
        return None
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()
    return None


def waiting(session: Session) -> list[OutboxMessage]:
    """The messages not sent yet, the oldest first."""
    return list(
        session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.state == MessageState.PENDING)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    )


def recently_sent(session: Session, limit: int) -> list[OutboxMessage]:
    return list(
        session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.state == MessageState.SENT)
            .order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def make_due_now(session: Session, now: dt.datetime) -> int:
    """Every waiting message is due at once (the server is back): how many."""
    result = session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.state == MessageState.PENDING)
        .values(next_attempt_at=now)
    )
    return result.rowcount
