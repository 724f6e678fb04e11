"""Open data, public: the published decisions (CSV, JSON) and each startup's committee
events for beta.gouv.fr. No login: this is what the committee publishes."""

from __future__ import annotations

import io

from flask import Blueprint, Response, abort, jsonify, render_template

from comite.committee.open_data import CSV_COLUMNS, public_decisions
from comite.exports.spreadsheet import write_csv
from comite.extensions import db
from comite.startups.queries import startup_by_slug

bp = Blueprint("open_data", __name__, url_prefix="/donnees-ouvertes")
# The page shows the latest decisions; the files hold them all.
LATEST = 50


def _public(response: Response) -> Response:
    # Any site (beta.gouv.fr first) may read these files from a browser.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("")
def index():
    latest = public_decisions(db.session, limit=LATEST)
    return render_template("committee/open_data.html", decisions=latest, shown=LATEST)


@bp.get("/decisions.json")
def decisions_json():
    decisions = [decision.as_json() for decision in public_decisions(db.session)]
    return _public(jsonify(decisions=decisions, licence="Licence Ouverte 2.0 (Etalab)"))


@bp.get("/decisions.csv")
def decisions_csv():
    target = io.BytesIO()
    write_csv(
        target,
        columns=CSV_COLUMNS,
        rows=(decision.as_row() for decision in public_decisions(db.session)),
    )
    response = Response(target.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="decisions-comite.csv"'
    return _public(response)


@bp.get("/startups/<slug>/evenements.json")
def startup_events(slug: str):
    startup = db.session.scalar(startup_by_slug(slug)) or abort(404)
    events = [
        decision.as_beta_gouv_event()
        for decision in reversed(public_decisions(db.session, startup.id))
    ]
    return _public(jsonify(startup=startup.slug, phase=startup.phase.value, events=events))
