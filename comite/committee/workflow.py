"""Séances, agenda items, votes and decisions, written as data: states, choices, labels."""

from __future__ import annotations

import enum


class MeetingState(enum.StrEnum):
    PLANNED = "planned"
    AGENDA_PUBLISHED = "agenda_published"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            MeetingState.PLANNED: "Planifiée",
            MeetingState.AGENDA_PUBLISHED: "Ordre du jour publié",
            MeetingState.IN_PROGRESS: "En cours",
            MeetingState.CLOSED: "Close",
        }[self]


# (verb, from, to, French label of the button)
MEETING_TRANSITIONS = {
    "publish_agenda": (
        MeetingState.PLANNED,
        MeetingState.AGENDA_PUBLISHED,
        "Publier l'ordre du jour",
    ),
    "start": (MeetingState.AGENDA_PUBLISHED, MeetingState.IN_PROGRESS, "Ouvrir la séance"),
    "close": (MeetingState.IN_PROGRESS, MeetingState.CLOSED, "Clore la séance"),
}


class ItemState(enum.StrEnum):
    PENDING = "pending"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            ItemState.PENDING: "À examiner",
            ItemState.OPEN: "Vote ouvert",
            ItemState.CLOSED: "Vote clos",
        }[self]


class Choice(enum.StrEnum):
    CONTINUE = "continuer"
    STOP = "arreter"
    ABSTAIN = "abstention"

    @property
    def label(self) -> str:
        return {
            Choice.CONTINUE: "Continuer",
            Choice.STOP: "Arrêter",
            Choice.ABSTAIN: "Abstention",
        }[self]


class Outcome(enum.StrEnum):
    CONTINUE = "continue"
    STOP = "stop"
    POSTPONED = "postponed"

    @property
    def label(self) -> str:
        return {
            Outcome.CONTINUE: "Continuer",
            Outcome.STOP: "Arrêter",
            Outcome.POSTPONED: "Reporté (quorum non atteint ou égalité non départagée)",
        }[self]


class TieBreak(enum.StrEnum):
    PRESIDENT = "president"
    POSTPONE = "postpone"

    @property
    def label(self) -> str:
        return {
            TieBreak.PRESIDENT: "La voix du président départage",
            TieBreak.POSTPONE: "Une égalité reporte le point",
        }[self]


class DecisionState(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return {
            DecisionState.DRAFT: "Projet de décision",
            DecisionState.PUBLISHED: "Publiée",
            DecisionState.SUPERSEDED: "Remplacée",
        }[self]
