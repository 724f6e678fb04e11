"""`flask --app comite generate-dataset`: ten years of committee life, written in bulk."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from comite.auth.models import User, UserRole
from comite.auth.roles import Role
from comite.committee import services as committee_services
from comite.committee.models import AgendaItem, Decision, Meeting
from comite.committee.workflow import DecisionState, ItemState, MeetingState, Outcome
from comite.core.models import Base
from comite.dataset import DatasetRefused, generate
from comite.dossiers.content import ImpactReviewContent
from comite.dossiers.models import Dossier, DossierVersion
from comite.dossiers.rules import impact_review_submission_errors, product_sheet_submission_errors
from comite.dossiers.workflow import VersionState
from comite.orders.models import (
    Consumption,
    OrderCounter,
    OrderState,
    PurchaseOrder,
    PurchaseOrderLine,
    WorkUnitType,
)
from comite.orders.rules import DAYS_PER_UO
from comite.startups.models import Startup
from comite.startups.workflow import Phase, StartupStatus

SMALL = 0.02  # 6 startups, 5 séances


def digest(session) -> str:
    """A fingerprint of every row of every table but the audit log."""
    fingerprint = hashlib.sha256()
    for table in Base.metadata.sorted_tables:
        if table.name == "audit_event":
            continue
        rows = session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        fingerprint.update(table.name.encode())
        fingerprint.update(json.dumps([list(row) for row in rows], default=str).encode())
    return fingerprint.hexdigest()


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows(db_session):
    fingerprints = []
    for seed in (2026, 2026, 7):
        savepoint = db_session.begin_nested()
        generate(db_session, SMALL, seed)
        fingerprints.append(digest(db_session))
        savepoint.rollback()
    assert fingerprints[0] == fingerprints[1]
    assert fingerprints[2] != fingerprints[0]


def test_counts_grow_with_the_scale_and_keep_one_of_everything(db_session):
    savepoint = db_session.begin_nested()
    small = generate(db_session, SMALL)
    savepoint.rollback()
    large = generate(db_session, 2 * SMALL)

    assert (small["startup"], small["meeting"]) == (6, 5)
    assert (large["startup"], large["meeting"]) == (12, 10)
    for table in ("user", "agenda_item", "vote", "decision", "purchase_order"):
        assert 0 < small[table] < large[table], table
    roles = set(db_session.scalars(sa.select(UserRole.role)))
    assert roles == set(Role)
    assert count(db_session, Startup) == large["startup"]


def test_a_database_with_startups_is_refused(db_session, make_startup):
    make_startup()
    with pytest.raises(DatasetRefused, match="contient déjà 1 startup"):
        generate(db_session, SMALL)


def test_every_seance_is_closed_with_members_a_president_and_one_vote_per_member(db_session):
    generate(db_session, 0.05)
    meetings = db_session.scalars(
        sa.select(Meeting).options(
            selectinload(Meeting.members),
            selectinload(Meeting.proxies),
            selectinload(Meeting.items).selectinload(AgendaItem.votes),
            selectinload(Meeting.items).selectinload(AgendaItem.recusals),
        )
    ).all()
    assert len(meetings) == 12
    for meeting in meetings:
        assert meeting.state is MeetingState.CLOSED and meeting.items
        assert len(meeting.members) >= 5
        assert sum(member.is_president for member in meeting.members) == 1
        convened = {member.user_id for member in meeting.members}
        proxies = {proxy.giver_id: proxy.holder_id for proxy in meeting.proxies}
        assert [item.position for item in meeting.items] == list(range(1, len(meeting.items) + 1))
        for item in meeting.items:
            assert item.state is ItemState.CLOSED
            voters = [vote.voter_id for vote in item.votes]
            assert len(voters) == len(set(voters))
            recused = {recusal.user_id for recusal in item.recusals}
            assert set(voters) <= convened - recused
            for vote in item.votes:
                assert vote.cast_by_id == proxies.get(vote.voter_id, vote.voter_id)
            # The frozen result is the one the rules give for these ballots.
            assert committee_services.item_result(item).explain() == item.result_text


def test_each_item_has_the_published_decision_its_vote_gives(db_session):
    generate(db_session, 0.05)
    units = {unit.id: unit.code for unit in db_session.scalars(sa.select(WorkUnitType))}
    items = db_session.scalars(sa.select(AgendaItem)).all()
    decisions = db_session.scalars(sa.select(Decision)).all()
    by_item = defaultdict(list)
    for decision in decisions:
        by_item[decision.agenda_item_id].append(decision)
    assert {Outcome.CONTINUE, Outcome.STOP} <= {decision.outcome for decision in decisions}
    for item in items:
        [decision] = by_item[item.id]
        assert decision.state is DecisionState.PUBLISHED
        assert decision.outcome is item.outcome
        assert decision.startup_id == item.startup.id
        assert decision.published_at >= item.closed_at
        # The record is the one closing the item freezes (its "present" list grows with
        # the séance: each record holds who had voted by then).
        expected = committee_services.decision_record(item, committee_services.item_result(item))
        assert set(decision.record["present"]) <= set(expected.pop("present"))
        assert {k: v for k, v in decision.record.items() if k != "present"} == expected
        version = item.dossier_version
        assert version.state is VersionState.DECIDED
        if decision.outcome is Outcome.CONTINUE:
            assert decision.next_review_on is not None
            granted = [
                (units[line.work_unit_type_id], line.quantity) for line in decision.budget_lines
            ]
            asked = [(line.work_unit_code, line.quantity) for line in version.content.budget_lines]
            assert granted == asked
        else:
            assert decision.budget_lines == [] and decision.next_review_on is None
            assert decision.next_phase in (Phase.STOPPED, Phase.STOPPED_AFTER_INVESTIGATION)


def test_dossier_versions_load_and_pass_the_submission_checks(db_session):
    generate(db_session, 0.05)
    codes = set(db_session.scalars(sa.select(WorkUnitType.code)))
    versions = db_session.scalars(
        sa.select(DossierVersion).options(selectinload(DossierVersion.dossier))
    ).all()
    assert {version.state for version in versions} <= {
        VersionState.DECIDED,
        VersionState.RETURNED,
    }
    for version in versions:
        content = version.content
        if isinstance(content, ImpactReviewContent):
            errors = impact_review_submission_errors(content, codes)
        else:
            errors = product_sheet_submission_errors(content, codes)
        assert errors == {}, (version.id, errors)
        assert version.submitted_at is not None and version.created_at < version.submitted_at
        assert version.dossier.startup.created_at < version.dossier.created_at <= version.created_at
    numbers = db_session.execute(
        sa.select(DossierVersion.dossier_id, sa.func.max(DossierVersion.number)).group_by(
            DossierVersion.dossier_id
        )
    ).all()
    assert count(db_session, Dossier) == len(numbers)


def test_startups_end_in_the_phase_of_their_last_decision(db_session):
    generate(db_session, 0.05)
    for startup in db_session.scalars(sa.select(Startup)):
        last = startup.phase_history[-1]
        assert (startup.phase, startup.phase_started_on) == (last.phase, last.started_on)
        assert startup.phase_history[0].phase is Phase.INVESTIGATION
        decisions = db_session.scalars(
            sa.select(Decision).where(Decision.startup_id == startup.id).order_by(Decision.id)
        ).all()
        assert decisions[-1].next_phase is startup.phase
        expected = {
            Phase.STOPPED: StartupStatus.STOPPED,
            Phase.STOPPED_AFTER_INVESTIGATION: StartupStatus.STOPPED,
            Phase.TRANSFERRED: StartupStatus.TRANSFERRED,
        }.get(startup.phase, StartupStatus.ACTIVE)
        assert startup.status is expected
        roles = Counter(membership.role.value for membership in startup.memberships)
        assert roles["intrapreneur"] == 1 and roles["sponsor"] == 1


def test_order_numbers_are_gap_free_per_year_and_match_the_counters(db_session):
    generate(db_session, 0.05)
    orders = db_session.scalars(
        sa.select(PurchaseOrder).options(selectinload(PurchaseOrder.lines))
    ).all()
    assert orders
    by_year = defaultdict(list)
    for order in orders:
        _, year, sequence = order.number.split("-")
        by_year[int(year)].append(int(sequence))
        assert 1 <= len(order.lines) <= 3
        assert order.decision.state is DecisionState.PUBLISHED
        if order.state is OrderState.COMMITTED:
            assert len(order.legal_commitment) == 10 and order.committed_at > order.sent_at
        if order.state is OrderState.CANCELLED:
            assert order.cancel_reason and order.cancelled_at
        if order.state in (OrderState.SENT, OrderState.COMMITTED):
            assert order.financial_centre and order.functional_domain and order.activity
    counters = dict(
        db_session.execute(sa.select(OrderCounter.year, OrderCounter.last_number)).all()
    )
    assert counters == {year: len(numbers) for year, numbers in by_year.items()}
    for numbers in by_year.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    consumed = db_session.execute(
        sa.select(PurchaseOrderLine.quantity, sa.func.sum(Consumption.days))
        .join(Consumption.line)
        .group_by(PurchaseOrderLine.id, PurchaseOrderLine.quantity)
    ).all()
    assert consumed
    for quantity, days in consumed:
        assert Decimal(0) < days <= quantity * DAYS_PER_UO


def test_pages_render_on_the_generated_data(db_session, client):
    generate(db_session, SMALL)
    db_session.commit()
    admin = db_session.scalar(
        sa.select(User).join(User.role_grants).where(UserRole.role == Role.ADMIN)
    )
    response = client.post("/connexion/dev", data={"user_id": admin.id})
    assert response.status_code == 303
    startup = db_session.scalar(sa.select(Startup).order_by(Startup.id))
    meeting = db_session.scalar(sa.select(Meeting).order_by(Meeting.id.desc()))
    item = meeting.items[0]
    decision = db_session.scalar(sa.select(Decision).where(Decision.agenda_item_id == item.id))
    order = db_session.scalar(sa.select(PurchaseOrder).order_by(PurchaseOrder.id.desc()))
    dossier = item.dossier_version.dossier
    pages = [
        "/startups",
        "/startups?page=2",
        f"/startups/{startup.slug}",
        f"/startups/{startup.slug}/historique",
        f"/startups/{startup.slug}/budget",
        "/seances",
        f"/seances/{meeting.id}",
        f"/seances/{meeting.id}/points/{item.id}",
        f"/seances/{meeting.id}/releve",
        f"/decisions/{decision.id}",
        f"/dossiers/{dossier.id}",
        f"/dossiers/{dossier.id}/versions/{item.dossier_version.number}",
        f"/commandes/{order.id}",
        "/exports",
        "/exports/decisions",
        "/exports/commandes",
        "/exports/budget",
        "/catalogue",
        "/admin/utilisateurs",
    ]
    failures = {}
    for page in pages:
        response = client.get(page)
        if response.status_code != 200:
            failures[page] = response.status_code
    assert failures == {}
    assert startup.name in client.get("/startups?q=" + startup.name.split()[0]).text


def test_the_command_prints_its_counts_and_refuses_a_second_run(app, db_session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["generate-dataset", "--scale", "0.02", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "Jeu de données généré" in result.output
    assert "startups : 6" in result.output
    again = runner.invoke(args=["generate-dataset", "--scale", "0.02"])
    assert again.exit_code != 0
    assert "La base contient déjà 6 startup(s)" in again.output
    assert count(db_session, Startup) == 6
