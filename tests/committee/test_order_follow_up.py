"""After the draft: imputation typed by the secretariat, days declared done, what is left."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from comite.auth.roles import Role
from comite.core.audit import AuditEvent
from comite.core.errors import DomainError
from comite.orders import services
from comite.orders.follow_up import budget_follow_up, order_follow_up
from comite.orders.models import OrderState, PurchaseOrder
from tests.committee.conftest import TODAY
from tests.committee.test_orders_from_decision import (
    contract,  # noqa: F401 (fixture)
    page_text,
    published_decision,
)

IMPUTATION = {
    "beneficiary_administration": "Ministère de l'Intérieur",
    "beneficiary_service": "DNUM – Bureau des usages",
    "financial_centre": "0216-CDBR-DNUM",
    "functional_domain": "0216-05",
    "activity": "021605020101",
}


@pytest.fixture
def order(db_session, seance, contract):  # noqa: F811
    decision = published_decision(db_session, seance)
    [order] = services.generate_orders(db_session, decision, seance["admin"], TODAY)
    db_session.commit()
    return order


def engaged(db_session, order, seance, make_user):
    services.update_order(db_session, order, seance["admin"], IMPUTATION)
    services.send_order(db_session, order, seance["admin"])
    finance = make_user(Role.FINANCE)
    services.engage_order(db_session, order, finance, "1300012345")
    db_session.commit()
    return finance


def test_the_secretariat_types_the_imputation_of_a_draft_and_it_is_audited(
    client, login_as, db_session, seance, order
):
    login_as(user=seance["admin"])
    form = page_text(client.get(f"/commandes/{order.id}/modifier"))
    assert "Centre financier" in form and "Domaine fonctionnel" in form and "Activité" in form
    response = client.post(f"/commandes/{order.id}/modifier", data=IMPUTATION)
    assert response.status_code == 303
    page = page_text(client.get(f"/commandes/{order.id}"))
    assert "0216-CDBR-DNUM" in page and "021605020101" in page and "DNUM – Bureau" in page
    event = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "order.updated")
    ).one()
    assert event.actor_id == seance["admin"].id
    assert event.details["changes"]["financial_centre"] == ["", "0216-CDBR-DNUM"]


def test_an_order_cannot_be_sent_without_its_imputation(db_session, seance, order):
    with pytest.raises(DomainError, match="imputation budgétaire"):
        services.send_order(db_session, order, seance["admin"])
    db_session.rollback()
    services.update_order(db_session, order, seance["admin"], IMPUTATION)
    assert services.send_order(db_session, order, seance["admin"]).state is OrderState.SENT


def test_a_too_long_imputation_is_refused_next_to_its_field(client, login_as, seance, order):
    login_as(user=seance["admin"])
    data = {**IMPUTATION, "activity": "9" * 41}
    response = client.post(f"/commandes/{order.id}/modifier", data=data)
    assert response.status_code == 422
    page = page_text(response)
    assert "40 caractères au plus" in page
    # What was typed in the other fields is kept in the form.
    assert 'value="0216-CDBR-DNUM"' in page


def test_only_a_draft_is_editable(client, login_as, db_session, seance, order, make_user):
    engaged(db_session, order, seance, make_user)
    with pytest.raises(DomainError, match="Seul un brouillon"):
        services.update_order(db_session, order, seance["admin"], {"activity": "1"})
    db_session.rollback()
    login_as(user=seance["admin"])
    assert "Modifier" not in page_text(client.get(f"/commandes/{order.id}"))
    refused = client.post(f"/commandes/{order.id}/modifier", data={**IMPUTATION, "activity": "2"})
    assert refused.status_code == 303
    assert "Seul un brouillon" in page_text(client.get(refused.location))
    db_session.expire_all()
    assert db_session.get(PurchaseOrder, order.id).activity == IMPUTATION["activity"]


def test_the_dsaf_cannot_edit_a_draft(client, login_as, order):
    login_as(Role.FINANCE)
    assert client.post(f"/commandes/{order.id}/modifier", data=IMPUTATION).status_code == 403


def test_days_declared_done_give_what_is_left_per_line(db_session, seance, order, make_user):
    finance = engaged(db_session, order, seance, make_user)
    devops, _pm = order.lines  # 6 UO = 120 days, 2.5 UO = 50 days
    services.declare_consumption(
        db_session, devops, finance, Decimal("40"), dt.date(2026, 12, 31), ""
    )
    services.declare_consumption(
        db_session, devops, finance, Decimal("12.5"), dt.date(2027, 1, 31), ""
    )
    services.declare_consumption(
        db_session, devops, finance, Decimal("-2.5"), dt.date(2027, 1, 31), "Doublon"
    )
    lines = order_follow_up(db_session, order)
    assert [(f.ordered_days, f.consumed_days, f.remaining_days) for f in lines] == [
        (Decimal("120.00"), Decimal("50.00"), Decimal("70.00")),
        (Decimal("50.00"), Decimal("0"), Decimal("50.00")),
    ]
    assert (
        db_session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "order.consumption_declared")
        )
        == 3
    )


@pytest.mark.parametrize(
    ("days", "comment", "message"),
    [
        (Decimal("121"), "", "plus de jours que commandés"),
        (Decimal("-1"), "Erreur", "ne peut pas devenir négatif"),
        (Decimal("-1"), "", "Motivez la correction"),
        (Decimal("0"), "", "nombre de jours non nul"),
    ],
)
def test_impossible_declarations_are_refused(
    db_session, seance, order, make_user, days, comment, message
):
    finance = engaged(db_session, order, seance, make_user)
    with pytest.raises(DomainError, match=message):
        services.declare_consumption(
            db_session, order.lines[0], finance, days, dt.date(2026, 12, 31), comment
        )


def test_days_are_declared_only_on_an_engaged_order(db_session, seance, order):
    with pytest.raises(DomainError, match="engagé"):
        services.declare_consumption(
            db_session, order.lines[0], seance["admin"], Decimal("5"), TODAY, ""
        )


def test_the_dsaf_declares_days_from_the_order_page(
    client, login_as, db_session, seance, order, make_user
):
    finance = engaged(db_session, order, seance, make_user)
    login_as(user=finance)
    page = page_text(client.get(f"/commandes/{order.id}"))
    assert "Déclarer un service fait" in page and "Reste à faire" in page
    line = order.lines[1]
    response = client.post(
        f"/commandes/{order.id}/service-fait",
        data={"line": str(line.id), "days": "12,5", "period_end": "2027-01-31", "comment": ""},
    )
    assert response.status_code == 303
    page = page_text(client.get(response.location))
    assert "12,5 jours déclarés" in page
    assert "37,5" in page  # 50 days ordered, 12.5 done
    wrong = client.post(
        f"/commandes/{order.id}/service-fait",
        data={"line": str(line.id), "days": "abc", "period_end": "2027-01-31"},
    )
    assert wrong.status_code == 422
    assert "Saisissez un nombre" in page_text(wrong)
    other = client.post(
        f"/commandes/{order.id}/service-fait",
        data={"line": "999999", "days": "1", "period_end": "2027-01-31"},
    )
    assert other.status_code == 422


def test_startup_budget_shows_granted_ordered_consumed_and_left(
    client, login_as, db_session, seance, order, make_user
):
    finance = engaged(db_session, order, seance, make_user)
    services.declare_consumption(
        db_session, order.lines[0], finance, Decimal("20"), dt.date(2026, 12, 31), ""
    )
    db_session.commit()
    startup = order.startup
    follow_up = budget_follow_up(db_session, startup_id=startup.id)
    devops = next(f for f in follow_up if f.code == "DEVOPS-SENIOR")
    assert (devops.granted, devops.ordered, devops.consumed_days) == (
        Decimal("6.00"),
        Decimal("6.00"),
        Decimal("20.00"),
    )
    assert devops.remaining_days == Decimal("100.00")
    assert devops.to_order == Decimal("0.00")
    login_as(user=finance)
    page = page_text(client.get(f"/startups/{startup.slug}/budget"))
    assert "UO accordées" in page and "Reste à faire" in page and "DEVOPS-SENIOR" in page


def test_a_cancelled_order_frees_its_uo(db_session, seance, order):
    services.cancel_order(db_session, order, seance["admin"], "Budget revu")
    db_session.commit()
    [devops] = [
        f
        for f in budget_follow_up(db_session, startup_id=order.startup_id)
        if f.code == "DEVOPS-SENIOR"
    ]
    assert devops.ordered == Decimal("0") and devops.to_order == Decimal("6.00")
