"""A real OpenID Provider that behaves like ProConnect, for the login tests and `make oidc-dev`.

It is oidc-provider-mock 0.3.4 (a Flask app on authlib's server components) served over HTTP
on 127.0.0.1, with ProConnect's behaviour added where the mock differs:

- userinfo answered as a JWT signed ES256 (or RS256), published in the JWKS, as ProConnect
  does (the mock answers JSON only and signs RS256 only); JSON can still be asked for;
- the client is registered with `client_secret_post` only (the mock accepts any method);
- the `acr` claim comes from the user's claims, and every authorization request is recorded
  so that tests check what Comité asked (`acr_values` or `claims`, scopes, state, nonce);
- authorization codes live 30 s (the mock never expires them) and are single-use;
- the end-session endpoint refuses an `id_token_hint` it did not sign for this client;
- ID tokens name their key (`kid`), which the mock leaves out, and can be altered and
  re-signed (issuer, audience, nonce, acr, expiry, or a
  foreign key) to drive each refusal.

Still not covered, known differences with ProConnect: ID tokens are RS256 only; `acr_values`
and the `claims` parameter are recorded but do not change the `acr` given; PKCE verifiers are
not checked; there is no `private_key_jwt`, no identity-provider choice (`idp_id`) and no
real session at the provider (its logout only redirects back).

Run it alone with `python -m tests.proconnect_provider` (see `make oidc-dev`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import flask
import oidc_provider_mock
import requests
import werkzeug.serving
from authlib.integrations import flask_oauth2
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey
from oidc_provider_mock import _app as mock_internals  # require_oauth, to guard userinfo

ES256_KID = "comite-tests-es256"
DEFAULT_ACR = "eidas1"


@dataclass
class ProviderBehaviour:
    """What the tests may change between two logins."""

    userinfo_format: str = "jwt"  # or "json"
    userinfo_alg: str = "ES256"  # or "RS256"
    code_lifetime: dt.timedelta = dt.timedelta(seconds=30)
    id_token_overrides: dict[str, Any] = field(default_factory=dict)
    sign_id_token_with_foreign_key: bool = False
    authorization_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, Any]] = field(default_factory=list)
    logout_requests: list[dict[str, str]] = field(default_factory=list)
    issued_codes: dict[str, float] = field(default_factory=dict)


class ProConnectLikeProvider:
    def __init__(self) -> None:
        self.behaviour = ProviderBehaviour()
        self.es256_key = ECKey.generate_key(
            "P-256", parameters={"kid": ES256_KID, "use": "sig", "alg": "ES256"}
        )
        self.app = oidc_provider_mock.app(
            require_client_registration=True,
            require_nonce=True,
            issue_refresh_token=False,
            access_token_max_age=dt.timedelta(seconds=60),
        )
        self.client_id = ""
        self.client_secret = ""
        self.url = ""
        self._install()

    # -- driving it from tests -------------------------------------------------------

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def register_client(self, *redirect_uris: str) -> None:
        response = requests.post(
            f"{self.url}/oauth2/clients",
            json={
                "redirect_uris": list(redirect_uris),
                "token_endpoint_auth_method": "client_secret_post",
                "scope": "openid email given_name usual_name uid siret idp_id organizational_unit",
            },
            timeout=5,
        )
        response.raise_for_status()
        self.client_id = response.json()["client_id"]
        self.client_secret = response.json()["client_secret"]

    def set_user(self, sub: str, **claims: Any) -> None:
        """Who logs in as `sub`: email, given_name, usual_name, siret, acr…"""
        claims.setdefault("acr", DEFAULT_ACR)
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        response.raise_for_status()

    def reset(self) -> None:
        self.behaviour = ProviderBehaviour()

    @contextmanager
    def serving(self, port: int = 0) -> Iterator[ProConnectLikeProvider]:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = werkzeug.serving.make_server("127.0.0.1", port, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{server.server_port}"
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            thread.join(5)
            server.server_close()

    # -- ProConnect's behaviour over the mock -------------------------------------------

    def _rsa_key(self) -> RSAKey:
        storage = flask.g.oidc_provider_mock_storage
        return RSAKey.import_key(storage.jwk.as_dict(is_private=True))

    def _install(self) -> None:
        app = self.app
        views = app.view_functions
        discovery = views["oidc-provider-mock.openid_config"]

        def openid_config():
            metadata = discovery().get_json()
            metadata.update(
                token_endpoint_auth_methods_supported=["client_secret_post", "private_key_jwt"],
                userinfo_signing_alg_values_supported=["ES256", "RS256"],
                acr_values_supported=[DEFAULT_ACR, "eidas2", "eidas3"],
                claims_parameter_supported=True,
                scopes_supported=[
                    "openid",
                    "email",
                    "given_name",
                    "usual_name",
                    "uid",
                    "siret",
                    "idp_id",
                    "organizational_unit",
                ],
            )
            return flask.jsonify(metadata)

        def jwks():
            public_rsa = self._rsa_key().as_dict(private=False)
            public_rsa.setdefault("kid", self._rsa_key().kid)
            keys = [public_rsa, self.es256_key.as_dict(private=False)]
            return flask.jsonify({"keys": keys})

        @mock_internals.require_oauth()
        def userinfo():
            token = flask_oauth2.current_token
            user = token.get_user()
            claims = {**user.claims, "sub": user.sub, "iss": self.url, "aud": self.client_id}
            if self.behaviour.userinfo_format == "json":
                return flask.jsonify(claims)
            if self.behaviour.userinfo_alg == "ES256":
                key, kid = self.es256_key, ES256_KID
            else:
                key, kid = self._rsa_key(), self._rsa_key().kid
            signed = jwt.encode({"alg": self.behaviour.userinfo_alg, "kid": kid}, claims, key)
            return flask.Response(signed, content_type="application/jwt")

        views["oidc-provider-mock.openid_config"] = openid_config
        views["oidc-provider-mock.jwks"] = jwks
        views["oidc-provider-mock.userinfo"] = userinfo
        app.before_request(self._before)
        app.after_request(self._after)

    def _before(self):
        request = flask.request
        if request.path == "/oauth2/authorize" and request.method == "GET":
            self.behaviour.authorization_requests.append(request.args.to_dict())
        if request.path == "/oauth2/token":
            self.behaviour.token_requests.append(
                {"form": request.form.to_dict(), "basic": "Authorization" in request.headers}
            )
            issued = self.behaviour.issued_codes.get(request.form.get("code", ""))
            lifetime = self.behaviour.code_lifetime.total_seconds()
            if issued is not None and time.monotonic() - issued >= lifetime:
                return flask.jsonify(
                    error="invalid_grant", error_description="authorization code expired"
                ), 400
        if request.path == "/oauth2/end_session":
            self.behaviour.logout_requests.append(request.values.to_dict())
            hint = request.values.get("id_token_hint", "")
            try:
                token = jwt.decode(hint, self._rsa_key(), algorithms=["RS256"])
            except Exception:  # any undecodable hint is refused, as ProConnect does
                return "invalid id_token_hint", 400
            audience = token.claims.get("aud")
            if self.client_id not in (audience if isinstance(audience, list) else [audience]):
                return "id_token_hint not issued to this client", 400
        return None

    def _after(self, response: flask.Response) -> flask.Response:
        request = flask.request
        if request.path == "/oauth2/authorize" and response.status_code in (302, 303):
            query = parse_qs(urlsplit(response.location or "").query)
            for code in query.get("code", []):
                self.behaviour.issued_codes[code] = time.monotonic()
        if request.path == "/oauth2/token" and response.status_code == 200:
            body = response.get_json()
            body["id_token"] = self._altered_id_token(body["id_token"])
            response.set_data(flask.json.dumps(body))
        return response

    def _altered_id_token(self, id_token: str) -> str:
        """Name the signing key (`kid`) as ProConnect does, and apply the tests' changes."""
        key = self._rsa_key()
        claims = jwt.decode(id_token, key, algorithms=["RS256"]).claims
        claims.update(self.behaviour.id_token_overrides)
        if self.behaviour.sign_id_token_with_foreign_key:
            key = RSAKey.generate_key(2048, parameters={"kid": key.kid})
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def main() -> None:
    """Serve the provider for a local try of the login, with the demo users."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5555)
    parser.add_argument("--comite-url", default="http://127.0.0.1:5000")
    options = parser.parse_args()
    provider = ProConnectLikeProvider()
    with provider.serving(options.port):
        provider.register_client(
            f"{options.comite_url}/connexion/proconnect/callback",
            f"{options.comite_url}/deconnexion/fin",
        )
        from comite.demo import USERS, demo_email

        for local_part, given_name, usual_name, _roles in USERS:
            provider.set_user(
                local_part,
                email=demo_email(local_part),
                given_name=given_name,
                usual_name=usual_name,
                siret="13002526500013",
            )
        provider.set_user(
            "nouvel.agent",
            email="nouvel.agent@exemple.gouv.fr",
            given_name="Nouvel",
            usual_name="Agent",
            siret="13002526500013",
        )
        print(
            "Fournisseur ProConnect de test prêt. Lancez Comité avec :\n"
            f"  PROCONNECT_DISCOVERY_URL={provider.discovery_url} \\\n"
            f"  PROCONNECT_CLIENT_ID={provider.client_id} \\\n"
            f"  PROCONNECT_CLIENT_SECRET={provider.client_secret} make run\n"
            "Sur la page du fournisseur, saisissez un identifiant (sub) : "
            "claire.dubois, julie.moreau… ou nouvel.agent.",
            flush=True,
        )
        threading.Event().wait()


if __name__ == "__main__":
    main()
