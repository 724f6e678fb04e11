"""Attachments: checked from their content, kept in the database, downloaded by readers."""

from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile

import sqlalchemy as sa

from comite.auth.roles import Role
from comite.core.audit import AuditEvent
from comite.dossiers.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 32


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def new_dossier(client, startup) -> int:
    response = client.post(f"/startups/{startup.slug}/dossiers", data={"kind": "fiche_produit"})
    return int(re.search(r"/dossiers/(\d+)/", response.location).group(1))


def upload(client, dossier_id, data: bytes, name: str):
    return client.post(
        f"/dossiers/{dossier_id}/pieces-jointes",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_pdf_is_kept_with_its_checksum_and_downloaded_as_an_attachment(
    client, login_as, team, db_session
):
    login_as(user=team["intrapreneur"])
    dossier_id = new_dossier(client, team["startup"])
    response = upload(client, dossier_id, PDF, "Présentation comité.pdf")
    assert response.status_code == 303
    attachment = db_session.scalars(sa.select(Attachment)).one()
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.content_type == "application/pdf"
    assert "Présentation comité.pdf" in text(client.get(f"/dossiers/{dossier_id}"))
    download = client.get(f"/pieces-jointes/{attachment.id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Content-Type"] == "application/pdf"
    assert "attachment.added" in db_session.scalars(sa.select(AuditEvent.action)).all()


def test_the_type_comes_from_the_content_not_the_name(client, login_as, team, db_session):
    login_as(user=team["intrapreneur"])
    dossier_id = new_dossier(client, team["startup"])
    response = upload(client, dossier_id, b"<html><script>alert(1)</script></html>", "slides.pdf")
    assert response.status_code == 303
    assert "Ce type de fichier n'est pas accepté" in text(client.get(response.location))
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0
    # A real ODT sent under a misleading name is stored with its true extension.
    upload(client, dossier_id, odt_bytes(), "annexe.exe")
    assert db_session.scalars(sa.select(Attachment.filename)).one() == "annexe.odt"


def test_files_over_the_limit_are_refused(client, login_as, team, db_session, app):
    login_as(user=team["intrapreneur"])
    dossier_id = new_dossier(client, team["startup"])
    limit = app.config["MAX_ATTACHMENT_SIZE"]
    app.config["MAX_ATTACHMENT_SIZE"] = 1000
    try:
        response = upload(client, dossier_id, PNG + b"\x00" * 2000, "capture.png")
    finally:
        app.config["MAX_ATTACHMENT_SIZE"] = limit
    assert "Le fichier dépasse la taille autorisée" in text(client.get(response.location))
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0


def test_only_readers_of_the_dossier_download_its_attachments(client, login_as, team, db_session):
    login_as(user=team["intrapreneur"])
    dossier_id = new_dossier(client, team["startup"])
    upload(client, dossier_id, PNG, "maquette.png")
    attachment_id = db_session.scalars(sa.select(Attachment.id)).one()
    client.post("/deconnexion")
    login_as(Role.SPONSOR)  # sponsor of another startup
    assert client.get(f"/pieces-jointes/{attachment_id}").status_code == 403
    client.post("/deconnexion")
    login_as(Role.MEMBER)  # the dossier is still a draft: members do not see it yet
    assert client.get(f"/pieces-jointes/{attachment_id}").status_code == 403
    client.post("/deconnexion")
    login_as(user=team["colleague"])
    assert client.get(f"/pieces-jointes/{attachment_id}").status_code == 200
