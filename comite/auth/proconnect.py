"""ProConnect, the State's OpenID Connect federation, through authlib's Flask client.

ProConnect's rules followed here: `state` and `nonce` of at least 32 characters, token
endpoint authentication by `client_secret_post`, an assurance level asked by `acr_values`
(or the `claims` parameter for the newer levels), a userinfo answered as a signed JWT,
codes that live 30 s and access tokens 60 s with no refresh token: they are used at once and
only the ID token is kept, for the logout.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from werkzeug.wrappers import Response

from comite.config import PROCONNECT_SETTINGS
from comite.core.errors import DomainError

SCOPES = "openid email given_name usual_name uid siret idp_id organizational_unit"
SIGNING_ALGORITHMS = ["ES256", "RS256"]
# ProConnect asks for at least 32 characters; 32 random bytes give 43.
TOKEN_BYTES = 32


class LoginRefused(DomainError):
    """The login did not go through; `reason` is the code written in the audit log."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


REFUSALS = {
    "provider_error": "ProConnect n'a pas pu vous identifier ou la connexion a été annulée.",
    "state": "La demande de connexion a expiré ou ne vient pas de cette fenêtre.",
    "code": "Le code de connexion a expiré ou a déjà servi.",
    "nonce": "La réponse de ProConnect ne correspond pas à votre demande de connexion.",
    "signature": "La signature de la réponse de ProConnect est invalide.",
    "issuer": "La réponse ne vient pas du fournisseur d'identité attendu.",
    "audience": "La réponse de ProConnect n'est pas destinée à Comité.",
    "expired": "La réponse de ProConnect a expiré.",
    "acr": "Le niveau de sécurité de votre connexion est insuffisant pour Comité.",
    "userinfo": "Les informations de votre compte n'ont pas pu être lues.",
    "unavailable": "ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes.",
}


def refuse(reason: str) -> LoginRefused:
    return LoginRefused(reason, REFUSALS[reason])


@dataclass(frozen=True)
class Identity:
    """Who ProConnect says the person is."""

    sub: str
    email: str
    given_name: str
    usual_name: str
    siret: str | None
    id_token: str


def init_proconnect(app: Flask) -> None:
    """Register this app's ProConnect client, when ProConnect is configured."""
    if proconnect_configured(app):
        app.extensions["proconnect"] = OAuth(app).register(
            "proconnect",
            server_metadata_url=app.config["PROCONNECT_DISCOVERY_URL"],
            client_id=app.config["PROCONNECT_CLIENT_ID"],
            client_secret=app.config["PROCONNECT_CLIENT_SECRET"],
            client_kwargs={"scope": SCOPES, "token_endpoint_auth_method": "client_secret_post"},
        )


def proconnect_configured(app: Flask | None = None) -> bool:
    config = (app or current_app).config
    return all(config[name] for name in PROCONNECT_SETTINGS)


def _client():
    return current_app.extensions["proconnect"]


def _acr_parameters() -> dict[str, str]:
    levels = [level for level in current_app.config["PROCONNECT_ASSURANCE_LEVELS"].split() if level]
    if levels:
        claims = {"id_token": {"acr": {"essential": True, "values": levels}}}
        return {"claims": json.dumps(claims, separators=(",", ":"))}
    return {"acr_values": current_app.config["PROCONNECT_ACR_VALUES"]}


def _accepted_acr() -> list[str]:
    levels = current_app.config["PROCONNECT_ASSURANCE_LEVELS"].split()
    return levels or current_app.config["PROCONNECT_ACR_VALUES"].split()


def start_login(redirect_uri: str) -> Response:
    """Send the browser to ProConnect, with fresh state and nonce kept in the session."""
    try:
        return _client().authorize_redirect(
            redirect_uri,
            state=secrets.token_urlsafe(TOKEN_BYTES),
            nonce=secrets.token_urlsafe(TOKEN_BYTES),
            **_acr_parameters(),
        )
    except (OSError, ValueError, OAuthError) as error:
        raise refuse("unavailable") from error


def finish_login() -> Identity:
    """Check ProConnect's answer on the callback and say who logged in, or refuse."""
    client = _client()
    try:
        metadata = client.load_server_metadata()
        token = client.authorize_access_token(
            claims_options={
                "iss": {"essential": True, "values": [metadata["issuer"]]},
                "aud": {"essential": True, "values": [client.client_id]},
                "acr": {"essential": True, "values": _accepted_acr()},
            }
        )
    except MismatchingStateError as error:
        raise refuse("state") from error
    except OAuthError as error:
        if error.error in {"invalid_grant", "invalid_request"}:
            raise refuse("code") from error
        raise refuse("provider_error") from error
    except JoseError as error:
        raise _refusal_for_claim(error) from error
    except OSError as error:
        raise refuse("unavailable") from error
    if "id_token" not in token or "userinfo" not in token:
        raise refuse("nonce")
    id_claims = token["userinfo"]
    userinfo = _fetch_userinfo(client, token, metadata, id_claims["sub"])
    email = (userinfo.get("email") or id_claims.get("email") or "").strip()
    if not email:
        raise refuse("userinfo")
    return Identity(
        sub=id_claims["sub"],
        email=email,
        given_name=userinfo.get("given_name") or "",
        usual_name=userinfo.get("usual_name") or "",
        siret=userinfo.get("siret") or None,
        id_token=token["id_token"],
    )


def _refusal_for_claim(error: JoseError) -> LoginRefused:
    claim = getattr(error, "claim", "")
    if error.error in {"bad_signature", "invalid_key_id"}:
        return refuse("signature")
    if error.error == "expired_token" or claim == "exp":
        return refuse("expired")
    if claim in {"iss", "aud", "nonce", "acr"}:
        return refuse({"iss": "issuer", "aud": "audience"}.get(claim, claim))
    return refuse("signature")


def _fetch_userinfo(client, token: dict, metadata: dict, sub: str) -> dict:
    """ProConnect answers userinfo as a signed JWT, which authlib does not read; JSON is
    accepted too. The JWT is checked against the provider's keys, issuer, audience and the
    ID token's subject."""
    try:
        # The bearer header is set here: authlib takes a token within 60 s of its expiry
        # as expired, and ProConnect's access tokens only live 60 s.
        response = client.get(
            metadata["userinfo_endpoint"],
            withhold_token=True,
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
        response.raise_for_status()
    except (OSError, OAuthError) as error:
        raise refuse("userinfo") from error
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if content_type == "application/jwt":
        try:
            keys = KeySet.import_key_set(client.fetch_jwk_set(force=True))
            decoded = jwt.decode(response.text.strip(), keys, algorithms=SIGNING_ALGORITHMS)
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": metadata["issuer"]},
                aud={"essential": True, "value": client.client_id},
                sub={"essential": True, "value": sub},
            ).validate(decoded.claims)
        except (JoseError, ValueError) as error:
            raise refuse("userinfo") from error
        return decoded.claims
    try:
        claims = response.json()
    except ValueError as error:
        raise refuse("userinfo") from error
    if claims.get("sub") != sub:
        raise refuse("userinfo")
    return claims


def logout_redirect(id_token: str, post_logout_redirect_uri: str) -> Response:
    """Send the browser to ProConnect's end_session_endpoint to close that session too."""
    return _client().logout_redirect(
        post_logout_redirect_uri=post_logout_redirect_uri,
        id_token_hint=id_token,
        state=secrets.token_urlsafe(TOKEN_BYTES),
    )


def logout_confirmed() -> bool:
    """Whether ProConnect came back from the logout with the state Comité sent."""
    try:
        _client().validate_logout_response()
    except OAuthError:
        return False
    return True
