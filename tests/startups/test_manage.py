"""The secretariat creates and edits startups; a phase change adds a step to the timeline."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import sqlalchemy as sa

from comite.auth.roles import Role
from comite.core.audit import AuditEvent
from comite.startups.models import PhaseChange, Startup
from comite.startups.workflow import Phase, StartupStatus


def startup_data(incubator, /, **changes) -> dict:
    return {
        "name": "Aides Vélo",
        "slug": "aides-velo",
        "pitch": "Connaître en deux minutes les aides à l'achat d'un vélo.",
        "sponsoring_administration": "Ministère de la Transition écologique",
        "incubator": str(incubator.id),
        "phase": "investigation",
        "phase_started_on": "2026-09-14",
        "status": "active",
        **changes,
    }


def audit(db_session, action: str) -> list[AuditEvent]:
    return list(db_session.scalars(sa.select(AuditEvent).filter_by(action=action)))


def test_admin_creates_a_startup_with_its_first_timeline_step(
    client, login_as, make_incubator, db_session
):
    admin = login_as(Role.ADMIN)
    incubator = make_incubator()
    response = client.post("/startups/nouvelle", data=startup_data(incubator))
    assert response.status_code == 303
    assert response.location == "/startups/aides-velo"
    startup = db_session.scalars(sa.select(Startup).filter_by(slug="aides-velo")).one()
    assert startup.incubator_id == incubator.id
    assert startup.phase is Phase.INVESTIGATION
    assert startup.status is StartupStatus.ACTIVE
    assert [(s.phase, s.started_on) for s in startup.phase_history] == [
        (Phase.INVESTIGATION, dt.date(2026, 9, 14))
    ]
    page = html.unescape(client.get(response.location).text)
    assert "Aides Vélo" in page and "La startup Aides Vélo est créée." in page
    (event,) = audit(db_session, "startup.created")
    assert event.actor_id == admin.id and event.object_id == str(startup.id)
    assert event.details["slug"] == "aides-velo"


def test_the_new_startup_form_lists_incubators_phases_and_statuses(
    client, login_as, make_incubator
):
    login_as(Role.ADMIN)
    make_incubator("Incubateur du Nord")
    page = html.unescape(client.get("/startups/nouvelle").text)
    assert "<title>Nouvelle startup – Comité</title>" in page
    assert ">Incubateur du Nord</option>" in page
    assert ">Accélération</option>" in page
    assert page.count('type="radio"') == len(StartupStatus)
    assert '<div class="fr-radio-group">' in page
    assert 'type="date"' in page


def test_slug_is_made_from_the_name_when_left_empty(client, login_as, make_incubator):
    login_as(Role.ADMIN)
    response = client.post(
        "/startups/nouvelle", data=startup_data(make_incubator(), name="Santé à l'École", slug="")
    )
    assert response.location == "/startups/sante-a-l-ecole"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Saisissez le nom de la startup."),
        ({"slug": "existante"}, "slug", "Une startup a déjà cette adresse."),
        ({"slug": "Avec Espaces"}, "slug", "Lettres minuscules sans accent"),
        ({"slug": "nouvelle"}, "slug", "Cette adresse est réservée"),
        ({"phase": "hibernation"}, "phase", "N'est pas un choix valide"),
        ({"phase_started_on": "14/09/2026"}, "phase_started_on", "N'est pas une date valide"),
        ({"incubator": "987654"}, "incubator", "N'est pas un choix valide"),
        ({"status": ""}, "status", "Choisissez un statut."),
    ],
)
def test_invalid_startup_is_refused_with_errors_next_to_fields(
    client, login_as, make_incubator, make_startup, db_session, changes, field, message
):
    login_as(Role.ADMIN)
    incubator = make_incubator()
    existing = make_startup()
    existing.slug = "existante"
    db_session.commit()
    response = client.post("/startups/nouvelle", data=startup_data(incubator, **changes))
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "<title>Erreur : Nouvelle startup – Comité</title>" in page
    assert f'id="{field}-error-1">{message}' in page
    assert f'href="#{field}"' in page
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Startup)) == 1


def test_edit_form_is_filled_with_the_startup(client, login_as, make_startup):
    login_as(Role.ADMIN)
    startup = make_startup("Cantine Locale")
    page = html.unescape(client.get(f"/startups/{startup.slug}/modifier").text)
    assert "<title>Modifier Cantine Locale – Comité</title>" in page
    assert 'value="Cantine Locale"' in page
    assert 'value="2026-03-02"' in page
    assert 'checked id="status-0"' in page


def test_admin_edits_a_startup_and_the_changed_fields_are_audited(
    client, login_as, make_startup, db_session
):
    admin = login_as(Role.ADMIN)
    startup = make_startup("Cantine Locale", phase_started_on=dt.date(2026, 3, 2))
    old_slug = startup.slug
    response = client.post(
        f"/startups/{old_slug}/modifier",
        data=startup_data(
            startup.incubator,
            name="Cantine Durable",
            slug="cantine-durable",
            pitch=startup.pitch,
            sponsoring_administration=startup.sponsoring_administration,
            phase_started_on="2026-03-02",
        ),
    )
    assert response.status_code == 303
    assert response.location == "/startups/cantine-durable"
    db_session.refresh(startup)
    assert startup.name == "Cantine Durable"
    assert len(startup.phase_history) == 1
    (event,) = audit(db_session, "startup.updated")
    assert event.actor_id == admin.id
    assert event.details == {
        "changes": {
            "name": ["Cantine Locale", "Cantine Durable"],
            "slug": [old_slug, "cantine-durable"],
        }
    }


def test_a_phase_change_adds_a_step_to_the_timeline(client, login_as, make_startup, db_session):
    login_as(Role.ADMIN)
    startup = make_startup("Cantine Locale", phase_started_on=dt.date(2026, 3, 2))
    response = client.post(
        f"/startups/{startup.slug}/modifier",
        data=startup_data(
            startup.incubator,
            name=startup.name,
            slug=startup.slug,
            phase="construction",
            phase_started_on="2026-05-18",
        ),
    )
    assert response.status_code == 303
    db_session.refresh(startup)
    assert startup.phase is Phase.CONSTRUCTION
    assert startup.phase_started_on == dt.date(2026, 5, 18)
    assert [(s.phase, s.started_on) for s in startup.phase_history] == [
        (Phase.INVESTIGATION, dt.date(2026, 3, 2)),
        (Phase.CONSTRUCTION, dt.date(2026, 5, 18)),
    ]
    page = html.unescape(client.get(f"/startups/{startup.slug}").text)
    assert page.index("depuis le 18 mai 2026 (phase actuelle)") < page.index(
        "depuis le 2 mars 2026"
    )
    (event,) = audit(db_session, "startup.updated")
    assert event.details["changes"]["phase"] == ["investigation", "construction"]


def test_correcting_the_phase_start_date_corrects_the_current_step(
    client, login_as, make_startup, db_session
):
    login_as(Role.ADMIN)
    startup = make_startup(phase_started_on=dt.date(2026, 3, 2))
    client.post(
        f"/startups/{startup.slug}/modifier",
        data=startup_data(
            startup.incubator, name=startup.name, slug=startup.slug, phase_started_on="2026-03-09"
        ),
    )
    db_session.refresh(startup)
    assert [(s.phase, s.started_on) for s in startup.phase_history] == [
        (Phase.INVESTIGATION, dt.date(2026, 3, 9))
    ]


def test_a_new_phase_cannot_start_before_the_previous_one(
    client, login_as, make_startup, db_session
):
    login_as(Role.ADMIN)
    startup = make_startup(phase_started_on=dt.date(2026, 3, 2))
    response = client.post(
        f"/startups/{startup.slug}/modifier",
        data=startup_data(
            startup.incubator,
            name=startup.name,
            slug=startup.slug,
            phase="construction",
            phase_started_on="2026-01-05",
        ),
    )
    assert response.status_code == 422
    assert "ne peut pas précéder le début de la phase précédente (2 mars 2026)" in html.unescape(
        response.text
    )
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PhaseChange)) == 1


def test_saving_an_unchanged_startup_writes_no_event(client, login_as, make_startup, db_session):
    login_as(Role.ADMIN)
    startup = make_startup()
    response = client.post(
        f"/startups/{startup.slug}/modifier",
        data=startup_data(
            startup.incubator,
            name=startup.name,
            slug=startup.slug,
            pitch=startup.pitch,
            sponsoring_administration=startup.sponsoring_administration,
            phase_started_on="2026-03-02",
        ),
    )
    assert response.status_code == 303
    assert audit(db_session, "startup.updated") == []


def test_admins_see_links_to_create_and_edit_startups(client, login_as, make_startup):
    login_as(Role.ADMIN)
    startup = make_startup()
    assert 'href="/startups/nouvelle"' in client.get("/startups").text
    assert (
        f'href="/startups/{startup.slug}/modifier"' in client.get(f"/startups/{startup.slug}").text
    )


def test_other_roles_see_no_link_to_create_or_edit(client, login_as, make_startup):
    login_as(Role.MEMBER)
    startup = make_startup()
    assert "/startups/nouvelle" not in client.get("/startups").text
    page = client.get(f"/startups/{startup.slug}").text
    assert "/modifier" not in page and "/equipe" not in page


def test_unknown_startup_edit_gets_a_french_404(client, login_as):
    login_as(Role.ADMIN)
    response = client.get("/startups/n-existe-pas/modifier")
    assert response.status_code == 404
