"""The secretariat reads the audit log and narrows it: by action, author, object and period
(days in Paris). Nothing in the app edits or deletes an event."""

from __future__ import annotations

import datetime as dt
import html
import re

from comite.auth.roles import Role
from comite.core.audit import AuditEvent

PARIS = dt.timezone(dt.timedelta(hours=1))  # November: Paris is UTC+1


def _event(db_session, actor, action, object_type, object_id, at, **details):
    event = AuditEvent(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        occurred_at=at,
        details=details,
    )
    db_session.add(event)
    db_session.commit()
    return event


def _rows(page: str) -> list[str]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", html.unescape(row)).split())
        for row in body.split("<tr")[1:]
    ]


def _journal(db_session, make_user):
    claire = make_user(Role.ADMIN, given_name="Claire", usual_name="Dubois")
    marc = make_user(
        Role.MEMBER, given_name="Marc", usual_name="Lefèvre", email="marc@exemple.gouv.fr"
    )
    day = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    _event(db_session, marc, "vote.cast", "Vote", "11", day, choice="continuer")
    _event(db_session, claire, "decision.published", "Decision", "7", day + dt.timedelta(days=1))
    _event(db_session, claire, "order.sent", "PurchaseOrder", "3", day + dt.timedelta(days=2))
    # 23:30 in Paris on the 22nd is the 22nd, though it is 22:30 UTC.
    late = dt.datetime(2026, 11, 22, 23, 30, tzinfo=PARIS)
    _event(db_session, marc, "vote.cast", "Vote", "12", late, choice="arreter")
    return claire, marc


def test_the_log_shows_who_did_what_to_which_object_and_its_details(
    client, login_as, make_user, db_session
):
    _journal(db_session, make_user)
    login_as(Role.ADMIN)
    rows = _rows(client.get("/admin/journal").text)
    assert any(
        "Marc Lefèvre" in row and "vote.cast" in row and "Vote n° 11" in row and "continuer" in row
        for row in rows
    )


def test_filter_by_action(client, login_as, make_user, db_session):
    _journal(db_session, make_user)
    login_as(Role.ADMIN)
    page = client.get("/admin/journal?action=vote.cast").text
    rows = _rows(page)
    assert len(rows) == 2 and all("vote.cast" in row for row in rows)
    assert '<option selected value="vote.cast">' in page


def test_filter_by_author_name_or_email(client, login_as, make_user, db_session):
    _journal(db_session, make_user)
    login_as(Role.ADMIN)
    by_name = _rows(client.get("/admin/journal?actor=lefèvre").text)
    by_email = _rows(client.get("/admin/journal?actor=MARC@exemple").text)
    assert len(by_name) == 2 and by_name == by_email


def test_filter_by_object(client, login_as, make_user, db_session):
    _journal(db_session, make_user)
    login_as(Role.ADMIN)
    rows = _rows(client.get("/admin/journal?object_type=PurchaseOrder&object_id=3").text)
    assert len(rows) == 1 and "order.sent" in rows[0]


def test_filter_by_period_in_paris_days(client, login_as, make_user, db_session):
    _journal(db_session, make_user)
    login_as(Role.ADMIN)
    rows = _rows(client.get("/admin/journal?start=2026-11-22&end=2026-11-22").text)
    assert [row for row in rows if "vote.cast" in row or "order.sent" in row] == rows
    assert len(rows) == 2  # the order sent on the 22nd, the late vote of the 22nd in Paris


def test_a_wrong_period_is_explained_next_to_its_field(client, login_as, db_session):
    login_as(Role.ADMIN)
    response = client.get("/admin/journal?start=2026-11-22&end=2026-11-01")
    assert response.status_code == 422
    assert "La date de fin doit suivre la date de début." in html.unescape(response.text)
    bad = client.get("/admin/journal?start=pas-une-date")
    assert bad.status_code == 422
    assert "Saisissez une date valide" in html.unescape(bad.text) or "date" in html.unescape(
        bad.text
    )


def test_no_filter_matches_says_so(client, login_as, db_session):
    login_as(Role.ADMIN)
    page = html.unescape(client.get("/admin/journal?actor=personne-de-ce-nom").text)
    assert "Aucun événement ne correspond à ces filtres." in page


def test_the_log_cannot_be_changed_through_the_app(client, login_as, make_user, db_session):
    _journal(db_session, make_user)
    login_as(Role.ADMIN)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert client.open("/admin/journal", method=method).status_code == 405
    editing = [
        rule.rule
        for rule in client.application.url_map.iter_rules()
        if "journal" in rule.rule and rule.methods - {"GET", "HEAD", "OPTIONS"}
    ]
    assert editing == []
