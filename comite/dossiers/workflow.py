"""The life of a dossier version, written as data: states and the allowed transitions."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class DossierKind(enum.StrEnum):
    PRODUCT_SHEET = "fiche_produit"
    IMPACT_REVIEW = "bilan"

    @property
    def label(self) -> str:
        return {
            DossierKind.PRODUCT_SHEET: "Fiche produit",
            DossierKind.IMPACT_REVIEW: "Bilan semestriel",
        }[self]

    def agreed(self, masculine: str, feminine: str) -> str:
        """The participle that agrees with the kind: « fiche déposée », « bilan déposé »."""
        return feminine if self is DossierKind.PRODUCT_SHEET else masculine


class VersionState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    UNDER_REVIEW = "under_review"
    DECIDED = "decided"
    REPLACED = "replaced"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def frozen(self) -> bool:
        """Once submitted, a version stays exactly as the committee saw it."""
        return self is not VersionState.DRAFT


# Said of a version (« la version 2 est déposée »).
STATE_LABELS = {
    VersionState.DRAFT: "Brouillon",
    VersionState.SUBMITTED: "Déposée",
    VersionState.RETURNED: "Renvoyée pour compléments",
    VersionState.UNDER_REVIEW: "En examen",
    VersionState.DECIDED: "Décidée",
    VersionState.REPLACED: "Remplacée par une version plus récente",
}


@dataclass(frozen=True)
class Transition:
    verb: str
    source: VersionState
    target: VersionState
    by: str  # "team" or "admin"
    label: str


TRANSITIONS = {
    transition.verb: transition
    for transition in (
        Transition("submit", VersionState.DRAFT, VersionState.SUBMITTED, "team", "Déposer"),
        Transition(
            "return",
            VersionState.SUBMITTED,
            VersionState.RETURNED,
            "admin",
            "Renvoyer pour compléments",
        ),
    )
}
