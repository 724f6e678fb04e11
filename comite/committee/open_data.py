"""Open data: what the committee decided, for everyone. Only published decisions in force
(a draft correction waits for its publication), and only what the committee makes public:
the startup, the date, the outcome and the next phase. Never a vote, never a person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from comite.committee.models import AgendaItem, Decision, Meeting
from comite.committee.workflow import DecisionState, Outcome
from comite.core.periods import PARIS
from comite.exports.spreadsheet import Column, Kind
from comite.startups.models import Incubator, Startup
from comite.startups.workflow import Phase


@dataclass(frozen=True)
class PublicDecision:
    startup: str
    startup_slug: str
    incubator: str
    date: dt.date
    seance: dt.date | None
    outcome: Outcome
    next_phase: Phase

    def as_json(self) -> dict:
        return {
            "startup": self.startup,
            "startup_slug": self.startup_slug,
            "incubator": self.incubator,
            "date": self.date.isoformat(),
            "seance": self.seance.isoformat() if self.seance else None,
            "outcome": self.outcome.value,
            "outcome_label": self.outcome.label,
            "next_phase": self.next_phase.value,
            "next_phase_label": self.next_phase.label,
        }

    def as_row(self) -> tuple:
        return (
            self.startup,
            self.startup_slug,
            self.incubator,
            self.date,
            self.seance,
            self.outcome.label,
            self.next_phase.label,
        )

    def as_beta_gouv_event(self) -> dict:
        """An `events` entry of beta.gouv.fr's startup files, with the phase code."""
        return {
            "name": "committee",
            "date": self.date.isoformat(),
            "comment": f"Comité d'investissement : {self.outcome.label.lower()}, "
            f"phase suivante {self.next_phase.value}.",
            "outcome": self.outcome.value,
            "next_phase": self.next_phase.value,
        }


CSV_COLUMNS = (
    Column("Startup"),
    Column("Adresse courte"),
    Column("Incubateur"),
    Column("Décision publiée le", Kind.DATE),
    Column("Séance du", Kind.DATE),
    Column("Décision"),
    Column("Phase suivante"),
)


def public_decisions(
    session: Session, startup_id: int | None = None, limit: int | None = None
) -> list[PublicDecision]:
    """Published decisions, the newest first (of one startup if given, at most `limit`)."""
    query = (
        sa.select(
            Startup.name,
            Startup.slug,
            Incubator.name,
            Decision.published_at,
            Meeting.starts_at,
            Decision.outcome,
            Decision.next_phase,
        )
        .join(Decision.startup)
        .join(Startup.incubator)
        .outerjoin(AgendaItem, Decision.agenda_item_id == AgendaItem.id)
        .outerjoin(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(Decision.state == DecisionState.PUBLISHED)
        .order_by(Decision.published_at.desc(), Decision.id.desc())
    )
    if startup_id is not None:
        query = query.where(Decision.startup_id == startup_id)
    if limit is not None:
        query = query.limit(limit)
    return [
        PublicDecision(
            startup=name,
            startup_slug=slug,
            incubator=incubator,
            date=published_at.astimezone(PARIS).date(),
            seance=starts_at.astimezone(PARIS).date() if starts_at else None,
            outcome=outcome,
            next_phase=next_phase,
        )
        for name, slug, incubator, published_at, starts_at, outcome, next_phase in session.execute(
            query
        )
    ]
