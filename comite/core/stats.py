"""Comité's own impact figures, for its public statistics page: dossiers decided per
half-year, the wait from submission to decision, and how votes were cast. Only published
decisions and closed votes, and only aggregates: never a person, never a choice."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from comite.committee.models import AgendaItem, Decision, Vote
from comite.committee.workflow import DecisionState, ItemState, Outcome
from comite.core.formatting import number
from comite.core.periods import PARIS
from comite.dossiers.models import DossierVersion

# A decision continues or stops a startup: a postponed item has no decision.
DECISION_OUTCOMES = (Outcome.CONTINUE, Outcome.STOP)


@dataclass(frozen=True, order=True)
class HalfYear:
    year: int
    half: int  # 1: January to June, 2: July to December

    @classmethod
    def of(cls, moment: dt.datetime) -> HalfYear:
        """The half-year a moment falls in, on the calendar of Paris."""
        day = moment.astimezone(PARIS).date()
        return cls(day.year, 1 if day.month <= 6 else 2)

    def next(self) -> HalfYear:
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    @property
    def label(self) -> str:
        """1er semestre 2026, 2e semestre 2026."""
        return f"{'1er' if self.half == 1 else '2e'} semestre {self.year}"

    @property
    def short_label(self) -> str:
        """1er sem., 2e sem.: the chart writes the year below."""
        return "1er sem." if self.half == 1 else "2e sem."


@dataclass(frozen=True)
class DecidedItem:
    """An agenda item whose decision is published: one dossier decided."""

    item_id: int
    dossier_id: int
    version_number: int
    # The first publication of its decision; a later correction does not move it.
    decided_at: dt.datetime
    # The outcome in force, corrections included.
    outcome: Outcome


@dataclass(frozen=True)
class Submission:
    dossier_id: int
    version_number: int
    submitted_at: dt.datetime


@dataclass(frozen=True)
class HalfYearFigures:
    half_year: HalfYear
    decided: int
    outcomes: dict[Outcome, int]
    median_days: Decimal | None


@dataclass(frozen=True)
class VoteChannels:
    """Ballots of closed items: cast by the member themselves, or by the holder of their
    proxy."""

    by_member: int
    by_proxy: int

    @property
    def total(self) -> int:
        return self.by_member + self.by_proxy


@dataclass(frozen=True)
class Bar:
    label: str
    year: str
    value: int
    x: float
    y: float
    width: float
    height: float

    @property
    def center(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]


@dataclass(frozen=True)
class CommitteeStats:
    half_years: list[HalfYearFigures]
    decided: int
    outcomes: dict[Outcome, int]
    median_days: Decimal | None
    votes: VoteChannels
    chart: BarChart | None


# -- rules ----------------------------------------------------------------------------------


def median(values: Sequence[int]) -> Decimal | None:
    """The median of whole numbers (a half when their count is even), None without any."""
    if not values:
        return None
    return Decimal(statistics.median_low(values) + statistics.median_high(values)) / 2


def waiting_days(submitted_at: dt.datetime, decided_at: dt.datetime) -> int:
    """Calendar days in Paris from the submission to the decision (0 on the same day)."""
    days = decided_at.astimezone(PARIS).date() - submitted_at.astimezone(PARIS).date()
    return max(days.days, 0)


def share(part: int, total: int) -> Decimal | None:
    """`part` out of `total` in percent, to one decimal, rounded half up; None of nothing."""
    if not total:
        return None
    return (Decimal(100) * part / total).quantize(Decimal("0.1"), ROUND_HALF_UP)


def percent(value: Decimal | None) -> str:
    """66,7 % (with a no-break space, as Babel writes French percentages)."""
    if value is None:
        return ""
    return f"{number(value, 1)}\u00a0%"


def first_submissions(
    decided: Sequence[DecidedItem], submissions: Iterable[Submission]
) -> dict[int, dt.datetime]:
    """For each decided item (by id), when the team first submitted what was decided.

    The wait counts from the first submission, not the last: a dossier returned for
    completion and submitted again has been waiting since its first submission, which is
    the fair measure of the team's wait. A dossier decided once already and then submitted
    again (a later version) waits from its first submission since that earlier decision."""
    decided_numbers: dict[int, list[int]] = defaultdict(list)
    for item in decided:
        decided_numbers[item.dossier_id].append(item.version_number)
    by_dossier: dict[int, list[Submission]] = defaultdict(list)
    for submission in submissions:
        by_dossier[submission.dossier_id].append(submission)
    firsts = {}
    for item in decided:
        previous = max(
            (n for n in decided_numbers[item.dossier_id] if n < item.version_number), default=0
        )
        moments = [
            submission.submitted_at
            for submission in by_dossier[item.dossier_id]
            if previous < submission.version_number <= item.version_number
        ]
        if moments:
            firsts[item.item_id] = min(moments)
    return firsts


def _outcome_counts(items: Iterable[DecidedItem]) -> dict[Outcome, int]:
    counts = Counter(item.outcome for item in items)
    return {outcome: counts[outcome] for outcome in DECISION_OUTCOMES}


def _waits(items: Iterable[DecidedItem], submitted: dict[int, dt.datetime]) -> list[int]:
    return [
        waiting_days(submitted[item.item_id], item.decided_at)
        for item in items
        if item.item_id in submitted
    ]


def half_year_figures(
    decided: Sequence[DecidedItem], submitted: dict[int, dt.datetime]
) -> list[HalfYearFigures]:
    """Per half-year, from the first with a decision to the last, the oldest first (a
    half-year without any decision in between is shown with none)."""
    if not decided:
        return []
    by_half_year: dict[HalfYear, list[DecidedItem]] = defaultdict(list)
    for item in decided:
        by_half_year[HalfYear.of(item.decided_at)].append(item)
    figures = []
    half_year, last = min(by_half_year), max(by_half_year)
    while half_year <= last:
        items = by_half_year.get(half_year, [])
        figures.append(
            HalfYearFigures(
                half_year=half_year,
                decided=len(items),
                outcomes=_outcome_counts(items),
                median_days=median(_waits(items, submitted)),
            )
        )
        half_year = half_year.next()
    return figures


# The chart's drawing, in the units of its viewBox (CSS pixels at its natural size); a
# chart of few bars keeps the width of MIN_SLOTS, its bars on the left.
BAR_WIDTH, BAR_GAP, MARGIN, MIN_SLOTS = 56, 28, 16, 4
PLOT_TOP, PLOT_HEIGHT, AXIS_LABELS = 28, 180, 48


def bar_chart(figures: Sequence[HalfYearFigures]) -> BarChart | None:
    """Bars of the dossiers decided per half-year, drawn on the server: the tallest bar
    reaches the top of the plot, the others in proportion."""
    if not figures:
        return None
    tallest = max(figure.decided for figure in figures) or 1
    baseline = PLOT_TOP + PLOT_HEIGHT
    bars = []
    for index, figure in enumerate(figures):
        height = PLOT_HEIGHT * figure.decided / tallest
        bars.append(
            Bar(
                label=figure.half_year.short_label,
                year=str(figure.half_year.year),
                value=figure.decided,
                x=MARGIN + BAR_GAP / 2 + index * (BAR_WIDTH + BAR_GAP),
                y=baseline - height,
                width=BAR_WIDTH,
                height=height,
            )
        )
    width = 2 * MARGIN + max(len(figures), MIN_SLOTS) * (BAR_WIDTH + BAR_GAP)
    return BarChart(width=width, height=baseline + AXIS_LABELS, baseline=baseline, bars=bars)


# -- queries --------------------------------------------------------------------------------

PUBLISHED_ONCE = (DecisionState.PUBLISHED, DecisionState.SUPERSEDED)


def decided_items(session: Session) -> list[DecidedItem]:
    """One row per agenda item with a published decision, in one query: the first
    publication's moment and the outcome of the decision in force."""
    first_published = (
        sa.select(
            Decision.agenda_item_id.label("item_id"),
            sa.func.min(Decision.published_at).label("decided_at"),
        )
        .where(Decision.agenda_item_id.is_not(None), Decision.state.in_(PUBLISHED_ONCE))
        .group_by(Decision.agenda_item_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(
            AgendaItem.id,
            DossierVersion.dossier_id,
            DossierVersion.number,
            first_published.c.decided_at,
            Decision.outcome,
        )
        .join(first_published, first_published.c.item_id == Decision.agenda_item_id)
        .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
        .join(DossierVersion, DossierVersion.id == AgendaItem.dossier_version_id)
        .where(Decision.state == DecisionState.PUBLISHED)
    )
    return [DecidedItem(*row) for row in rows]


def submissions_of_decided_dossiers(session: Session) -> list[Submission]:
    """Every submitted version of the dossiers that have a published decision."""
    decided_dossiers = (
        sa.select(DossierVersion.dossier_id)
        .join(AgendaItem, AgendaItem.dossier_version_id == DossierVersion.id)
        .join(Decision, Decision.agenda_item_id == AgendaItem.id)
        .where(Decision.state == DecisionState.PUBLISHED)
    )
    rows = session.execute(
        sa.select(
            DossierVersion.dossier_id, DossierVersion.number, DossierVersion.submitted_at
        ).where(
            DossierVersion.submitted_at.is_not(None),
            DossierVersion.dossier_id.in_(decided_dossiers),
        )
    )
    return [Submission(*row) for row in rows]


def vote_channels(session: Session) -> VoteChannels:
    """The ballots that count (a member's last vote on an item) of the items whose vote is
    closed, split by who cast them: the member, or the holder of their proxy."""
    counted = (
        sa.select(sa.func.max(Vote.id))
        .join(AgendaItem, AgendaItem.id == Vote.item_id)
        .where(AgendaItem.state == ItemState.CLOSED)
        .group_by(Vote.item_id, Vote.voter_id)
    )
    by_member = sa.func.sum(sa.case((Vote.cast_by_id == Vote.voter_id, 1), else_=0))
    row = session.execute(
        sa.select(sa.func.count(Vote.id), sa.func.coalesce(by_member, 0)).where(
            Vote.id.in_(counted)
        )
    ).one()
    total, member = int(row[0]), int(row[1])
    return VoteChannels(by_member=member, by_proxy=total - member)


def committee_stats(session: Session) -> CommitteeStats:
    """Everything the statistics page shows, in three queries."""
    decided = decided_items(session)
    submitted = first_submissions(decided, submissions_of_decided_dossiers(session))
    figures = half_year_figures(decided, submitted)
    return CommitteeStats(
        half_years=figures,
        decided=len(decided),
        outcomes=_outcome_counts(decided),
        median_days=median(_waits(decided, submitted)),
        votes=vote_channels(session),
        chart=bar_chart(figures),
    )
