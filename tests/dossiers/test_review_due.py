"""The dashboard tells each team when its next impact review is due."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from dateutil.relativedelta import relativedelta

from comite.core.formatting import date_fr, today_in_paris
from comite.startups.models import PhaseChange
from comite.startups.workflow import MemberRole, Phase, StartupStatus


@pytest.mark.parametrize(
    ("started_ago", "flag"),
    [
        (relativedelta(months=7), "En retard"),
        (relativedelta(months=5, days=10), "Dans moins de 30 jours"),
        (relativedelta(months=2), None),
    ],
)
def test_my_startups_show_the_next_review_and_flag_it_when_close(
    client, login_as, make_user, make_startup, started_ago, flag
):
    started = today_in_paris() - started_ago
    me = make_user()
    make_startup("Cantine Locale", phase_started_on=started, members={me: MemberRole.INTRAPRENEUR})
    login_as(user=me)
    page = html.unescape(client.get("/").text)
    assert f"Prochain bilan semestriel : {date_fr(started + relativedelta(months=6))}" in page
    for label in ("En retard", "Dans moins de 30 jours"):
        assert (label in page) is (label == flag)


def test_the_last_phase_change_counts_as_the_last_decision(
    client, login_as, make_user, make_startup, db_session
):
    me = make_user()
    startup = make_startup(
        "Permis Rapide",
        Phase.CONSTRUCTION,
        phase_started_on=dt.date(2026, 9, 1),
        members={me: MemberRole.SPONSOR},
    )
    startup.phase_history.insert(
        0, PhaseChange(phase=Phase.INVESTIGATION, started_on=dt.date(2026, 6, 1))
    )
    db_session.commit()
    login_as(user=me)
    assert "Prochain bilan semestriel : 1 mars 2027" in client.get("/").text


def test_stopped_startups_have_no_review_due(client, login_as, make_user, make_startup):
    me = make_user()
    make_startup(
        "Archives",
        Phase.STOPPED,
        status=StartupStatus.STOPPED,
        members={me: MemberRole.INTRAPRENEUR},
    )
    login_as(user=me)
    assert "Prochain bilan semestriel" not in client.get("/").text
