"""Phases and statuses of a Startup d'État, with the word shown for each."""

from __future__ import annotations

import enum


class Phase(enum.StrEnum):
    """Phase codes of beta.gouv.fr's startup pages, so that Comité's data can flow there."""

    INVESTIGATION = "investigation"
    CONSTRUCTION = "construction"
    ACCELERATION = "acceleration"
    CONSOLIDATION = "consolidation"
    TRANSFERRED = "transfere"
    OPERATED = "opere"
    STOPPED_AFTER_INVESTIGATION = "abandon-investigation"
    STOPPED = "abandon"

    @property
    def label(self) -> str:
        return PHASE_LABELS[self]


PHASE_LABELS = {
    Phase.INVESTIGATION: "Investigation",
    Phase.CONSTRUCTION: "Construction",
    Phase.ACCELERATION: "Accélération",
    Phase.CONSOLIDATION: "Consolidation",
    Phase.TRANSFERRED: "Transférée",
    Phase.OPERATED: "Opérée",
    Phase.STOPPED_AFTER_INVESTIGATION: "Abandonnée après investigation",
    Phase.STOPPED: "Abandonnée",
}


class StartupStatus(enum.StrEnum):
    ACTIVE = "active"
    STOPPED = "stopped"
    TRANSFERRED = "transferred"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    StartupStatus.ACTIVE: "Active",
    StartupStatus.STOPPED: "Arrêtée",
    StartupStatus.TRANSFERRED: "Transférée",
}


class MemberRole(enum.StrEnum):
    """What a person is to one startup (distinct from their roles in Comité)."""

    INTRAPRENEUR = "intrapreneur"
    TEAM = "team"
    COACH = "coach"
    SPONSOR = "sponsor"

    @property
    def label(self) -> str:
        return MEMBER_ROLE_LABELS[self]


MEMBER_ROLE_LABELS = {
    MemberRole.INTRAPRENEUR: "Intrapreneur",
    MemberRole.TEAM: "Membre de l'équipe",
    MemberRole.COACH: "Coach",
    MemberRole.SPONSOR: "Sponsor",
}
