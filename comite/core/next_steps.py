"""What each person has to do next, read for the home page: one block per role they hold.
The startups a person follows are read once for the team and sponsor blocks; every other
block is one query, run only for the roles held, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, replace
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from comite.auth.models import User
from comite.auth.roles import Role
from comite.committee.admin_queries import submitted_versions
from comite.committee.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingMember,
    Proxy,
    Recusal,
    Vote,
)
from comite.committee.workflow import DecisionState, ItemState, MeetingState, Outcome
from comite.dossiers.models import Dossier, DossierVersion
from comite.dossiers.permissions import TEAM_ROLES
from comite.dossiers.queries import ReviewDue, last_decisions, review_due
from comite.dossiers.rules import Urgency
from comite.dossiers.workflow import DossierKind, VersionState
from comite.orders.models import OrderState, PurchaseOrder, PurchaseOrderLine
from comite.orders.rules import order_totals
from comite.startups.models import Membership, Startup
from comite.startups.queries import memberships_of
from comite.startups.workflow import MemberRole

# The team still has to act on these versions; on the others the committee has the hand.
TO_COMPLETE = (VersionState.DRAFT, VersionState.RETURNED)
WITH_THE_COMMITTEE = (VersionState.SUBMITTED, VersionState.UNDER_REVIEW)


# -- the startups a person follows ---------------------------------------------------------


@dataclass(frozen=True)
class OpenDossier:
    """The latest version of a dossier still open: with the team (a draft, or returned for
    completion; a draft started after a return carries the secretariat's reason too) or
    with the committee (submitted, or on an agenda)."""

    dossier_id: int
    kind: DossierKind
    startup_id: int
    startup_name: str
    version_number: int
    state: VersionState
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    returned_at: dt.datetime | None
    return_comment: str
    review_due: ReviewDue | None = None

    @property
    def with_the_team(self) -> bool:
        return self.state in TO_COMPLETE


def open_dossiers(session: Session, startups: dict[int, Startup]) -> list[OpenDossier]:
    """The open dossiers of these startups, the last changed first."""
    if not startups:
        return []
    version, previous, newer = (aliased(DossierVersion) for _ in range(3))
    latest_number = (
        sa.select(sa.func.max(newer.number))
        .where(newer.dossier_id == version.dossier_id)
        .scalar_subquery()
    )
    rows = session.execute(
        sa.select(
            Dossier.id,
            Dossier.kind,
            Dossier.startup_id,
            version.number,
            version.state,
            version.updated_at,
            version.submitted_at,
            version.returned_at,
            version.return_comment,
            previous.returned_at.label("previous_returned_at"),
            previous.return_comment.label("previous_return_comment"),
        )
        .join(version, version.dossier_id == Dossier.id)
        # The returned version a new draft completes.
        .outerjoin(
            previous,
            sa.and_(
                previous.dossier_id == Dossier.id,
                previous.number == version.number - 1,
                previous.state == VersionState.RETURNED,
            ),
        )
        .where(
            Dossier.startup_id.in_(list(startups)),
            version.number == latest_number,
            version.state.in_(TO_COMPLETE + WITH_THE_COMMITTEE),
        )
        .order_by(version.updated_at.desc(), Dossier.id)
    )
    return [
        OpenDossier(
            dossier_id=row.id,
            kind=row.kind,
            startup_id=row.startup_id,
            startup_name=startups[row.startup_id].name,
            version_number=row.number,
            state=row.state,
            updated_at=row.updated_at,
            submitted_at=row.submitted_at,
            returned_at=row.returned_at or row.previous_returned_at,
            return_comment=row.return_comment or row.previous_return_comment or "",
        )
        for row in rows
    ]


# -- the team of a startup ------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewToSubmit:
    """An impact review due soon or overdue, that no dossier of the startup answers yet."""

    startup_name: str
    startup_slug: str
    due: ReviewDue


@dataclass(frozen=True)
class TeamSteps:
    dossiers: list[OpenDossier]
    reviews: list[ReviewToSubmit]

    @property
    def count(self) -> int:
        return len(self.dossiers) + len(self.reviews)


def team_steps(
    startups: dict[int, Startup],
    dossiers: list[OpenDossier],
    reviews_due: dict[int, ReviewDue | None],
) -> TeamSteps:
    """The dossiers the team has to complete, returned ones first, and the impact reviews
    due soon or overdue that it has not started yet."""
    dossiers = [d for d in dossiers if d.startup_id in startups]
    # A startup whose dossier waits for the committee has done its part for the review due;
    # one whose impact review is in progress sees the due date on that dossier.
    answered = {d.startup_id for d in dossiers if not d.with_the_team}
    in_progress = {
        d.startup_id for d in dossiers if d.with_the_team and d.kind is DossierKind.IMPACT_REVIEW
    }

    def pressing(startup_id: int) -> ReviewDue | None:
        due = reviews_due.get(startup_id)
        return due if due is not None and due.urgency is not Urgency.LATER else None

    to_complete = [
        replace(d, review_due=pressing(d.startup_id)) if d.kind is DossierKind.IMPACT_REVIEW else d
        for d in dossiers
        if d.with_the_team
    ]
    # What the secretariat asked for first: the committee waits for it.
    to_complete.sort(key=lambda d: d.returned_at is None)
    reviews = [
        ReviewToSubmit(startup.name, startup.slug, due)
        for startup_id, startup in startups.items()
        if startup_id not in answered | in_progress and (due := pressing(startup_id))
    ]
    reviews.sort(key=lambda review: (review.due.due_on, review.startup_name))
    return TeamSteps(to_complete, reviews)


# -- committee members ----------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingToAttend:
    """A séance the member is convened to: an item open for their vote, or its agenda
    published and the séance still to come."""

    meeting_id: int
    title: str
    starts_at: dt.datetime
    state: MeetingState
    item_count: int
    item_to_vote_id: int | None


def meetings_to_attend(session: Session, user: User) -> list[MeetingToAttend]:
    """Séances with an open item where the member votes and has not voted yet (neither
    recused nor represented by a proxy), and séances whose published agenda is ahead."""
    gave_proxy = (
        sa.select(Proxy.id)
        .where(Proxy.meeting_id == Meeting.id, Proxy.giver_id == user.id)
        .exists()
    )
    voted = sa.select(Vote.id).where(Vote.item_id == AgendaItem.id, Vote.voter_id == user.id)
    recused = sa.select(Recusal.id).where(
        Recusal.item_id == AgendaItem.id, Recusal.user_id == user.id
    )
    item_to_vote = (
        sa.select(sa.func.min(AgendaItem.id))
        .where(
            AgendaItem.meeting_id == Meeting.id,
            AgendaItem.state == ItemState.OPEN,
            ~voted.exists(),
            ~recused.exists(),
            ~gave_proxy,
        )
        .scalar_subquery()
        .label("item_to_vote_id")
    )
    item_count = _items_on_agenda()
    rows = session.execute(
        sa.select(
            Meeting.id, Meeting.title, Meeting.starts_at, Meeting.state, item_count, item_to_vote
        )
        .join(
            MeetingMember,
            sa.and_(MeetingMember.meeting_id == Meeting.id, MeetingMember.user_id == user.id),
        )
        .where(Meeting.state.in_((MeetingState.AGENDA_PUBLISHED, MeetingState.IN_PROGRESS)))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return [
        MeetingToAttend(*row)
        for row in rows
        if row.state is MeetingState.AGENDA_PUBLISHED or row.item_to_vote_id is not None
    ]


def _items_on_agenda() -> sa.ScalarSelect[int]:
    """The number of items on the agenda of the séance of the outer query."""
    return (
        sa.select(sa.func.count(AgendaItem.id))
        .where(AgendaItem.meeting_id == Meeting.id)
        .scalar_subquery()
    )


# -- the secretariat ------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingToPrepare:
    """A séance not yet closed, and the secretariat's next step for it."""

    meeting_id: int
    title: str
    starts_at: dt.datetime
    state: MeetingState
    item_count: int
    member_count: int

    @property
    def next_step(self) -> str:
        if self.state is MeetingState.IN_PROGRESS:
            return "Conduire la séance et clore les votes"
        if self.state is MeetingState.AGENDA_PUBLISHED:
            return "Ouvrir la séance"
        if not self.member_count:
            return "Convoquer les membres"
        if not self.item_count:
            return "Inscrire des dossiers à l'ordre du jour"
        return "Publier l'ordre du jour"


@dataclass(frozen=True)
class DecisionToPublish:
    decision_id: int
    startup_name: str
    outcome: Outcome
    created_at: dt.datetime


@dataclass(frozen=True)
class SecretariatSteps:
    submitted: list[DossierVersion]
    meetings: list[MeetingToPrepare]
    decisions: list[DecisionToPublish]


def meetings_to_prepare(session: Session) -> list[MeetingToPrepare]:
    """Séances planned, with their agenda published or in progress: the soonest first."""
    item_count = _items_on_agenda()
    member_count = (
        sa.select(sa.func.count(MeetingMember.id))
        .where(MeetingMember.meeting_id == Meeting.id)
        .scalar_subquery()
    )
    rows = session.execute(
        sa.select(
            Meeting.id, Meeting.title, Meeting.starts_at, Meeting.state, item_count, member_count
        )
        .where(Meeting.state != MeetingState.CLOSED)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return [MeetingToPrepare(*row) for row in rows]


def decisions_to_publish(session: Session) -> list[DecisionToPublish]:
    """Draft decisions the votes prepared, the oldest first."""
    rows = session.execute(
        sa.select(Decision.id, Startup.name, Decision.outcome, Decision.created_at)
        .join(Decision.startup)
        .where(Decision.state == DecisionState.DRAFT)
        .order_by(Decision.created_at, Decision.id)
    )
    return [DecisionToPublish(*row) for row in rows]


# -- the DSAF -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderToEngage:
    order_id: int
    number: str
    startup_name: str
    sent_at: dt.datetime | None
    total_ttc: Decimal


def orders_to_engage(session: Session) -> list[OrderToEngage]:
    """Orders sent to the DSAF that have no legal commitment (EJ) yet, the oldest first:
    one row per line, totalled here with the rule of the order page."""
    rows = session.execute(
        sa.select(
            PurchaseOrder.id,
            PurchaseOrder.number,
            Startup.name,
            PurchaseOrder.sent_at,
            PurchaseOrder.vat_rate,
            PurchaseOrderLine.quantity,
            PurchaseOrderLine.unit_price_ht,
        )
        .join(PurchaseOrder.startup)
        .outerjoin(PurchaseOrder.lines)
        .where(PurchaseOrder.state == OrderState.SENT, PurchaseOrder.legal_commitment == "")
        .order_by(PurchaseOrder.sent_at, PurchaseOrder.id, PurchaseOrderLine.position)
    )
    found = []
    for (order_id, number, name, sent_at, vat_rate), lines in itertools.groupby(
        rows, key=lambda row: tuple(row[:5])
    ):
        priced = [(row.quantity, row.unit_price_ht) for row in lines if row.quantity is not None]
        found.append(
            OrderToEngage(order_id, number, name, sent_at, order_totals(priced, vat_rate)[2])
        )
    return found


# -- sponsors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SponsoredDecision:
    """The decision in force of a startup the person sponsors."""

    startup: Startup
    decision: Decision


@dataclass(frozen=True)
class SponsorSteps:
    decisions: list[SponsoredDecision]
    dossiers: list[OpenDossier]


def sponsor_steps(
    startups: dict[int, Startup], dossiers: list[OpenDossier], decisions: dict[int, Decision]
) -> SponsorSteps:
    """The last decision of each sponsored startup, the latest first, and their dossiers
    before the committee (a sponsor reads no draft)."""
    in_force = [
        SponsoredDecision(startup, decisions[startup_id])
        for startup_id, startup in startups.items()
        if startup_id in decisions
    ]
    in_force.sort(key=lambda s: (s.decision.published_at, s.decision.id), reverse=True)
    waiting = [d for d in dossiers if d.startup_id in startups and not d.with_the_team]
    return SponsorSteps(in_force, waiting)


# -- the page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextSteps:
    """Each block is None when the person does not hold the role it answers."""

    memberships: list[Membership]
    reviews_due: dict[int, ReviewDue | None]
    team: TeamSteps | None = None
    meetings: list[MeetingToAttend] | None = None
    secretariat: SecretariatSteps | None = None
    orders: list[OrderToEngage] | None = None
    sponsor: SponsorSteps | None = None

    @property
    def has_to_do(self) -> bool:
        blocks = (self.team, self.meetings, self.secretariat, self.orders)
        return any(block is not None for block in blocks)


def next_steps_of(session: Session, user: User, today: dt.date) -> NextSteps:
    """The blocks of the roles the person holds. The startups they follow are read once
    (memberships, decisions in force, open dossiers) for the team block (intrapreneurs and
    anyone on a team) and the sponsor block; every other block is one query."""
    memberships = list(session.scalars(memberships_of(user)))
    decisions = (
        last_decisions(session, {m.startup_id for m in memberships}, budget=False)
        if memberships
        else {}
    )
    reviews_due = {
        m.startup_id: review_due(m.startup, today, decisions.get(m.startup_id)) for m in memberships
    }
    followed = {m.startup_id: m.startup for m in memberships}
    dossiers = open_dossiers(session, followed)
    roles = user.roles
    team = None
    on_team = {m.startup_id: m.startup for m in memberships if m.role in TEAM_ROLES}
    if Role.INTRAPRENEUR in roles or on_team:
        team = team_steps(on_team, dossiers, reviews_due)
    sponsor = None
    sponsored = {m.startup_id: m.startup for m in memberships if m.role is MemberRole.SPONSOR}
    if Role.SPONSOR in roles or sponsored:
        sponsor = sponsor_steps(sponsored, dossiers, decisions)
    return NextSteps(
        memberships=memberships,
        reviews_due=reviews_due,
        team=team,
        meetings=meetings_to_attend(session, user) if Role.MEMBER in roles else None,
        secretariat=(
            SecretariatSteps(
                submitted_versions(session),
                meetings_to_prepare(session),
                decisions_to_publish(session),
            )
            if Role.ADMIN in roles
            else None
        ),
        orders=orders_to_engage(session) if Role.FINANCE in roles else None,
        sponsor=sponsor,
    )
