"""Downloads for the DSAF: one purchase order, the registers, background exports."""

from __future__ import annotations

import io
import logging

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm import undefer

from comite.auth.permissions import permission_required
from comite.auth.services import acting_user
from comite.core.errors import DomainError
from comite.core.forms import ButtonForm
from comite.core.htmx import render_page_or_fragment
from comite.core.models import utcnow
from comite.exports import services
from comite.exports.forms import FILTER_FORMS
from comite.exports.models import ExportJob, ExportState
from comite.exports.order_sheet import write_order
from comite.exports.registers import REGISTERS, Register
from comite.exports.tasks import RUN_EXPORT
from comite.extensions import db
from comite.jobs import enqueue
from comite.orders.order_views import order_with_lines_or_404
from comite.orders.permissions import can_read_orders

bp = Blueprint("exports", __name__)
log = logging.getLogger(__name__)
# Rows shown on a register's page before download.
PREVIEW_ROWS = 20


def _download(content: bytes, filename: str, file_format: str) -> Response:
    response = Response(content, mimetype=services.FORMATS[file_format])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/commandes/<int:order_id>.xlsx")
@permission_required(can_read_orders)
def order_xlsx(order_id: int):
    order = order_with_lines_or_404(order_id)
    target = io.BytesIO()
    write_order(target, order, utcnow())
    return _download(target.getvalue(), f"{order.number}.xlsx", "xlsx")


@bp.get("/exports")
@permission_required(can_read_orders)
def index():
    jobs = db.session.scalars(
        sa.select(ExportJob)
        .where(ExportJob.created_by_id == current_user.id)
        .order_by(ExportJob.id.desc())
        .limit(10)
    ).all()
    return render_template("exports/index.html", registers=REGISTERS.values(), jobs=jobs)


def _register_or_404(slug: str) -> Register:
    register = REGISTERS.get(slug)
    if register is None:
        abort(404, description="Ce registre n'existe pas.")
    return register


def _register_page(slug: str) -> str:
    """The register's page with the filters of this request (as typed, never reinterpreted
    as url_for options)."""
    query = request.query_string.decode()
    return url_for("exports.show_register", slug=slug) + (f"?{query}" if query else "")


def _filter_form(slug: str):
    return FILTER_FORMS[slug](request.args).prepare(db.session)


@bp.get("/exports/<slug>")
@permission_required(can_read_orders)
def show_register(slug: str):
    register = _register_or_404(slug)
    form = _filter_form(slug)
    context = {"register": register, "form": form, "button": ButtonForm()}
    if form.validate():
        filters = form.filters()
        total = register.count(db.session, filters)
        context |= {
            "total": total,
            "background": total > current_app.config["EXPORT_BACKGROUND_ROWS"],
            "preview": _preview(register, filters),
            "query": request.query_string.decode(),
        }
    status = 422 if form.errors else 200
    return render_page_or_fragment(
        "exports/register.html", "exports/_summary.html", status, **context
    )


def _preview(register: Register, filters) -> list[tuple]:
    rows = register.rows(db.session, filters, batch=PREVIEW_ROWS)
    return [row for _, row in zip(range(PREVIEW_ROWS), rows, strict=False)]


@bp.get("/exports/<slug>.<file_format>")
@permission_required(can_read_orders)
def download_register(slug: str, file_format: str):
    register = _register_or_404(slug)
    if file_format not in services.FORMATS:
        abort(404, description="Ce format de fichier n'existe pas.")
    form = _filter_form(slug)
    back = _register_page(slug)
    if not form.validate():
        return redirect(back, 303)
    filters = form.filters()
    if register.count(db.session, filters) > current_app.config["EXPORT_BACKGROUND_ROWS"]:
        flash("Ce fichier est volumineux : préparez-le en arrière-plan.", "info")
        return redirect(back, 303)
    target = io.BytesIO()
    services.write_register(db.session, register, filters, file_format, target)
    return _download(
        target.getvalue(), register.filename(utcnow().date(), file_format), file_format
    )


@bp.post("/exports/<slug>/preparation")
@permission_required(can_read_orders)
def request_export(slug: str):
    register = _register_or_404(slug)
    ButtonForm().validate()
    form = _filter_form(slug)
    if not form.validate():
        flash(
            "Les filtres ne sont pas valides : corrigez-les avant de préparer le fichier.", "error"
        )
        return redirect(url_for("exports.show_register", slug=slug), 303)
    filters = form.filters()
    try:
        job = services.request_export(
            db.session,
            register,
            request.form.get("format", ""),
            filters,
            register.count(db.session, filters),
            acting_user(),
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(_register_page(slug), 303)
    db.session.commit()
    try:
        enqueue(RUN_EXPORT, job.id)
    except Exception:
        # The job row says what happened rather than waiting for a worker that never comes.
        log.exception("Export %s could not be queued", job.id)
        services.fail_export(db.session, job.id)
    return redirect(url_for("exports.show_job", job_id=job.id), 303)


def _own_job_or_404(job_id: int, *options) -> ExportJob:
    job = db.session.scalar(sa.select(ExportJob).where(ExportJob.id == job_id).options(*options))
    # Someone else's export is as unknown as a missing one: its filters are theirs.
    if job is None or job.created_by_id != current_user.id:
        abort(404, description="Cet export n'existe pas.")
    return job


@bp.get("/exports/taches/<int:job_id>")
@permission_required(can_read_orders)
def show_job(job_id: int):
    job = _own_job_or_404(job_id)
    register = REGISTERS[job.register]
    finished = job.state not in (ExportState.PENDING, ExportState.RUNNING)
    return render_page_or_fragment(
        "exports/job.html", "exports/_progress.html", job=job, register=register, finished=finished
    )


@bp.get("/exports/taches/<int:job_id>/fichier")
@permission_required(can_read_orders)
def download_job(job_id: int):
    job = _own_job_or_404(job_id, undefer(ExportJob.content))
    if job.state is ExportState.EXPIRED or (
        job.state is ExportState.DONE and job.expires_at and job.expires_at <= utcnow()
    ):
        abort(410, description="Ce fichier n'est plus disponible : relancez l'export.")
    if job.state is not ExportState.DONE or job.content is None:
        return redirect(url_for("exports.show_job", job_id=job.id), 303)
    return _download(job.content, job.filename, job.file_format)
