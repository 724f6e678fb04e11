"""The secretariat adds people to a startup's team and removes them."""

from __future__ import annotations

import html

import sqlalchemy as sa

from comite.auth.roles import Role
from comite.core.audit import AuditEvent
from comite.startups.models import Membership
from comite.startups.workflow import MemberRole


def audit(db_session, action: str) -> list[AuditEvent]:
    return list(db_session.scalars(sa.select(AuditEvent).filter_by(action=action)))


def test_admin_adds_a_person_to_the_team_by_email(
    client, login_as, make_user, make_startup, db_session
):
    admin = login_as(Role.ADMIN)
    julie = make_user(
        Role.INTRAPRENEUR,
        given_name="Julie",
        usual_name="Moreau",
        email="julie.moreau@exemple.gouv.fr",
    )
    startup = make_startup()
    response = client.post(
        f"/startups/{startup.slug}/equipe",
        data={"email": "Julie.Moreau@exemple.gouv.fr", "role": "intrapreneur"},
    )
    assert response.status_code == 303
    assert response.location == f"/startups/{startup.slug}#equipe"
    membership = db_session.scalars(sa.select(Membership)).one()
    assert (membership.user_id, membership.startup_id, membership.role) == (
        julie.id,
        startup.id,
        MemberRole.INTRAPRENEUR,
    )
    page = html.unescape(client.get(f"/startups/{startup.slug}").text)
    assert "Julie Moreau" in page
    assert "Julie Moreau rejoint l'équipe : Intrapreneur." in page
    (event,) = audit(db_session, "membership.added")
    assert event.actor_id == admin.id
    assert event.object_type == "Startup" and event.object_id == str(startup.id)
    assert event.details == {"user_id": julie.id, "email": julie.email, "role": "intrapreneur"}


def test_a_person_may_belong_to_several_startups(client, login_as, make_user, make_startup):
    login_as(Role.ADMIN)
    coach = make_user(Role.INTRAPRENEUR)
    make_startup(members={coach: MemberRole.COACH})
    other = make_startup()
    response = client.post(
        f"/startups/{other.slug}/equipe", data={"email": coach.email, "role": "coach"}
    )
    assert response.status_code == 303


def test_adding_the_same_person_in_the_same_role_twice_is_refused(
    client, login_as, make_user, make_startup, db_session
):
    login_as(Role.ADMIN)
    person = make_user(Role.SPONSOR, given_name="Thomas", usual_name="Bernard")
    startup = make_startup(members={person: MemberRole.SPONSOR})
    response = client.post(
        f"/startups/{startup.slug}/equipe", data={"email": person.email.upper(), "role": "sponsor"}
    )
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "<title>Erreur : " in page
    assert "Thomas Bernard est déjà sponsor de cette startup." in page
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 1
    assert audit(db_session, "membership.added") == []


def test_adding_an_unknown_email_says_to_invite_first(client, login_as, make_startup):
    login_as(Role.ADMIN)
    startup = make_startup()
    response = client.post(
        f"/startups/{startup.slug}/equipe",
        data={"email": "personne@exemple.gouv.fr", "role": "team"},
    )
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert 'id="email-error-1">Aucun compte n\'a cette adresse' in page
    assert 'href="/admin/utilisateurs/inviter"' in page


def test_adding_a_deactivated_account_is_refused(client, login_as, make_user, make_startup):
    login_as(Role.ADMIN)
    person = make_user(Role.INTRAPRENEUR, is_active=False)
    startup = make_startup()
    response = client.post(
        f"/startups/{startup.slug}/equipe", data={"email": person.email, "role": "team"}
    )
    assert response.status_code == 422
    assert "Ce compte est désactivé" in html.unescape(response.text)


def test_admin_removes_a_person_from_the_team(
    client, login_as, make_user, make_startup, db_session
):
    admin = login_as(Role.ADMIN)
    person = make_user(Role.INTRAPRENEUR, given_name="Hugo", usual_name="Laurent")
    startup = make_startup(members={person: MemberRole.TEAM})
    membership_id = startup.memberships[0].id
    page = client.get(f"/startups/{startup.slug}").text
    assert f'action="/startups/{startup.slug}/equipe/{membership_id}/retirer"' in page
    response = client.post(f"/startups/{startup.slug}/equipe/{membership_id}/retirer")
    assert response.status_code == 303
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 0
    flashed = html.unescape(client.get(response.location).text)
    assert "Hugo Laurent ne fait plus partie de l'équipe (membre de l'équipe)." in flashed
    assert "<strong>Hugo Laurent</strong>" not in client.get(f"/startups/{startup.slug}").text
    (event,) = audit(db_session, "membership.removed")
    assert event.actor_id == admin.id
    assert event.details == {"user_id": person.id, "email": person.email, "role": "team"}


def test_removing_a_membership_of_another_startup_is_a_404(
    client, login_as, make_user, make_startup
):
    login_as(Role.ADMIN)
    person = make_user(Role.INTRAPRENEUR)
    theirs = make_startup(members={person: MemberRole.TEAM})
    other = make_startup()
    response = client.post(f"/startups/{other.slug}/equipe/{theirs.memberships[0].id}/retirer")
    assert response.status_code == 404


def test_team_form_offers_every_role_in_a_startup(client, login_as, make_startup):
    login_as(Role.ADMIN)
    startup = make_startup()
    page = html.unescape(client.get(f"/startups/{startup.slug}").text)
    for role in MemberRole:
        assert f">{role.label}</option>" in page
