"""Reversibility: `flask --app comite export-data DIR` writes every table as JSON, and
`import-data DIR` restores it into an empty database, on either engine (SQLite ↔ PostgreSQL
included). A round trip on a generated dataset gives back every row, every value."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from comite.auth.models import User
from comite.core.audit import AuditEvent
from comite.core.models import Base
from comite.dataset import generate
from comite.dossiers.models import Attachment, Dossier
from comite.extensions import db
from tests.conftest import make_test_app
from tests.databases import database_url

# The revision of a database the migrations brought up to date.
HEAD = ScriptDirectory(str(Path(__file__).parents[1] / "migrations")).get_current_head()

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n\x00\xff"


def _app(engine: str, folder, name: str):
    app = make_test_app(database_url(engine, folder, name))
    with app.app_context():
        flask_migrate.upgrade()
    return app


def _source(engine: str, folder):
    """A generated decade (small), plus what generation leaves out: a binary attachment,
    accented and odd text, an audit event with details."""
    app = _app(engine, folder, "comite_test_portability_source")
    with app.app_context():
        generate(db.session, scale=0.02, seed=7)
        dossier = db.session.scalars(sa.select(Dossier).order_by(Dossier.id)).first()
        author = db.session.scalars(sa.select(User).order_by(User.id)).first()
        db.session.add(
            Attachment(
                dossier=dossier,
                filename="bilan « été » 2026.pdf",
                content_type="application/pdf",
                size=len(PDF),
                sha256="0" * 64,
                data=PDF,
                uploaded_by=author,
            )
        )
        db.session.add(
            AuditEvent(
                actor=author,
                action="test.portability",
                object_type="Dossier",
                object_id=str(dossier.id),
                details={"texte": "l'œuvre ; « guillemets » \n🏛️", "nombre": 3},
            )
        )
        db.session.commit()
    return app


def _rows(app) -> dict[str, list[tuple]]:
    with app.app_context():
        return {
            table.name: [
                tuple(row)
                for row in db.session.execute(sa.select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


def _run(app, *args: str):
    result = app.test_cli_runner().invoke(args=list(args))
    return result


@pytest.mark.parametrize(
    ("source_engine", "target_engine"),
    [("sqlite", "sqlite"), ("postgresql", "postgresql"), ("sqlite", "postgresql")],
)
def test_a_round_trip_gives_back_every_row(source_engine, target_engine, tmp_path):
    source = _source(source_engine, tmp_path)
    folder = tmp_path / "export"
    exported = _run(source, "export-data", str(folder))
    assert exported.exit_code == 0, exported.output
    target = _app(target_engine, tmp_path, "comite_test_portability_target")

    imported = _run(target, "import-data", str(folder))

    assert imported.exit_code == 0, imported.output
    before, after = _rows(source), _rows(target)
    assert {name: len(rows) for name, rows in after.items()} == {
        name: len(rows) for name, rows in before.items()
    }
    assert after == before
    # Exported again, the restored base gives the same files.
    again = tmp_path / "again"
    assert _run(target, "export-data", str(again)).exit_code == 0
    for table in Base.metadata.sorted_tables:
        first = (folder / f"{table.name}.json").read_text(encoding="utf-8")
        assert (again / f"{table.name}.json").read_text(encoding="utf-8") == first, table.name
    # New rows get new ids: the sequences follow the restored ones.
    with target.app_context():
        db.session.add(User(email="nouvelle@exemple.gouv.fr"))
        db.session.commit()
    for app in (source, target):
        with app.app_context():
            db.engine.dispose()


def test_the_export_is_documented_json(tmp_path):
    source = _source("sqlite", tmp_path)
    folder = tmp_path / "export"
    assert _run(source, "export-data", str(folder)).exit_code == 0
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "comite-export"
    assert manifest["schema_revision"] == HEAD
    assert dt.datetime.fromisoformat(manifest["exported_at"]).tzinfo is not None
    names = [entry["name"] for entry in manifest["tables"]]
    assert names == [table.name for table in Base.metadata.sorted_tables]
    attachments = json.loads((folder / "attachment.json").read_text(encoding="utf-8"))
    data = attachments["columns"].index("data")
    assert base64.b64decode(attachments["rows"][-1][data]) == PDF
    entry = next(e for e in manifest["tables"] if e["name"] == "attachment")
    assert entry["rows"] == len(attachments["rows"])
    assert {"name": "data", "type": "binary"} in entry["columns"]
    users = json.loads((folder / "user.json").read_text(encoding="utf-8"))
    created = users["columns"].index("created_at")
    assert dt.datetime.fromisoformat(users["rows"][0][created]).utcoffset() == dt.timedelta(0)


def test_import_refuses_a_database_in_use(tmp_path):
    source = _source("sqlite", tmp_path)
    folder = tmp_path / "export"
    _run(source, "export-data", str(folder))
    target = _app("sqlite", tmp_path, "comite_test_portability_target")
    with target.app_context():
        db.session.add(User(email="deja@exemple.gouv.fr"))
        db.session.commit()

    refused = _run(target, "import-data", str(folder))

    assert refused.exit_code != 0
    assert "La base n'est pas vide" in refused.output
    with target.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_import_refuses_another_schema(tmp_path):
    source = _source("sqlite", tmp_path)
    folder = tmp_path / "export"
    _run(source, "export-data", str(folder))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["schema_revision"] = "0001"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    target = _app("sqlite", tmp_path, "comite_test_portability_target")

    refused = _run(target, "import-data", str(folder))

    assert refused.exit_code != 0
    assert "révision 0001" in refused.output and HEAD in refused.output


def test_import_refuses_a_folder_without_export(tmp_path):
    target = _app("sqlite", tmp_path, "comite_test_portability_target")
    refused = _run(target, "import-data", str(tmp_path / "nothing"))
    assert refused.exit_code != 0
    assert "manifest.json" in refused.output


def test_export_refuses_a_folder_that_is_not_empty(tmp_path):
    source = _source("sqlite", tmp_path)
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "autre.txt").write_text("déjà là", encoding="utf-8")
    refused = _run(source, "export-data", str(folder))
    assert refused.exit_code != 0
    assert "n'est pas vide" in refused.output
