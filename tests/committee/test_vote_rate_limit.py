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


def test_an_htmx_vote_over_the_limit_says_so_above_the_panel(client, login_as, open_item, limits):
    limits("RATELIMIT_VOTE", "1 per minute")
    member = open_item["members"][0]
    url = f"/seances/{open_item['meeting'].id}/points/{open_item['item'].id}/vote"
    login_as(user=member)
    headers = {"HX-Request": "true"}
    assert (
        client.post(
            url, data={"voter": member.id, "choice": "continuer"}, headers=headers
        ).status_code
        == 200
    )
    refused = client.post(url, data={"voter": member.id, "choice": "arreter"}, headers=headers)
    assert _refused(refused)
    assert refused.headers["HX-Reswap"] == "beforebegin"
    assert "Vous avez envoyé trop de requêtes" in refused.text
    assert "<html" not in refused.text  # a fragment, not a page inside the panel
