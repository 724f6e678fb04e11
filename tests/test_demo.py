"""`flask --app comite seed-demo`: the demo a newcomer browses."""

from __future__ import annotations

import sqlalchemy as sa

from comite.auth.models import User
from comite.auth.roles import Role
from comite.startups.models import Incubator, Startup
from comite.startups.workflow import Phase


def count(session, model):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_seed_demo_loads_startups_in_every_phase_and_a_user_per_role(app, db_session):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "12 startup(s)" in result.output

    assert count(db_session, Incubator) == 2
    phases = set(db_session.scalars(sa.select(Startup.phase)))
    assert phases == set(Phase)
    roles = {role for user in db_session.scalars(sa.select(User)) for role in user.roles}
    assert roles == set(Role)


def test_seed_demo_twice_adds_nothing(app, db_session):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    counts = [count(db_session, model) for model in (Incubator, Startup, User)]
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert "0 incubateur(s), 0 startup(s), 0 utilisateur(s) ajoutés" in again.output
    assert [count(db_session, model) for model in (Incubator, Startup, User)] == counts


def test_seed_demo_prepares_an_upcoming_seance_once(app, db_session):
    from comite.committee.models import Meeting
    from comite.committee.workflow import MeetingState
    from comite.dossiers.workflow import VersionState

    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    runner.invoke(args=["seed-demo"])
    meeting = db_session.scalars(
        sa.select(Meeting).where(Meeting.state == MeetingState.AGENDA_PUBLISHED)
    ).one()
    assert meeting.president.user.full_name == "Marc Lefèvre"
    [item] = meeting.items
    assert item.dossier_version.state is VersionState.UNDER_REVIEW
    assert item.startup.slug == "carte-grise-en-ligne"


def test_seed_demo_leaves_an_order_waiting_for_the_dsaf_once(app, db_session):
    from comite.committee.models import Decision, Meeting
    from comite.committee.workflow import DecisionState, MeetingState
    from comite.orders.models import OrderState, PurchaseOrder

    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    runner.invoke(args=["seed-demo"])
    closed = db_session.scalars(
        sa.select(Meeting).where(Meeting.state == MeetingState.CLOSED)
    ).one()
    assert closed.title == "Comité d'investissement d'octobre"
    decision = db_session.scalars(sa.select(Decision)).one()
    assert decision.state is DecisionState.PUBLISHED
    assert decision.startup.slug == "signal-logement"
    [order] = db_session.scalars(sa.select(PurchaseOrder)).all()
    assert order.state is OrderState.SENT and order.financial_centre == "0135-CDBR-DHUP"
