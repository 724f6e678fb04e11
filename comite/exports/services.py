"""Building register files, at once for small ones or through a background job for large
ones, and forgetting finished files after their retention time."""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import BinaryIO

import sqlalchemy as sa
from sqlalchemy.orm import Session

from comite.auth.models import User
from comite.core import audit
from comite.core.errors import DomainError
from comite.core.models import utcnow
from comite.exports.models import ExportJob, ExportState
from comite.exports.registers import Filters, Register
from comite.exports.spreadsheet import write_csv, write_xlsx

log = logging.getLogger(__name__)

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def write_register(
    session: Session,
    register: Register,
    filters: Filters,
    file_format: str,
    target: BinaryIO,
    on_progress=None,
) -> int:
    """Write the register's rows for these filters as .xlsx or .csv; returns the row count."""
    rows = register.rows(session, filters)
    if file_format == "csv":
        return write_csv(target, columns=register.columns, rows=rows)
    return write_xlsx(
        target,
        title=register.title,
        sheet_name=register.title,
        exported_at=utcnow(),
        filters=register.describe(session, filters),
        columns=register.columns,
        rows=rows,
        on_progress=on_progress,
    )


def request_export(
    session: Session,
    register: Register,
    file_format: str,
    filters: Filters,
    total_rows: int,
    actor: User,
) -> ExportJob:
    """Record a background export; the caller commits, then hands the job to the worker."""
    if file_format not in FORMATS:
        raise DomainError("Format de fichier inconnu : choisissez .xlsx ou .csv.")
    job = ExportJob(
        register=register.slug,
        file_format=file_format,
        filters=filters,
        total_rows=total_rows,
        created_by=actor,
    )
    session.add(job)
    session.flush()
    audit.record(
        session,
        "export.requested",
        job,
        actor=actor,
        register=register.slug,
        format=file_format,
        filters=filters,
        rows=total_rows,
    )
    return job


def run_export(
    session: Session, job_id: int, registers: dict[str, Register], retention: dt.timedelta
) -> None:
    """The worker's side: build the file, keeping the progress up to date, then store it."""
    job = session.get(ExportJob, job_id)
    # A job found running was cut short by a worker's stop: it is built again from scratch.
    if job is None or job.state not in (ExportState.PENDING, ExportState.RUNNING):
        return
    job.state = ExportState.RUNNING
    session.commit()

    def progress(done: int) -> None:
        session.execute(sa.update(ExportJob).where(ExportJob.id == job_id).values(done_rows=done))
        session.commit()

    register = registers[job.register]
    target = io.BytesIO()
    try:
        count = write_register(
            session, register, job.filters, job.file_format, target, on_progress=progress
        )
    except Exception:
        log.exception("Export %s failed", job_id)
        session.rollback()
        fail_export(session, job_id)
        return
    job = session.get(ExportJob, job_id)
    job.content = target.getvalue()
    job.done_rows = count
    job.total_rows = count
    job.filename = register.filename(job.created_at.date(), job.file_format)
    job.state = ExportState.DONE
    job.finished_at = utcnow()
    job.expires_at = job.finished_at + retention
    session.commit()


def fail_export(session: Session, job_id: int) -> None:
    """The file could not be built (or the worker could not be reached): say so."""
    job = session.get(ExportJob, job_id)
    job.state = ExportState.FAILED
    job.error = "Le fichier n'a pas pu être construit. Relancez l'export ou contactez le support."
    job.finished_at = utcnow()
    session.commit()


def purge_expired(session: Session, now: dt.datetime) -> int:
    """Finished files are kept for a while, then forgotten (the job row stays as a trace)."""
    result = session.execute(
        sa.update(ExportJob)
        .where(ExportJob.state == ExportState.DONE, ExportJob.expires_at <= now)
        .values(state=ExportState.EXPIRED, content=None)
    )
    session.commit()
    return result.rowcount or 0
