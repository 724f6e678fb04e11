"""The rules of a committee vote: who may vote, the quorum, the majority, the tie-break.

Pure functions over plain values (user ids), tested by tables, with no database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from babel.numbers import format_decimal

from comite.committee.workflow import Choice, Outcome, TieBreak
from comite.startups.workflow import Phase

DEFAULT_QUORUM = Decimal("0.5")


@dataclass(frozen=True)
class VotingRule:
    """Quorum: strictly more than `quorum` of the convened, non-recused members have voted
    (abstentions count); majority of the votes expressed (abstentions excluded); a tie is
    settled by the president's vote, or postpones the item."""

    quorum: Decimal = DEFAULT_QUORUM
    tie_break: TieBreak = TieBreak.PRESIDENT

    def describe(self) -> str:
        percent = format_decimal(self.quorum * 100, format="#,##0.##", locale="fr_FR")
        return (
            f"Quorum : plus de {percent} % des membres convoqués non déportés ont voté "
            "(abstentions comprises) ; décision à la majorité des suffrages exprimés "
            f"(abstentions exclues) ; égalité : {self.tie_break.label.lower()}."
        )


@dataclass(frozen=True)
class Result:
    eligible: int  # convened members who are not recused
    voted: int
    quorum_reached: bool
    counts: Mapping[Choice, int] = field(default_factory=dict)
    outcome: Outcome = Outcome.POSTPONED
    tie: bool = False
    tie_broken_by_president: bool = False

    def explain(self) -> str:
        """The result in one French sentence, as the minutes give it."""
        counts = (
            f"{self.counts.get(Choice.CONTINUE, 0)} pour continuer, "
            f"{self.counts.get(Choice.STOP, 0)} pour arrêter, "
            f"{self.counts.get(Choice.ABSTAIN, 0)} abstention(s)"
        )
        participation = f"{self.voted} votant(s) sur {self.eligible} membre(s) non déporté(s)"
        if not self.quorum_reached:
            return f"Quorum non atteint ({participation}) : point reporté."
        if self.tie and not self.tie_broken_by_president:
            return f"Égalité ({counts}) non départagée : point reporté."
        tie = " ; égalité départagée par la voix du président" if self.tie else ""
        return f"{self.outcome.label} : {counts} ({participation}){tie}."


STOP_PHASES = frozenset({Phase.STOPPED, Phase.STOPPED_AFTER_INVESTIGATION})


def phase_refusal(outcome: Outcome, next_phase: Phase) -> str | None:
    """A decision to continue leads to a living phase; a decision to stop, to an abandon."""
    if outcome is Outcome.CONTINUE and next_phase in STOP_PHASES:
        return "Une décision de continuer ne mène pas à une phase d'abandon."
    if outcome is Outcome.STOP and next_phase not in STOP_PHASES:
        return "Une décision d'arrêter mène à une phase d'abandon."
    return None


def eligible_voters(convened: Collection[int], recused: Collection[int]) -> set[int]:
    """Every convened member votes on an item, unless they declared a conflict of interest."""
    return set(convened) - set(recused)


def may_vote_for(
    caster: int,
    voter: int,
    convened: Collection[int],
    recused: Collection[int],
    proxies: Mapping[int, int],
) -> str | None:
    """Why `caster` may not cast `voter`'s vote (None when they may). `proxies` maps a
    giver to the member holding their proxy."""
    if caster not in convened:
        return "Seuls les membres convoqués à la séance votent."
    if voter == caster and voter in proxies:
        return "Vous avez donné votre pouvoir pour cette séance : il vote pour vous."
    if voter != caster and proxies.get(voter) != caster:
        return "Vous ne détenez pas le pouvoir de ce membre pour cette séance."
    if voter not in convened:
        return "Ce membre n'est pas convoqué à la séance."
    if voter in recused:
        if voter == caster:
            return "Vous vous êtes déporté sur ce point : vous ne votez pas."
        return "Ce membre s'est déporté sur ce point : son pouvoir ne vote pas."
    return None


def tally(
    ballots: Mapping[int, Choice],
    convened: Collection[int],
    recused: Collection[int],
    president: int | None,
    rule: VotingRule = VotingRule(),
) -> Result:
    """The result of an item from the last ballot of each member (proxies already counted
    for their giver)."""
    eligible = eligible_voters(convened, recused)
    counted = {voter: choice for voter, choice in ballots.items() if voter in eligible}
    counts = Counter(counted.values())
    full_counts = {choice: counts.get(choice, 0) for choice in Choice}
    quorum_reached = len(eligible) > 0 and Decimal(len(counted)) > rule.quorum * len(eligible)
    if not quorum_reached:
        return Result(len(eligible), len(counted), False, full_counts)
    pro, contra = counts.get(Choice.CONTINUE, 0), counts.get(Choice.STOP, 0)
    if pro != contra:
        outcome = Outcome.CONTINUE if pro > contra else Outcome.STOP
        return Result(len(eligible), len(counted), True, full_counts, outcome)
    president_choice = counted.get(president) if president is not None else None
    if rule.tie_break is TieBreak.PRESIDENT and president_choice in (Choice.CONTINUE, Choice.STOP):
        outcome = Outcome.CONTINUE if president_choice is Choice.CONTINUE else Outcome.STOP
        return Result(len(eligible), len(counted), True, full_counts, outcome, True, True)
    return Result(len(eligible), len(counted), True, full_counts, Outcome.POSTPONED, True)
