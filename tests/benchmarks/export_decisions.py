"""Benchmark: export the decisions register (N published decisions) as .xlsx and .csv.

    python -m tests.benchmarks.export_decisions --rows 10000 [--rows 100000]
        [--database postgresql://postgres@127.0.0.1:5432/comite_bench]

It builds a fresh database (SQLite in a temporary folder unless --database is given: that
database is emptied), bulk-inserts the decisions, then prints for each size and format the
wall time and the peak of Python memory (tracemalloc, measured in a second run so that it
does not slow the timed one). Figures are printed, never asserted."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

import flask_migrate
import sqlalchemy as sa

from comite import create_app
from comite.auth.models import User
from comite.committee.models import Decision, DecisionBudgetLine
from comite.exports.registers import REGISTERS
from comite.exports.services import write_register
from comite.extensions import db
from comite.startups.models import Incubator, Startup
from comite.startups.workflow import Phase
from tests.databases import fresh_postgres_database

TARGET_SECONDS_10K = 3.0


def _database(url: str | None, folder: Path) -> str:
    if url:
        return fresh_postgres_database(url)
    return f"sqlite:///{folder / 'bench.sqlite3'}"


def _fill(rows: int) -> None:
    """Incubators, startups and published decisions with budget lines, by bulk inserts."""
    random.seed(2026)
    session = db.session
    now = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    admin = User(email="banc@exemple.gouv.fr", given_name="Banc", usual_name="Essai")
    incubators = [Incubator(name=f"Incubateur {i}", slug=f"incubateur-{i}") for i in range(15)]
    startups = [
        Startup(
            name=f"Startup d'État n° {i}",
            slug=f"startup-{i}",
            sponsoring_administration="Ministère de l'Exemple",
            incubator=incubators[i % 15],
            phase=Phase.CONSTRUCTION,
            phase_started_on=dt.date(2020, 1, 1),
        )
        for i in range(max(rows // 20, 1))
    ]
    session.add_all([admin, *incubators, *startups])
    session.flush()
    startup_ids = [startup.id for startup in startups]
    unit_ids = session.scalars(sa.text("SELECT id FROM work_unit_type ORDER BY id")).all()
    decisions, lines = [], []
    for i in range(1, rows + 1):
        published = now - dt.timedelta(hours=i)
        decisions.append(
            {
                "id": i,
                "startup_id": startup_ids[i % len(startup_ids)],
                "state": "published",
                "outcome": random.choice(("continue", "continue", "continue", "stop")),
                "next_phase": "construction",
                "conditions": random.choice(("", "Mesurer l'impact auprès des usagers")),
                "next_review_on": published.date() + dt.timedelta(days=182),
                "record": {},
                "created_at": published,
                "created_by_id": admin.id,
                "published_at": published,
                "published_by_id": admin.id,
            }
        )
        for position in (1, 2):
            lines.append(
                {
                    "decision_id": i,
                    "position": position,
                    "work_unit_type_id": random.choice(unit_ids),
                    "quantity": Decimal(random.randint(25, 600)) / 100,
                    "period_start": published.date(),
                    "period_end": published.date() + dt.timedelta(days=181),
                }
            )
    session.execute(sa.insert(Decision), decisions)
    session.execute(sa.insert(DecisionBudgetLine), lines)
    session.commit()


def _export(file_format: str) -> int:
    target = io.BytesIO()
    count = write_register(db.session, REGISTERS["decisions"], {}, file_format, target)
    db.session.rollback()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--database", help="a PostgreSQL URL (emptied); SQLite by default")
    arguments = parser.parse_args()
    sizes = arguments.rows or [10_000]
    print(f"{'lignes':>8} {'format':>6} {'temps (s)':>10} {'mémoire max (Mo)':>17}  cible")
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            (Path(folder) / str(size)).mkdir()
            url = _database(arguments.database, Path(folder) / str(size))
            app = create_app({"COMITE_ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url})
            with app.app_context():
                flask_migrate.upgrade()
                _fill(size)
                for file_format in ("xlsx", "csv"):
                    started = time.perf_counter()
                    count = _export(file_format)
                    seconds = time.perf_counter() - started
                    tracemalloc.start()
                    _export(file_format)
                    peak = tracemalloc.get_traced_memory()[1] / 1e6
                    tracemalloc.stop()
                    target = ""
                    if file_format == "xlsx" and size == 10_000:
                        verdict = "atteinte" if seconds <= TARGET_SECONDS_10K else "manquée"
                        target = f"≤ {TARGET_SECONDS_10K:.0f} s : {verdict}"
                    print(f"{count:>8} {file_format:>6} {seconds:>10.2f} {peak:>17.1f}  {target}")
                db.engine.dispose()


if __name__ == "__main__":
    main()
