"""Comité: the investment committee of an incubator of Startups d'État."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, Response
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from comite import jobs
from comite.auth.proconnect import init_proconnect
from comite.config import load_config
from comite.extensions import csrf, db, htmx, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def content_security_policy(app: Flask) -> str:
    """The DSFR's scripts and htmx run from static files: no inline script or style. Forms
    post to Comité only, but the login and logout forms are redirected to ProConnect."""
    form_action = "'self'"
    if app.config["PROCONNECT_DISCOVERY_URL"]:
        provider = urlsplit(app.config["PROCONNECT_DISCOVERY_URL"])
        form_action += f" {provider.scheme}://{provider.netloc}"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            f"form-action {form_action}",
            "base-uri 'self'",
            "object-src 'none'",
        ]
    )


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, overrides)
    # Ids in URLs fit the database's integers: a larger one is a 404, not an overflow.
    app.url_map.converters["int"] = DatabaseIdConverter
    _init_extensions(app)
    _register_blueprints(app)

    from comite.cli import register_cli
    from comite.core.errors import register_error_handlers
    from comite.core.formatting import register_filters
    from comite.core.layout import register_layout
    from comite.core.rate_limits import init_rate_limits

    register_cli(app)
    register_error_handlers(app)
    register_filters(app)
    register_layout(app)
    init_rate_limits(app)
    policy = content_security_policy(app)
    # In production Comité is only served over HTTPS: browsers must never try plain HTTP.
    hsts = "max-age=63072000; includeSubDomains" if app.config["COMITE_ENV"] == "production" else ""

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", hsts)
        return response

    if app.config["PROXY_COUNT"]:
        # Behind the platform's router: trust its X-Forwarded-* headers for the scheme and
        # host of the URLs given to ProConnect.
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


class DatabaseIdConverter(IntegerConverter):
    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def _init_extensions(app: Flask) -> None:
    # Import every model so that the metadata (and Alembic) sees the whole schema.
    import comite.models  # noqa: F401

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    init_proconnect(app)
    jobs.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine)


def _configure_sqlite(engine: sa.Engine) -> None:
    """Foreign keys on, and SQLAlchemy's pysqlite recipe so that SAVEPOINTs really isolate."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def _register_blueprints(app: Flask) -> None:
    from comite.admin.views import bp as admin_bp
    from comite.auth.views import bp as auth_bp
    from comite.committee.admin_views import bp as committee_admin_bp
    from comite.committee.decision_views import bp as decisions_bp
    from comite.committee.open_data_views import bp as open_data_bp
    from comite.committee.views import bp as committee_bp
    from comite.core.stats_views import bp as stats_bp
    from comite.core.views import bp as core_bp
    from comite.dossiers.views import bp as dossiers_bp
    from comite.exports.views import bp as exports_bp
    from comite.notifications.views import bp as notifications_bp
    from comite.orders.order_views import bp as orders_bp
    from comite.orders.views import bp as catalogue_bp
    from comite.startups.views import bp as startups_bp

    app.register_blueprint(orders_bp)
    app.register_blueprint(core_bp)
    app.register_blueprint(stats_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(startups_bp)
    app.register_blueprint(dossiers_bp)
    app.register_blueprint(committee_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(committee_admin_bp)
    app.register_blueprint(decisions_bp)
    app.register_blueprint(open_data_bp)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(notifications_bp)
