"""The catalogue's pure rules: rounding, prices in force, SIRET numbers, periods."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from comite.orders.rules import money, periods_overlap, price_on, price_ttc, siret_is_valid

D = dt.date


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("10", "10.00"),
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("2.675", "2.68"),
        ("1234.565", "1234.57"),
        ("-0.005", "-0.01"),
    ],
)
def test_money_rounds_half_up_to_the_cent(value, rounded):
    assert money(Decimal(value)) == Decimal(rounded)
    assert str(money(Decimal(value))) == rounded


@pytest.mark.parametrize(
    ("ht", "rate", "ttc"),
    [
        ("12500.00", "0.20", "15000.00"),
        ("10.01", "0.20", "12.01"),
        ("10.03", "0.20", "12.04"),
        ("100.00", "0.055", "105.50"),
        ("0.99", "0.0", "0.99"),
    ],
)
def test_price_ttc_adds_the_vat_and_rounds_to_the_cent(ht, rate, ttc):
    assert price_ttc(Decimal(ht), Decimal(rate)) == Decimal(ttc)


@pytest.mark.parametrize(
    ("siret", "valid"),
    [
        ("73282932000074", True),
        ("12345678900015", True),
        ("12345678900016", False),
        ("35600000000048", True),  # La Poste's head office: the Luhn key holds
        ("35600000049837", True),  # another La Poste site: digits sum to a multiple of 5
        ("35600000049838", False),
        ("1234567890001", False),
        ("123456789000150", False),
        ("1234567890001A", False),
        ("", False),
        ("١٢٣٤٥٦٧٨٩٠٠٠١٥", False),  # Arabic-Indic digits are digits, not a SIRET
    ],
)
def test_siret_is_fourteen_digits_with_a_luhn_key(siret, valid):
    assert siret_is_valid(siret) is valid


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 2, 1), D(2026, 2, 28)), False),
        ((D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 1, 31), D(2026, 2, 28)), True),
        ((D(2026, 1, 1), None), (D(2027, 1, 1), None), True),
        ((D(2026, 1, 1), D(2026, 12, 31)), (D(2027, 1, 1), None), False),
        ((D(2027, 1, 1), None), (D(2026, 1, 1), D(2026, 12, 31)), False),
        ((D(2026, 3, 1), D(2026, 3, 1)), (D(2026, 1, 1), None), True),
        ((D(2026, 1, 1), D(2026, 12, 31)), (D(2026, 6, 1), D(2026, 6, 30)), True),
    ],
)
def test_two_periods_overlap_when_they_share_a_day(a, b, overlap):
    assert periods_overlap(*a, *b) is overlap
    assert periods_overlap(*b, *a) is overlap


@dataclass
class Price:
    price_ht: Decimal
    valid_from: dt.date
    valid_until: dt.date | None = None


PRICES = [
    Price(Decimal("100"), D(2026, 1, 1), D(2026, 6, 30)),
    Price(Decimal("110"), D(2026, 7, 1)),
]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 12, 31), None),
        (D(2026, 1, 1), Decimal("100")),
        (D(2026, 6, 30), Decimal("100")),
        (D(2026, 7, 1), Decimal("110")),
        (D(2030, 1, 1), Decimal("110")),
    ],
)
def test_price_on_gives_the_price_in_force_that_day(day, expected):
    price = price_on(PRICES, day)
    assert (price.price_ht if price else None) == expected


def test_no_price_is_in_force_without_prices():
    assert price_on([], D(2026, 1, 1)) is None
