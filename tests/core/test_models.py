"""What the database itself guarantees, on both engines."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from comite.auth.models import User
from comite.auth.roles import Role
from comite.core import audit
from comite.core.audit import AuditEvent, AuditLogIsAppendOnly


def test_an_email_is_unique_whatever_its_case(db_session, make_user):
    make_user(email="Claire.Dubois@exemple.gouv.fr")
    with pytest.raises(sa.exc.IntegrityError):
        make_user(email="claire.dubois@EXEMPLE.gouv.fr")


def test_many_users_may_have_no_proconnect_identity_yet(db_session, make_user):
    make_user()
    make_user()
    assert (
        db_session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.proconnect_sub.is_(None))
        )
        >= 2
    )


def test_a_proconnect_identity_belongs_to_one_user(db_session, make_user):
    first, second = make_user(), make_user()
    first.proconnect_sub = "sub-123"
    db_session.commit()
    second.proconnect_sub = "sub-123"
    with pytest.raises(sa.exc.IntegrityError):
        db_session.commit()


def test_a_person_may_hold_several_roles(db_session, make_user):
    user = make_user(Role.MEMBER, Role.SPONSOR)
    db_session.expire_all()
    assert db_session.get(User, user.id).roles == {Role.MEMBER, Role.SPONSOR}


def test_times_come_back_aware_and_in_utc(db_session, make_user):
    paris = dt.timezone(dt.timedelta(hours=1))
    user = make_user()
    user.created_at = dt.datetime(2026, 11, 24, 17, 0, tzinfo=paris)
    db_session.commit()
    db_session.expire_all()
    stored = db_session.get(User, user.id).created_at
    assert stored == dt.datetime(2026, 11, 24, 16, 0, tzinfo=dt.UTC)
    assert stored.utcoffset() == dt.timedelta(0)


def test_naive_times_are_refused(db_session, make_user):
    user = make_user()
    user.created_at = dt.datetime(2026, 11, 24, 17, 0)
    with pytest.raises(sa.exc.StatementError, match="timezone-aware"):
        db_session.commit()


def test_audit_events_cannot_be_changed_or_deleted(db_session, make_user):
    user = make_user(Role.ADMIN)
    event = audit.record(db_session, "demo.action", user, actor=user, why="test")
    db_session.commit()
    event.action = "autre.action"
    with pytest.raises(AuditLogIsAppendOnly):
        db_session.flush()
    db_session.rollback()
    db_session.delete(db_session.get(AuditEvent, event.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db_session.flush()
