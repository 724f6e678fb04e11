"""A period chosen as days in Paris (start and end days included), as conditions on a
timestamp column: a search by day finds what happened that day for the people who chose it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa

PARIS = ZoneInfo("Europe/Paris")


def within_paris_days(
    column, start: dt.date | None, end: dt.date | None
) -> list[sa.ColumnElement[bool]]:
    conditions = []
    if start:
        conditions.append(column >= dt.datetime.combine(start, dt.time(), PARIS))
    if end:
        conditions.append(
            column < dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), PARIS)
        )
    return conditions
