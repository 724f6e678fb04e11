"""Verbs that change dossiers: create, save a draft, submit, return, start a new version,
attach a file. Each applies the rules, writes the audit log when it matters and flushes."""

from __future__ import annotations

import hashlib
from collections.abc import Collection

import filetype
import sqlalchemy as sa
from sqlalchemy.orm import Session

from comite.auth.models import User
from comite.core import audit
from comite.core.errors import DomainError
from comite.core.models import utcnow
from comite.dossiers.content import Content, ImpactReviewContent, IndicatorReport, empty_content
from comite.dossiers.models import Attachment, Dossier, DossierVersion
from comite.dossiers.rules import (
    Errors,
    impact_review_submission_errors,
    product_sheet_submission_errors,
)
from comite.dossiers.workflow import TRANSITIONS, DossierKind, VersionState
from comite.notifications import outbox
from comite.orders.models import WorkUnitType
from comite.startups.models import Startup

# Attachments: the types teams send to a committee, recognised from their content.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
}


class StaleDraft(DomainError):
    """Someone saved the draft since this person loaded it."""

    def __init__(self, current: DossierVersion):
        super().__init__(
            "Ce brouillon a été enregistré par une autre personne pendant que vous le "
            "modifiiez. Votre texte n'est pas perdu : il est resté dans le formulaire. "
            "Comparez-le avec la version enregistrée ci-dessous, puis enregistrez de nouveau "
            "pour garder le vôtre."
        )
        self.current = current


class IncompleteDossier(DomainError):
    """Submission refused: the errors say which fields are missing or wrong."""

    def __init__(self, errors: Errors):
        super().__init__("Le dossier est incomplet : corrigez les champs signalés.")
        self.errors = errors


def work_unit_codes(session: Session) -> set[str]:
    return set(session.scalars(sa.select(WorkUnitType.code).where(WorkUnitType.is_active)))


def create_dossier(session: Session, startup: Startup, kind: DossierKind, user: User) -> Dossier:
    """A new dossier starts as version 1, a draft; a review starts from the fiche's
    indicators, so that the team reports on each of them."""
    content = empty_content(kind)
    if isinstance(content, ImpactReviewContent):
        content.indicator_reports = [
            IndicatorReport(name=indicator.name, target=indicator.target)
            for indicator in _latest_sheet_indicators(session, startup)
        ]
    now = utcnow()
    dossier = Dossier(startup=startup, kind=kind, created_by=user, created_at=now)
    dossier.versions.append(
        DossierVersion(
            number=1,
            content_json=content.to_json(),
            created_by=user,
            updated_by=user,
            created_at=now,
            updated_at=now,
        )
    )
    session.add(dossier)
    session.flush()
    audit.record(session, "dossier.created", dossier, actor=user, kind=kind.value)
    return dossier


def _latest_sheet_indicators(session: Session, startup: Startup):
    sheet = session.scalar(
        sa.select(Dossier)
        .where(Dossier.startup_id == startup.id, Dossier.kind == DossierKind.PRODUCT_SHEET)
        .order_by(Dossier.id.desc())
    )
    if sheet is None:
        return []
    version = sheet.last_submitted or sheet.latest
    return version.content.indicators


def save_draft(
    session: Session, version: DossierVersion, content: Content, revision: int, user: User
) -> DossierVersion:
    """A draft saves at any time, with no field required, unless someone else saved it
    since `revision` was read: then nothing is overwritten."""
    if version.state is not VersionState.DRAFT:
        raise DomainError(
            "Cette version a été déposée : elle ne change plus. Créez une nouvelle version "
            "pour la modifier."
        )
    if revision != version.revision:
        raise StaleDraft(version)
    version.content_json = content.to_json()
    version.updated_at = utcnow()
    version.updated_by = user
    session.flush()
    # Every save is written down, automatic ones included: who changed the draft, and when.
    audit.record(
        session,
        "dossier.draft_saved",
        version.dossier,
        actor=user,
        version=version.number,
        revision=version.revision,
    )
    return version


def submit(session: Session, version: DossierVersion, user: User) -> DossierVersion:
    """Submitting checks every section; the version is then frozen."""
    _check_transition(version, "submit")
    content = version.content
    codes = work_unit_codes(session)
    if isinstance(content, ImpactReviewContent):
        errors = impact_review_submission_errors(content, codes)
    else:
        errors = product_sheet_submission_errors(content, codes)
    if errors:
        raise IncompleteDossier(errors)
    version.state = VersionState.SUBMITTED
    version.submitted_at = utcnow()
    version.submitted_by = user
    # Only the latest submitted version waits for a séance.
    for older in version.dossier.versions:
        if older is not version and older.state is VersionState.SUBMITTED:
            older.state = VersionState.REPLACED
    resubmitted = version.number > 1
    session.flush()
    audit.record(
        session,
        "dossier.resubmitted" if resubmitted else "dossier.submitted",
        version.dossier,
        actor=user,
        version=version.number,
    )
    return version


def return_for_completion(
    session: Session, version: DossierVersion, user: User, comment: str
) -> DossierVersion:
    """The secretariat sends a submitted version back, saying what to complete."""
    _check_transition(version, "return")
    if not comment.strip():
        raise DomainError("Dites à l'équipe ce qu'il faut compléter.", field="comment")
    version.state = VersionState.RETURNED
    version.returned_at = utcnow()
    version.returned_by = user
    version.return_comment = comment.strip()
    session.flush()
    audit.record(session, "dossier.returned", version.dossier, actor=user, version=version.number)
    outbox.dossier_returned(session, version)
    return version


def start_new_version(session: Session, dossier: Dossier, user: User) -> DossierVersion:
    """Changing a submitted dossier starts a new draft from its last version; the
    submitted one stays readable as it was."""
    if dossier.draft is not None:
        return dossier.draft
    latest = dossier.latest
    if latest.state is VersionState.UNDER_REVIEW:
        raise DomainError(
            "Ce dossier est à l'ordre du jour d'une séance : il ne change plus avant la "
            "décision du comité."
        )
    now = utcnow()
    version = DossierVersion(
        number=latest.number + 1,
        content_json=dict(latest.content_json),
        created_by=user,
        updated_by=user,
        created_at=now,
        updated_at=now,
    )
    dossier.versions.append(version)
    session.flush()
    audit.record(session, "dossier.version_started", dossier, actor=user, version=version.number)
    return version


def _check_transition(version: DossierVersion, verb: str) -> None:
    transition = TRANSITIONS[verb]
    if version.state is not transition.source:
        raise DomainError(f"Action impossible : cette version est « {version.state.label} ».")


def add_attachment(
    session: Session,
    dossier: Dossier,
    user: User,
    filename: str,
    data: bytes,
    max_size: int,
) -> Attachment:
    """Only the accepted types, recognised from the content (not the name), within the
    size limit; a checksum is kept with the file."""
    if not data:
        raise DomainError("Le fichier est vide.", field="file")
    if len(data) > max_size:
        raise DomainError(
            f"Le fichier dépasse la taille autorisée ({max_size // (1024 * 1024)} Mo).",
            field="file",
        )
    kind = filetype.guess(data)
    if kind is None or kind.extension not in ALLOWED_TYPES:
        raise DomainError(
            "Ce type de fichier n'est pas accepté : PDF, ODP, ODT, ODS, PPTX, DOCX, XLSX, "
            "PNG ou JPEG.",
            field="file",
        )
    attachment = Attachment(
        dossier=dossier,
        filename=_safe_filename(filename, kind.extension),
        content_type=ALLOWED_TYPES[kind.extension],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by=user,
    )
    session.add(attachment)
    session.flush()
    audit.record(
        session,
        "attachment.added",
        dossier,
        actor=user,
        attachment=attachment.id,
        filename=attachment.filename,
        sha256=attachment.sha256,
    )
    return attachment


def _safe_filename(filename: str, extension: str) -> str:
    """Keep the name people gave, without path nor control characters, with the real
    extension."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "piece-jointe"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem[:200]}.{extension}"


def visible_versions(dossier: Dossier, include_drafts: bool) -> Collection[DossierVersion]:
    return [v for v in dossier.versions if include_drafts or v.state is not VersionState.DRAFT]
