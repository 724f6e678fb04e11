"""Who may see and do what around séances and decisions, each with the reason of a refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from comite.auth.permissions import ALLOWED, Verdict, has_any_role
from comite.auth.roles import Role
from comite.committee.workflow import DecisionState, MeetingState
from comite.startups.workflow import MemberRole

if TYPE_CHECKING:
    from comite.auth.models import User
    from comite.committee.models import Decision, Meeting
    from comite.startups.models import Startup


def can_manage_meetings(user: User) -> Verdict:
    """The secretariat plans séances, convenes, builds and publishes the agenda."""
    return has_any_role(user, Role.ADMIN)


def is_convened(user: User, meeting: Meeting) -> bool:
    return user.is_authenticated and any(m.user_id == user.id for m in meeting.members)


def is_president(user: User, meeting: Meeting) -> bool:
    president = meeting.president
    return user.is_authenticated and president is not None and president.user_id == user.id


def can_list_meetings(user: User) -> Verdict:
    """The secretariat and committee members see séances (members: those they are convened
    to)."""
    return has_any_role(user, Role.ADMIN, Role.MEMBER)


def can_see_meeting(user: User, meeting: Meeting) -> Verdict:
    """The secretariat always; convened members once the agenda is published."""
    if has_any_role(user, Role.ADMIN):
        return ALLOWED
    if not is_convened(user, meeting):
        return Verdict(False, "Cette séance est réservée aux membres qui y sont convoqués.")
    if meeting.state is MeetingState.PLANNED:
        return Verdict(False, "L'ordre du jour de cette séance n'est pas encore publié.")
    return ALLOWED


def can_run_meeting(user: User, meeting: Meeting) -> Verdict:
    """The secretariat and the séance's president open and close votes."""
    if has_any_role(user, Role.ADMIN) or is_president(user, meeting):
        return ALLOWED
    return Verdict(False, "Seuls le secrétariat et le président conduisent la séance.")


def _startup_roles(user: User, startup: Startup) -> set[MemberRole]:
    if not user.is_authenticated:
        return set()
    return {m.role for m in startup.memberships if m.user_id == user.id}


def can_read_history(user: User, startup: Startup) -> Verdict:
    """The secretariat, committee members and the DSAF read every startup's decisions;
    a startup's team and sponsors read theirs only."""
    if has_any_role(user, Role.ADMIN, Role.MEMBER, Role.FINANCE):
        return ALLOWED
    if _startup_roles(user, startup):
        return ALLOWED
    if not user.is_authenticated:
        return Verdict(False, "Connectez-vous pour accéder à cette page.")
    return Verdict(
        False, "Vous ne suivez pas cette startup : son historique ne vous est pas ouvert."
    )


def can_read_decision(user: User, decision: Decision) -> Verdict:
    """Drafts stay with the secretariat; published decisions are read like the history."""
    if has_any_role(user, Role.ADMIN):
        return ALLOWED
    if decision.state is DecisionState.DRAFT:
        return Verdict(False, "Ce projet de décision n'est pas encore publié.")
    return can_read_history(user, decision.startup)


def can_manage_decisions(user: User) -> Verdict:
    """The secretariat completes, publishes and corrects decisions."""
    return has_any_role(user, Role.ADMIN)
