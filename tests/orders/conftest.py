"""Factories of the catalogue tests: a framework contract, a UO type of the seeded catalogue."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
import sqlalchemy as sa

from comite.orders.models import FrameworkContract, WorkUnitType

_numbers = itertools.count(1)
VALID_SIRET = "12345678900015"


@pytest.fixture
def make_contract(db_session):
    def make(reference: str | None = None, **values) -> FrameworkContract:
        contract = FrameworkContract(
            reference=reference or f"AC-TEST-{next(_numbers)}",
            title=values.pop("title", "Accord-cadre de test"),
            holder_name=values.pop("holder_name", "Titulaire de test"),
            holder_siret=values.pop("holder_siret", VALID_SIRET),
            starts_on=values.pop("starts_on", dt.date(2026, 1, 1)),
            ends_on=values.pop("ends_on", dt.date(2029, 12, 31)),
            vat_rate=values.pop("vat_rate", Decimal("0.20")),
        )
        db_session.add(contract)
        db_session.commit()
        return contract

    return make


@pytest.fixture
def work_unit(db_session):
    """A UO type of the catalogue the migrations seed, by its code."""

    def get(code: str) -> WorkUnitType:
        return db_session.scalars(sa.select(WorkUnitType).filter_by(code=code)).one()

    return get
