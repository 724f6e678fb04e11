"""The migrations build the schema the models describe, and can be undone, on both engines."""

from __future__ import annotations

import warnings

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from comite.extensions import db
from tests.conftest import make_test_app
from tests.databases import ENGINES, database_url


@pytest.fixture(params=ENGINES)
def empty_app(request, tmp_path):
    app = make_test_app(database_url(request.param, tmp_path, "comite_test_migrations"))
    yield app
    with app.app_context():
        db.engine.dispose()


def schema_differences(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        with warnings.catch_warnings():
            # SQLite cannot reflect expression indexes: SQLAlchemy and Alembic say so and
            # skip them (test_an_email_is_unique_whatever_its_case checks that one there).
            warnings.filterwarnings("ignore", "autogenerate skipping")
            warnings.filterwarnings("ignore", "Skipped unsupported reflection")
            return compare_metadata(context, db.metadata)


def table_names(app) -> set[str]:
    with app.app_context():
        return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_models_and_migrations_agree(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
    assert schema_differences(empty_app) == []


def test_migrations_go_down_to_nothing_and_up_again(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
        assert table_names(empty_app) == set(db.metadata.tables)
        flask_migrate.downgrade(revision="base")
        assert table_names(empty_app) == set()
        flask_migrate.upgrade()
    assert schema_differences(empty_app) == []
