"""E-mail notifications: the outbox the worker empties, and who chose not to receive what."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comite.auth.roles import Role
from comite.core.models import Base, str_enum, utcnow

if TYPE_CHECKING:
    from comite.auth.models import User


class Notification(enum.StrEnum):
    """What Comité tells people by e-mail; each person may turn any of them off."""

    AGENDA_PUBLISHED = "agenda_published"
    MEETING_REMINDER = "meeting_reminder"
    VOTE_REMINDER = "vote_reminder"
    DOSSIER_RETURNED = "dossier_returned"
    DECISION_PUBLISHED = "decision_published"
    ORDER_SENT = "order_sent"

    @property
    def label(self) -> str:
        return NOTIFICATION_LABELS[self][0]

    @property
    def hint(self) -> str:
        return NOTIFICATION_LABELS[self][1]

    @property
    def audience(self) -> frozenset[Role]:
        """The roles for whom the notification makes sense (the preferences page)."""
        return NOTIFICATION_AUDIENCES[self]


NOTIFICATION_LABELS = {
    Notification.AGENDA_PUBLISHED: (
        "Ordre du jour publié",
        "Quand l'ordre du jour d'une séance où vous êtes convoqué est publié, avec "
        "l'invitation pour votre agenda (.ics).",
    ),
    Notification.MEETING_REMINDER: (
        "Rappel la veille d'une séance",
        "Le jour précédant une séance où vous êtes convoqué.",
    ),
    Notification.VOTE_REMINDER: (
        "Relance du secrétariat pour voter",
        "Quand le secrétariat relance les membres qui n'ont pas encore voté sur un point.",
    ),
    Notification.DOSSIER_RETURNED: (
        "Dossier renvoyé pour complément",
        "Quand le secrétariat renvoie un dossier de votre startup à l'équipe.",
    ),
    Notification.DECISION_PUBLISHED: (
        "Décision du comité publiée",
        "Quand le comité publie une décision sur une de vos startups.",
    ),
    Notification.ORDER_SENT: (
        "Bon de commande transmis à la DSAF",
        "Quand le secrétariat transmet un bon de commande à engager.",
    ),
}

NOTIFICATION_AUDIENCES = {
    Notification.AGENDA_PUBLISHED: frozenset({Role.MEMBER, Role.ADMIN}),
    Notification.MEETING_REMINDER: frozenset({Role.MEMBER, Role.ADMIN}),
    Notification.VOTE_REMINDER: frozenset({Role.MEMBER, Role.ADMIN}),
    Notification.DOSSIER_RETURNED: frozenset({Role.INTRAPRENEUR}),
    Notification.DECISION_PUBLISHED: frozenset({Role.INTRAPRENEUR, Role.SPONSOR}),
    Notification.ORDER_SENT: frozenset({Role.FINANCE}),
}


class MessageState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"


class OutboxMessage(Base):
    """One e-mail to one person, written in the transaction of the action it tells about
    and sent later by the worker, as many times as needed until the server takes it."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification: Mapped[Notification] = mapped_column(str_enum(Notification, 32))
    recipient_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(250))
    body: Mapped[str] = mapped_column(sa.Text)
    attachment_name: Mapped[str | None] = mapped_column(sa.String(120))
    attachment_type: Mapped[str | None] = mapped_column(sa.String(80))
    attachment: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    # Set for messages that must go once only (the reminder of a séance to one member).
    key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    state: Mapped[MessageState] = mapped_column(
        str_enum(MessageState, 16), default=MessageState.PENDING
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    sent_at: Mapped[dt.datetime | None]

    recipient: Mapped[User | None] = relationship()

    __table_args__ = (sa.Index("ix_outbox_message_due", "state", "next_attempt_at"),)


class NotificationOptOut(Base):
    """A notification a person chose not to receive (every one is on by default)."""

    __tablename__ = "notification_opt_out"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    notification: Mapped[Notification] = mapped_column(str_enum(Notification, 32), primary_key=True)
