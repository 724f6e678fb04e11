"""Order numbers stay unique and gap-free when the secretariat generates orders at once from
several browsers, on PostgreSQL (several web instances, real row locks)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import flask_migrate
import pytest
import sqlalchemy as sa

from comite.auth.models import User, UserRole
from comite.auth.roles import Role
from comite.committee.models import Decision, DecisionBudgetLine
from comite.committee.workflow import DecisionState, Outcome
from comite.extensions import db
from comite.orders import services
from comite.orders.models import FrameworkContract, PurchaseOrder, UnitPrice, WorkUnitType
from comite.startups.models import Incubator, PhaseChange, Startup
from comite.startups.workflow import Phase
from tests.conftest import make_test_app
from tests.databases import database_url

CLIENTS = 12
TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def committed_app(tmp_path):
    """Real transactions, not the SAVEPOINT of the other tests: each thread commits."""
    app = make_test_app(database_url("postgresql", tmp_path, "comite_test_numbering"))
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def _published_decisions(count: int) -> tuple[int, list[int]]:
    session = db.session
    admin = User(
        email="secretariat@exemple.gouv.fr",
        given_name="Claire",
        usual_name="Dubois",
        role_grants=[UserRole(role=Role.ADMIN)],
    )
    incubator = Incubator(name="Incubateur", slug="incubateur")
    units = session.scalars(
        sa.select(WorkUnitType).where(WorkUnitType.code.in_(("DEVOPS-SENIOR", "PM")))
    ).all()
    contract = FrameworkContract(
        reference="AC-2026-01",
        title="Accord-cadre",
        holder_name="Titulaire",
        holder_siret="12345678900015",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2029, 12, 31),
        vat_rate=Decimal("0.20"),
        prices=[
            UnitPrice(
                work_unit_type=unit, price_ht=Decimal("12000"), valid_from=dt.date(2026, 1, 1)
            )
            for unit in units
        ],
    )
    decisions = []
    for number in range(count):
        startup = Startup(
            name=f"Startup {number}",
            slug=f"startup-{number}",
            incubator=incubator,
            phase=Phase.CONSTRUCTION,
            phase_started_on=dt.date(2026, 1, 1),
            phase_history=[PhaseChange(phase=Phase.CONSTRUCTION, started_on=dt.date(2026, 1, 1))],
        )
        decisions.append(
            Decision(
                startup=startup,
                outcome=Outcome.CONTINUE,
                next_phase=Phase.CONSTRUCTION,
                state=DecisionState.PUBLISHED,
                created_by=admin,
                published_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
                budget_lines=[
                    DecisionBudgetLine(
                        position=1,
                        work_unit_type=units[0],
                        quantity=Decimal("3"),
                        period_start=dt.date(2026, 12, 1),
                        period_end=dt.date(2027, 5, 31),
                    )
                ],
            )
        )
    session.add_all([contract, *decisions])
    session.commit()
    return admin.id, [decision.id for decision in decisions]


def test_concurrent_generations_share_no_number_and_skip_none(committed_app):
    with committed_app.app_context():
        admin_id, decision_ids = _published_decisions(CLIENTS)
    start = threading.Barrier(CLIENTS)
    errors: list[BaseException] = []

    def generate(decision_id: int) -> None:
        with committed_app.app_context():
            try:
                decision = db.session.get(Decision, decision_id)
                admin = db.session.get(User, admin_id)
                start.wait(timeout=30)
                services.generate_orders(db.session, decision, admin, TODAY)
                db.session.commit()
            except BaseException as error:  # reported by the main thread
                errors.append(error)

    threads = [threading.Thread(target=generate, args=(d,)) for d in decision_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with committed_app.app_context():
        numbers = db.session.scalars(sa.select(PurchaseOrder.number)).all()
        assert sorted(numbers) == [f"BC-2026-{n:04d}" for n in range(1, CLIENTS + 1)]
        assert db.session.scalar(sa.text("SELECT last_number FROM order_counter")) == CLIENTS
