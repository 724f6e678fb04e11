"""The page of one startup: what it is, its team, its timeline."""

from __future__ import annotations

import datetime as dt
import html

from comite.auth.roles import Role
from comite.startups.models import PhaseChange
from comite.startups.workflow import MemberRole, Phase


def test_startup_page_shows_team_and_phase_timeline(
    client, login_as, make_user, make_startup, db_session
):
    julie = make_user(Role.INTRAPRENEUR, given_name="Julie", usual_name="Moreau")
    thomas = make_user(Role.SPONSOR, given_name="Thomas", usual_name="Bernard")
    startup = make_startup(
        "Carte Grise en Ligne",
        Phase.CONSTRUCTION,
        phase_started_on=dt.date(2026, 1, 12),
        members={thomas: MemberRole.SPONSOR, julie: MemberRole.INTRAPRENEUR},
    )
    startup.phase_history.insert(
        0, PhaseChange(phase=Phase.INVESTIGATION, started_on=dt.date(2025, 11, 3))
    )
    db_session.commit()
    login_as(Role.MEMBER)

    page = html.unescape(client.get(f"/startups/{startup.slug}").text)

    assert "<title>Carte Grise en Ligne – Comité</title>" in page
    assert "Ministère de l'Exemple" in page
    # The intrapreneur comes before the sponsor, whatever the order they joined in.
    assert page.index("Julie Moreau") < page.index("Thomas Bernard")
    assert "Intrapreneur" in page and "Sponsor" in page
    # Latest phase first.
    assert page.index("depuis le 12 janvier 2026 (phase actuelle)") < page.index(
        "depuis le 3 novembre 2025"
    )


def test_unknown_startup_gets_a_french_404(client, login_as):
    login_as(Role.MEMBER)
    response = client.get("/startups/n-existe-pas")
    assert response.status_code == 404
    assert "Cette startup n'existe pas" in html.unescape(response.text)


def test_home_lists_my_startups(client, login_as, make_user, make_startup):
    julie = make_user(Role.INTRAPRENEUR)
    make_startup("Cantine Locale", members={julie: MemberRole.INTRAPRENEUR})
    make_startup("Autre Service")
    login_as(user=julie)
    page = client.get("/").text
    assert "Mes startups" in page and "Cantine Locale" in page
    assert "Autre Service" not in page


def test_account_without_role_is_told_access_will_come(client, login_as):
    login_as()
    page = html.unescape(client.get("/").text)
    assert "Votre compte attend un rôle" in page
    assert ">Startups</a>" not in page
