"""ProConnect login against a real OpenID Provider on 127.0.0.1 (tests/proconnect_provider.py).

Every refusal is a test: the person sees a French page, nothing is half-created, and the
refusal is in the audit log.
"""

from __future__ import annotations

import html
import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from comite.auth.models import User
from comite.auth.roles import Role
from comite.core.audit import AuditEvent
from tests.auth.conftest import LoginFlow, proconnect_app

NEW_LEVEL = "https://proconnect.gouv.fr/assurance/self-asserted-2fa"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def users_count(db_session) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(User))


def audit_actions(db_session) -> list[str]:
    return list(db_session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def refusal_reasons(db_session) -> list[str]:
    events = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "auth.refused").order_by(AuditEvent.id)
    )
    return [event.details["reason"] for event in events]


def test_login_page_shows_the_proconnect_button_above_the_development_login(pc_client):
    page = text(pc_client.get("/connexion"))
    assert 'class="fr-connect fr-connect--pro"' in page
    assert "S’identifier avec" in page and "ProConnect</span>" in page
    assert "Qu’est-ce que ProConnect ?" in page
    assert page.index("fr-connect--pro") < page.index("Connexion de développement")


def test_authorization_request_follows_proconnect_rules(flow, proconnect):
    authorize_url = flow.start()
    params = {key: values[0] for key, values in parse_qs(urlsplit(authorize_url).query).items()}
    assert authorize_url.startswith(proconnect.url + "/oauth2/authorize")
    assert params["response_type"] == "code"
    assert params["client_id"] == proconnect.client_id
    assert params["redirect_uri"] == "http://localhost/connexion/proconnect/callback"
    assert set(params["scope"].split()) == {
        "openid",
        "email",
        "given_name",
        "usual_name",
        "uid",
        "siret",
        "idp_id",
        "organizational_unit",
    }
    assert params["acr_values"] == "eidas1"
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32


def test_invited_user_is_bound_to_their_proconnect_identity(
    flow, proconnect, make_user, db_session
):
    invited = make_user(
        Role.MEMBER, email="Claire.Dubois@exemple.gouv.fr", given_name="", usual_name=""
    )
    proconnect.set_user(
        "sub-claire",
        email="claire.dubois@exemple.gouv.fr",
        given_name="Claire",
        usual_name="Dubois",
        siret="13002526500013",
    )
    response = flow.login("sub-claire", next_url="/startups")

    assert response.status_code == 303
    assert response.location == "/startups"
    db_session.refresh(invited)
    assert invited.proconnect_sub == "sub-claire"
    assert (invited.given_name, invited.usual_name, invited.siret) == (
        "Claire",
        "Dubois",
        "13002526500013",
    )
    assert "Vous êtes connecté en tant que Claire Dubois." in text(flow.client.get("/"))
    assert audit_actions(db_session)[-2:] == ["user.proconnect_linked", "auth.login"]
    # The token was asked with client_secret_post, never HTTP Basic.
    token_request = proconnect.behaviour.token_requests[-1]
    assert token_request["basic"] is False
    assert token_request["form"]["client_secret"] == proconnect.client_secret


def test_the_sub_is_the_identity_and_the_email_follows_the_provider(
    flow, proconnect, make_user, db_session
):
    user = make_user(Role.SPONSOR, email="ancien@exemple.gouv.fr")
    user.proconnect_sub = "sub-thomas"
    db_session.commit()
    proconnect.set_user(
        "sub-thomas", email="nouveau@exemple.gouv.fr", given_name="Thomas", usual_name="Bernard"
    )
    assert flow.login("sub-thomas").status_code == 303
    db_session.refresh(user)
    assert user.email == "nouveau@exemple.gouv.fr"
    assert user.full_name == "Thomas Bernard"
    assert "user.email_changed" in audit_actions(db_session)


def test_a_person_nobody_invited_gets_an_account_without_role(flow, proconnect, db_session):
    proconnect.set_user(
        "sub-inconnu", email="inconnu@exemple.gouv.fr", given_name="Inès", usual_name="Connue"
    )
    response = flow.login("sub-inconnu")
    assert response.status_code == 303
    user = db_session.scalars(sa.select(User).where(User.proconnect_sub == "sub-inconnu")).one()
    assert user.roles == frozenset()
    page = text(flow.client.get("/"))
    assert "Votre compte Comité est créé." in page
    assert "Votre compte attend un rôle" in page
    assert "Le secrétariat du comité a été prévenu" in page
    assert flow.client.get("/startups").status_code == 403
    assert "user.pending" in audit_actions(db_session)


@pytest.mark.parametrize(("userinfo_format", "alg"), [("json", None), ("jwt", "RS256")])
def test_userinfo_as_json_or_signed_rs256_is_read_too(
    flow, proconnect, db_session, userinfo_format, alg
):
    proconnect.behaviour.userinfo_format = userinfo_format
    proconnect.behaviour.userinfo_alg = alg or "ES256"
    proconnect.set_user(
        "sub-json", email="json@exemple.gouv.fr", given_name="Jason", usual_name="On"
    )
    assert flow.login("sub-json").status_code == 303
    user = db_session.scalars(sa.select(User).where(User.proconnect_sub == "sub-json")).one()
    assert user.given_name == "Jason"


def test_newer_assurance_levels_are_asked_through_the_claims_parameter(proconnect, app, db_session):
    client = proconnect_app(app, proconnect, PROCONNECT_ASSURANCE_LEVELS=NEW_LEVEL).test_client()
    flow = LoginFlow(client)
    proconnect.set_user("sub-2fa", email="deuxfacteurs@exemple.gouv.fr", acr=NEW_LEVEL)
    assert flow.login("sub-2fa").status_code == 303
    asked = proconnect.behaviour.authorization_requests[-1]
    assert "acr_values" not in asked
    assert json.loads(asked["claims"]) == {
        "id_token": {"acr": {"essential": True, "values": [NEW_LEVEL]}}
    }


# -- refusals ---------------------------------------------------------------------------


def refused(response, db_session, users_before, reason, message, status=400):
    assert response.status_code == status
    page = text(response)
    assert "Connexion refusée" in page
    assert message in page
    assert users_count(db_session) == users_before
    assert refusal_reasons(db_session)[-1] == reason
    return page


def test_provider_error_is_refused(flow, proconnect, db_session):
    before = users_count(db_session)
    response = flow.back_to_comite(flow.authorize(flow.start(), deny=True))
    refused(response, db_session, before, "provider_error", "ProConnect n'a pas pu vous identifier")
    event = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "auth.refused")
    ).one()
    assert event.details["provider_error"] == "access_denied"


@pytest.mark.parametrize("state", ["un-autre-etat-de-plus-de-trente-deux-caracteres", None])
def test_a_wrong_or_missing_state_is_refused(flow, proconnect, db_session, state):
    proconnect.set_user("sub-state", email="state@exemple.gouv.fr")
    before = users_count(db_session)
    callback = urlsplit(flow.authorize(flow.start(), "sub-state"))
    params = parse_qs(callback.query)
    query = f"code={params['code'][0]}" + (f"&state={state}" if state else "")
    response = flow.client.get(f"{callback.path}?{query}")
    refused(response, db_session, before, "state", "La demande de connexion a expiré")


def test_a_replayed_code_is_refused(flow, proconnect, db_session):
    proconnect.set_user("sub-replay", email="replay@exemple.gouv.fr")
    first = urlsplit(flow.authorize(flow.start(), "sub-replay"))
    assert flow.client.get(f"{first.path}?{first.query}").status_code == 303
    flow.client.post("/deconnexion")
    before = users_count(db_session)
    # A new login whose callback carries the code already used.
    second = urlsplit(flow.authorize(flow.start(), "sub-replay"))
    state = parse_qs(second.query)["state"][0]
    used_code = parse_qs(first.query)["code"][0]
    response = flow.client.get(f"{second.path}?code={used_code}&state={state}")
    refused(response, db_session, before, "code", "Le code de connexion a expiré ou a déjà servi.")


def test_an_expired_code_is_refused(flow, proconnect, db_session):
    proconnect.set_user("sub-slow", email="lent@exemple.gouv.fr")
    proconnect.behaviour.code_lifetime = proconnect.behaviour.code_lifetime * 0 + type(
        proconnect.behaviour.code_lifetime
    )(seconds=0.2)
    before = users_count(db_session)
    callback = flow.authorize(flow.start(), "sub-slow")
    time.sleep(0.3)
    response = flow.back_to_comite(callback)
    refused(response, db_session, before, "code", "Le code de connexion a expiré")


@pytest.mark.parametrize(
    ("change", "reason", "message"),
    [
        ({"nonce": "x" * 43}, "nonce", "ne correspond pas à votre demande"),
        ({"iss": "https://faux-fournisseur.example"}, "issuer", "fournisseur d'identité attendu"),
        ({"aud": "un-autre-service"}, "audience", "n'est pas destinée à Comité"),
        ({"exp": 1_000_000_000}, "expired", "La réponse de ProConnect a expiré."),
        ({"acr": "eidas0"}, "acr", "niveau de sécurité de votre connexion est insuffisant"),
    ],
)
def test_an_id_token_that_does_not_check_out_is_refused(
    flow, proconnect, db_session, change, reason, message
):
    proconnect.set_user("sub-token", email="jeton@exemple.gouv.fr")
    proconnect.behaviour.id_token_overrides = change
    before = users_count(db_session)
    response = flow.login("sub-token")
    refused(response, db_session, before, reason, message)


def test_an_id_token_with_a_bad_signature_is_refused(flow, proconnect, db_session):
    proconnect.set_user("sub-forged", email="faux@exemple.gouv.fr")
    proconnect.behaviour.sign_id_token_with_foreign_key = True
    before = users_count(db_session)
    response = flow.login("sub-forged")
    refused(response, db_session, before, "signature", "La signature de la réponse")


def test_a_deactivated_user_is_refused(flow, proconnect, make_user, db_session):
    user = make_user(Role.MEMBER, email="parti@exemple.gouv.fr", is_active=False)
    proconnect.set_user("sub-parti", email="parti@exemple.gouv.fr")
    before = users_count(db_session)
    response = flow.login("sub-parti")
    refused(response, db_session, before, "deactivated", "Votre compte Comité est désactivé.", 403)
    db_session.refresh(user)
    assert user.proconnect_sub is None  # nothing half-done
    assert flow.client.get("/startups").status_code == 302


# -- logout -------------------------------------------------------------------------------


def test_logout_ends_the_proconnect_session_too(flow, proconnect, make_user, db_session):
    make_user(Role.MEMBER, email="sortie@exemple.gouv.fr")
    proconnect.set_user("sub-sortie", email="sortie@exemple.gouv.fr")
    flow.login("sub-sortie")

    response = flow.client.post("/deconnexion")
    assert response.status_code == 302
    end_session = urlsplit(response.location)
    params = {key: values[0] for key, values in parse_qs(end_session.query).items()}
    assert response.location.startswith(proconnect.url + "/oauth2/end_session")
    assert params["post_logout_redirect_uri"] == "http://localhost/deconnexion/fin"
    assert len(params["state"]) >= 32 and params["id_token_hint"]
    # Comité's session is already closed.
    assert flow.client.get("/startups").status_code == 302

    # The provider accepts the hint (it checks it was signed for Comité) and sends the
    # browser back with the state.
    page = flow.browser.get(response.location, timeout=5)
    assert page.status_code == 200
    back = flow.browser.post(
        f"{proconnect.url}/oauth2/end_session/confirm",
        data={"redirect_uri": f"{params['post_logout_redirect_uri']}?state={params['state']}"},
        allow_redirects=False,
        timeout=5,
    )
    final = flow.back_to_comite(back.headers["Location"])
    assert final.status_code == 303
    assert "Vous êtes déconnecté de Comité et de ProConnect." in text(flow.client.get("/"))
    assert audit_actions(db_session)[-1] == "auth.logout"


def test_logout_return_with_a_wrong_state_still_leaves_comite_logged_out(flow, pc_client):
    response = pc_client.get("/deconnexion/fin?state=inconnu")
    assert response.status_code == 303
    assert "Vous êtes déconnecté de Comité." in text(pc_client.get("/"))
