"""A published decision with a budget becomes draft purchase orders priced from the catalogue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from comite.auth.roles import Role
from comite.committee import services as committee
from comite.committee.workflow import Choice
from comite.core.audit import AuditEvent
from comite.core.errors import DomainError
from comite.orders import services
from comite.orders.models import FrameworkContract, PurchaseOrder, WorkUnitType
from comite.orders.rules import order_totals
from tests.committee.conftest import TODAY


def unit(db_session, code):
    return db_session.scalars(sa.select(WorkUnitType).filter_by(code=code)).one()


def priced_contract(db_session, admin, prices: dict[str, str]) -> FrameworkContract:
    """A framework contract in force from 2026, with a price (HT) per UO code from then."""
    contract = FrameworkContract(
        reference="AC-2026-01",
        title="Accord-cadre",
        holder_name="Titulaire",
        holder_siret="12345678900015",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2029, 12, 31),
        vat_rate=Decimal("0.20"),
    )
    db_session.add(contract)
    db_session.flush()
    for code, price in prices.items():
        services.set_price(
            db_session, contract, unit(db_session, code), Decimal(price), dt.date(2026, 1, 1), admin
        )
    return contract


@pytest.fixture
def contract(db_session, seance):
    contract = priced_contract(
        db_session, seance["admin"], {"DEVOPS-SENIOR": "13500.00", "PM": "12000.00"}
    )
    db_session.commit()
    return contract


def published_decision(db_session, seance):
    committee.advance_meeting(db_session, seance["meeting"], "start", seance["admin"])
    committee.open_item(db_session, seance["item"], seance["admin"])
    for member in seance["members"][:2]:
        committee.cast_vote(db_session, seance["item"], member, member, Choice.CONTINUE)
    decision = committee.close_item(db_session, seance["item"], seance["admin"], TODAY)
    committee.publish_decision(db_session, decision, seance["admin"], TODAY)
    db_session.commit()
    return decision


def test_a_published_budget_becomes_a_priced_draft_order(db_session, seance, contract):
    decision = published_decision(db_session, seance)
    [order] = services.generate_orders(db_session, decision, seance["admin"], TODAY)
    assert order.number == "BC-2026-0001"
    assert order.contract is contract
    assert [(li.work_unit_code, li.quantity, li.unit_price_ht) for li in order.lines] == [
        ("DEVOPS-SENIOR", Decimal("6.00"), Decimal("13500.00")),
        ("PM", Decimal("2.50"), Decimal("12000.00")),
    ]
    totals = order_totals([(li.quantity, li.unit_price_ht) for li in order.lines], order.vat_rate)
    assert totals == (Decimal("111000.00"), Decimal("22200.00"), Decimal("133200.00"))


def test_a_later_price_change_never_alters_a_drafted_order(db_session, seance, contract):
    decision = published_decision(db_session, seance)
    [order] = services.generate_orders(db_session, decision, seance["admin"], TODAY)
    services.set_price(
        db_session,
        contract,
        unit(db_session, "PM"),
        Decimal("15000.00"),
        dt.date(2027, 1, 1),
        seance["admin"],
    )
    db_session.commit()
    db_session.expire_all()
    assert db_session.get(PurchaseOrder, order.id).lines[1].unit_price_ht == Decimal("12000.00")


def test_orders_are_generated_once_and_only_from_published_decisions(db_session, seance, contract):
    decision = published_decision(db_session, seance)
    services.generate_orders(db_session, decision, seance["admin"], TODAY)
    with pytest.raises(DomainError, match="existent déjà"):
        services.generate_orders(db_session, decision, seance["admin"], TODAY)
    correction = committee.supersede_decision(db_session, decision, seance["admin"])
    with pytest.raises(DomainError, match="Seule une décision publiée"):
        services.generate_orders(db_session, correction, seance["admin"], TODAY)


def test_numbers_follow_each_other_without_gaps(db_session, seance, contract):
    decision = published_decision(db_session, seance)
    first = services.generate_orders(db_session, decision, seance["admin"], TODAY)
    correction = committee.supersede_decision(db_session, decision, seance["admin"])
    committee.publish_decision(db_session, correction, seance["admin"], TODAY)
    second = services.generate_orders(db_session, correction, seance["admin"], TODAY)
    assert [o.number for o in first + second] == ["BC-2026-0001", "BC-2026-0002"]


def test_a_budget_without_a_contract_price_is_refused_in_french(db_session, seance):
    decision = published_decision(db_session, seance)
    with pytest.raises(DomainError, match="Aucun accord-cadre en vigueur"):
        services.generate_orders(db_session, decision, seance["admin"], TODAY)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PurchaseOrder)) == 0


def page_text(response) -> str:
    import html

    return html.unescape(response.get_data(as_text=True))


def test_the_secretariat_generates_the_order_and_the_dsaf_reads_it(
    client, login_as, db_session, seance, contract
):
    decision = published_decision(db_session, seance)
    login_as(user=seance["admin"])
    assert "Générer les projets de bons de commande" in page_text(
        client.get(f"/decisions/{decision.id}")
    )
    response = client.post(f"/decisions/{decision.id}/commandes")
    assert response.status_code == 303
    page = page_text(client.get(response.location))
    assert "Projet de bon de commande BC-2026-0001" in page
    assert "13\u202f500,00\xa0€" in page and "81\u202f000,00\xa0€" in page
    assert "Total TTC" in page and "133\u202f200,00\xa0€" in page
    order_url = response.location
    client.post("/deconnexion")
    login_as(Role.FINANCE)
    assert client.get(order_url).status_code == 200
    client.post("/deconnexion")
    login_as(user=seance["members"][0])
    assert client.get(order_url).status_code == 403
    assert client.post(f"/decisions/{decision.id}/commandes").status_code == 403


def test_generation_without_catalogue_prices_says_what_to_do(client, login_as, db_session, seance):
    decision = published_decision(db_session, seance)
    login_as(user=seance["admin"])
    response = client.post(f"/decisions/{decision.id}/commandes")
    assert response.status_code == 303
    assert "complétez le catalogue" in page_text(client.get(response.location))


def test_an_order_goes_to_the_dsaf_and_is_engaged_with_its_ej(
    client, login_as, db_session, seance, contract
):
    decision = published_decision(db_session, seance)
    [order] = services.generate_orders(db_session, decision, seance["admin"], TODAY)
    db_session.commit()
    url = f"/commandes/{order.id}"
    finance = login_as(Role.FINANCE)
    # Not sent yet: the DSAF cannot engage it.
    refused = client.post(f"{url}/engagement", data={"legal_commitment": "1300012345"})
    assert "Seul un bon de commande transmis" in page_text(client.get(refused.location))
    client.post("/deconnexion")
    login_as(user=seance["admin"])
    unfinished = client.post(f"{url}/transmission")
    assert "Renseignez l'imputation budgétaire" in page_text(client.get(unfinished.location))
    client.post(
        f"{url}/modifier",
        data={
            "financial_centre": "0216-CDBR-DNUM",
            "functional_domain": "0216-05",
            "activity": "1",
        },
    )
    assert client.post(f"{url}/transmission").status_code == 303
    # Only the DSAF records the legal commitment.
    assert (
        client.post(f"{url}/engagement", data={"legal_commitment": "1300012345"}).status_code == 403
    )
    client.post("/deconnexion")
    login_as(user=finance)
    bad = client.post(f"{url}/engagement", data={"legal_commitment": "12AB"})
    assert bad.status_code == 422  # the number stays in its field, the reason beside it
    assert "compte 10 chiffres" in page_text(bad) and 'value="12AB"' in bad.text
    client.post(f"{url}/engagement", data={"legal_commitment": "1300012345"})
    page = page_text(client.get(url))
    assert "Engagé" in page and "1300012345" in page
    # An engaged order is never cancelled.
    late = client.post(f"{url}/annulation", data={"reason": "Erreur"})
    assert "il ne s'annule plus" in page_text(client.get(late.location))
    actions = db_session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.action.like("order.%"))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["order.drafted", "order.updated", "order.sent", "order.committed"]


def test_a_draft_order_is_cancelled_with_a_reason(client, login_as, db_session, seance, contract):
    decision = published_decision(db_session, seance)
    [order] = services.generate_orders(db_session, decision, seance["admin"], TODAY)
    db_session.commit()
    login_as(user=seance["admin"])
    empty = client.post(f"/commandes/{order.id}/annulation", data={"reason": " "})
    assert "Indiquez le motif" in page_text(client.get(empty.location))
    client.post(f"/commandes/{order.id}/annulation", data={"reason": "Budget revu"})
    assert "Annulé le" in page_text(client.get(f"/commandes/{order.id}"))
