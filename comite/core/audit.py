"""The audit log: who did what, when. Events are only ever added, never changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from comite.core.models import Base, utcnow

if TYPE_CHECKING:
    from comite.auth.models import User


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(64))
    object_id: Mapped[str] = mapped_column(sa.String(64))
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    actor: Mapped[User | None] = relationship()

    __table_args__ = (sa.Index("ix_audit_event_object", "object_type", "object_id"),)


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


def record(
    session: Session,
    action: str,
    obj: Any,
    actor: User | None = None,
    **details: Any,
) -> AuditEvent:
    """Add one event naming the actor, the action and the object it touched."""
    return record_about(session, action, type(obj).__name__, str(obj.id), actor, **details)


def record_about(
    session: Session,
    action: str,
    object_type: str,
    object_id: str,
    actor: User | None = None,
    **details: Any,
) -> AuditEvent:
    """Add one event about something that is not (or not yet) a row, e.g. a refused login."""
    audit_event = AuditEvent(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id[:64],
        details=details,
    )
    session.add(audit_event)
    return audit_event


def audit_value(value: Any) -> Any:
    """A value as the audit log's JSON keeps it (a row by its slug)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Base) and hasattr(value, "slug"):
        return value.slug
    return value


def apply_changes(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the attributes that differ and return them as {name: [before, after]}."""
    changes = {}
    for name, value in values.items():
        before = getattr(obj, name)
        if before != value:
            changes[name] = [audit_value(before), audit_value(value)]
            setattr(obj, name, value)
    return changes


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, flush_context: Any, instances: Any) -> None:
    for instance in (*session.dirty, *session.deleted):
        if isinstance(instance, AuditEvent) and (
            instance in session.deleted or session.is_modified(instance)
        ):
            raise AuditLogIsAppendOnly("Le journal d'audit ne se modifie pas.")
