"""French formatting, through Babel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from comite.core.formatting import date_fr, datetime_fr, money, number

NNBSP = "\u202f"  # the narrow no-break space French uses between thousands
NBSP = "\xa0"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1234.56"), f"1{NNBSP}234,56{NBSP}€"),
        (Decimal("0.5"), f"0,50{NBSP}€"),
        (Decimal("1000000"), f"1{NNBSP}000{NNBSP}000,00{NBSP}€"),
    ],
)
def test_money_is_written_the_french_way(amount, shown):
    assert money(amount) == shown


def test_numbers_use_a_decimal_comma():
    assert number(Decimal("12.50")) == "12,5"
    assert number(Decimal("1234")) == f"1{NNBSP}234"


def test_dates_are_written_in_french():
    assert date_fr(dt.date(2026, 2, 1)) == "1 février 2026"


@pytest.mark.parametrize(
    ("utc_time", "paris_time"),
    [
        (dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.UTC), "15 janvier 2026 à 10:30"),
        (dt.datetime(2026, 7, 15, 9, 30, tzinfo=dt.UTC), "15 juillet 2026 à 11:30"),
    ],
)
def test_times_are_shown_in_paris_time(utc_time, paris_time):
    assert datetime_fr(utc_time) == paris_time


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        datetime_fr(dt.datetime(2026, 1, 1, 12, 0))
