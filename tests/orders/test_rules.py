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


@pytest.mark.parametrize(
    ("lines", "vat_rate", "totals"),
    [
        # 2.5 UO × 13 500,00 = 33 750,00 ; 6 × 12 000,00 = 72 000,00
        ([("2.5", "13500.00"), ("6", "12000.00")], "0.20", ("105750.00", "21150.00", "126900.00")),
        # each line is rounded half-up on its own: 0.33 × 10.05 = 3.3165 → 3.32
        ([("0.33", "10.05"), ("0.33", "10.05")], "0.20", ("6.64", "1.33", "7.97")),
        ([("1", "0.05")], "0.055", ("0.05", "0.00", "0.05")),
    ],
)
def test_order_totals_round_each_line_then_the_vat(lines, vat_rate, totals):
    from comite.orders.rules import order_totals

    result = order_totals([(Decimal(q), Decimal(p)) for q, p in lines], Decimal(vat_rate))
    assert result == tuple(Decimal(t) for t in totals)


def test_order_numbers_are_yearly_and_padded():
    from comite.orders.rules import order_number

    assert order_number(2026, 7) == "BC-2026-0007"
