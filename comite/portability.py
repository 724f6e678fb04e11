"""Reversibility: every table of Comité written as JSON files, and read back into an empty
database of either engine (`flask --app comite export-data DIR` / `import-data DIR`).

The format (format_version 1), in DIR:
- `manifest.json`: {"format": "comite-export", "format_version": 1, "schema_revision": the
  Alembic revision of the base, "exported_at": ISO 8601 in UTC, "tables": [{"name", "file",
  "rows", "columns": [{"name", "type"}]}]}, tables in the order of their dependencies
  (a table comes after those it refers to): the order in which to load them.
- `<table>.json`: {"table": name, "columns": [names], "rows": [[values], …]}, rows in
  primary-key order, one per line. Values by column type: integer, decimal (a string:
  "12000.00", never a float), text, boolean, date ("2026-11-24"), datetime (ISO 8601 with its
  UTC offset, "2026-11-24T09:30:00+00:00"), json (as stored), binary (base64); null is null.

Only Comité's own tables are written: not the background jobs' queue (huey_*), which holds
nothing that lasts, nor Alembic's revision, which the manifest carries."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.migration import MigrationContext
from sqlalchemy.orm import Session

from comite.core.models import Base, utcnow

FORMAT = "comite-export"
FORMAT_VERSION = 1
BATCH = 1000
# Tables the migrations fill (the UO catalogue): replaced by the export's rows on import.
SEEDED_BY_MIGRATIONS = frozenset({"work_unit_type"})


class ImportRefused(Exception):
    """The folder or the database does not allow the import; the message is French."""


def _kind(column: sa.Column) -> str:
    column_type = column.type
    if isinstance(column_type, sa.TypeDecorator):
        column_type = column_type.impl_instance
    for kind, types in (
        ("boolean", sa.Boolean),
        ("integer", sa.Integer),
        ("decimal", sa.Numeric),
        ("datetime", sa.DateTime),
        ("date", sa.Date),
        ("json", sa.JSON),
        ("binary", sa.LargeBinary),
    ):
        if isinstance(column_type, types):
            return kind
    return "text"


def _encode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "decimal":
        return str(value)
    if kind in ("datetime", "date"):
        return value.isoformat()
    if kind == "binary":
        return base64.b64encode(value).decode("ascii")
    if kind == "text" and hasattr(value, "value"):  # an enum stored by its value
        return value.value
    return value


def _decode(kind: str, column: sa.Column, value: Any) -> Any:
    if value is None:
        return None
    if kind == "decimal":
        return Decimal(value)
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "binary":
        return base64.b64decode(value)
    enum_class = getattr(column.type, "enum_class", None)
    if kind == "text" and enum_class is not None:
        return enum_class(value)
    return value


def schema_revision(session: Session) -> str | None:
    return MigrationContext.configure(session.connection()).get_current_revision()


def _tables() -> list[sa.Table]:
    return list(Base.metadata.sorted_tables)


def _rows(session: Session, table: sa.Table) -> Iterator[sa.Row]:
    """Every row in primary-key order, fetched BATCH at a time."""
    query = sa.select(table).order_by(*table.primary_key.columns)
    return iter(session.execute(query.execution_options(yield_per=BATCH)))


def export_data(session: Session, folder: Path) -> dict[str, int]:
    """Write every table into an empty (or new) folder; returns the rows per table."""
    if folder.exists() and any(folder.iterdir()):
        raise ImportRefused(f"Le dossier {folder} n'est pas vide : choisissez un dossier neuf.")
    folder.mkdir(parents=True, exist_ok=True)
    entries, counts = [], {}
    for table in _tables():
        kinds = [(column.name, _kind(column)) for column in table.columns]
        count = 0
        with (folder / f"{table.name}.json").open("w", encoding="utf-8", newline="\n") as out:
            out.write(f'{{"table": {json.dumps(table.name)},\n')
            out.write(f' "columns": {json.dumps([name for name, _ in kinds])},\n "rows": [')
            for row in _rows(session, table):
                values = [_encode(kind, value) for (_, kind), value in zip(kinds, row, strict=True)]
                out.write(
                    ("\n  " if count == 0 else ",\n  ") + json.dumps(values, ensure_ascii=False)
                )
                count += 1
            out.write("\n ]}\n")
        counts[table.name] = count
        entries.append(
            {
                "name": table.name,
                "file": f"{table.name}.json",
                "rows": count,
                "columns": [{"name": name, "type": kind} for name, kind in kinds],
            }
        )
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": schema_revision(session),
        "exported_at": utcnow().isoformat(),
        "tables": entries,
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return counts


def _manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    if not path.is_file():
        raise ImportRefused(f"{path} est introuvable : ce dossier ne vient pas d'export-data.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ImportRefused(f"{path} n'est pas un export de Comité au format {FORMAT_VERSION}.")
    return manifest


def _check_empty(session: Session) -> None:
    in_use = [
        table.name
        for table in _tables()
        if table.name not in SEEDED_BY_MIGRATIONS
        and session.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first()
    ]
    if in_use:
        raise ImportRefused(
            "La base n'est pas vide (tables " + ", ".join(in_use) + ") : l'import se fait "
            "dans une base neuve, migrée (flask --app comite db upgrade)."
        )


def import_data(session: Session, folder: Path) -> dict[str, int]:
    """Load an export into an empty database at the same schema revision; the caller
    commits. Returns the rows per table."""
    manifest = _manifest(folder)
    revision = schema_revision(session)
    if manifest["schema_revision"] != revision:
        raise ImportRefused(
            f"L'export est à la révision {manifest['schema_revision']} du schéma, la base à la "
            f"révision {revision} : migrez l'une ou l'autre pour qu'elles se rejoignent."
        )
    _check_empty(session)
    tables = {table.name: table for table in _tables()}
    for name in SEEDED_BY_MIGRATIONS:
        session.execute(tables[name].delete())
    counts = {}
    for entry in manifest["tables"]:
        table = tables.get(entry["name"])
        if table is None:
            raise ImportRefused(f"La table {entry['name']} de l'export n'existe pas dans Comité.")
        content = json.loads((folder / entry["file"]).read_text(encoding="utf-8"))
        columns = [table.columns[name] for name in content["columns"]]
        kinds = [_kind(column) for column in columns]
        rows = [
            {
                column.name: _decode(kind, column, value)
                for column, kind, value in zip(columns, kinds, values, strict=True)
            }
            for values in content["rows"]
        ]
        for start in range(0, len(rows), BATCH):
            session.execute(table.insert(), rows[start : start + BATCH])
        counts[table.name] = len(rows)
    _follow_sequences(session, tables.values())
    return counts


def _follow_sequences(session: Session, tables) -> None:
    """On PostgreSQL, each id sequence starts after the restored ids (SQLite needs nothing)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, sa.Integer) or not key[0].autoincrement:
            continue
        quoted = session.get_bind().dialect.identifier_preparer.quote(table.name)
        last = sa.func.max(key[0])
        session.execute(
            sa.select(
                sa.func.setval(
                    sa.func.pg_get_serial_sequence(quoted, key[0].name),
                    sa.func.coalesce(last, 1),
                    last.is_not(None),
                )
            ).select_from(table)
        )
