"""The public statistics page: dossiers decided per half-year, the wait from submission to
decision, and the share of votes members cast themselves in their browser."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from comite.auth.roles import Role
from comite.committee.models import AgendaItem, Decision, Meeting, Vote
from comite.committee.workflow import Choice, DecisionState, ItemState, MeetingState, Outcome
from comite.core.periods import PARIS
from comite.core.stats import (
    BarChart,
    DecidedItem,
    HalfYear,
    Submission,
    bar_chart,
    first_submissions,
    half_year_figures,
    median,
    percent,
    share,
    waiting_days,
)
from comite.dossiers.models import Dossier, DossierVersion
from comite.dossiers.workflow import DossierKind, VersionState
from comite.extensions import db
from comite.startups.workflow import Phase


def paris(day: str, hour: int = 10) -> dt.datetime:
    """A moment of that day in Paris, as Comité stores it (aware)."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), PARIS)


def words(response) -> str:
    """The page's text without its tags, spaces collapsed: what a reader sees."""
    text = html.unescape(response.get_data(as_text=True))
    return collapse(re.sub(r"<[^>]+>", " ", text))


def collapse(text: str) -> str:
    # Only ASCII spaces: the no-break space of « 66,7 % » is what the reader sees.
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def row_of(response, label: str) -> list[str]:
    """The cells of the table row whose header is `label`, as text."""
    text = html.unescape(response.get_data(as_text=True))
    for row in re.findall(r"<tr>(.*?)</tr>", text, re.S):
        cells = [
            collapse(re.sub(r"<[^>]+>", " ", cell))
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"Pas de ligne « {label} »")


# -- rules, without a database --------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "label"),
    [
        (paris("2026-01-01", 0), "1er semestre 2026"),
        (paris("2026-06-30", 23), "1er semestre 2026"),
        (paris("2026-07-01", 0), "2e semestre 2026"),
        (paris("2025-12-31", 23), "2e semestre 2025"),
        # 23:30 UTC on 31 December is already the new year in Paris.
        (dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC), "1er semestre 2026"),
        (dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC), "2e semestre 2026"),
    ],
)
def test_a_half_year_is_read_on_the_paris_calendar(moment, label):
    assert HalfYear.of(moment).label == label


def test_half_years_follow_each_other():
    assert HalfYear(2025, 2).next() == HalfYear(2026, 1)
    assert HalfYear(2026, 1).next() == HalfYear(2026, 2)
    assert sorted([HalfYear(2026, 1), HalfYear(2025, 2)]) == [HalfYear(2025, 2), HalfYear(2026, 1)]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),
        ([10], Decimal(10)),
        ([10, 20], Decimal(15)),
        ([3, 1, 8], Decimal(3)),
        ([1, 2], Decimal("1.5")),
    ],
)
def test_median(values, expected):
    assert median(values) == expected


def test_waiting_days_are_calendar_days_in_paris():
    # 23:30 UTC on 1 March is already 2 March in Paris: ten days before 12 March.
    submitted = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    assert waiting_days(submitted, paris("2026-03-12")) == 10
    assert waiting_days(paris("2026-03-02", 8), paris("2026-03-02", 18)) == 0


@pytest.mark.parametrize(
    ("part", "total", "shown"),
    [(2, 3, "66,7\u00a0%"), (1, 2, "50\u00a0%"), (3, 3, "100\u00a0%"), (1, 8, "12,5\u00a0%")],
)
def test_shares_are_french_percentages_to_one_decimal(part, total, shown):
    assert percent(share(part, total)) == shown


def test_no_share_without_votes():
    assert share(0, 0) is None


def decided(item_id, dossier_id, number, day, outcome=Outcome.CONTINUE):
    return DecidedItem(item_id, dossier_id, number, paris(day), outcome)


def test_a_resubmitted_dossier_waits_from_its_first_submission():
    # Version 1 returned for completion, version 2 submitted again and decided.
    items = [decided(1, 7, 2, "2026-03-21")]
    submissions = [Submission(7, 1, paris("2026-03-01")), Submission(7, 2, paris("2026-03-15"))]
    assert first_submissions(items, submissions) == {1: paris("2026-03-01")}


def test_a_dossier_decided_again_waits_from_its_first_submission_since_the_last_decision():
    items = [decided(1, 7, 1, "2026-03-21"), decided(2, 7, 3, "2026-10-10")]
    submissions = [
        Submission(7, 1, paris("2026-03-01")),
        Submission(7, 2, paris("2026-09-01")),
        Submission(7, 3, paris("2026-09-20")),
    ]
    assert first_submissions(items, submissions) == {
        1: paris("2026-03-01"),
        2: paris("2026-09-01"),
    }


def test_figures_per_half_year_fill_the_gaps_in_chronological_order():
    items = [
        decided(1, 1, 1, "2025-03-11"),
        decided(2, 2, 1, "2026-02-11", Outcome.STOP),
        decided(3, 3, 1, "2026-05-21"),
    ]
    submitted = {1: paris("2025-03-01"), 2: paris("2026-02-01"), 3: paris("2026-05-01")}
    figures = half_year_figures(items, submitted)
    assert [(f.half_year.label, f.decided, f.median_days) for f in figures] == [
        ("1er semestre 2025", 1, Decimal(10)),
        ("2e semestre 2025", 0, None),
        ("1er semestre 2026", 2, Decimal(15)),
    ]
    assert figures[2].outcomes == {Outcome.CONTINUE: 1, Outcome.STOP: 1}


def test_the_chart_has_one_bar_per_half_year_the_tallest_for_the_most_decided():
    items = [decided(1, 1, 1, "2025-03-11"), decided(2, 2, 1, "2026-02-11")]
    items.append(decided(3, 3, 1, "2026-05-21"))
    chart = bar_chart(half_year_figures(items, {}))
    assert isinstance(chart, BarChart)
    assert [(bar.value, bar.year) for bar in chart.bars] == [(1, "2025"), (0, "2025"), (2, "2026")]
    first, empty, tallest = chart.bars
    assert tallest.height == 2 * first.height > 0 and empty.height == 0
    assert tallest.y + tallest.height == first.y + first.height == chart.baseline
    assert first.x < empty.x < tallest.x


# -- the page -------------------------------------------------------------------------------


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def decide(db_session, make_startup, secretariat):
    """A dossier submitted at each given moment (every version but the last returned for
    completion), examined in séance and decided: its agenda item."""

    def make(
        submitted: list[dt.datetime],
        decided_at: dt.datetime,
        outcome: Outcome = Outcome.CONTINUE,
        state: DecisionState = DecisionState.PUBLISHED,
    ) -> AgendaItem:
        startup = make_startup(phase=Phase.CONSTRUCTION)
        dossier = Dossier(startup=startup, kind=DossierKind.PRODUCT_SHEET, created_by=secretariat)
        for number, moment in enumerate(submitted, start=1):
            last = number == len(submitted)
            dossier.versions.append(
                DossierVersion(
                    number=number,
                    state=VersionState.DECIDED if last else VersionState.RETURNED,
                    created_by=secretariat,
                    updated_by=secretariat,
                    submitted_at=moment,
                    submitted_by=secretariat,
                    returned_at=None if last else moment + dt.timedelta(days=1),
                )
            )
        meeting = Meeting(title="Comité", starts_at=decided_at, state=MeetingState.CLOSED)
        item = AgendaItem(
            meeting=meeting,
            position=1,
            dossier_version=dossier.latest,
            state=ItemState.CLOSED,
            closed_at=decided_at,
            outcome=outcome,
        )
        decision = Decision(
            startup=startup,
            agenda_item=item,
            state=state,
            outcome=outcome,
            next_phase=Phase.ACCELERATION if outcome is Outcome.CONTINUE else Phase.STOPPED,
            created_by=secretariat,
            published_at=None if state is DecisionState.DRAFT else decided_at,
        )
        db_session.add_all([dossier, meeting, decision])
        db_session.commit()
        return item

    return make


@pytest.fixture
def ballot(db_session):
    def cast(item: AgendaItem, voter, cast_by=None, choice: Choice = Choice.CONTINUE) -> Vote:
        vote = Vote(item=item, voter=voter, cast_by=cast_by or voter, choice=choice)
        db_session.add(vote)
        db_session.commit()
        return vote

    return cast


def test_the_page_is_public_and_says_when_nothing_is_decided_yet(client, db_session):
    response = client.get("/stats")

    assert response.status_code == 200
    text = words(response)
    assert "Statistiques" in text
    assert "Aucun dossier n'a encore été décidé" in text
    assert "Aucun vote clos pour l'instant" in text
    assert "<svg" not in response.text
    # Linked from the footer of every page, as on beta.gouv.fr's services.
    assert 'href="/stats">Statistiques</a>' in client.get("/accessibilite").text


def test_dossiers_decided_in_a_half_year_with_their_median_wait(client, decide):
    decide([paris("2026-02-01")], paris("2026-02-11"))
    decide([paris("2026-03-01")], paris("2026-03-21"), Outcome.STOP)
    decide([paris("2025-09-01")], paris("2025-09-05"))

    response = client.get("/stats")

    headers = row_of(response, "Semestre")
    assert headers == [
        "Semestre",
        "Dossiers décidés",
        "Continuer",
        "Arrêter",
        "Délai médian (jours)",
    ]
    assert row_of(response, "2e semestre 2025") == ["2e semestre 2025", "1", "1", "0", "4"]
    assert row_of(response, "1er semestre 2026") == ["1er semestre 2026", "2", "1", "1", "15"]
    # The overall median is that of every dossier (4, 10, 20), not of the half-years' medians.
    assert row_of(response, "Ensemble") == ["Ensemble", "3", "2", "1", "10"]
    assert "10 jours" in words(response)
    # Chronological, as the chart reads.
    assert response.text.index("2e semestre 2025") < response.text.index("1er semestre 2026")


def test_a_dossier_returned_for_completion_counts_from_its_first_submission(client, decide):
    decide([paris("2026-03-01"), paris("2026-03-15")], paris("2026-03-21"))

    response = client.get("/stats")

    assert row_of(response, "1er semestre 2026")[-1] == "20"
    assert "premier dépôt" in words(response)


def test_only_published_decisions_count_once_with_their_first_publication(
    client, db_session, decide, secretariat
):
    decide([paris("2026-03-01")], paris("2026-03-11"), state=DecisionState.DRAFT)
    corrected = decide([paris("2025-12-01")], paris("2025-12-21"))
    # The decision of December is corrected in January, to stop: the dossier was decided in
    # December, and is counted once, with the outcome in force.
    first = db_session.scalar(sa.select(Decision).where(Decision.agenda_item_id == corrected.id))
    first.state = DecisionState.SUPERSEDED
    db_session.add(
        Decision(
            startup=first.startup,
            agenda_item=corrected,
            state=DecisionState.PUBLISHED,
            outcome=Outcome.STOP,
            next_phase=Phase.STOPPED,
            created_by=secretariat,
            supersedes=first,
            published_at=paris("2026-01-15"),
        )
    )
    db_session.commit()

    response = client.get("/stats")

    assert row_of(response, "2e semestre 2025") == ["2e semestre 2025", "1", "0", "1", "20"]
    assert row_of(response, "Ensemble") == ["Ensemble", "1", "0", "1", "20"]
    assert "1er semestre 2026" not in response.text


def test_votes_cast_by_proxy_are_not_counted_as_cast_in_the_browser(
    client, make_user, decide, ballot
):
    first, second, third = (make_user(Role.MEMBER) for _ in range(3))
    item = decide([paris("2026-03-01")], paris("2026-03-11"))
    ballot(item, first)
    ballot(item, second, choice=Choice.STOP)
    ballot(item, second)  # a change of mind: only the last ballot counts
    ballot(item, third, cast_by=first)  # by proxy
    # A vote still open is not counted.
    still_open = decide([paris("2026-04-01")], paris("2026-04-11"))
    still_open.state = ItemState.OPEN
    ballot(still_open, third)

    response = client.get("/stats")

    text = words(response)
    assert "66,7\u00a0%" in text
    assert row_of(response, "Par le membre lui-même, dans son navigateur") == [
        "Par le membre lui-même, dans son navigateur",
        "2",
        "66,7\u00a0%",
    ]
    assert row_of(response, "Par procuration, par le membre qui détient son pouvoir") == [
        "Par procuration, par le membre qui détient son pouvoir",
        "1",
        "33,3\u00a0%",
    ]
    # Aggregates only: no person, no choice.
    for member in (first, second, third):
        assert member.email not in response.text
    assert "Arrêter" not in text.split("Part des votes")[-1]


def test_the_chart_is_an_accessible_svg_without_inline_style(client, decide):
    decide([paris("2026-02-01")], paris("2026-02-11"))

    response = client.get("/stats")

    svg = re.search(r"<svg[^>]*>.*?</svg>", response.text, re.S).group(0)
    assert 'role="img"' in svg
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    for target in labelled_by:
        assert f'id="{target}"' in svg
    assert "<title" in svg and "<desc" in svg
    assert "style=" not in response.text and "<script>" not in response.text
    # The table is the chart's accessible equivalent.
    assert "Les données du graphique sont dans le tableau ci-dessous" in words(response)


def test_the_page_runs_the_same_few_queries_whatever_the_data(
    client, app, decide, make_user, ballot
):
    member = make_user(Role.MEMBER)

    def statements() -> int:
        executed: list[str] = []

        def record(conn, cursor, statement, *args) -> None:
            if statement.lstrip().upper().startswith("SELECT"):
                executed.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get("/stats").status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
        return len(executed)

    ballot(decide([paris("2026-02-01")], paris("2026-02-11")), member)
    few = statements()
    for month in range(3, 7):
        item = decide(
            [paris(f"2025-0{month}-01"), paris(f"2025-0{month}-02")], paris(f"2025-0{month}-20")
        )
        ballot(item, member)
    assert statements() == few <= 4
