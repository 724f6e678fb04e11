"""Command-line verbs: `flask --app comite seed-demo`, `generate-dataset`."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask

from comite.extensions import db


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Charge les données de démonstration (sans rien dupliquer si on relance)."""
        from comite.demo import seed_demo

        added = seed_demo(db.session)
        db.session.commit()
        click.echo(
            "Données de démonstration : "
            f"{added['Incubator']} incubateur(s), {added['Startup']} startup(s), "
            f"{added['User']} utilisateur(s) ajoutés."
        )

    @app.cli.command("generate-dataset")
    @click.option(
        "--scale",
        type=click.FloatRange(0, min_open=True),
        default=1.0,
        show_default=True,
        help="Multiplie les volumes (1 : 300 startups, 240 séances, dix ans).",
    )
    @click.option(
        "--seed",
        type=int,
        default=2026,
        show_default=True,
        help="Graine du hasard : même graine et même échelle, mêmes données.",
    )
    def generate_dataset_command(scale: float, seed: int) -> None:
        """Génère dix ans de données réalistes dans une base qui ne contient aucune startup."""
        from comite.core.errors import DomainError
        from comite.dataset import generate, summary

        started = time.perf_counter()
        try:
            counts = generate(db.session, scale=scale, seed=seed)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # Fresh statistics, as autovacuum would gather them after such a load: without
            # them the planner ignores the indexes of the new rows.
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "ANALYZE"
                )
        click.echo(summary(counts, time.perf_counter() - started))

    @app.cli.command("export-data")
    @click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
    def export_data_command(folder: Path) -> None:
        """Écrit chaque table en JSON dans FOLDER (format décrit dans comite/portability.py)."""
        from comite.portability import ImportRefused, export_data

        try:
            counts = export_data(db.session, folder)
        except ImportRefused as refusal:
            raise click.ClickException(str(refusal)) from refusal
        finally:
            db.session.rollback()
        click.echo(f"{sum(counts.values())} lignes de {len(counts)} tables écrites dans {folder}.")

    @app.cli.command("import-data")
    @click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
    def import_data_command(folder: Path) -> None:
        """Restaure un export (export-data) dans une base neuve et migrée."""
        from comite.portability import ImportRefused, import_data

        try:
            counts = import_data(db.session, folder)
        except ImportRefused as refusal:
            db.session.rollback()
            raise click.ClickException(str(refusal)) from refusal
        db.session.commit()
        click.echo(f"{sum(counts.values())} lignes de {len(counts)} tables restaurées.")
