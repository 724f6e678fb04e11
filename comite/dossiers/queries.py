"""Reading dossiers: a startup's dossiers and when its next impact review is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from comite.committee.models import AgendaItem, Decision, DecisionBudgetLine, Question
from comite.committee.workflow import DecisionState
from comite.dossiers.models import Dossier, DossierVersion
from comite.dossiers.rules import Urgency, next_review_due, review_urgency
from comite.startups.models import Startup
from comite.startups.workflow import StartupStatus


@dataclass(frozen=True)
class ReviewDue:
    due_on: dt.date
    urgency: Urgency


def review_due(
    startup: Startup, today: dt.date, decision: Decision | None = None
) -> ReviewDue | None:
    """When an active startup's next impact review is due: the date its last published
    decision set, else six months after that decision, or after its start.

    For startups whose past decisions predate Comité, each phase change after the first
    stands for the committee decision that made it (a phase only changes by a decision).
    """
    if startup.status is not StartupStatus.ACTIVE:
        return None
    if decision is not None and decision.next_review_on is not None:
        due_on = decision.next_review_on
    elif decision is not None and decision.published_at is not None:
        due_on = next_review_due(startup.phase_started_on, decision.published_at.date())
    else:
        steps = sorted(change.started_on for change in startup.phase_history)
        started_on = steps[0] if steps else startup.phase_started_on
        due_on = next_review_due(started_on, steps[-1] if len(steps) > 1 else None)
    return ReviewDue(due_on, review_urgency(due_on, today))


def last_decision(session: Session, startup_id: int, budget: bool = True) -> Decision | None:
    """The startup's last published decision (the one in force)."""
    return last_decisions(session, [startup_id], budget).get(startup_id)


def last_decisions(
    session: Session, startup_ids: Iterable[int], budget: bool = True
) -> dict[int, Decision]:
    """The decision in force of each startup, in one query whatever their number; its
    budget lines too unless `budget` is false (the review date needs none)."""
    ranked = (
        sa.select(
            Decision.id,
            sa.func.row_number()
            .over(
                partition_by=Decision.startup_id,
                order_by=(Decision.published_at.desc(), Decision.id.desc()),
            )
            .label("rank"),
        )
        .where(
            Decision.startup_id.in_(list(startup_ids)),
            Decision.state == DecisionState.PUBLISHED,
        )
        .subquery()
    )
    decisions = (
        sa.select(Decision).join(ranked, ranked.c.id == Decision.id).where(ranked.c.rank == 1)
    )
    if budget:
        decisions = decisions.options(
            selectinload(Decision.budget_lines).selectinload(DecisionBudgetLine.work_unit_type)
        )
    return {decision.startup_id: decision for decision in session.scalars(decisions)}


def dossiers_of(session: Session, startup: Startup) -> list[Dossier]:
    return list(
        session.scalars(
            sa.select(Dossier)
            .where(Dossier.startup_id == startup.id)
            .options(selectinload(Dossier.versions))
            .order_by(Dossier.created_at.desc(), Dossier.id.desc())
        )
    )


def agenda_items_of(session: Session, dossier: Dossier) -> list[AgendaItem]:
    """The séance items where the committee examined (or will examine) this dossier, with
    the members' written questions and the team's answers: they stay with the dossier."""
    return list(
        session.scalars(
            sa.select(AgendaItem)
            .join(AgendaItem.dossier_version)
            .where(DossierVersion.dossier_id == dossier.id)
            .options(
                selectinload(AgendaItem.meeting),
                selectinload(AgendaItem.questions).selectinload(Question.author),
                selectinload(AgendaItem.questions).selectinload(Question.answered_by),
            )
            .order_by(AgendaItem.id)
        )
    )
