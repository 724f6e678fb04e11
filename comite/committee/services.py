"""Verbs of the committee: séances, agenda, recusals, proxies, votes, questions, decisions.

Each checks its rule, writes the audit log and flushes; the view commits. A refusal is a
DomainError with a French message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from comite.auth.models import User
from comite.auth.roles import Role
from comite.committee.models import (
    AgendaItem,
    Decision,
    DecisionBudgetLine,
    Meeting,
    MeetingMember,
    Proxy,
    Question,
    Recusal,
    Vote,
)
from comite.committee.rules import (
    STOP_PHASES,
    Result,
    eligible_voters,
    may_vote_for,
    phase_refusal,
    tally,
)
from comite.committee.workflow import (
    MEETING_TRANSITIONS,
    Choice,
    DecisionState,
    ItemState,
    MeetingState,
    Outcome,
    TieBreak,
)
from comite.core import audit
from comite.core.errors import DomainError
from comite.core.models import utcnow
from comite.dossiers.content import BudgetLine
from comite.dossiers.models import DossierVersion
from comite.dossiers.rules import budget_line_errors
from comite.dossiers.workflow import VersionState
from comite.notifications import outbox
from comite.orders.models import WorkUnitType
from comite.startups.models import PhaseChange
from comite.startups.workflow import Phase, StartupStatus

REVIEW_DELAY = relativedelta(months=6)


@dataclass(frozen=True)
class MeetingDetails:
    title: str
    starts_at: dt.datetime
    place: str = ""
    video_link: str = ""
    secret_ballot: bool = False
    quorum: Decimal = Decimal("0.5")
    tie_break: TieBreak = TieBreak.PRESIDENT


@dataclass(frozen=True)
class DecisionDetails:
    outcome: Outcome
    next_phase: Phase
    conditions: str
    next_review_on: dt.date | None
    budget_lines: Sequence[BudgetLine]


def _lock(session: Session, row: object) -> None:
    """Re-read the row under a lock (FOR UPDATE on PostgreSQL; SQLite serialises writers),
    so that two clicks on the same button cannot both pass the state check."""
    session.flush()
    # The lock is taken on the row alone (a refresh FOR UPDATE would also lock the rows its
    # eager loads join, which PostgreSQL refuses on an outer join), then the row is read again.
    key = sa.inspect(row).mapper.primary_key[0]
    session.execute(sa.select(key).where(key == row.id).with_for_update())
    session.refresh(row)


# -- séances ----------------------------------------------------------------------------


def create_meeting(session: Session, details: MeetingDetails, admin: User) -> Meeting:
    """The secretariat plans a séance."""
    meeting = Meeting(**details.__dict__)
    session.add(meeting)
    session.flush()
    audit.record(session, "meeting.created", meeting, actor=admin, title=meeting.title)
    return meeting


def update_meeting(session: Session, meeting: Meeting, details: MeetingDetails, admin: User):
    """Date, place and rules change until the séance opens."""
    if meeting.state not in (MeetingState.PLANNED, MeetingState.AGENDA_PUBLISHED):
        raise DomainError("La séance est ouverte : ses modalités ne changent plus.")
    for name, value in details.__dict__.items():
        setattr(meeting, name, value)
    session.flush()
    audit.record(session, "meeting.updated", meeting, actor=admin)
    return meeting


def convene(
    session: Session, meeting: Meeting, members: Sequence[User], president: User, admin: User
) -> Meeting:
    """Convened members are committee members; one of them presides."""
    if meeting.state not in (MeetingState.PLANNED, MeetingState.AGENDA_PUBLISHED):
        raise DomainError("La séance est ouverte : la liste des membres ne change plus.")
    if not members:
        raise DomainError("Convoquez au moins un membre du comité.", field="members")
    not_members = [user.full_name for user in members if not user.has_role(Role.MEMBER)]
    if not_members:
        raise DomainError(
            "Seuls les membres du comité sont convoqués : " + ", ".join(not_members) + ".",
            field="members",
        )
    if president not in members:
        raise DomainError("Le président doit être l'un des membres convoqués.", field="president")
    kept = {member.user_id: member for member in meeting.members}
    meeting.members = [
        kept.get(user.id) or MeetingMember(user=user, user_id=user.id) for user in members
    ]
    for member in meeting.members:
        member.is_president = member.user_id == president.id
    meeting.proxies = [
        proxy
        for proxy in meeting.proxies
        if {proxy.giver_id, proxy.holder_id} <= {user.id for user in members}
    ]
    session.flush()
    audit.record(
        session,
        "meeting.convened",
        meeting,
        actor=admin,
        members=[user.id for user in members],
        president=president.id,
    )
    return meeting


def add_to_agenda(
    session: Session, meeting: Meeting, version: DossierVersion, admin: User
) -> AgendaItem:
    """A submitted fiche or review goes on the agenda, as the exact version submitted."""
    if meeting.state is not MeetingState.PLANNED:
        raise DomainError("L'ordre du jour est publié : il ne change plus.")
    if version.state is not VersionState.SUBMITTED:
        raise DomainError("Seul un dossier déposé peut être inscrit à l'ordre du jour.")
    item = AgendaItem(meeting=meeting, position=len(meeting.items) + 1, dossier_version=version)
    version.state = VersionState.UNDER_REVIEW
    session.add(item)
    session.flush()
    audit.record(
        session, "agenda.item_added", meeting, actor=admin, item=item.id, version=version.id
    )
    return item


def remove_from_agenda(session: Session, item: AgendaItem, admin: User) -> None:
    """Until the agenda is published, an item can be withdrawn (the dossier goes back to
    the submitted ones)."""
    meeting = item.meeting
    if meeting.state is not MeetingState.PLANNED:
        raise DomainError("L'ordre du jour est publié : il ne change plus.")
    item.dossier_version.state = VersionState.SUBMITTED
    meeting.items.remove(item)
    for position, other in enumerate(meeting.items, start=1):
        other.position = position
    session.flush()
    audit.record(session, "agenda.item_removed", meeting, actor=admin, item=item.id)


def advance_meeting(session: Session, meeting: Meeting, verb: str, admin: User) -> Meeting:
    """planned → agenda published → in progress → closed."""
    source, target, _label = MEETING_TRANSITIONS[verb]
    if meeting.state is not source:
        raise DomainError(f"Action impossible : la séance est « {meeting.state.label} ».")
    if verb == "publish_agenda":
        if meeting.president is None:
            raise DomainError("Convoquez les membres et désignez le président d'abord.")
        if not meeting.items:
            raise DomainError("Inscrivez au moins un dossier à l'ordre du jour.")
    if verb == "close" and any(item.state is not ItemState.CLOSED for item in meeting.items):
        raise DomainError("Tous les points doivent être clos avant de clore la séance.")
    meeting.state = target
    session.flush()
    audit.record(session, f"meeting.{verb}", meeting, actor=admin)
    if verb == "publish_agenda":
        outbox.agenda_published(session, meeting)
    return meeting


# -- members' declarations ---------------------------------------------------------------


def convened_ids(meeting: Meeting) -> set[int]:
    return {member.user_id for member in meeting.members}


def declare_conflict(session: Session, item: AgendaItem, member: User, reason: str) -> Recusal:
    """A convened member declares a conflict of interest on an item and does not vote on
    it (a vote already cast no longer counts)."""
    _lock(session, item)
    if member.id not in convened_ids(item.meeting):
        raise DomainError("Seuls les membres convoqués déclarent un conflit d'intérêts.")
    if item.state is ItemState.CLOSED:
        raise DomainError("Le vote sur ce point est clos.")
    if not reason.strip():
        raise DomainError("Indiquez la raison du conflit d'intérêts.", field="reason")
    if any(recusal.user_id == member.id for recusal in item.recusals):
        raise DomainError("Vous avez déjà déclaré un conflit d'intérêts sur ce point.")
    recusal = Recusal(item=item, user=member, reason=reason.strip())
    session.add(recusal)
    session.flush()
    audit.record(session, "vote.recusal", item, actor=member, reason=recusal.reason)
    return recusal


def give_proxy(session: Session, meeting: Meeting, giver: User, holder: User) -> Proxy:
    """A convened member who cannot attend gives their vote to another convened member;
    one proxy per giver, and a holder carries at most one."""
    members = convened_ids(meeting)
    if giver.id not in members or holder.id not in members:
        raise DomainError("Le pouvoir se donne entre membres convoqués à la séance.", "holder")
    if giver.id == holder.id:
        raise DomainError("Choisissez un autre membre que vous-même.", field="holder")
    if meeting.state is MeetingState.CLOSED:
        raise DomainError("La séance est close.")
    if any(proxy.giver_id == giver.id for proxy in meeting.proxies):
        raise DomainError("Vous avez déjà donné votre pouvoir pour cette séance.")
    if any(proxy.holder_id == holder.id for proxy in meeting.proxies):
        raise DomainError("Ce membre détient déjà un pouvoir pour cette séance.", "holder")
    proxy = Proxy(meeting=meeting, giver=giver, holder=holder)
    session.add(proxy)
    session.flush()
    audit.record(session, "meeting.proxy_given", meeting, actor=giver, holder=holder.id)
    return proxy


def proxies_of(meeting: Meeting) -> dict[int, int]:
    return {proxy.giver_id: proxy.holder_id for proxy in meeting.proxies}


def ask_question(session: Session, item: AgendaItem, member: User, text: str) -> Question:
    """Before the séance, convened members may ask the team a written question."""
    if member.id not in convened_ids(item.meeting):
        raise DomainError("Seuls les membres convoqués posent des questions.")
    if item.meeting.state is not MeetingState.AGENDA_PUBLISHED:
        raise DomainError("Les questions écrites se posent avant la séance.")
    if not text.strip():
        raise DomainError("Écrivez votre question.", field="text")
    question = Question(item=item, author=member, text=text.strip())
    session.add(question)
    session.flush()
    audit.record(session, "question.asked", item, actor=member, question=question.id)
    return question


def answer_question(session: Session, question: Question, user: User, text: str) -> Question:
    """The startup's team answers once, on the same page; the answer stays with the
    dossier as written."""
    if question.answer:
        raise DomainError("Une réponse a déjà été publiée pour cette question.")
    if question.item.meeting.state is MeetingState.CLOSED:
        raise DomainError("La séance est close : les questions n'appellent plus de réponse.")
    if not text.strip():
        raise DomainError("Écrivez votre réponse.", field="text")
    question.answer = text.strip()
    question.answered_by = user
    question.answered_at = utcnow()
    session.flush()
    audit.record(session, "question.answered", question.item, actor=user, question=question.id)
    return question


# -- voting ---------------------------------------------------------------------------------


def open_item(session: Session, item: AgendaItem, actor: User) -> AgendaItem:
    """During the séance, one item at a time is open for voting."""
    _lock(session, item)
    if item.meeting.state is not MeetingState.IN_PROGRESS:
        raise DomainError("Ouvrez la séance avant d'ouvrir un vote.")
    if item.state is not ItemState.PENDING:
        raise DomainError("Ce point a déjà été mis au vote.")
    if any(other.state is ItemState.OPEN for other in item.meeting.items):
        raise DomainError("Un autre point est en cours de vote : closez-le d'abord.")
    item.state = ItemState.OPEN
    item.opened_at = utcnow()
    session.flush()
    audit.record(session, "vote.opened", item, actor=actor)
    return item


def cast_vote(
    session: Session,
    item: AgendaItem,
    caster: User,
    voter: User,
    choice: Choice,
    comment: str = "",
) -> Vote:
    """A convened, non-recused member votes (or the holder of their proxy votes for them)
    while the item is open; a new vote replaces the previous one, which stays recorded.
    The item is locked first: a vote racing the close is either counted or refused."""
    _lock(session, item)
    if item.state is not ItemState.OPEN:
        raise DomainError("Le vote sur ce point n'est pas ouvert.")
    refusal = may_vote_for(
        caster.id,
        voter.id,
        convened_ids(item.meeting),
        {recusal.user_id for recusal in item.recusals},
        proxies_of(item.meeting),
    )
    if refusal:
        raise DomainError(refusal)
    previous = item.current_ballots().get(voter.id)
    vote = Vote(
        item=item, voter=voter, cast_by=caster, choice=choice, comment=comment.strip()[:2000]
    )
    session.add(vote)
    session.flush()
    details = {"voter": voter.id, "cast_by": caster.id, "vote": vote.id}
    if not item.meeting.secret_ballot:
        details["choice"] = choice.value
    audit.record(
        session, "vote.changed" if previous else "vote.cast", item, actor=caster, **details
    )
    return vote


def waiting_voters(item: AgendaItem) -> set[int]:
    """The convened members, not recused, whose vote on the item is not recorded yet."""
    recused = {recusal.user_id for recusal in item.recusals}
    return eligible_voters(convened_ids(item.meeting), recused) - set(item.current_ballots())


def remind_non_voters(session: Session, item: AgendaItem, admin: User) -> int:
    """E-mail the members who may vote on the open item and have not yet; how many."""
    if item.state is not ItemState.OPEN:
        raise DomainError("Le vote sur ce point n'est pas ouvert : personne n'est à relancer.")
    waiting = waiting_voters(item)
    if not waiting:
        raise DomainError("Tous les membres non déportés ont voté : personne n'est à relancer.")
    messages = outbox.vote_reminder(session, item, waiting)
    audit.record(
        session,
        "vote.reminder_sent",
        item,
        actor=admin,
        recipients=[message.recipient.id for message in messages],
    )
    return len(messages)


def item_result(item: AgendaItem) -> Result:
    meeting = item.meeting
    president = meeting.president
    return tally(
        {voter: vote.choice for voter, vote in item.current_ballots().items()},
        convened_ids(meeting),
        {recusal.user_id for recusal in item.recusals},
        president.user_id if president else None,
        meeting.rule,
    )


def close_item(session: Session, item: AgendaItem, actor: User, today: dt.date) -> Decision | None:
    """Closing applies the rule: with quorum and a majority, a draft decision is prepared,
    prefilled from the dossier; otherwise the item is postponed and the dossier can go on a
    later agenda."""
    _lock(session, item)
    if item.state is not ItemState.OPEN:
        raise DomainError("Ce point n'est pas en cours de vote.")
    result = item_result(item)
    item.state = ItemState.CLOSED
    item.closed_at = utcnow()
    item.outcome = result.outcome
    item.result_text = result.explain()
    decision = None
    if result.outcome is Outcome.POSTPONED:
        item.dossier_version.state = VersionState.SUBMITTED
    else:
        decision = _draft_decision(session, item, result, actor, today)
    session.flush()
    audit.record(
        session,
        "vote.closed",
        item,
        actor=actor,
        outcome=result.outcome.value,
        result=item.result_text,
    )
    return decision


def _draft_decision(
    session: Session, item: AgendaItem, result: Result, actor: User, today: dt.date
) -> Decision:
    version = item.dossier_version
    startup = version.dossier.startup
    content = version.content
    if result.outcome is Outcome.STOP:
        next_phase = (
            Phase.STOPPED_AFTER_INVESTIGATION
            if startup.phase is Phase.INVESTIGATION
            else Phase.STOPPED
        )
        lines: list[BudgetLine] = []
    else:
        requested = getattr(content, "requested_phase", "")
        next_phase = Phase(requested) if requested in set(Phase) else startup.phase
        if phase_refusal(Outcome.CONTINUE, next_phase):
            next_phase = startup.phase
        lines = list(content.budget_lines)
    decision = Decision(
        startup=startup,
        agenda_item=item,
        outcome=result.outcome,
        next_phase=next_phase,
        next_review_on=today + REVIEW_DELAY if result.outcome is Outcome.CONTINUE else None,
        record=decision_record(item, result),
        created_by=actor,
    )
    _set_budget(session, decision, lines)
    session.add(decision)
    session.flush()
    audit.record(session, "decision.drafted", decision, actor=actor, item=item.id)
    return decision


def decision_record(item: AgendaItem, result: Result) -> dict:
    """Everything the decision rests on, frozen with it."""
    meeting = item.meeting
    recused = {recusal.user_id: recusal for recusal in item.recusals}
    ballots = item.current_ballots()
    names = {member.user_id: member.user.full_name for member in meeting.members}
    present = sorted(
        {vote.cast_by_id for other in meeting.items for vote in other.votes}
        | {recusal.user_id for other in meeting.items for recusal in other.recusals}
    )
    version = item.dossier_version
    return {
        "meeting": {
            "id": meeting.id,
            "title": meeting.title,
            "starts_at": meeting.starts_at.isoformat(),
        },
        "dossier": {
            "id": version.dossier_id,
            "kind": version.dossier.kind.value,
            "version": version.number,
            "version_id": version.id,
        },
        "convened": [
            {"id": m.user_id, "name": m.user.full_name, "president": m.is_president}
            for m in meeting.members
        ],
        "present": [names.get(user_id, str(user_id)) for user_id in present],
        "proxies": [
            {"giver": names[p.giver_id], "holder": names[p.holder_id]} for p in meeting.proxies
        ],
        "recused": [
            {"name": names.get(user_id, str(user_id)), "reason": recusal.reason}
            for user_id, recusal in recused.items()
        ],
        "secret": meeting.secret_ballot,
        "votes": None
        if meeting.secret_ballot
        else [
            {
                "voter": names.get(vote.voter_id, str(vote.voter_id)),
                "cast_by": names.get(vote.cast_by_id, str(vote.cast_by_id)),
                "choice": vote.choice.value,
            }
            for vote in ballots.values()
            if vote.voter_id not in recused
        ],
        "counts": {choice.value: count for choice, count in result.counts.items()},
        "rule": meeting.rule.describe(),
        "quorum_reached": result.quorum_reached,
        "tie": result.tie,
        "tie_broken_by_president": result.tie_broken_by_president,
        "outcome": result.outcome.value,
        "result": result.explain(),
    }


# -- decisions ------------------------------------------------------------------------------


def _set_budget(session: Session, decision: Decision, lines: Sequence[BudgetLine]) -> None:
    units = {unit.code: unit for unit in session.scalars(sa.select(WorkUnitType))}
    decision.budget_lines = [
        DecisionBudgetLine(
            position=position,
            work_unit_type=units[line.work_unit_code],
            quantity=line.quantity,
            period_start=line.period_start,
            period_end=line.period_end,
        )
        for position, line in enumerate(lines, start=1)
        if line.work_unit_code in units
        and line.quantity is not None
        and line.period_start is not None
        and line.period_end is not None
    ]


def update_decision(
    session: Session, decision: Decision, details: DecisionDetails, admin: User
) -> Decision:
    """The secretariat completes the draft decision; once published it never changes."""
    if decision.state is not DecisionState.DRAFT:
        raise DomainError(
            "Cette décision est publiée : elle ne change plus. Corrigez-la par "
            "une nouvelle décision qui la remplace."
        )
    if details.outcome is Outcome.POSTPONED:
        raise DomainError("Une décision continue ou arrête la startup.", field="outcome")
    refusal = phase_refusal(details.outcome, details.next_phase)
    if refusal:
        raise DomainError(refusal, field="next_phase")
    units = set(session.scalars(sa.select(WorkUnitType.code)))
    errors = budget_line_errors(list(details.budget_lines), units)
    if errors:
        raise DomainError("Budget incomplet : " + next(iter(errors.values())), field="budget_lines")
    decision.outcome = details.outcome
    decision.next_phase = details.next_phase
    decision.conditions = details.conditions.strip()
    decision.next_review_on = details.next_review_on
    _set_budget(session, decision, details.budget_lines)
    session.flush()
    audit.record(session, "decision.updated", decision, actor=admin)
    return decision


TRANSFERRED_PHASES = {Phase.TRANSFERRED}


def publish_decision(session: Session, decision: Decision, admin: User, today: dt.date) -> Decision:
    """Publishing freezes the decision and moves the startup to its next phase; a
    correction's publication marks the decision it corrects as superseded."""
    _lock(session, decision)
    if decision.state is not DecisionState.DRAFT:
        raise DomainError("Cette décision est déjà publiée.")
    refusal = phase_refusal(decision.outcome, decision.next_phase)
    if refusal:
        raise DomainError(refusal)
    decision.state = DecisionState.PUBLISHED
    decision.published_at = utcnow()
    decision.published_by = admin
    startup = decision.startup
    if decision.next_phase is not startup.phase:
        startup.phase = decision.next_phase
        startup.phase_started_on = today
        startup.phase_history.append(PhaseChange(phase=decision.next_phase, started_on=today))
    if decision.next_phase in STOP_PHASES:
        startup.status = StartupStatus.STOPPED
    elif decision.next_phase in TRANSFERRED_PHASES:
        startup.status = StartupStatus.TRANSFERRED
    else:
        startup.status = StartupStatus.ACTIVE
    if decision.agenda_item is not None:
        decision.agenda_item.dossier_version.state = VersionState.DECIDED
    if decision.supersedes is not None:
        decision.supersedes.state = DecisionState.SUPERSEDED
    session.flush()
    outbox.decision_published(session, decision)
    audit.record(
        session,
        "decision.published",
        decision,
        actor=admin,
        outcome=decision.outcome.value,
        next_phase=decision.next_phase.value,
        supersedes=decision.supersedes_id,
    )
    return decision


def supersede_decision(session: Session, decision: Decision, admin: User) -> Decision:
    """A published decision is corrected by a new draft that will replace it."""
    _lock(session, decision)
    if decision.state is not DecisionState.PUBLISHED:
        raise DomainError("Seule une décision publiée peut être corrigée.")
    if session.scalar(
        sa.select(Decision.id).where(
            Decision.supersedes_id == decision.id, Decision.state == DecisionState.DRAFT
        )
    ):
        raise DomainError("Une correction de cette décision est déjà en préparation.")
    correction = Decision(
        startup=decision.startup,
        agenda_item=decision.agenda_item,
        outcome=decision.outcome,
        next_phase=decision.next_phase,
        conditions=decision.conditions,
        next_review_on=decision.next_review_on,
        record=dict(decision.record),
        supersedes=decision,
        created_by=admin,
        budget_lines=[
            DecisionBudgetLine(
                position=line.position,
                work_unit_type=line.work_unit_type,
                quantity=line.quantity,
                period_start=line.period_start,
                period_end=line.period_end,
            )
            for line in decision.budget_lines
        ],
    )
    session.add(correction)
    session.flush()
    audit.record(
        session, "decision.correction_started", correction, actor=admin, supersedes=decision.id
    )
    return correction


def last_published_decision_on(session: Session, startup_id: int) -> dt.date | None:
    """The day of the startup's last published decision (for the next review's due date)."""
    published = session.scalar(
        sa.select(sa.func.max(Decision.published_at)).where(
            Decision.startup_id == startup_id,
            Decision.state.in_([DecisionState.PUBLISHED, DecisionState.SUPERSEDED]),
        )
    )
    return published.date() if published else None
