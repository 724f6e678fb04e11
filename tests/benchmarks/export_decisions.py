"""Benchmark: export the decisions register (N published decisions) as .xlsx and .csv,
beside the same rows through the csv module (the floor) and XlsxWriter (the fastest writer).

    python -m tests.benchmarks.export_decisions --rows 10000 [--rows 100000]
        [--database postgresql://postgres@127.0.0.1:5432/comite_bench]

It builds a fresh database (SQLite in a temporary folder unless --database is given: that
database is emptied), bulk-inserts the decisions, then prints for each size and format the
wall time and the peak of Python memory (tracemalloc, measured in a second run so that it
does not slow the timed one). Every writer writes to a temporary file, so that the memory
is the writer's own, not the file's. Figures are printed, never asserted."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
import xlsxwriter

from comite import create_app
from comite.auth.models import User
from comite.committee.models import Decision, DecisionBudgetLine
from comite.exports.registers import REGISTERS
from comite.exports.services import write_register
from comite.exports.spreadsheet import NUMBER_FORMATS, PARIS
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
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("ANALYZE"))  # fresh statistics, as autovacuum would give
        session.commit()


def _comite(file_format: str) -> Callable[[], int]:
    def export() -> int:
        with tempfile.TemporaryFile() as target:
            return write_register(db.session, REGISTERS["decisions"], {}, file_format, target)

    return export


def _csv_floor() -> int:
    """The same rows through the bare csv module: the floor of any export."""
    with tempfile.TemporaryFile("w", newline="") as text:
        writer = csv.writer(text, delimiter=";")
        count = 0
        for row in REGISTERS["decisions"].rows(db.session, {}):
            writer.writerow(row)
            count += 1
    return count


def _xlsxwriter() -> int:
    """The same rows and formats with XlsxWriter in constant_memory mode (the fastest
    Python writer), for comparison only: Comité writes with openpyxl."""
    register = REGISTERS["decisions"]
    with tempfile.TemporaryFile() as target:
        workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
        sheet = workbook.add_worksheet("Registre")
        formats = [
            workbook.add_format({"num_format": NUMBER_FORMATS[c.kind]}) for c in register.columns
        ]
        bold = workbook.add_format({"bold": True})
        sheet.write_row(4, 0, [column.header for column in register.columns], bold)
        count = 0
        for count, row in enumerate(register.rows(db.session, {}), start=1):
            for column, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    value = value.astimezone(PARIS).replace(tzinfo=None)
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(4 + count, column, value, formats[column])
                elif isinstance(value, Decimal):
                    sheet.write_number(4 + count, column, float(value), formats[column])
                else:
                    sheet.write(4 + count, column, value, formats[column])
        workbook.close()
    return count


def _measure(export: Callable[[], int]) -> tuple[int, float, float]:
    """Rows, seconds (untraced run), peak Python memory in MB (a second, traced run)."""
    started = time.perf_counter()
    count = export()
    seconds = time.perf_counter() - started
    db.session.rollback()
    tracemalloc.start()
    export()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    db.session.rollback()
    return count, seconds, peak


WRITERS = {
    "Comité .xlsx (openpyxl write_only)": _comite("xlsx"),
    "Comité .csv": _comite("csv"),
    "module csv (plancher)": _csv_floor,
    "XlsxWriter constant_memory": _xlsxwriter,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--database", help="a PostgreSQL URL (emptied); SQLite by default")
    arguments = parser.parse_args()
    sizes = arguments.rows or [10_000]
    results: dict[tuple[int, str], tuple[int, float, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            (Path(folder) / str(size)).mkdir()
            url = _database(arguments.database, Path(folder) / str(size))
            app = create_app({"COMITE_ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url})
            with app.app_context():
                flask_migrate.upgrade()
                _fill(size)
                for name, export in WRITERS.items():
                    results[(size, name)] = _measure(export)
                db.engine.dispose()
    _print(sizes, results)


def _print(sizes: list[int], results) -> None:
    engine = "PostgreSQL" if "--database" in sys.argv else "SQLite"
    print(f"\nRegistre des décisions, {engine}, {os.cpu_count()} cœurs")
    print(f"{'lignes':>8}  {'écriture':<36} {'temps (s)':>9} {'mémoire (Mo)':>12}  rapport")
    for size in sizes:
        xlsxwriter_seconds = results[(size, "XlsxWriter constant_memory")][1]
        floor_seconds = results[(size, "module csv (plancher)")][1]
        for name in WRITERS:
            count, seconds, peak = results[(size, name)]
            ratio = f"× {seconds / floor_seconds:.1f} du plancher csv"
            if name.startswith("Comité .xlsx"):
                ratio += f", × {seconds / xlsxwriter_seconds:.2f} de XlsxWriter"
            print(f"{count:>8}  {name:<36} {seconds:>9.2f} {peak:>12.1f}  {ratio}")
    ours = [results[(size, "Comité .xlsx (openpyxl write_only)")] for size in sizes]
    print("\nCibles (affichées, jamais vérifiées par un test) :")
    for size, (_, seconds, _) in zip(sizes, ours, strict=True):
        if size == 10_000:
            print(
                f"  {_mark(seconds <= TARGET_SECONDS_10K)} 10 000 lignes en ≤ 3 s : {seconds:.2f} s"
            )
        ratio = seconds / results[(size, "XlsxWriter constant_memory")][1]
        print(f"  {_mark(ratio <= 1.5)} {size} lignes : ≤ 1,5 × XlsxWriter : × {ratio:.2f}")
    if len(sizes) > 1:
        growth = ours[-1][2] / ours[0][2] - 1
        print(
            f"  {_mark(growth <= 0.10)} mémoire plate ({sizes[0]} → {sizes[-1]} lignes, "
            f"≤ +10 %) : {growth:+.0%}"
        )


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


if __name__ == "__main__":
    main()
