"""After a published decision: the next review date comes from it, and a new impact review
shows the budget decided beside the one it asks for."""

from __future__ import annotations

import html
import re

from comite.committee import services
from comite.committee.workflow import Choice
from comite.core.formatting import date_fr
from tests.committee.conftest import TODAY


def publish_continue(db_session, open_item):
    for member in open_item["members"][:2]:
        services.cast_vote(db_session, open_item["item"], member, member, Choice.CONTINUE)
    decision = services.close_item(db_session, open_item["item"], open_item["admin"], TODAY)
    services.publish_decision(db_session, decision, open_item["admin"], TODAY)
    db_session.commit()
    return decision


def test_the_next_review_is_due_when_the_decision_says(client, login_as, open_item, db_session):
    decision = publish_continue(db_session, open_item)
    startup = decision.startup
    login_as(user=startup.memberships[0].user)
    page = html.unescape(client.get(f"/startups/{startup.slug}").text)
    assert f"Prochain bilan semestriel attendu le {date_fr(decision.next_review_on)}" in " ".join(
        re.sub(r"<[^>]+>", " ", page).split()
    )


def test_a_new_review_shows_the_budget_decided_beside_the_request(
    client, login_as, open_item, db_session
):
    decision = publish_continue(db_session, open_item)
    startup = decision.startup
    login_as(user=startup.memberships[0].user)
    response = client.post(f"/startups/{startup.slug}/dossiers", data={"kind": "bilan"})
    page = html.unescape(client.get(response.location).text)
    assert "Budget décidé pour la période précédente" in page
    assert "UO Devops – Senior" in page and "6 UO" in page and "120 jours" in page
    assert "2,5 UO" in page
