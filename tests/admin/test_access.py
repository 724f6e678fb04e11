"""Only the committee's secretariat opens the administration pages and sends their forms."""

from __future__ import annotations

import html

import pytest

from comite.auth.roles import Role
from comite.startups.workflow import MemberRole

# (method, URL template): {user}, {incubator}, {startup} and {membership} are filled per test.
ADMIN_ONLY = [
    ("get", "/admin"),
    ("get", "/admin/utilisateurs"),
    ("get", "/admin/utilisateurs/inviter"),
    ("post", "/admin/utilisateurs/inviter"),
    ("get", "/admin/utilisateurs/{user}"),
    ("post", "/admin/utilisateurs/{user}"),
    ("post", "/admin/utilisateurs/{user}/desactiver"),
    ("post", "/admin/utilisateurs/{user}/reactiver"),
    ("get", "/admin/incubateurs"),
    ("get", "/admin/incubateurs/nouveau"),
    ("post", "/admin/incubateurs/nouveau"),
    ("get", "/admin/incubateurs/{incubator}/modifier"),
    ("post", "/admin/incubateurs/{incubator}/modifier"),
    ("get", "/startups/nouvelle"),
    ("post", "/startups/nouvelle"),
    ("get", "/startups/{startup}/modifier"),
    ("post", "/startups/{startup}/modifier"),
    ("post", "/startups/{startup}/equipe"),
    ("post", "/startups/{startup}/equipe/{membership}/retirer"),
]


@pytest.fixture
def targets(make_user, make_startup):
    person = make_user(Role.INTRAPRENEUR)
    startup = make_startup(members={person: MemberRole.TEAM})
    return {
        "user": person.id,
        "incubator": startup.incubator.id,
        "startup": startup.slug,
        "membership": startup.memberships[0].id,
    }


@pytest.mark.parametrize("roles", [(), (Role.MEMBER,), (Role.INTRAPRENEUR, Role.SPONSOR)])
@pytest.mark.parametrize(("method", "url"), ADMIN_ONLY)
def test_other_roles_get_a_french_403_on_every_admin_page_and_form(
    client, login_as, targets, roles, method, url
):
    login_as(*roles)
    response = getattr(client, method)(url.format(**targets))
    assert response.status_code == 403
    assert "Accès refusé" in response.text


def test_the_403_names_the_secretariat(client, login_as):
    login_as(Role.FINANCE)
    page = html.unescape(client.get("/admin/utilisateurs").text)
    assert "réservée aux rôles suivants : secrétariat du comité" in page


@pytest.mark.parametrize(("method", "url"), ADMIN_ONLY)
def test_anonymous_visitor_is_sent_to_login(client, targets, method, url):
    response = getattr(client, method)(url.format(**targets))
    assert response.status_code == 302
    assert "/connexion?next=" in response.location


def test_secretariat_sees_administration_and_audit_log_in_its_navigation(client, login_as):
    login_as(Role.ADMIN)
    page = html.unescape(client.get("/").text)
    assert ">Administration</a>" in page
    assert ">Journal d'audit</a>" in page


def test_other_roles_do_not_see_administration_in_their_navigation(client, login_as):
    login_as(Role.MEMBER, Role.FINANCE)
    assert ">Administration</a>" not in client.get("/").text


def test_administration_home_links_to_users_incubators_and_new_startup(client, login_as, make_user):
    login_as(Role.ADMIN)
    make_user()
    page = html.unescape(client.get("/admin").text)
    assert "<title>Administration – Comité</title>" in page
    assert 'href="/admin/utilisateurs"' in page
    assert 'href="/admin/incubateurs"' in page
    assert 'href="/startups/nouvelle"' in page
    assert "1 compte en attente d'un rôle" in page
