"""A member's votes are rate-limited per person, not per address."""

from __future__ import annotations


def _refused(response) -> bool:
    return response.status_code == 429


def test_votes_are_limited_per_member(app, client, login_as, open_item, limits, db_session):
    limits("RATELIMIT_VOTE", "2 per minute")
    meeting, item = open_item["meeting"], open_item["item"]
    first, second = open_item["members"][:2]
    url = f"/seances/{meeting.id}/points/{item.id}/vote"

    login_as(user=first)
    for choice in ("continuer", "arreter"):
        assert client.post(url, data={"voter": first.id, "choice": choice}).status_code == 303
    refused = client.post(url, data={"voter": first.id, "choice": "continuer"})
    assert _refused(refused)
    assert "Trop de requêtes" in refused.text

    # The member next door (same address) votes normally.
    neighbour = app.test_client()
    neighbour.post("/connexion/dev", data={"user_id": second.id})
    vote = neighbour.post(url, data={"voter": second.id, "choice": "continuer"})
    assert vote.status_code == 303
