"""Reading dossiers: a startup's dossiers and when its next impact review is due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from comite.dossiers.models import Dossier
from comite.dossiers.rules import Urgency, next_review_due, review_urgency
from comite.startups.models import Startup
from comite.startups.workflow import StartupStatus


@dataclass(frozen=True)
class ReviewDue:
    due_on: dt.date
    urgency: Urgency


def review_due(startup: Startup, today: dt.date) -> ReviewDue | None:
    """When an active startup's next impact review is due.

    Until séances record decisions, each phase change after the first stands for the
    committee decision that made it (a phase only changes by a committee's decision).
    """
    if startup.status is not StartupStatus.ACTIVE:
        return None
    steps = sorted(change.started_on for change in startup.phase_history)
    started_on = steps[0] if steps else startup.phase_started_on
    last_decision_on = steps[-1] if len(steps) > 1 else None
    due_on = next_review_due(started_on, last_decision_on)
    return ReviewDue(due_on, review_urgency(due_on, today))


def dossiers_of(session: Session, startup: Startup) -> list[Dossier]:
    return list(
        session.scalars(
            sa.select(Dossier)
            .where(Dossier.startup_id == startup.id)
            .options(selectinload(Dossier.versions))
            .order_by(Dossier.created_at.desc(), Dossier.id.desc())
        )
    )
