"""Which notifications a person receives: all by default, less if they say so."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import Session

from comite.auth.models import User
from comite.core import audit
from comite.notifications.models import Notification, NotificationOptOut


def offered_to(user: User) -> list[Notification]:
    """The notifications that concern someone with this person's roles."""
    return [kind for kind in Notification if not kind.audience.isdisjoint(user.roles)]


def received_by(session: Session, user: User) -> set[Notification]:
    refused = set(
        session.scalars(
            sa.select(NotificationOptOut.notification).where(NotificationOptOut.user_id == user.id)
        )
    )
    return set(Notification) - refused


def choose(
    session: Session,
    user: User,
    offered: Collection[Notification],
    wanted: Collection[Notification],
) -> None:
    """Among the notifications offered to the person, receive the wanted ones only."""
    before = received_by(session, user)
    for kind in offered:
        if kind in wanted and kind not in before:
            session.execute(
                sa.delete(NotificationOptOut).where(
                    NotificationOptOut.user_id == user.id, NotificationOptOut.notification == kind
                )
            )
        elif kind not in wanted and kind in before:
            session.add(NotificationOptOut(user_id=user.id, notification=kind))
    session.flush()
    audit.record(
        session,
        "notifications.preferences_updated",
        user,
        actor=user,
        received=sorted(kind.value for kind in offered if kind in wanted),
        refused=sorted(kind.value for kind in offered if kind not in wanted),
    )
