"""What the route benchmark needs on a generated database: telling objects to fetch, users
of each role, a séance in progress with an open item, and the SQL statements per request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask

from comite import create_app
from comite.auth.models import User, UserRole
from comite.auth.roles import Role
from comite.committee import services as committee
from comite.committee.admin_queries import live_stamp
from comite.committee.models import Decision
from comite.dossiers import services as dossiers
from comite.dossiers.workflow import DossierKind
from comite.extensions import db
from comite.orders.models import PurchaseOrder, PurchaseOrderLine
from comite.startups.models import Membership, Startup
from tests.committee.conftest import complete_sheet


@dataclass
class BenchData:
    users: dict[str, int] = field(default_factory=dict)
    startup_slug: str = ""
    meeting_id: int = 0
    item_id: int = 0
    member_id: int = 0
    live_stamp: str = ""
    order_id: int = 0


def bench_app(database: str, **config) -> Flask:
    return create_app(
        {
            "COMITE_ENV": "test",
            "SECRET_KEY": "bench-secret-key",
            "COMITE_DEV_LOGIN": True,
            # Statements are counted route after route, logging in each time.
            "RATE_LIMITS": False,
            "DATABASE_URL": database,
            **config,
        }
    )


def _first_with_role(role: Role) -> User:
    return db.session.scalars(
        sa.select(User)
        .join(UserRole)
        .where(UserRole.role == role, User.is_active)
        .order_by(User.id)
    ).first()


def _most(group_column) -> int:
    """The id that appears most often (the heaviest page: where an N+1 would show)."""
    return db.session.scalar(
        sa.select(group_column)
        .group_by(group_column)
        .order_by(sa.func.count().desc(), group_column)
        .limit(1)
    )


def prepare(database: str) -> BenchData:
    """Pick the heaviest objects and open a vote: a new séance with one item in progress."""
    app = bench_app(database)
    data = BenchData()
    with app.app_context():
        admin = _first_with_role(Role.ADMIN)
        members = db.session.scalars(
            sa.select(User)
            .join(UserRole)
            .where(UserRole.role == Role.MEMBER, User.is_active)
            .order_by(User.id)
            .limit(10)
        ).all()
        intrapreneur_id = _most(Membership.user_id)
        data.users = {
            "admin": admin.id,
            "member": members[0].id,
            "finance": _first_with_role(Role.FINANCE).id,
            "intrapreneur": intrapreneur_id,
        }
        startup_id = _most(Decision.startup_id)
        data.startup_slug = db.session.get(Startup, startup_id).slug
        data.order_id = _most(PurchaseOrderLine.order_id)
        assert db.session.get(PurchaseOrder, data.order_id) is not None

        dossier = dossiers.create_dossier(
            db.session, db.session.get(Startup, startup_id), DossierKind.PRODUCT_SHEET, admin
        )
        version = dossier.latest
        dossiers.save_draft(db.session, version, complete_sheet(), version.revision, admin)
        dossiers.submit(db.session, version, admin)
        meeting = committee.create_meeting(
            db.session,
            committee.MeetingDetails(
                title="Comité du banc d'essai",
                starts_at=dt.datetime.now(dt.UTC),
                place="Salle du banc d'essai",
                video_link="",
            ),
            admin,
        )
        committee.convene(db.session, meeting, members, members[0], admin)
        item = committee.add_to_agenda(db.session, meeting, version, admin)
        for verb in ("publish_agenda", "start"):
            committee.advance_meeting(db.session, meeting, verb, admin)
        committee.open_item(db.session, item, admin)
        db.session.commit()
        data.meeting_id, data.item_id, data.member_id = meeting.id, item.id, members[0].id
        data.live_stamp = live_stamp(db.session, meeting.id)
        db.engine.dispose()
    return data


def count_statements(
    app: Flask, requests: Iterable[tuple[str, str, str, int | None, str, bool]]
) -> dict[str, int]:
    """SQL statements of one request of each route (after a first one warms the caches).
    Each request: (label, method, path, user id or None, form body, htmx)."""
    counts: dict[str, int] = {}
    executed: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        # Comité opens SQLite transactions with an explicit BEGIN, which psycopg sends for
        # PostgreSQL without a statement of its own: queries are counted, not that.
        if statement != "BEGIN":
            executed.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        for label, method, path, user_id, body, htmx in requests:
            client = app.test_client()
            if user_id is not None:
                client.post("/connexion/dev", data={"user_id": user_id})
            headers = {"HX-Request": "true"} if htmx else {}
            send: Callable = client.post if method == "POST" else client.get
            send(path, data=body, headers=headers, content_type=_form(body))
            executed.clear()
            response = send(path, data=body, headers=headers, content_type=_form(body))
            if response.status_code >= 400:
                raise SystemExit(f"{label} : {response.status_code} sur {path}")
            counts[label] = len(executed)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return counts


def _form(body: str) -> str | None:
    return "application/x-www-form-urlencoded" if body else None


def current_stamp(database: str, meeting_id: int) -> str:
    """The live page's stamp now (votes change it): an unchanged poll answers 204."""
    app = bench_app(database)
    with app.app_context():
        stamp = live_stamp(db.session, meeting_id)
        db.engine.dispose()
    return stamp
