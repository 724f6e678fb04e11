"""Command-line verbs: `flask --app comite seed-demo`."""

from __future__ import annotations

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
