"""Reading startups: the search behind the list, and the page of one startup."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from comite.auth.models import User
from comite.startups.models import Incubator, Membership, Startup
from comite.startups.workflow import Phase

# The programme's order of phases, so that sorting by phase follows a startup's life.
PHASE_ORDER = sa.case(
    {phase.value: position for position, phase in enumerate(Phase)},
    value=Startup.phase,
    else_=len(Phase),
)


@dataclass(frozen=True)
class Sort:
    label: str
    order_by: tuple[sa.ColumnElement, ...]


SORTS = {
    "nom": Sort("Nom (A → Z)", (sa.func.lower(Startup.name),)),
    "-nom": Sort("Nom (Z → A)", (sa.func.lower(Startup.name).desc(),)),
    "phase": Sort("Phase", (PHASE_ORDER, sa.func.lower(Startup.name))),
    "-debut": Sort(
        "Début de phase (récent d'abord)",
        (Startup.phase_started_on.desc(), sa.func.lower(Startup.name)),
    ),
    "debut": Sort(
        "Début de phase (ancien d'abord)",
        (Startup.phase_started_on, sa.func.lower(Startup.name)),
    ),
    "incubateur": Sort("Incubateur", (sa.func.lower(Incubator.name), sa.func.lower(Startup.name))),
}


@dataclass(frozen=True)
class StartupSearch:
    text: str = ""
    phase: Phase | None = None
    incubator_slug: str | None = None
    sort: str = "nom"


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_startups(search: StartupSearch) -> sa.Select[tuple[Startup]]:
    """Startups whose name contains the text (any case), in the phase and incubator asked."""
    query = sa.select(Startup).join(Startup.incubator).options(joinedload(Startup.incubator))
    text = search.text.strip()
    if text:
        pattern = f"%{_escape_like(text.lower())}%"
        query = query.where(sa.func.lower(Startup.name).like(pattern, escape="\\"))
    if search.phase is not None:
        query = query.where(Startup.phase == search.phase)
    if search.incubator_slug:
        query = query.where(Incubator.slug == search.incubator_slug)
    return query.order_by(*SORTS.get(search.sort, SORTS["nom"]).order_by, Startup.id)


def list_incubators() -> sa.Select[tuple[Incubator]]:
    return sa.select(Incubator).order_by(Incubator.name)


def startup_by_slug(slug: str) -> sa.Select[tuple[Startup]]:
    """One startup by its slug, nothing loaded with it."""
    return sa.select(Startup).where(Startup.slug == slug)


def startup_page(slug: str) -> sa.Select[tuple[Startup]]:
    """One startup with what its page shows: incubator, team and phase timeline."""
    return startup_by_slug(slug).options(
        joinedload(Startup.incubator),
        # The team's names; their own roles are not shown.
        selectinload(Startup.memberships).joinedload(Membership.user).lazyload(User.role_grants),
        selectinload(Startup.phase_history),
    )


def memberships_of(user: User) -> sa.Select[tuple[Membership]]:
    return (
        sa.select(Membership)
        .where(Membership.user_id == user.id)
        .options(joinedload(Membership.startup).selectinload(Startup.phase_history))
    )


def incubators_with_startup_counts() -> sa.Select[tuple[Incubator, int]]:
    """Every incubator by name, with how many startups it carries."""
    return (
        sa.select(Incubator, sa.func.count(Startup.id))
        .outerjoin(Incubator.startups)
        .group_by(Incubator.id)
        .order_by(sa.func.lower(Incubator.name), Incubator.id)
    )


def active_user_emails() -> sa.Select[tuple[str, str, str]]:
    """Email and names of every active account, to suggest who may join a team."""
    return (
        sa.select(User.email, User.given_name, User.usual_name)
        .where(User.is_active)
        .order_by(sa.func.lower(User.email))
    )
