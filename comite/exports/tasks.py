"""What the worker does for exports: build a requested file, forget expired ones."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from comite.core.models import utcnow
from comite.exports import services
from comite.exports.registers import REGISTERS
from comite.extensions import db
from comite.jobs import periodic, task

RUN_EXPORT = "exports.run"


@task(RUN_EXPORT)
def run_export(job_id: int) -> None:
    retention = dt.timedelta(hours=current_app.config["EXPORT_RETENTION_HOURS"])
    services.run_export(db.session, job_id, REGISTERS, retention)


@periodic("exports.purge", minutes=60)
def purge_expired_exports() -> None:
    services.purge_expired(db.session, utcnow())
