"""Incubators: list, create, edit; names and slugs are unique."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from comite.auth.roles import Role
from comite.core.audit import AuditEvent
from comite.startups.models import Incubator


def test_incubators_are_listed_by_name_with_their_number_of_startups(
    client, login_as, make_incubator, make_startup
):
    login_as(Role.ADMIN)
    sud = make_incubator("Incubateur du Sud")
    make_incubator("Incubateur du Nord")
    make_startup(incubator=sud)
    make_startup(incubator=sud)
    page = html.unescape(client.get("/admin/incubateurs").text)
    assert "<title>Incubateurs – Comité</title>" in page
    assert page.index("Incubateur du Nord") < page.index("Incubateur du Sud")
    assert "2 startups" in page


def test_admin_creates_an_incubator(client, login_as, db_session):
    admin = login_as(Role.ADMIN)
    response = client.post(
        "/admin/incubateurs/nouveau", data={"name": "Fabrique de l'Ouest", "slug": "ouest"}
    )
    assert response.status_code == 303
    assert response.location == "/admin/incubateurs"
    incubator = db_session.scalars(sa.select(Incubator).filter_by(slug="ouest")).one()
    assert incubator.name == "Fabrique de l'Ouest"
    assert "Fabrique de l'Ouest" in html.unescape(client.get("/admin/incubateurs").text)
    event = db_session.scalars(sa.select(AuditEvent).filter_by(action="incubator.created")).one()
    assert event.actor_id == admin.id
    assert event.details == {"name": "Fabrique de l'Ouest", "slug": "ouest"}


def test_slug_is_made_from_the_name_when_left_empty(client, login_as, db_session):
    login_as(Role.ADMIN)
    client.post("/admin/incubateurs/nouveau", data={"name": "Fabrique Numérique de l'Été"})
    assert db_session.scalars(
        sa.select(Incubator).filter_by(slug="fabrique-numerique-de-l-ete")
    ).one()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "slug": "vide"}, "name", "Saisissez le nom de l'incubateur."),
        (
            {"name": "incubateur du nord", "slug": "autre"},
            "name",
            "Un incubateur porte déjà ce nom.",
        ),
        ({"name": "Autre", "slug": "nord"}, "slug", "Un incubateur a déjà cette adresse."),
        ({"name": "Autre", "slug": "Pas Bon!"}, "slug", "Lettres minuscules sans accent"),
    ],
)
def test_invalid_incubator_is_refused_next_to_its_field(
    client, login_as, db_session, data, field, message
):
    login_as(Role.ADMIN)
    db_session.add(Incubator(name="Incubateur du Nord", slug="nord"))
    db_session.commit()
    response = client.post("/admin/incubateurs/nouveau", data=data)
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "<title>Erreur : Nouvel incubateur – Comité</title>" in page
    assert f'id="{field}-error-1">{message}' in page
    assert f'href="#{field}"' in page
    assert 'aria-invalid="true"' in page


def test_admin_edits_an_incubator(client, login_as, make_incubator, db_session):
    admin = login_as(Role.ADMIN)
    incubator = make_incubator("Incubateur du Nord")
    page = html.unescape(client.get(f"/admin/incubateurs/{incubator.id}/modifier").text)
    assert 'value="Incubateur du Nord"' in page
    response = client.post(
        f"/admin/incubateurs/{incubator.id}/modifier",
        data={"name": "Incubateur des Hauts", "slug": incubator.slug},
    )
    assert response.status_code == 303
    db_session.refresh(incubator)
    assert incubator.name == "Incubateur des Hauts"
    event = db_session.scalars(sa.select(AuditEvent).filter_by(action="incubator.updated")).one()
    assert event.actor_id == admin.id
    assert event.details == {"changes": {"name": ["Incubateur du Nord", "Incubateur des Hauts"]}}


def test_an_incubator_keeps_its_own_name_and_slug_on_edit(client, login_as, make_incubator):
    login_as(Role.ADMIN)
    incubator = make_incubator("Incubateur du Nord")
    response = client.post(
        f"/admin/incubateurs/{incubator.id}/modifier",
        data={"name": "Incubateur du Nord", "slug": incubator.slug},
    )
    assert response.status_code == 303


def test_editing_an_incubator_to_another_ones_name_is_refused(client, login_as, make_incubator):
    login_as(Role.ADMIN)
    make_incubator("Incubateur du Nord")
    sud = make_incubator("Incubateur du Sud")
    response = client.post(
        f"/admin/incubateurs/{sud.id}/modifier",
        data={"name": "Incubateur du Nord", "slug": sud.slug},
    )
    assert response.status_code == 422
    assert "<title>Erreur : Modifier l'incubateur" in html.unescape(response.text)


def test_unknown_incubator_gets_a_french_404(client, login_as):
    login_as(Role.ADMIN)
    response = client.get("/admin/incubateurs/987654/modifier")
    assert response.status_code == 404
    assert "Cet incubateur n'existe pas" in html.unescape(response.text)
