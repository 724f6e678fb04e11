"""The public statistics page (beta.gouv.fr's standard « Statistiques »): Comité's own
impact, for everyone, without login."""

from __future__ import annotations

from flask import Blueprint, render_template

from comite.core.stats import DECISION_OUTCOMES, committee_stats, percent, share
from comite.extensions import db

bp = Blueprint("stats", __name__)


@bp.get("/stats")
def show_stats():
    return render_template(
        "core/stats.html",
        stats=committee_stats(db.session),
        outcomes=DECISION_OUTCOMES,
        percent=percent,
        share=share,
    )
