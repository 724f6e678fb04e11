"""Who may read and write a startup's dossiers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from comite.auth.permissions import ALLOWED, Verdict, has_any_role
from comite.auth.roles import Role
from comite.dossiers.workflow import VersionState
from comite.startups.workflow import MemberRole

if TYPE_CHECKING:
    from comite.auth.models import User
    from comite.dossiers.models import Dossier, DossierVersion
    from comite.startups.models import Startup

TEAM_ROLES = frozenset({MemberRole.INTRAPRENEUR, MemberRole.TEAM, MemberRole.COACH})


def _roles_in(user: User, startup: Startup) -> set[MemberRole]:
    if not user.is_authenticated:
        return set()
    return {m.role for m in startup.memberships if m.user_id == user.id}


def is_team_member(user: User, startup: Startup) -> bool:
    return not TEAM_ROLES.isdisjoint(_roles_in(user, startup))


def can_write_dossiers(user: User, startup: Startup) -> Verdict:
    """Only the startup's team (intrapreneur, team members, coach) writes its dossiers."""
    if not user.is_authenticated:
        return Verdict(False, "Connectez-vous pour accéder à cette page.")
    if is_team_member(user, startup):
        return ALLOWED
    return Verdict(False, "Seule l'équipe de la startup rédige et modifie ses dossiers.")


def can_read_dossier(user: User, dossier: Dossier) -> Verdict:
    """The team reads everything; the secretariat, committee members and the startup's
    sponsors read the submitted versions."""
    if not user.is_authenticated:
        return Verdict(False, "Connectez-vous pour accéder à cette page.")
    if is_team_member(user, dossier.startup):
        return ALLOWED
    if dossier.last_submitted is None:
        return Verdict(False, "Ce dossier n'a pas encore été déposé par l'équipe.")
    if has_any_role(user, Role.ADMIN, Role.MEMBER):
        return ALLOWED
    if MemberRole.SPONSOR in _roles_in(user, dossier.startup):
        return ALLOWED
    return Verdict(False, "Ce dossier est réservé à l'équipe, à ses sponsors et au comité.")


def can_read_version(user: User, version: DossierVersion) -> Verdict:
    """Drafts stay within the team."""
    verdict = can_read_dossier(user, version.dossier)
    team = is_team_member(user, version.dossier.startup)
    if verdict and version.state is VersionState.DRAFT and not team:
        return Verdict(False, "Ce brouillon n'est visible que de l'équipe de la startup.")
    return verdict


def can_return_dossier(user: User, version: DossierVersion) -> Verdict:
    """The secretariat sends a submitted version back to the team for completion."""
    verdict = has_any_role(user, Role.ADMIN)
    if not verdict:
        return verdict
    if version.state is not VersionState.SUBMITTED:
        return Verdict(False, "Seule une version déposée peut être renvoyée pour compléments.")
    return ALLOWED
