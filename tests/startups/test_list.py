"""The list of startups: search, filters, sort, pages, and htmx fragments."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from comite.auth.roles import Role
from comite.startups.workflow import Phase


@pytest.fixture
def catalogue(make_startup, make_incubator):
    nord = make_incubator("Incubateur du Nord")
    sud = make_incubator("Incubateur du Sud")
    return {
        "aides": make_startup("Aides Vélo", Phase.INVESTIGATION, nord, dt.date(2026, 9, 1)),
        "carte": make_startup("Carte Grise en Ligne", Phase.CONSTRUCTION, sud, dt.date(2026, 1, 5)),
        "cantine": make_startup("Cantine Locale", Phase.ACCELERATION, nord, dt.date(2025, 4, 7)),
        "permis": make_startup("Permis Rapide", Phase.CONSOLIDATION, sud, dt.date(2024, 9, 2)),
    }


def names_in(page: str, catalogue) -> list[str]:
    """The catalogue's startups in the order the page shows them."""
    found = [(page.find(s.name), s.name) for s in catalogue.values() if s.name in page]
    return [name for _, name in sorted(found)]


def test_anonymous_visitor_is_sent_to_login_then_back(client):
    response = client.get("/startups?q=carte")
    assert response.status_code == 302
    assert "/connexion?next=" in response.location
    assert "startups" in response.location


def test_user_without_role_gets_a_french_403(client, login_as):
    login_as()
    response = client.get("/startups")
    assert response.status_code == 403
    assert "Accès refusé" in response.text
    assert "le secrétariat du comité vous donnera accès" in response.text


def test_search_by_name_ignores_case(client, login_as, catalogue):
    login_as(Role.MEMBER)
    page = client.get("/startups?q=CARTE").text
    assert names_in(page, catalogue) == ["Carte Grise en Ligne"]
    assert "1 startup" in page


def test_search_treats_percent_and_underscore_as_plain_text(client, login_as, catalogue):
    login_as(Role.MEMBER)
    page = client.get("/startups?q=%25").text
    assert names_in(page, catalogue) == []
    assert "Aucune startup ne correspond à votre recherche." in page


def test_filters_by_phase_and_incubator(client, login_as, catalogue):
    login_as(Role.SPONSOR)
    nord = catalogue["aides"].incubator.slug
    assert names_in(client.get("/startups?phase=acceleration").text, catalogue) == [
        "Cantine Locale"
    ]
    assert names_in(client.get(f"/startups?incubateur={nord}").text, catalogue) == [
        "Aides Vélo",
        "Cantine Locale",
    ]
    page = client.get(f"/startups?incubateur={nord}&phase=investigation").text
    assert names_in(page, catalogue) == ["Aides Vélo"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("nom", ["Aides Vélo", "Cantine Locale", "Carte Grise en Ligne", "Permis Rapide"]),
        ("-nom", ["Permis Rapide", "Carte Grise en Ligne", "Cantine Locale", "Aides Vélo"]),
        ("phase", ["Aides Vélo", "Carte Grise en Ligne", "Cantine Locale", "Permis Rapide"]),
        ("-debut", ["Aides Vélo", "Carte Grise en Ligne", "Cantine Locale", "Permis Rapide"]),
        ("debut", ["Permis Rapide", "Cantine Locale", "Carte Grise en Ligne", "Aides Vélo"]),
        ("incubateur", ["Aides Vélo", "Cantine Locale", "Carte Grise en Ligne", "Permis Rapide"]),
    ],
)
def test_sorts_the_list(client, login_as, catalogue, sort, expected):
    login_as(Role.ADMIN)
    assert names_in(client.get(f"/startups?tri={sort}").text, catalogue) == expected


def test_pages_keep_the_search(client, login_as, make_startup, make_incubator):
    login_as(Role.MEMBER)
    incubator = make_incubator()
    for number in range(7):
        make_startup(f"Service {number:02d}", incubator=incubator)
    make_startup("Autre chose", incubator=incubator)
    first = client.get("/startups?q=service").text
    assert "7 startups" in first
    assert "Service 04" in first and "Service 05" not in first
    assert "page=2" in first and "q=service" in first
    second = client.get("/startups?q=service&page=2").text
    assert "Service 05" in second and "Service 06" in second and "Service 04" not in second
    assert 'aria-current="page" title="Page 2"' in second


def test_a_page_past_the_end_shows_no_row_and_no_error(client, login_as, catalogue):
    login_as(Role.MEMBER)
    response = client.get("/startups?page=99")
    assert response.status_code == 200
    assert names_in(response.text, catalogue) == []


def test_unknown_filter_value_is_explained_in_french_next_to_its_field(client, login_as, catalogue):
    login_as(Role.MEMBER)
    response = client.get("/startups?phase=hibernation&q=carte")
    assert response.status_code == 422
    assert "<title>Erreur : Startups – Comité</title>" in response.text
    assert "N'est pas un choix valide" in html.unescape(response.text)
    assert 'aria-invalid="true"' in response.text
    assert 'href="#phase"' in response.text
    # The valid part of the search still applies.
    assert names_in(response.text, catalogue) == ["Carte Grise en Ligne"]


def test_too_long_search_is_refused_with_a_french_message(client, login_as, catalogue):
    login_as(Role.MEMBER)
    response = client.get("/startups?q=" + "a" * 101)
    assert response.status_code == 422
    assert "100 caractères au plus." in response.text


def test_htmx_request_gets_only_the_results_fragment(client, login_as, catalogue):
    login_as(Role.MEMBER)
    response = client.get("/startups?q=permis", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert response.text.lstrip().startswith('<div id="resultats"')
    assert "<html" not in response.text
    assert names_in(response.text, catalogue) == ["Permis Rapide"]


def test_history_restore_gets_the_full_page(client, login_as, catalogue):
    login_as(Role.MEMBER)
    response = client.get(
        "/startups?q=permis",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_search_form_works_without_javascript(client, login_as, catalogue):
    login_as(Role.MEMBER)
    page = client.get("/startups").text
    assert '<form method="get" action="/startups"' in page
    assert 'name="q"' in page and 'type="submit"' in page
