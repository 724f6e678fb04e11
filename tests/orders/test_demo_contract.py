"""The demo carries one example framework contract, priced for every UO type, once."""

from __future__ import annotations

import sqlalchemy as sa

from comite.orders.models import FrameworkContract, UnitPrice
from comite.orders.rules import siret_is_valid


def test_seed_demo_adds_one_example_contract_with_a_price_per_uo_type_once(app, db_session):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    contract = db_session.scalars(sa.select(FrameworkContract)).one()
    assert contract.title.startswith("Accord-cadre de réalisation de services numériques – exemple")
    assert "exemple" in contract.title.removeprefix("Accord-cadre")
    assert contract.holder_name == "Titulaire exemple"
    assert siret_is_valid(contract.holder_siret)
    prices = db_session.scalars(sa.select(UnitPrice)).all()
    assert len(prices) == 9
    assert {price.work_unit_type.code for price in prices} >= {"DEVOPS-SENIOR", "PM"}
