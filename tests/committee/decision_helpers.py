"""Helpers of the decision page tests: vote an item through the services and close it."""

from __future__ import annotations

import html
import re

from comite.committee import services
from comite.committee.models import Decision
from comite.committee.workflow import Choice
from tests.committee.conftest import TODAY


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def words(response) -> str:
    """The page's text without its tags, spaces collapsed: what a reader sees."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split())


def vote_and_close(db_session, seance, choices: list[Choice]) -> Decision:
    """Each convened member votes in turn, then the secretariat closes the item: the
    draft decision it prepares."""
    item = seance["item"]
    for member, choice in zip(seance["members"], choices, strict=False):
        services.cast_vote(db_session, item, member, member, choice)
    decision = services.close_item(db_session, item, seance["admin"], TODAY)
    db_session.commit()
    assert decision is not None
    return decision


def team_of(seance, role: str):
    """The startup's intrapreneur or sponsor (by their membership role value)."""
    startup = seance["version"].dossier.startup
    return next(m.user for m in startup.memberships if m.role.value == role)
