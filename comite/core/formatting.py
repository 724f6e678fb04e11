"""French formatting of dates, numbers and money, always through Babel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from flask import Flask

# Parsed once: Babel would parse a locale name again on every value formatted.
LOCALE = Locale.parse("fr_FR")
DISPLAY_TIMEZONE = "Europe/Paris"


def today_in_paris() -> dt.date:
    """The calendar day it is for the people using Comité."""
    return dt.datetime.now(ZoneInfo(DISPLAY_TIMEZONE)).date()


def date_fr(value: dt.date | None, format: str = "long") -> str:
    """24 novembre 2026."""
    if value is None:
        return ""
    return format_date(value, format=format, locale=LOCALE)


def datetime_fr(value: dt.datetime | None, format: str = "d MMMM y 'à' HH:mm") -> str:
    """24 novembre 2026 à 17:18, in Paris time."""
    if value is None:
        return ""
    if value.tzinfo is None:
        raise ValueError("Comité only shows timezone-aware datetimes.")
    return format_datetime(value, format=format, tzinfo=DISPLAY_TIMEZONE, locale=LOCALE)


def money(value: Decimal | None) -> str:
    """1 234,56 €."""
    if value is None:
        return ""
    return format_currency(value, "EUR", locale=LOCALE)


def number(value: Decimal | int | None, decimals: int = 2) -> str:
    """1 234,5 (no trailing zeros beyond what the value needs, at most `decimals`)."""
    if value is None:
        return ""
    pattern = "#,##0." + "#" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALE)


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        date_fr=date_fr, datetime_fr=datetime_fr, money=money, number=number
    )
