"""Reading decisions: one decision and what surrounds it, a startup's timeline, the minutes
of a séance. Reads only: nothing here changes state."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, defer, joinedload, selectinload

from comite.auth.models import User
from comite.committee.models import (
    AgendaItem,
    Decision,
    DecisionBudgetLine,
    Meeting,
    MeetingMember,
    Proxy,
    Recusal,
)
from comite.committee.permissions import can_read_decision
from comite.committee.workflow import Choice, DecisionState, ItemState
from comite.dossiers.models import Dossier, DossierVersion
from comite.dossiers.permissions import can_read_version
from comite.dossiers.workflow import VersionState
from comite.startups.models import Startup

# One UO is one full-time profile for one month: 20 working days (2021 framework contract).
DAYS_PER_UO = 20


def budget_days(quantity: Decimal) -> Decimal:
    """The working days a quantity of UO stands for."""
    return quantity * DAYS_PER_UO


def total_quantity(lines: Iterable[DecisionBudgetLine]) -> Decimal:
    """The UO granted by a decision, all types together."""
    return sum((line.quantity for line in lines), Decimal(0))


# -- one decision ---------------------------------------------------------------------------


def load_decision(session: Session, decision_id: int) -> Decision | None:
    return session.scalar(
        sa.select(Decision)
        .where(Decision.id == decision_id)
        .options(
            selectinload(Decision.budget_lines).selectinload(DecisionBudgetLine.work_unit_type),
            selectinload(Decision.startup).selectinload(Startup.memberships),
            selectinload(Decision.agenda_item).selectinload(AgendaItem.meeting),
            selectinload(Decision.supersedes),
        )
    )


def correction_of(session: Session, decision: Decision) -> Decision | None:
    """The newest decision that supersedes this one (a draft correction included)."""
    return session.scalar(
        sa.select(Decision)
        .where(Decision.supersedes_id == decision.id)
        .order_by(Decision.created_at.desc(), Decision.id.desc())
        .limit(1)
    )


# -- a startup's timeline -------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One dated line of a startup's history."""

    at: dt.datetime
    kind: str  # "dossier", "seance" or "decision"
    title: str
    text: str = ""
    url_endpoint: str | None = None
    url_values: dict = field(default_factory=dict)
    badge: str = ""
    badge_kind: str | None = None
    decision: Decision | None = None


def _as_datetime(day: dt.datetime) -> dt.datetime:
    return day if day.tzinfo else day.replace(tzinfo=dt.UTC)


def startup_timeline(session: Session, startup: Startup, user: User) -> list[TimelineEntry]:
    """What happened to a startup before the committee, newest first: dossiers submitted
    and returned (as far as the user may read them), séance items and decisions (drafts
    for the secretariat only)."""
    entries: list[TimelineEntry] = []
    dossiers = session.scalars(
        sa.select(Dossier)
        .where(Dossier.startup_id == startup.id)
        # The timeline needs the versions' dates and states, never their content. The
        # startup, its team, and later the items' versions and dossiers are already in the
        # session: their many-to-one links resolve from it without a query.
        .options(selectinload(Dossier.versions).defer(DossierVersion.content_json))
    ).all()
    for dossier in dossiers:
        for version in dossier.versions:
            if version.state is VersionState.DRAFT or not can_read_version(user, version):
                continue
            link = {"dossier_id": dossier.id, "number": version.number}
            if version.submitted_at:
                entries.append(
                    TimelineEntry(
                        version.submitted_at,
                        "dossier",
                        f"{dossier.kind.label}, version {version.number} "
                        f"{dossier.kind.agreed('déposé', 'déposée')}",
                        url_endpoint="dossiers.show_version",
                        url_values=link,
                        badge=version.state.label,
                    )
                )
            if version.returned_at:
                entries.append(
                    TimelineEntry(
                        version.returned_at,
                        "dossier",
                        f"{dossier.kind.label}, version {version.number} renvoyée pour compléments",
                        text=version.return_comment,
                        url_endpoint="dossiers.show_version",
                        url_values=link,
                        badge="Renvoyée",
                        badge_kind="warning",
                    )
                )

    items = session.scalars(
        sa.select(AgendaItem)
        .join(AgendaItem.dossier_version)
        .join(DossierVersion.dossier)
        .where(Dossier.startup_id == startup.id)
        .options(joinedload(AgendaItem.meeting))
    ).all()
    for item in items:
        version = item.dossier_version
        title = (
            f"Séance « {item.meeting.title} » : {version.dossier.kind.label.lower()}, "
            f"version {version.number}"
        )
        entries.append(
            TimelineEntry(
                item.meeting.starts_at,
                "seance",
                title,
                text=item.result_text if item.state is ItemState.CLOSED else item.state.label,
                badge=item.outcome.label if item.outcome else item.state.label,
            )
        )

    decisions = session.scalars(
        sa.select(Decision)
        .where(Decision.startup_id == startup.id)
        # The record (the frozen copy of the vote) is read on the decision's own page only.
        .options(selectinload(Decision.budget_lines), defer(Decision.record))
    ).all()
    for decision in decisions:
        if not can_read_decision(user, decision):
            continue
        entries.append(
            TimelineEntry(
                decision.published_at or decision.created_at,
                "decision",
                f"Décision : {decision.outcome.label.lower()}",
                url_endpoint="decisions.show_decision",
                url_values={"decision_id": decision.id},
                badge=decision.state.label,
                badge_kind={
                    DecisionState.DRAFT: "new",
                    DecisionState.PUBLISHED: "success",
                    DecisionState.SUPERSEDED: None,
                }[decision.state],
                decision=decision,
            )
        )
    return sorted(entries, key=lambda entry: _as_datetime(entry.at), reverse=True)


# -- minutes of a séance --------------------------------------------------------------------


def load_meeting(session: Session, meeting_id: int) -> Meeting | None:
    return session.scalar(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.members).selectinload(MeetingMember.user),
            selectinload(Meeting.proxies).selectinload(Proxy.giver),
            selectinload(Meeting.proxies).selectinload(Proxy.holder),
            selectinload(Meeting.items).options(
                selectinload(AgendaItem.recusals).selectinload(Recusal.user),
                selectinload(AgendaItem.votes),
                selectinload(AgendaItem.dossier_version)
                .selectinload(DossierVersion.dossier)
                .selectinload(Dossier.startup),
            ),
        )
    )


@dataclass(frozen=True)
class ItemMinutes:
    """One item as the minutes give it."""

    item: AgendaItem
    recused: list[tuple[str, str]]  # (name, reason)
    # (voter, choice label, cast by); None for a secret ballot or an item not closed yet
    votes: list[tuple[str, str, str]] | None
    counts: dict[str, int] | None  # choice label → number of ballots; None until closed
    decision: Decision | None
    status: str  # what the minutes say of an item whose vote is not closed

    @property
    def closed(self) -> bool:
        return self.item.state is ItemState.CLOSED


@dataclass(frozen=True)
class Minutes:
    meeting: Meeting
    convened: list[MeetingMember]
    present: list[str]
    items: list[ItemMinutes]


def _current_decision(decisions: list[Decision], with_drafts: bool) -> Decision | None:
    """The decision in force for an item: the published one, else (for the secretariat)
    the draft being prepared."""
    published = [d for d in decisions if d.state is DecisionState.PUBLISHED]
    if published:
        return published[-1]
    drafts = [d for d in decisions if d.state is DecisionState.DRAFT]
    return drafts[-1] if drafts and with_drafts else None


# Minutes are read during the séance: an item not closed gives its state, never its ballots.
ITEM_STATUS = {
    ItemState.PENDING: "À examiner",
    ItemState.OPEN: "Vote en cours",
    ItemState.CLOSED: "Vote clos",
}


def meeting_minutes(session: Session, meeting: Meeting, with_drafts: bool) -> Minutes:
    """The relevé de décisions: who was convened and present, then each item's recusals,
    ballots (counts only for a secret ballot), result and decision; ballots and counts only
    once the item's vote is closed, so that nobody reads a vote while it runs."""
    names = {member.user_id: member.user.full_name for member in meeting.members}
    decisions = session.scalars(
        sa.select(Decision)
        .where(Decision.agenda_item_id.in_([item.id for item in meeting.items]))
        .order_by(Decision.id)
        .options(
            selectinload(Decision.budget_lines).selectinload(DecisionBudgetLine.work_unit_type)
        )
    ).all()
    by_item: dict[int, list[Decision]] = {}
    for decision in decisions:
        by_item.setdefault(decision.agenda_item_id or 0, []).append(decision)
    present_ids = {vote.cast_by_id for item in meeting.items for vote in item.votes} | {
        recusal.user_id for item in meeting.items for recusal in item.recusals
    }
    items = []
    for item in meeting.items:
        votes: list[tuple[str, str, str]] | None = None
        counts: dict[str, int] | None = None
        if item.state is ItemState.CLOSED:
            recused_ids = {recusal.user_id for recusal in item.recusals}
            ballots = [
                vote for vote in item.current_ballots().values() if vote.voter_id not in recused_ids
            ]
            counted = Counter(vote.choice for vote in ballots)
            counts = {choice.label: counted.get(choice, 0) for choice in Choice}
            if not meeting.secret_ballot:
                votes = [
                    (
                        names.get(vote.voter_id, str(vote.voter_id)),
                        vote.choice.label,
                        names.get(vote.cast_by_id, "") if vote.cast_by_id != vote.voter_id else "",
                    )
                    for vote in ballots
                ]
        items.append(
            ItemMinutes(
                item=item,
                recused=[(recusal.user.full_name, recusal.reason) for recusal in item.recusals],
                votes=votes,
                counts=counts,
                decision=_current_decision(by_item.get(item.id, []), with_drafts),
                status=ITEM_STATUS[item.state],
            )
        )
    return Minutes(
        meeting=meeting,
        convened=sorted(meeting.members, key=lambda m: (not m.is_president, m.user.full_name)),
        present=sorted(names.get(user_id, str(user_id)) for user_id in present_ids),
        items=items,
    )
