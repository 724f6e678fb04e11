"""Users: the list with pending accounts first, invitations, roles, deactivation."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from comite.auth.models import User
from comite.auth.roles import Role
from comite.core.audit import AuditEvent


def events(db_session, action: str) -> list[AuditEvent]:
    return list(
        db_session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def user_by_email(db_session, email: str) -> User | None:
    return db_session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))


# The list


def test_accounts_waiting_for_a_role_are_listed_first_with_a_badge(client, login_as, make_user):
    login_as(Role.ADMIN)
    make_user(Role.MEMBER, given_name="Anne", usual_name="Aubert")
    make_user(given_name="Zoé", usual_name="Zeller", email="zoe.zeller@exemple.gouv.fr")
    make_user(Role.SPONSOR, given_name="Bruno", usual_name="Blanc")
    page = html.unescape(client.get("/admin/utilisateurs").text)
    assert "<title>Utilisateurs – Comité</title>" in page
    assert page.index("Zoé Zeller") < page.index("Anne Aubert") < page.index("Bruno Blanc")
    assert 'class="fr-badge fr-badge--new fr-badge--sm fr-badge--no-icon">En attente' in page
    assert "zoe.zeller@exemple.gouv.fr" in page


def test_users_list_searches_names_and_emails_in_any_case(client, login_as, make_user):
    login_as(Role.ADMIN)
    make_user(Role.MEMBER, given_name="Anne", usual_name="Aubert", email="a.aubert@exemple.gouv.fr")
    make_user(
        Role.MEMBER, given_name="Bruno", usual_name="Blanc", email="b.blanc@interieur.gouv.fr"
    )
    page = html.unescape(client.get("/admin/utilisateurs?q=AUBERT").text)
    assert "Anne Aubert" in page and "Bruno Blanc" not in page
    page = html.unescape(client.get("/admin/utilisateurs?q=Interieur.gouv").text)
    assert "Bruno Blanc" in page and "Anne Aubert" not in page
    page = html.unescape(client.get("/admin/utilisateurs?q=anne aubert").text)
    assert "Anne Aubert" in page and "Bruno Blanc" not in page


def test_users_list_filters_by_role_or_waiting(client, login_as, make_user):
    login_as(Role.ADMIN)
    make_user(Role.MEMBER, given_name="Anne", usual_name="Aubert")
    make_user(Role.FINANCE, given_name="Bruno", usual_name="Blanc")
    make_user(given_name="Zoé", usual_name="Zeller")
    page = html.unescape(client.get("/admin/utilisateurs?role=finance").text)
    assert "Bruno Blanc" in page and "Anne Aubert" not in page and "Zoé Zeller" not in page
    page = html.unescape(client.get("/admin/utilisateurs?role=attente").text)
    assert "Zoé Zeller" in page and "Anne Aubert" not in page and "Bruno Blanc" not in page


def test_unknown_role_filter_is_explained_in_french(client, login_as):
    login_as(Role.ADMIN)
    response = client.get("/admin/utilisateurs?role=roi")
    assert response.status_code == 422
    assert "<title>Erreur : Utilisateurs – Comité</title>" in html.unescape(response.text)
    assert "N'est pas un choix valide" in html.unescape(response.text)


def test_users_list_is_paginated_and_pages_keep_the_search(
    client, login_as, make_user, monkeypatch
):
    monkeypatch.setattr("comite.admin.views.USERS_PER_PAGE", 2)
    login_as(Role.ADMIN)
    for letter in "ABC":
        make_user(Role.MEMBER, given_name="Pierre", usual_name=f"{letter}ndré")
    first = html.unescape(client.get("/admin/utilisateurs?q=pierre").text)
    assert "Pierre André" in first and "Pierre Bndré" in first and "Pierre Cndré" not in first
    assert "q=pierre" in first and "page=2" in first
    second = html.unescape(client.get("/admin/utilisateurs?q=pierre&page=2").text)
    assert "Pierre Cndré" in second and "Pierre André" not in second


def test_users_search_answers_htmx_with_the_results_fragment(client, login_as, make_user):
    login_as(Role.ADMIN)
    response = client.get("/admin/utilisateurs?q=essai", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="utilisateurs"')
    assert "HX-Request" in response.headers["Vary"]


# Invitations


def test_admin_invites_a_user_by_email_with_roles(client, login_as, db_session):
    admin = login_as(Role.ADMIN)
    response = client.post(
        "/admin/utilisateurs/inviter",
        data={
            "email": "  Lea.Garnier@Exemple.gouv.fr ",
            "given_name": "Léa",
            "usual_name": "Garnier",
            "roles": ["member", "sponsor"],
        },
    )
    assert response.status_code == 303
    invited = user_by_email(db_session, "lea.garnier@exemple.gouv.fr")
    assert invited is not None
    assert invited.is_active and invited.proconnect_sub is None
    assert invited.roles == {Role.MEMBER, Role.SPONSOR}
    assert response.location == f"/admin/utilisateurs/{invited.id}"
    page = html.unescape(client.get(response.location).text)
    assert "Compte créé pour Léa Garnier : cette personne pourra se connecter" in page
    (event,) = events(db_session, "user.invited")
    assert event.actor_id == admin.id
    assert event.object_id == str(invited.id)
    assert event.details == {"email": invited.email, "roles": ["member", "sponsor"]}


@pytest.mark.parametrize("spelling", ["dup@exemple.gouv.fr", "DUP@Exemple.Gouv.FR"])
def test_inviting_an_existing_email_in_any_case_is_a_field_error(
    client, login_as, make_user, db_session, spelling
):
    login_as(Role.ADMIN)
    make_user(email="dup@exemple.gouv.fr")
    response = client.post(
        "/admin/utilisateurs/inviter", data={"email": spelling, "roles": ["member"]}
    )
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "<title>Erreur : Inviter un utilisateur – Comité</title>" in page
    assert 'id="email-error-1">Un compte existe déjà avec cette adresse' in page
    assert 'href="#email"' in page
    assert events(db_session, "user.invited") == []


def test_invitation_needs_a_valid_email_and_a_role(client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/admin/utilisateurs/inviter", data={"email": "pas-une-adresse"})
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "Saisissez une adresse électronique valide" in page
    assert "Choisissez au moins un rôle." in page
    assert 'class="fr-fieldset fr-fieldset--error"' in page
    assert 'href="#roles"' in page


def test_invitation_form_shows_every_role_as_a_checkbox(client, login_as):
    login_as(Role.ADMIN)
    page = html.unescape(client.get("/admin/utilisateurs/inviter").text)
    assert page.count('type="checkbox"') == len(Role)
    assert '<div class="fr-checkbox-group">' in page
    assert "Direction financière (DSAF)" in page


# Roles


def test_admin_changes_a_users_roles_and_the_change_is_audited(
    client, login_as, make_user, db_session
):
    admin = login_as(Role.ADMIN)
    person = make_user(Role.MEMBER)
    response = client.post(
        f"/admin/utilisateurs/{person.id}", data={"roles": ["intrapreneur", "sponsor"]}
    )
    assert response.status_code == 303
    db_session.refresh(person)
    assert person.roles == {Role.INTRAPRENEUR, Role.SPONSOR}
    (event,) = events(db_session, "user.roles_changed")
    assert event.actor_id == admin.id
    assert event.details == {"before": ["member"], "after": ["intrapreneur", "sponsor"]}


def test_roles_form_shows_the_current_roles_checked(client, login_as, make_user):
    login_as(Role.ADMIN)
    person = make_user(Role.SPONSOR)
    page = client.get(f"/admin/utilisateurs/{person.id}").text
    assert '<input checked id="roles-3" name="roles" type="checkbox" value="sponsor">' in page
    assert '<input id="roles-0" name="roles" type="checkbox" value="admin">' in page


def test_giving_a_pending_account_a_role_takes_it_out_of_waiting(
    client, login_as, make_user, db_session
):
    login_as(Role.ADMIN)
    person = make_user(given_name="Zoé", usual_name="Zeller")
    client.post(
        f"/admin/utilisateurs/{person.id}", data={"roles": ["member"]}, follow_redirects=True
    )
    page = html.unescape(client.get("/admin/utilisateurs?role=attente").text)
    assert "Zoé Zeller" not in page


def test_roles_cannot_all_be_removed(client, login_as, make_user):
    login_as(Role.ADMIN)
    person = make_user(Role.MEMBER)
    response = client.post(f"/admin/utilisateurs/{person.id}", data={})
    assert response.status_code == 422
    assert "désactivez le compte" in html.unescape(response.text)


def test_saving_the_same_roles_writes_no_event(client, login_as, make_user, db_session):
    login_as(Role.ADMIN)
    person = make_user(Role.MEMBER)
    response = client.post(f"/admin/utilisateurs/{person.id}", data={"roles": ["member"]})
    assert response.status_code == 303
    assert events(db_session, "user.roles_changed") == []


def test_admin_cannot_remove_their_own_admin_role(client, login_as, db_session):
    admin = login_as(Role.ADMIN, Role.MEMBER)
    response = client.post(f"/admin/utilisateurs/{admin.id}", data={"roles": ["member"]})
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "Vous ne pouvez pas retirer votre propre rôle de secrétariat du comité" in page
    db_session.refresh(admin)
    assert admin.roles == {Role.ADMIN, Role.MEMBER}
    assert events(db_session, "user.roles_changed") == []


def test_admin_can_add_a_role_to_themselves(client, login_as, db_session):
    admin = login_as(Role.ADMIN)
    response = client.post(f"/admin/utilisateurs/{admin.id}", data={"roles": ["admin", "member"]})
    assert response.status_code == 303
    db_session.refresh(admin)
    assert admin.roles == {Role.ADMIN, Role.MEMBER}


def test_admin_can_remove_another_admins_role(client, login_as, make_user, db_session):
    login_as(Role.ADMIN)
    other = make_user(Role.ADMIN)
    assert (
        client.post(f"/admin/utilisateurs/{other.id}", data={"roles": ["member"]}).status_code
        == 303
    )
    db_session.refresh(other)
    assert other.roles == {Role.MEMBER}


def test_unknown_user_gets_a_french_404(client, login_as):
    login_as(Role.ADMIN)
    response = client.get("/admin/utilisateurs/987654")
    assert response.status_code == 404
    assert "Cet utilisateur n'existe pas" in html.unescape(response.text)


# Deactivation


def test_deactivated_user_is_logged_out_at_their_next_request(
    app, client, login_as, make_user, db_session
):
    admin = login_as(Role.ADMIN)
    person = make_user(Role.MEMBER)
    their_client = app.test_client()
    assert their_client.post("/connexion/dev", data={"user_id": person.id}).status_code == 303
    assert their_client.get("/startups").status_code == 200

    response = client.post(f"/admin/utilisateurs/{person.id}/desactiver")
    assert response.status_code == 303
    assert response.location == f"/admin/utilisateurs/{person.id}"

    next_request = their_client.get("/startups")
    assert next_request.status_code == 302
    assert "/connexion" in next_request.location
    (event,) = events(db_session, "user.deactivated")
    assert event.actor_id == admin.id and event.object_id == str(person.id)


def test_deactivated_user_is_shown_as_such_and_can_be_reactivated(
    client, login_as, make_user, db_session
):
    admin = login_as(Role.ADMIN)
    person = make_user(Role.MEMBER, is_active=False, given_name="Yves", usual_name="Vidal")
    assert "Désactivé" in client.get("/admin/utilisateurs?q=vidal").text
    response = client.post(f"/admin/utilisateurs/{person.id}/reactiver")
    assert response.status_code == 303
    db_session.refresh(person)
    assert person.is_active
    (event,) = events(db_session, "user.reactivated")
    assert event.actor_id == admin.id


def test_admin_cannot_deactivate_themselves(client, login_as, db_session):
    admin = login_as(Role.ADMIN)
    response = client.post(f"/admin/utilisateurs/{admin.id}/desactiver")
    assert response.status_code == 422
    assert "Vous ne pouvez pas désactiver votre propre compte" in html.unescape(response.text)
    db_session.refresh(admin)
    assert admin.is_active
    assert client.get("/admin/utilisateurs").status_code == 200
    assert events(db_session, "user.deactivated") == []


def test_own_page_offers_no_deactivation_button(client, login_as):
    admin = login_as(Role.ADMIN)
    page = client.get(f"/admin/utilisateurs/{admin.id}").text
    assert f'action="/admin/utilisateurs/{admin.id}/desactiver"' not in page


def test_deactivating_twice_changes_nothing_and_writes_one_event(
    client, login_as, make_user, db_session
):
    login_as(Role.ADMIN)
    person = make_user(Role.MEMBER)
    client.post(f"/admin/utilisateurs/{person.id}/desactiver")
    client.post(f"/admin/utilisateurs/{person.id}/desactiver")
    assert len(events(db_session, "user.deactivated")) == 1
