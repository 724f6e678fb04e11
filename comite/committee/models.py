"""Séances (meetings), their members, agenda, recusals, proxies, votes, questions and the
decisions they produce. Votes and published decisions are only ever added, never changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comite.committee.rules import DEFAULT_QUORUM, VotingRule
from comite.committee.workflow import (
    Choice,
    DecisionState,
    ItemState,
    MeetingState,
    Outcome,
    TieBreak,
)
from comite.core.models import Base, str_enum, utcnow
from comite.startups.workflow import Phase

if TYPE_CHECKING:
    from comite.auth.models import User
    from comite.dossiers.models import DossierVersion
    from comite.orders.models import WorkUnitType
    from comite.startups.models import Startup


class Meeting(Base):
    """A séance of the comité d'investissement."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[dt.datetime]
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    video_link: Mapped[str] = mapped_column(sa.String(500), default="")
    state: Mapped[MeetingState] = mapped_column(
        str_enum(MeetingState, 20), default=MeetingState.PLANNED
    )
    secret_ballot: Mapped[bool] = mapped_column(default=False)
    quorum: Mapped[Decimal] = mapped_column(sa.Numeric(3, 2), default=DEFAULT_QUORUM)
    tie_break: Mapped[TieBreak] = mapped_column(str_enum(TieBreak, 16), default=TieBreak.PRESIDENT)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    members: Mapped[list[MeetingMember]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    proxies: Mapped[list[Proxy]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    @property
    def rule(self) -> VotingRule:
        return VotingRule(quorum=self.quorum, tie_break=self.tie_break)

    @property
    def president(self) -> MeetingMember | None:
        return next((member for member in self.members if member.is_president), None)


class MeetingMember(Base):
    """A committee member convened to a séance."""

    __tablename__ = "meeting_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    is_president: Mapped[bool] = mapped_column(default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="members")
    user: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id", name="uq_meeting_member"),)


class Proxy(Base):
    """A convened member who cannot attend gives their vote to another for the séance."""

    __tablename__ = "proxy"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"))
    giver_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    given_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="proxies")
    giver: Mapped[User] = relationship(foreign_keys=[giver_id])
    holder: Mapped[User] = relationship(foreign_keys=[holder_id])

    # One proxy per giver, and a holder carries at most one.
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "giver_id", name="uq_proxy_giver"),
        sa.UniqueConstraint("meeting_id", "holder_id", name="uq_proxy_holder"),
    )


class AgendaItem(Base):
    """One dossier on the agenda: the exact version the committee examines."""

    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    dossier_version_id: Mapped[int] = mapped_column(sa.ForeignKey("dossier_version.id"), index=True)
    state: Mapped[ItemState] = mapped_column(str_enum(ItemState, 16), default=ItemState.PENDING)
    opened_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    outcome: Mapped[Outcome | None] = mapped_column(str_enum(Outcome, 16))
    result_text: Mapped[str] = mapped_column(sa.Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    dossier_version: Mapped[DossierVersion] = relationship()
    recusals: Mapped[list[Recusal]] = relationship(
        back_populates="item", cascade="all, delete-orphan"
    )
    votes: Mapped[list[Vote]] = relationship(
        back_populates="item", order_by="Vote.id", cascade="all, delete-orphan"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="item", order_by="Question.asked_at", cascade="all, delete-orphan"
    )

    @property
    def startup(self) -> Startup:
        return self.dossier_version.dossier.startup

    def current_ballots(self) -> dict[int, Vote]:
        """The last vote of each member: only it counts."""
        ballots: dict[int, Vote] = {}
        for vote in self.votes:
            ballots[vote.voter_id] = vote
        return ballots


class Recusal(Base):
    """A member's declared conflict of interest on an item: they do not vote on it."""

    __tablename__ = "recusal"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    declared_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    item: Mapped[AgendaItem] = relationship(back_populates="recusals")
    user: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("item_id", "user_id", name="uq_recusal_member"),)


class Vote(Base):
    """One ballot. A change of mind is a new row; the last one of a member counts."""

    __tablename__ = "vote"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True
    )
    # Whose vote it is, and who cast it (the holder of their proxy, or themselves).
    voter_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    cast_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    choice: Mapped[Choice] = mapped_column(str_enum(Choice, 16))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    cast_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    item: Mapped[AgendaItem] = relationship(back_populates="votes")
    voter: Mapped[User] = relationship(foreign_keys=[voter_id])
    cast_by: Mapped[User] = relationship(foreign_keys=[cast_by_id])


class Question(Base):
    """A member's written question on an item before the séance, and the team's answer."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    asked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    answered_at: Mapped[dt.datetime | None]

    item: Mapped[AgendaItem] = relationship(back_populates="questions")
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])


class Decision(Base):
    """What the committee decided for a startup. Published, it is frozen: a correction is a
    new decision that supersedes it."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(sa.ForeignKey("startup.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_item.id"), index=True)
    state: Mapped[DecisionState] = mapped_column(
        str_enum(DecisionState, 16), default=DecisionState.DRAFT
    )
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, 16))
    next_phase: Mapped[Phase] = mapped_column(str_enum(Phase))
    conditions: Mapped[str] = mapped_column(sa.Text, default="")
    next_review_on: Mapped[dt.date | None]
    # Frozen with the decision: convened, present, proxies, recusals, votes or counts,
    # the rule applied and its result, the dossier version voted on.
    record: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decision.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    # The registers filter and sort on it.
    published_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    startup: Mapped[Startup] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()
    supersedes: Mapped[Decision | None] = relationship(remote_side=[id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])
    budget_lines: Mapped[list[DecisionBudgetLine]] = relationship(
        back_populates="decision",
        order_by="DecisionBudgetLine.position",
        cascade="all, delete-orphan",
    )


class DecisionBudgetLine(Base):
    """Budget granted, in UO of one type over a period."""

    __tablename__ = "decision_budget_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        sa.ForeignKey("decision.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    work_unit_type_id: Mapped[int] = mapped_column(sa.ForeignKey("work_unit_type.id"))
    quantity: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2))
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]

    decision: Mapped[Decision] = relationship(back_populates="budget_lines")
    work_unit_type: Mapped[WorkUnitType] = relationship()
