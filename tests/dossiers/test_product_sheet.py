"""The team writes its fiche produit: drafts, submission, versions, return for completion."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from comite.auth.roles import Role
from comite.core.audit import AuditEvent
from comite.dossiers.models import Dossier
from comite.dossiers.workflow import VersionState
from tests.dossiers.conftest import sheet_form


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def create_sheet(client, startup) -> Dossier:
    response = client.post(f"/startups/{startup.slug}/dossiers", data={"kind": "fiche_produit"})
    assert response.status_code == 303, response.text
    dossier_id = int(re.search(r"/dossiers/(\d+)/brouillon", response.location).group(1))
    return dossier_id


def current_revision(db_session, dossier_id) -> int:
    db_session.expire_all()
    return db_session.get(Dossier, dossier_id).latest.revision


def audit_actions(db_session) -> list[str]:
    return list(db_session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_draft_saves_with_nothing_filled_in(client, login_as, team, db_session):
    login_as(user=team["intrapreneur"])
    dossier_id = create_sheet(client, team["startup"])
    revision = current_revision(db_session, dossier_id)
    response = client.post(
        f"/dossiers/{dossier_id}/brouillon",
        data={"revision": revision, "action": "save", "problem": "Premier jet"},
    )
    assert response.status_code == 303
    page = text(client.get(response.location))
    assert "Brouillon enregistré." in page
    assert "Premier jet" in page
    assert "dossier.created" in audit_actions(db_session)


def test_submitting_an_incomplete_sheet_keeps_the_draft_and_shows_each_error(
    client, login_as, team, db_session
):
    login_as(user=team["intrapreneur"])
    dossier_id = create_sheet(client, team["startup"])
    revision = current_revision(db_session, dossier_id)
    data = sheet_form(revision, "submit", indicators=1, lines=1, skills="", problem="Gardé")
    data["budget_lines-0-quantity"] = ""
    response = client.post(f"/dossiers/{dossier_id}/brouillon", data=data)
    assert response.status_code == 422
    page = text(response)
    assert "Erreur : Fiche produit" in page
    assert "Le dossier n'a pas été déposé : il est incomplet" in page
    assert 'href="#skills"' in page and 'href="#budget_lines-0-quantity"' in page
    assert 'id="skills-error-1"' in page
    assert "Gardé" in page  # what was typed stays
    db_session.expire_all()
    version = db_session.get(Dossier, dossier_id).latest
    assert version.state is VersionState.DRAFT
    assert version.content.problem == "Gardé"


def test_a_complete_sheet_is_submitted_and_frozen(client, login_as, team, db_session):
    login_as(user=team["intrapreneur"])
    dossier_id = create_sheet(client, team["startup"])
    revision = current_revision(db_session, dossier_id)
    response = client.post(f"/dossiers/{dossier_id}/brouillon", data=sheet_form(revision, "submit"))
    assert response.status_code == 303
    assert "Fiche produit déposée (version 1)" in text(client.get(response.location))
    db_session.expire_all()
    version = db_session.get(Dossier, dossier_id).latest
    assert version.state is VersionState.SUBMITTED
    assert len(version.content.indicators) == 3 and len(version.content.budget_lines) == 2
    assert str(version.content.budget_lines[0].quantity) == "2.5"
    assert "dossier.submitted" in audit_actions(db_session)

    # Frozen: the edit page sends back to the dossier, and a POST changes nothing.
    again = client.post(
        f"/dossiers/{dossier_id}/brouillon",
        data=sheet_form(version.revision, "save", problem="Réécrit"),
    )
    assert again.status_code == 303
    db_session.expire_all()
    assert db_session.get(Dossier, dossier_id).latest.content.problem.startswith("Les changements")


def test_changes_after_submission_make_a_new_version_and_the_old_stays_readable(
    client, login_as, team, db_session
):
    login_as(user=team["intrapreneur"])
    dossier_id = create_sheet(client, team["startup"])
    client.post(
        f"/dossiers/{dossier_id}/brouillon",
        data=sheet_form(current_revision(db_session, dossier_id), "submit"),
    )
    assert client.post(f"/dossiers/{dossier_id}/nouvelle-version").status_code == 303
    revision = current_revision(db_session, dossier_id)
    client.post(
        f"/dossiers/{dossier_id}/brouillon",
        data=sheet_form(revision, "submit", solution="Une démarche entièrement en ligne."),
    )
    first = text(client.get(f"/dossiers/{dossier_id}/versions/1"))
    assert "Une démarche en ligne de bout en bout." in first
    diff = text(client.get(f"/dossiers/{dossier_id}/comparer?de=1&a=2"))
    assert "Comparer les versions 1 et 2" in diff
    assert "Retiré : </span>Une démarche en ligne de bout en bout." in diff
    assert "Ajouté : </span>Une démarche entièrement en ligne." in diff
    assert "dossier.resubmitted" in audit_actions(db_session)


def test_secretariat_returns_a_sheet_and_the_team_resubmits(
    client, login_as, team, make_user, db_session
):
    login_as(user=team["intrapreneur"])
    dossier_id = create_sheet(client, team["startup"])
    client.post(
        f"/dossiers/{dossier_id}/brouillon",
        data=sheet_form(current_revision(db_session, dossier_id), "submit"),
    )
    client.post("/deconnexion")
    login_as(Role.ADMIN)
    refused = client.post(f"/dossiers/{dossier_id}/versions/1/renvoi", data={"comment": ""})
    assert refused.status_code == 422
    assert "Dites à l'équipe ce qu'il faut compléter." in text(refused)
    response = client.post(
        f"/dossiers/{dossier_id}/versions/1/renvoi",
        data={"comment": "Précisez les indicateurs."},
    )
    assert response.status_code == 303
    client.post("/deconnexion")

    login_as(user=team["intrapreneur"])
    page = text(client.get(f"/dossiers/{dossier_id}"))
    assert "Version renvoyée pour compléments" in page and "Précisez les indicateurs." in page
    client.post(f"/dossiers/{dossier_id}/nouvelle-version")
    client.post(
        f"/dossiers/{dossier_id}/brouillon",
        data=sheet_form(current_revision(db_session, dossier_id), "submit"),
    )
    db_session.expire_all()
    dossier = db_session.get(Dossier, dossier_id)
    assert [v.state for v in dossier.versions] == [VersionState.RETURNED, VersionState.SUBMITTED]
    actions = audit_actions(db_session)
    assert actions.index("dossier.returned") < actions.index("dossier.resubmitted")


def test_a_user_of_another_startup_cannot_edit(
    client, login_as, team, make_user, make_startup, db_session
):
    login_as(user=team["intrapreneur"])
    dossier_id = create_sheet(client, team["startup"])
    client.post("/deconnexion")
    login_as(Role.INTRAPRENEUR)  # not in this startup's team
    assert client.get(f"/dossiers/{dossier_id}/brouillon").status_code == 403
    response = client.post(
        f"/dossiers/{dossier_id}/brouillon",
        data=sheet_form(current_revision(db_session, dossier_id), "save", problem="Intrus"),
    )
    assert response.status_code == 403
    assert "Seule l'équipe de la startup" in text(response)
    assert (
        client.post(
            f"/startups/{team['startup'].slug}/dossiers", data={"kind": "fiche_produit"}
        ).status_code
        == 403
    )
    db_session.expire_all()
    assert db_session.get(Dossier, dossier_id).latest.content.problem == ""


@pytest.mark.parametrize(
    ("who", "draft_status", "submitted_status"),
    [("member", 403, 200), ("admin", 403, 200), ("sponsor", 403, 200), ("stranger", 403, 403)],
)
def test_who_reads_drafts_and_submitted_sheets(
    client, login_as, team, db_session, who, draft_status, submitted_status
):
    login_as(user=team["intrapreneur"])
    dossier_id = create_sheet(client, team["startup"])
    client.post("/deconnexion")
    reader = {
        "member": lambda: login_as(Role.MEMBER),
        "admin": lambda: login_as(Role.ADMIN),
        "sponsor": lambda: login_as(user=team["sponsor"]),
        "stranger": lambda: login_as(Role.SPONSOR),
    }[who]
    reader()
    assert client.get(f"/dossiers/{dossier_id}").status_code == draft_status
    client.post("/deconnexion")
    login_as(user=team["intrapreneur"])
    client.post(
        f"/dossiers/{dossier_id}/brouillon",
        data=sheet_form(current_revision(db_session, dossier_id), "submit"),
    )
    client.post("/deconnexion")
    reader()
    assert client.get(f"/dossiers/{dossier_id}").status_code == submitted_status


def test_a_stale_save_is_refused_and_shows_both_texts(client, login_as, team, db_session):
    login_as(user=team["intrapreneur"])
    dossier_id = create_sheet(client, team["startup"])
    stale = current_revision(db_session, dossier_id)
    # Hugo saves first…
    client.post("/deconnexion")
    login_as(user=team["colleague"])
    client.post(
        f"/dossiers/{dossier_id}/brouillon",
        data={"revision": stale, "action": "save", "problem": "Texte de Hugo"},
    )
    client.post("/deconnexion")
    # …then Julie, who loaded the draft before Hugo saved.
    login_as(user=team["intrapreneur"])
    response = client.post(
        f"/dossiers/{dossier_id}/brouillon",
        data={"revision": stale, "action": "save", "problem": "Texte de Julie"},
    )
    assert response.status_code == 409
    page = text(response)
    assert "Votre enregistrement n'a pas été fait" in page
    assert "Hugo Laurent" in page
    # Both texts, section by section: the saved one (−) and Julie's (+).
    assert "Retiré : </span>Texte de Hugo" in page
    assert "Ajouté : </span>Texte de Julie" in page
    assert "Texte de Julie</textarea>" in page  # Julie's text stays in her form
    db_session.expire_all()
    assert db_session.get(Dossier, dossier_id).latest.content.problem == "Texte de Hugo"


def test_long_texts_keep_line_breaks_and_are_rendered_inert(client, login_as, team, db_session):
    login_as(user=team["intrapreneur"])
    dossier_id = create_sheet(client, team["startup"])
    revision = current_revision(db_session, dossier_id)
    client.post(
        f"/dossiers/{dossier_id}/brouillon",
        data={
            "revision": revision,
            "action": "save",
            "problem": "Ligne 1\nLigne 2 <script>alert(1)</script>",
        },
    )
    page = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "Ligne 1\nLigne 2 &lt;script&gt;" in page
    assert 'class="comite-pre-line"' in page


def test_too_long_text_is_refused_with_a_french_message_and_kept(
    client, login_as, team, db_session
):
    login_as(user=team["intrapreneur"])
    dossier_id = create_sheet(client, team["startup"])
    revision = current_revision(db_session, dossier_id)
    response = client.post(
        f"/dossiers/{dossier_id}/brouillon",
        data={"revision": revision, "action": "save", "problem": "x" * 5001},
    )
    assert response.status_code == 422
    assert "5000 caractères au plus." in text(response)
    assert "x" * 5001 in text(response)


def test_rows_are_added_and_removed_without_javascript(client, login_as, team, db_session):
    login_as(user=team["intrapreneur"])
    dossier_id = create_sheet(client, team["startup"])
    url = f"/dossiers/{dossier_id}/brouillon"
    response = client.post(
        url,
        data=sheet_form(current_revision(db_session, dossier_id), "add:indicators", indicators=1),
    )
    assert response.status_code == 303 and response.location.endswith("#indicators-1")
    page = text(client.get(url))
    assert 'id="indicators-1-name"' in page and "Retirer l'indicateur 2" in page
    client.post(
        url,
        data=sheet_form(
            current_revision(db_session, dossier_id), "remove:indicators:0", indicators=2
        ),
    )
    db_session.expire_all()
    indicators = db_session.get(Dossier, dossier_id).latest.content.indicators
    assert [i.name for i in indicators] == ["Indicateur 2"]


def test_rows_change_in_place_with_htmx(client, login_as, team, db_session):
    login_as(user=team["intrapreneur"])
    dossier_id = create_sheet(client, team["startup"])
    response = client.post(
        f"/dossiers/{dossier_id}/brouillon",
        data=sheet_form(current_revision(db_session, dossier_id), "add:budget_lines", lines=2),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = text(response)
    assert page.lstrip().startswith("<form") and "<html" not in page
    assert 'id="budget_lines-2-quantity"' in page


def test_autosave_answers_a_status_and_the_new_revision(client, login_as, team, db_session):
    login_as(user=team["intrapreneur"])
    dossier_id = create_sheet(client, team["startup"])
    revision = current_revision(db_session, dossier_id)
    response = client.post(
        f"/dossiers/{dossier_id}/brouillon/enregistrement-auto",
        data={"revision": revision, "problem": "Tapé"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = text(response)
    assert "Brouillon enregistré automatiquement." in page
    assert f'value="{revision + 1}" hx-swap-oob="true"' in page
    stale = client.post(
        f"/dossiers/{dossier_id}/brouillon/enregistrement-auto",
        data={"revision": revision, "problem": "Tapé encore"},
        headers={"HX-Request": "true"},
    )
    assert stale.status_code == 409
    assert "une autre personne a modifié ce brouillon" in text(stale)


def test_with_htmx_saving_swaps_the_form_and_submitting_loads_the_dossier(
    client, login_as, team, db_session
):
    login_as(user=team["intrapreneur"])
    dossier_id = create_sheet(client, team["startup"])
    url = f"/dossiers/{dossier_id}/brouillon"
    saved = client.post(
        url,
        data=sheet_form(current_revision(db_session, dossier_id), "save"),
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    assert saved.text.lstrip().startswith("<form")
    assert "Brouillon enregistré." in saved.text
    submitted = client.post(
        url,
        data=sheet_form(current_revision(db_session, dossier_id), "submit"),
        headers={"HX-Request": "true"},
    )
    assert submitted.status_code == 204
    assert submitted.headers["HX-Redirect"] == f"/dossiers/{dossier_id}"
