"""Rate limits on the endpoints worth hammering: the logins, ProConnect's callback and the
vote. Flask-Limiter counts in memory by default (one instance) or, when several instances
run, in the storage named by RATELIMIT_STORAGE_URI (redis://…), which they share."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_login import current_user

# Endpoint → the setting holding its limit ("10 per minute", limits' notation).
LIMITED_ENDPOINTS = {
    "auth.dev_login": "RATELIMIT_LOGIN",
    "auth.proconnect_login": "RATELIMIT_LOGIN",
    "auth.proconnect_callback": "RATELIMIT_LOGIN",
    "committee.cast_vote": "RATELIMIT_VOTE",
}


def client_key() -> str:
    """Whom a request counts against: the person once logged in (colleagues share an
    address behind a ministry's proxy), else the address (as ProxyFix reads it)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{request.remote_addr}"


def _limit(setting: str) -> str:
    return current_app.config[setting]


def _switched_off() -> bool:
    return not current_app.config["RATE_LIMITS"]


def init_rate_limits(app: Flask) -> None:
    """One limiter per app (its storage is per app), wrapped around the limited views."""
    limiter = Limiter(
        client_key,
        app=app,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        key_prefix=app.config["RATELIMIT_KEY_PREFIX"],
        strategy="moving-window",
    )
    app.extensions["comite_limiter"] = limiter
    for endpoint, setting in LIMITED_ENDPOINTS.items():
        limit: Callable[[], str] = partial(_limit, setting)
        decorate = limiter.limit(limit, exempt_when=_switched_off)
        app.view_functions[endpoint] = decorate(app.view_functions[endpoint])


def limiter_of(app: Flask) -> Limiter:
    return app.extensions["comite_limiter"]
