"""Pure rules of the catalogue: money rounding, prices in force, SIRET numbers, periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol, TypeVar

CENT = Decimal("0.01")
# La Poste's establishments share one SIREN and do not follow the Luhn key (INSEE rule).
LA_POSTE_SIREN = "356000000"


def money(value: Decimal) -> Decimal:
    """Every amount is rounded to the cent, half up (0,005 € becomes 0,01 €)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def price_ttc(price_ht: Decimal, vat_rate: Decimal) -> Decimal:
    """TTC is HT plus the contract's VAT, rounded to the cent."""
    return money(price_ht * (1 + vat_rate))


def luhn_is_valid(digits: str) -> bool:
    """The Luhn key: doubling every second digit from the right, the sum ends with 0."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def siret_is_valid(siret: str) -> bool:
    """A SIRET is 14 digits whose Luhn key holds (or, for La Poste, whose digits sum to a
    multiple of 5)."""
    if len(siret) != 14 or not siret.isascii() or not siret.isdigit():
        return False
    if luhn_is_valid(siret):
        return True
    return siret.startswith(LA_POSTE_SIREN) and sum(int(char) for char in siret) % 5 == 0


def periods_overlap(
    start_a: dt.date, end_a: dt.date | None, start_b: dt.date, end_b: dt.date | None
) -> bool:
    """Two periods of whole days (ends included, None for open-ended) share at least a day."""
    return (end_b is None or start_a <= end_b) and (end_a is None or start_b <= end_a)


class Dated(Protocol):
    valid_from: dt.date
    valid_until: dt.date | None


P = TypeVar("P", bound=Dated)


def price_on(prices: Iterable[P], day: dt.date) -> P | None:
    """The price in force on a day: valid from that day or before, and not closed before it."""
    for price in prices:
        if price.valid_from <= day and (price.valid_until is None or day <= price.valid_until):
            return price
    return None


DAYS_PER_UO = 20


def line_total(quantity: Decimal, unit_price_ht: Decimal) -> Decimal:
    """A line's total HT, rounded half-up to the cent on its own."""
    return money(quantity * unit_price_ht)


def order_totals(
    lines: Iterable[tuple[Decimal, Decimal]], vat_rate: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """HT = the sum of the rounded lines; VAT on the HT total, rounded; TTC = HT + VAT."""
    total_ht = sum((line_total(quantity, price) for quantity, price in lines), Decimal("0.00"))
    vat = money(total_ht * vat_rate)
    return total_ht, vat, total_ht + vat


def order_number(year: int, sequence: int) -> str:
    """BC-2026-0007: the year and a gap-free sequence within it."""
    return f"BC-{year}-{sequence:04d}"
