"""No page's SQL grows with the data (no N+1): each key page is fetched on a small generated
dataset and on one ten times larger, and must run the same number of statements.

A count, not a timing: the figures of speed are printed by `make bench`."""

from __future__ import annotations

import flask_migrate
import pytest

from comite.dataset import generate
from comite.extensions import db
from tests.benchmarks.setup import BenchData, count_statements, prepare
from tests.conftest import make_test_app
from tests.databases import ENGINES, database_url

SMALL, LARGE = 0.02, 0.2
# The target for a page (a GET); a vote also writes its ballot and the audit log.
MOST_PER_PAGE = 8
_ANY = BenchData(users=dict.fromkeys(("admin", "member", "intrapreneur", "finance"), 0))


def key_requests(data: BenchData) -> list[tuple[str, str, str, int | None, str, bool]]:
    """(label, method, path, user id, form body, htmx) of the pages that must stay flat."""
    users = data.users
    meeting, item = data.meeting_id, data.item_id
    return [
        ("startups filtrées", "GET", "/startups?phase=construction", users["admin"], "", False),
        ("startup", "GET", f"/startups/{data.startup_slug}", users["admin"], "", False),
        (
            "historique",
            "GET",
            f"/startups/{data.startup_slug}/historique",
            users["admin"],
            "",
            False,
        ),
        ("séance (membre)", "GET", f"/seances/{meeting}", users["member"], "", False),
        (
            "décompte inchangé",
            "GET",
            f"/seances/{meeting}/en-cours/etat?depuis={data.live_stamp}",
            users["admin"],
            "",
            True,
        ),
        (
            "vote htmx",
            "POST",
            f"/seances/{meeting}/points/{item}/vote",
            users["member"],
            f"voter={data.member_id}&choice=continuer",
            True,
        ),
        ("accueil (mes startups)", "GET", "/", users["intrapreneur"], "", False),
        ("registre des décisions", "GET", "/exports/decisions", users["finance"], "", False),
        ("bon de commande", "GET", f"/commandes/{data.order_id}", users["finance"], "", False),
    ]


def _statements(engine: str, folder, scale: float) -> dict[str, int]:
    name = f"comite_test_counts_{int(scale * 100)}"
    url = database_url(engine, folder, name)
    app = make_test_app(url)
    with app.app_context():
        flask_migrate.upgrade()
        generate(db.session, scale=scale, seed=2026)
        db.session.commit()
    data = prepare(url)
    counts = count_statements(app, key_requests(data))
    with app.app_context():
        db.engine.dispose()
    return counts


@pytest.mark.parametrize("engine", ENGINES)
def test_statements_per_page_do_not_grow_with_the_data(engine, tmp_path):
    small = _statements(engine, tmp_path, SMALL)
    large = _statements(engine, tmp_path, LARGE)
    grown = {page: (small[page], large[page]) for page in small if large[page] > small[page]}
    assert grown == {}, f"requêtes SQL qui croissent avec les données : {grown}"
    pages = {label for label, method, *_ in key_requests(_ANY) if method == "GET"}
    heavy = {page: large[page] for page in pages if large[page] > MOST_PER_PAGE}
    assert heavy == {}, f"pages à plus de {MOST_PER_PAGE} requêtes SQL : {heavy}"
