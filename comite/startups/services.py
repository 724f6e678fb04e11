"""The secretariat's verbs on incubators, startups and teams; each writes the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from comite.auth.models import User
from comite.auth.queries import find_user_by_email
from comite.core import audit
from comite.core.audit import apply_changes, audit_value
from comite.core.errors import DomainError, flush_or_refuse
from comite.core.formatting import date_fr
from comite.core.slugs import slugify
from comite.startups.models import Incubator, Membership, PhaseChange, Startup
from comite.startups.workflow import MemberRole, Phase, StartupStatus

# Addresses under /startups/ that are pages, not startups.
RESERVED_STARTUP_SLUGS = frozenset({"nouvelle"})


# Incubators

DUPLICATE_INCUBATOR_NAME = "Un incubateur porte déjà ce nom."
DUPLICATE_INCUBATOR_SLUG = "Un incubateur a déjà cette adresse."


def _check_incubator_is_unique(
    session: Session, name: str, slug: str, incubator: Incubator | None
) -> None:
    others = sa.select(Incubator.id)
    if incubator is not None:
        others = others.where(Incubator.id != incubator.id)
    if session.scalar(others.where(sa.func.lower(Incubator.name) == name.lower())):
        raise DomainError(DUPLICATE_INCUBATOR_NAME, field="name")
    if session.scalar(others.where(Incubator.slug == slug)):
        raise DomainError(DUPLICATE_INCUBATOR_SLUG, field="slug")


def create_incubator(session: Session, name: str, slug: str, actor: User) -> Incubator:
    """Add an incubator; its name (in any case) and its slug are unique."""
    name, slug = name.strip(), slug or slugify(name)
    _check_incubator_is_unique(session, name, slug, None)
    incubator = Incubator(name=name, slug=slug)
    session.add(incubator)
    flush_or_refuse(session, DUPLICATE_INCUBATOR_SLUG, "slug")
    audit.record(session, "incubator.created", incubator, actor=actor, name=name, slug=slug)
    session.flush()
    return incubator


def update_incubator(
    session: Session, incubator: Incubator, name: str, slug: str, actor: User
) -> bool:
    """Rename an incubator or change its slug, still unique; returns whether it changed."""
    name, slug = name.strip(), slug or slugify(name)
    _check_incubator_is_unique(session, name, slug, incubator)
    changes = apply_changes(incubator, {"name": name, "slug": slug})
    if not changes:
        return False
    flush_or_refuse(session, DUPLICATE_INCUBATOR_SLUG, "slug")
    audit.record(session, "incubator.updated", incubator, actor=actor, changes=changes)
    session.flush()
    return True


# Startups

DUPLICATE_STARTUP_SLUG = "Une startup a déjà cette adresse."
RESERVED_SLUG = "Cette adresse est réservée par Comité : choisissez-en une autre."


@dataclass(frozen=True)
class StartupDetails:
    """What the secretariat writes about a startup."""

    name: str
    slug: str
    pitch: str
    sponsoring_administration: str
    incubator: Incubator
    phase: Phase
    phase_started_on: dt.date
    status: StartupStatus


def _clean(details: StartupDetails) -> dict[str, Any]:
    name = details.name.strip()
    return {
        "name": name,
        "slug": details.slug or slugify(name),
        "pitch": details.pitch.strip(),
        "sponsoring_administration": details.sponsoring_administration.strip(),
        "incubator": details.incubator,
        "phase": details.phase,
        "phase_started_on": details.phase_started_on,
        "status": details.status,
    }


def _check_slug(session: Session, slug: str, startup: Startup | None) -> None:
    if slug in RESERVED_STARTUP_SLUGS:
        raise DomainError(RESERVED_SLUG, field="slug")
    others = sa.select(Startup.id).where(Startup.slug == slug)
    if startup is not None:
        others = others.where(Startup.id != startup.id)
    if session.scalar(others):
        raise DomainError(DUPLICATE_STARTUP_SLUG, field="slug")


def create_startup(session: Session, details: StartupDetails, actor: User) -> Startup:
    """Add a startup with the first step of its timeline; its slug is unique."""
    values = _clean(details)
    _check_slug(session, values["slug"], None)
    startup = Startup(
        **values,
        phase_history=[PhaseChange(phase=details.phase, started_on=details.phase_started_on)],
    )
    session.add(startup)
    flush_or_refuse(session, DUPLICATE_STARTUP_SLUG, "slug")
    audit.record(
        session,
        "startup.created",
        startup,
        actor=actor,
        **{name: audit_value(value) for name, value in values.items() if name != "pitch"},
    )
    session.flush()
    return startup


def update_startup(
    session: Session, startup: Startup, details: StartupDetails, actor: User
) -> bool:
    """Change a startup; a new phase adds a step to its timeline, never before the last one.

    A new start date for the same phase corrects the current step. Returns whether anything
    changed (nothing is written otherwise).
    """
    values = _clean(details)
    _check_slug(session, values["slug"], startup)
    history = startup.phase_history
    if values["phase"] != startup.phase:
        if history and values["phase_started_on"] < history[-1].started_on:
            raise DomainError(
                "La nouvelle phase ne peut pas précéder le début de la phase précédente "
                f"({date_fr(history[-1].started_on)}).",
                field="phase_started_on",
            )
        history.append(PhaseChange(phase=values["phase"], started_on=values["phase_started_on"]))
    elif values["phase_started_on"] != startup.phase_started_on and history:
        if len(history) > 1 and values["phase_started_on"] < history[-2].started_on:
            raise DomainError(
                "La phase actuelle ne peut pas commencer avant la phase précédente "
                f"({date_fr(history[-2].started_on)}).",
                field="phase_started_on",
            )
        history[-1].started_on = values["phase_started_on"]
    changes = apply_changes(startup, values)
    if not changes:
        return False
    flush_or_refuse(session, DUPLICATE_STARTUP_SLUG, "slug")
    audit.record(session, "startup.updated", startup, actor=actor, changes=changes)
    session.flush()
    return True


# Teams


def add_member(
    session: Session, startup: Startup, email: str, role: MemberRole, actor: User
) -> Membership:
    """Put an active person, found by email, in the startup's team once in each role."""
    user = session.scalar(find_user_by_email(email))
    if user is None:
        raise DomainError(
            "Aucun compte n'a cette adresse : invitez d'abord la personne.", field="email"
        )
    if not user.is_active:
        raise DomainError("Ce compte est désactivé : réactivez-le d'abord.", field="email")
    duplicate = f"{user.full_name} est déjà {role.label.lower()} de cette startup."
    already = sa.select(Membership.id).where(
        Membership.startup_id == startup.id, Membership.user_id == user.id, Membership.role == role
    )
    if session.scalar(already):
        raise DomainError(duplicate, field="email")
    membership = Membership(user=user, startup=startup, role=role)
    session.add(membership)
    flush_or_refuse(session, duplicate, "email")
    audit.record(
        session,
        "membership.added",
        startup,
        actor=actor,
        user_id=user.id,
        email=user.email,
        role=role.value,
    )
    session.flush()
    return membership


def remove_member(session: Session, membership: Membership, actor: User) -> None:
    """Take a person out of a startup's team; the audit log keeps who they were."""
    audit.record(
        session,
        "membership.removed",
        membership.startup,
        actor=actor,
        user_id=membership.user_id,
        email=membership.user.email,
        role=membership.role.value,
    )
    session.delete(membership)
    session.flush()
