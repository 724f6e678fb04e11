"""Fiches produit and impact reviews: read, write (drafts, autosave), submit, return,
versions and their differences, attachments."""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from werkzeug.http import dump_options_header
from wtforms import SelectChoice

from comite.auth.permissions import require
from comite.auth.services import acting_user
from comite.core.errors import DomainError
from comite.core.htmx import render_page_or_fragment, wants_fragment
from comite.dossiers import services
from comite.dossiers.content import with_row_added, without_row
from comite.dossiers.diff import compare
from comite.dossiers.forms import (
    AttachmentForm,
    CreateDossierForm,
    ImpactReviewForm,
    ProductSheetForm,
    ReturnForm,
    VersionForm,
)
from comite.dossiers.models import Attachment, Dossier, DossierVersion
from comite.dossiers.permissions import (
    can_read_dossier,
    can_read_version,
    can_return_dossier,
    can_write_dossiers,
    is_team_member,
)
from comite.dossiers.queries import agenda_items_of, last_decision
from comite.dossiers.rules import Errors
from comite.dossiers.workflow import DossierKind
from comite.extensions import db
from comite.orders.models import WorkUnitType
from comite.startups.models import Startup
from comite.startups.queries import startup_by_slug

bp = Blueprint("dossiers", __name__)

FORMS = {DossierKind.PRODUCT_SHEET: ProductSheetForm, DossierKind.IMPACT_REVIEW: ImpactReviewForm}
ROW_LABELS = {
    "indicators": "Indicateur",
    "budget_lines": "Ligne de budget",
    "indicator_reports": "Indicateur",
    "risks": "Risque",
}
# The whole list, in the error summary (« Lignes de budget », not « Ligne de budgets »).
LIST_LABELS = {
    "indicators": "Indicateurs",
    "budget_lines": "Lignes de budget",
    "indicator_reports": "Indicateurs",
    "risks": "Risques",
}


def _decided_budget(dossier: Dossier):
    """For an impact review, the decision in force: its budget is shown beside the request."""
    if dossier.kind is not DossierKind.IMPACT_REVIEW:
        return None
    return last_decision(db.session, dossier.startup_id)


@bp.app_template_filter("cells")
def cells(row: object, attributes: list[str]) -> list[object]:
    """A table row: the given attributes of a dossier row (indicator, risk…)."""
    return [getattr(row, attribute) for attribute in attributes]


def load_dossier(dossier_id: int) -> Dossier:
    dossier = db.session.scalar(
        sa.select(Dossier)
        .where(Dossier.id == dossier_id)
        .options(
            selectinload(Dossier.versions),
            selectinload(Dossier.attachments),
            selectinload(Dossier.startup).selectinload(Startup.memberships),
        )
    )
    if dossier is None:
        abort(404, description="Ce dossier n'existe pas.")
    return dossier


def _catalogue() -> list[WorkUnitType]:
    return list(
        db.session.scalars(
            sa.select(WorkUnitType).where(WorkUnitType.is_active).order_by(WorkUnitType.id)
        )
    )


def _prepare(form: ProductSheetForm | ImpactReviewForm) -> None:
    """Choices that come from the database: the UO catalogue."""
    choices = [SelectChoice("", "Choisir une unité d'œuvre")] + [
        SelectChoice(unit.code, f"{unit.code} – {unit.label}") for unit in _catalogue()
    ]
    for entry in form.budget_lines:
        entry.form.work_unit_code.choices = choices


def _form_for(version: DossierVersion, revision: int | None = None):
    form = FORMS[version.dossier.kind](
        formdata=None,
        data=dataclasses.asdict(version.content),
        revision=version.revision if revision is None else revision,
    )
    _prepare(form)
    return form


def _attach_errors(form, errors: Errors) -> None:
    """Put each rule's message next to its field (lists keep theirs in form.list_errors)."""
    form.list_errors = {}
    for path, message in errors.items():
        if len(path) == 1:
            field = form[path[0]]
            if field.type == "FieldList":
                form.list_errors[path[0]] = message
                continue
        else:
            field = form[path[0]].entries[path[1]].form[path[2]]
        field.errors = [*field.errors, message]


def _error_summary(form) -> list[tuple[str, str, str]]:
    """(anchor, label, message) for every error of the form, rows included."""
    summary = []
    for field in form:
        if field.type == "FieldList":
            if getattr(form, "list_errors", {}).get(field.name):
                summary.append(
                    (
                        f"{field.id}-liste",
                        LIST_LABELS[field.name],
                        form.list_errors[field.name],
                    )
                )
            for index, entry in enumerate(field.entries, start=1):
                for subfield in entry.form:
                    summary.extend(
                        (
                            subfield.id,
                            f"{ROW_LABELS[field.name]} {index} – {subfield.label.text}",
                            str(error),
                        )
                        for error in subfield.errors
                    )
        else:
            summary.extend((field.id, field.label.text, str(error)) for error in field.errors)
    return summary


def _redirect(url: str):
    """A 303 for browsers; htmx is told to load the page itself (HX-Redirect)."""
    if wants_fragment():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


def _render_edit(dossier: Dossier, form, code: int = 200, **context: Any):
    return render_page_or_fragment(
        "dossiers/edit.html",
        "dossiers/_form.html",
        status=code,
        dossier=dossier,
        decided=_decided_budget(dossier),
        form=form,
        summary=_error_summary(form),
        catalogue=_catalogue(),
        **context,
    )


@bp.post("/startups/<slug>/dossiers")
@login_required
def create_dossier(slug: str):
    startup = db.session.scalar(startup_by_slug(slug)) or abort(404)
    require(can_write_dossiers(current_user, startup))
    form = CreateDossierForm()
    try:
        kind = DossierKind(form.kind.data)
    except ValueError:
        abort(400, description="Type de dossier inconnu.")
    dossier = services.create_dossier(db.session, startup, kind, acting_user())
    db.session.commit()
    flash(
        f"{kind.label} {kind.agreed('créé', 'créée')} en brouillon : "
        "enregistrez-le quand vous voulez, rien n'est obligatoire avant le dépôt.",
        "success",
    )
    return redirect(url_for("dossiers.edit_draft", dossier_id=dossier.id), 303)


@bp.get("/dossiers/<int:dossier_id>")
@login_required
def show_dossier(dossier_id: int):
    dossier = load_dossier(dossier_id)
    require(can_read_dossier(current_user, dossier))
    team = is_team_member(current_user, dossier.startup)
    version = dossier.latest if team else dossier.last_submitted
    return _render_version(dossier, version)


@bp.get("/dossiers/<int:dossier_id>/versions/<int:number>")
@login_required
def show_version(dossier_id: int, number: int):
    dossier = load_dossier(dossier_id)
    version = next((v for v in dossier.versions if v.number == number), None) or abort(404)
    require(can_read_version(current_user, version))
    return _render_version(dossier, version)


def _render_version(
    dossier: Dossier, version: DossierVersion, return_form: ReturnForm | None = None
):
    team = is_team_member(current_user, dossier.startup)
    versions = services.visible_versions(dossier, include_drafts=team)
    return render_template(
        "dossiers/show.html",
        dossier=dossier,
        decided=_decided_budget(dossier),
        agenda_items=agenda_items_of(db.session, dossier),
        version=version,
        content=version.content,
        versions=versions,
        team=team,
        catalogue={unit.code: unit for unit in _catalogue()},
        return_form=return_form
        or (ReturnForm() if can_return_dossier(current_user, version) else None),
        version_form=VersionForm(),
        attachment_form=AttachmentForm() if team else None,
    )


@bp.route("/dossiers/<int:dossier_id>/brouillon", methods=["GET", "POST"])
@bp.post(
    "/dossiers/<int:dossier_id>/brouillon/enregistrement-auto",
    endpoint="autosave_draft",
    defaults={"autosave": True},
)
@login_required
def edit_draft(dossier_id: int, autosave: bool = False):
    """The draft form; htmx also posts it, a few seconds after typing, to the autosave URL."""
    dossier = load_dossier(dossier_id)
    require(can_write_dossiers(current_user, dossier.startup))
    draft = dossier.draft
    if draft is None:
        flash("Ce dossier est déposé : pour le modifier, créez une nouvelle version.", "info")
        return redirect(url_for("dossiers.show_dossier", dossier_id=dossier.id), 303)
    if request.method == "GET":
        return _render_edit(dossier, _form_for(draft))

    form = FORMS[dossier.kind]()
    _prepare(form)
    action = "autosave" if autosave else request.form.get("action", "save")
    if not form.validate():
        if autosave:
            return _autosave_status(draft, "Non enregistré : corrigez les champs signalés.", 422)
        return _render_edit(dossier, form, 422)
    content = _apply_row_action(form.to_content(), action)
    try:
        services.save_draft(db.session, draft, content, form.revision_number(), current_user)
    except services.StaleDraft as stale:
        db.session.rollback()
        if autosave:
            return _autosave_status(
                stale.current,
                "Non enregistré : une autre personne a modifié ce brouillon. "
                "Enregistrez pour comparer.",
                409,
            )
        form.revision.data = str(stale.current.revision)
        return _render_edit(
            dossier,
            form,
            409,
            conflict=stale,
            differences=compare(dossier.kind, stale.current.content, content),
        )
    if action == "submit":
        try:
            services.submit(db.session, draft, acting_user())
        except services.IncompleteDossier as incomplete:
            db.session.commit()  # the draft is saved even when it cannot be submitted yet
            form = _form_for(draft)
            _attach_errors(form, incomplete.errors)
            return _render_edit(dossier, form, 422, submission_refused=True)
        db.session.commit()
        flash(
            f"{dossier.kind.label} {dossier.kind.agreed('déposé', 'déposée')} "
            f"(version {draft.number}) : le secrétariat du comité le voit dans les dossiers "
            "déposés.",
            "success",
        )
        return _redirect(url_for("dossiers.show_dossier", dossier_id=dossier.id))
    db.session.commit()
    if autosave:
        return _autosave_status(draft, "Brouillon enregistré automatiquement.")
    if action == "save":
        if wants_fragment():
            return _render_edit(dossier, _form_for(draft), status_message="Brouillon enregistré.")
        flash("Brouillon enregistré.", "success")
        return redirect(url_for("dossiers.edit_draft", dossier_id=dossier.id), 303)
    # A row was added or removed: show the form again (the fragment, for htmx).
    if wants_fragment():
        return _render_edit(dossier, _form_for(draft))
    anchor = _row_anchor(action, content)
    return redirect(url_for("dossiers.edit_draft", dossier_id=dossier.id, _anchor=anchor), 303)


def _apply_row_action(content, action: str):
    """ "add:<list>" appends an empty row, "remove:<list>:<index>" removes one."""
    verb, _, rest = action.partition(":")
    name, _, index = rest.partition(":")
    if verb == "add":
        return with_row_added(content, name)
    if verb == "remove" and index.isdecimal() and index.isascii():
        return without_row(content, name, int(index))
    return content


def _row_anchor(action: str, content) -> str:
    verb, _, rest = action.partition(":")
    name = rest.partition(":")[0]
    if verb == "add" and hasattr(content, name):
        return f"{name}-{len(getattr(content, name)) - 1}"
    return f"{name}-liste" if name else ""


def _autosave_status(version: DossierVersion, message: str, status: int = 200):
    response = make_response(
        render_template("dossiers/_autosave.html", version=version, message=message), status
    )
    response.vary.add("HX-Request")
    return response


@bp.post("/dossiers/<int:dossier_id>/nouvelle-version")
@login_required
def start_new_version(dossier_id: int):
    dossier = load_dossier(dossier_id)
    require(can_write_dossiers(current_user, dossier.startup))
    VersionForm().validate()
    try:
        version = services.start_new_version(db.session, dossier, acting_user())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("dossiers.show_dossier", dossier_id=dossier.id), 303)
    db.session.commit()
    flash(f"Version {version.number} créée en brouillon à partir de la précédente.", "success")
    return redirect(url_for("dossiers.edit_draft", dossier_id=dossier.id), 303)


@bp.post("/dossiers/<int:dossier_id>/versions/<int:number>/renvoi")
@login_required
def return_version(dossier_id: int, number: int):
    dossier = load_dossier(dossier_id)
    version = next((v for v in dossier.versions if v.number == number), None) or abort(404)
    require(can_return_dossier(current_user, version))
    form = ReturnForm()
    if form.validate():
        try:
            services.return_for_completion(db.session, version, acting_user(), form.comment.data)
        except DomainError as error:
            form.comment.errors = [error.message]
        else:
            db.session.commit()
            flash("Le dossier est renvoyé à l'équipe pour compléments.", "success")
            return redirect(url_for("dossiers.show_dossier", dossier_id=dossier.id), 303)
    return _render_version(dossier, version, form), 422


@bp.get("/dossiers/<int:dossier_id>/comparer")
@login_required
def compare_versions(dossier_id: int):
    dossier = load_dossier(dossier_id)
    require(can_read_dossier(current_user, dossier))
    team = is_team_member(current_user, dossier.startup)
    versions = {v.number: v for v in services.visible_versions(dossier, include_drafts=team)}
    old = versions.get(request.args.get("de", type=int) or 0)
    new = versions.get(request.args.get("a", type=int) or 0)
    if old is None or new is None:
        numbers = sorted(versions)
        if len(numbers) < 2:
            flash("Il n'y a pas encore deux versions à comparer.", "info")
            return redirect(url_for("dossiers.show_dossier", dossier_id=dossier.id), 303)
        old, new = versions[numbers[-2]], versions[numbers[-1]]
    return render_template(
        "dossiers/compare.html",
        dossier=dossier,
        old=old,
        new=new,
        versions=list(versions.values()),
        differences=compare(dossier.kind, old.content, new.content),
    )


@bp.post("/dossiers/<int:dossier_id>/pieces-jointes")
@login_required
def add_attachment(dossier_id: int):
    dossier = load_dossier(dossier_id)
    require(can_write_dossiers(current_user, dossier.startup))
    form = AttachmentForm()
    upload = request.files.get("file")
    if form.validate() and upload is not None and upload.filename:
        try:
            services.add_attachment(
                db.session,
                dossier,
                acting_user(),
                upload.filename,
                upload.read(current_app.config["MAX_ATTACHMENT_SIZE"] + 1),
                current_app.config["MAX_ATTACHMENT_SIZE"],
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash("Pièce jointe ajoutée.", "success")
    else:
        flash("Choisissez un fichier à joindre.", "error")
    return redirect(
        url_for("dossiers.show_dossier", dossier_id=dossier.id, _anchor="pieces-jointes"), 303
    )


@bp.get("/pieces-jointes/<int:attachment_id>")
@login_required
def download_attachment(attachment_id: int):
    attachment = db.session.get(Attachment, attachment_id) or abort(404)
    require(can_read_dossier(current_user, attachment.dossier))
    response = make_response(attachment.data)
    response.headers["Content-Type"] = attachment.content_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Always downloaded, never shown in the browser.
    response.headers["Content-Disposition"] = dump_options_header(
        "attachment", {"filename": attachment.filename}
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
