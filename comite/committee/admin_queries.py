"""Reading séances for the secretariat: the list, the candidates to convene and to put on
the agenda, the live state of a séance and the change stamp its panel polls."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from comite.auth.models import User, UserRole
from comite.auth.roles import Role
from comite.committee.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingMember,
    Recusal,
    Vote,
)
from comite.committee.services import item_result, waiting_voters
from comite.committee.workflow import Choice, ItemState, MeetingState
from comite.dossiers.models import Dossier, DossierVersion
from comite.dossiers.workflow import VersionState


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    item_count: int
    presides: bool


def meetings_for(session: Session, user: User) -> list[MeetingRow]:
    """Every séance for the secretariat, the most recent first; a committee member sees the
    séances they are convened to once their agenda is published."""
    item_count = (
        sa.select(sa.func.count(AgendaItem.id))
        .where(AgendaItem.meeting_id == Meeting.id)
        .scalar_subquery()
    )
    presides = (
        sa.select(MeetingMember.id)
        .where(
            MeetingMember.meeting_id == Meeting.id,
            MeetingMember.user_id == user.id,
            MeetingMember.is_president,
        )
        .exists()
    )
    query = sa.select(Meeting, item_count, presides).order_by(
        Meeting.starts_at.desc(), Meeting.id.desc()
    )
    if not user.has_role(Role.ADMIN):
        convened = (
            sa.select(MeetingMember.id)
            .where(MeetingMember.meeting_id == Meeting.id, MeetingMember.user_id == user.id)
            .exists()
        )
        query = query.where(convened, Meeting.state != MeetingState.PLANNED)
    return [
        MeetingRow(meeting, count, bool(flag)) for meeting, count, flag in session.execute(query)
    ]


def load_meeting_for_secretariat(session: Session, meeting_id: int) -> Meeting | None:
    """A séance with its members, proxies and agenda (dossiers, recusals and votes) loaded."""
    item_loader = selectinload(Meeting.items)
    return session.scalar(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.members).selectinload(MeetingMember.user),
            selectinload(Meeting.proxies),
            item_loader.selectinload(AgendaItem.dossier_version)
            .selectinload(DossierVersion.dossier)
            .selectinload(Dossier.startup),
            item_loader.selectinload(AgendaItem.recusals).selectinload(Recusal.user),
            item_loader.selectinload(AgendaItem.votes),
        )
    )


def committee_members(session: Session, also: list[int] | tuple[int, ...] = ()) -> list[User]:
    """Active committee members, by name; `also` keeps people already convened in the list
    even if they have since lost the role."""
    is_member = sa.select(UserRole.user_id).where(
        UserRole.user_id == User.id, UserRole.role == Role.MEMBER
    )
    condition = sa.and_(User.is_active, is_member.exists())
    if also:
        condition = sa.or_(condition, User.id.in_(also))
    return list(
        session.scalars(
            sa.select(User).where(condition).order_by(User.usual_name, User.given_name, User.id)
        )
    )


def users_by_id(session: Session, ids: list[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {user.id: user for user in session.scalars(sa.select(User).where(User.id.in_(ids)))}


def submitted_versions(session: Session) -> list[DossierVersion]:
    """Fiches and reviews waiting for a séance, the longest waiting first."""
    return list(
        session.scalars(
            sa.select(DossierVersion)
            .where(DossierVersion.state == VersionState.SUBMITTED)
            .options(joinedload(DossierVersion.dossier).joinedload(Dossier.startup))
            .order_by(DossierVersion.submitted_at, DossierVersion.id)
        )
    )


def decisions_by_item(session: Session, meeting: Meeting) -> dict[int, int]:
    """The decision drafted from each closed item of the séance (item id → decision id)."""
    item_ids = [item.id for item in meeting.items]
    if not item_ids:
        return {}
    rows = session.execute(
        sa.select(Decision.agenda_item_id, sa.func.min(Decision.id))
        .where(Decision.agenda_item_id.in_(item_ids))
        .group_by(Decision.agenda_item_id)
    )
    return {item_id: decision_id for item_id, decision_id in rows}


def live_stamp(session: Session, meeting_id: int) -> str:
    """Changes whenever the live panel could change: a vote, a recusal, an item or the
    séance changing state. One query, no rendering."""
    votes = (
        sa.select(sa.func.count(Vote.id))
        .join(AgendaItem, Vote.item_id == AgendaItem.id)
        .where(AgendaItem.meeting_id == meeting_id)
        .scalar_subquery()
    )
    recusals = (
        sa.select(sa.func.count(Recusal.id))
        .join(AgendaItem, Recusal.item_id == AgendaItem.id)
        .where(AgendaItem.meeting_id == meeting_id)
        .scalar_subquery()
    )
    open_items, closed_items = (
        sa.select(sa.func.count(AgendaItem.id))
        .where(AgendaItem.meeting_id == meeting_id, AgendaItem.state == state)
        .scalar_subquery()
        for state in (ItemState.OPEN, ItemState.CLOSED)
    )
    row = session.execute(
        sa.select(Meeting.state, votes, recusals, open_items, closed_items).where(
            Meeting.id == meeting_id
        )
    ).one_or_none()
    if row is None:
        return ""
    state, *counts = row
    return "-".join([state.value, *(str(count) for count in counts)])


@dataclass(frozen=True)
class Participation:
    """Where the vote on an open item stands, for the secretariat and the president."""

    voted: int
    eligible: int
    not_voted: list[str]
    recused: list[tuple[str, str]]
    counts: dict[Choice, int] | None  # None for a secret ballot: the result comes at closing


def participation(item: AgendaItem) -> Participation:
    """Who voted and who has not; the running count too, unless the ballot is secret."""
    result = item_result(item)
    names = {member.user_id: member.user.full_name for member in item.meeting.members}
    not_voted = sorted(names[user_id] for user_id in waiting_voters(item))
    return Participation(
        voted=result.voted,
        eligible=result.eligible,
        not_voted=not_voted,
        recused=[(recusal.user.full_name, recusal.reason) for recusal in item.recusals],
        counts=None
        if item.meeting.secret_ballot
        else {choice: result.counts.get(choice, 0) for choice in Choice},
    )
