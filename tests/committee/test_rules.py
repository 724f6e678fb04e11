"""Quorum, majority, tie-break, recusal and proxies: the committee's rules as tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from comite.committee.rules import VotingRule, may_vote_for, tally
from comite.committee.workflow import Choice, Outcome, TieBreak

C, S, A = Choice.CONTINUE, Choice.STOP, Choice.ABSTAIN
FIVE = [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("ballots", "recused", "quorum", "outcome"),
    [
        ({1: C, 2: C, 3: S}, [], True, Outcome.CONTINUE),  # 3 of 5 voted: quorum
        ({1: C, 2: S}, [], False, Outcome.POSTPONED),  # 2 of 5: no quorum
        ({1: C, 2: S}, [3], False, Outcome.POSTPONED),  # 2 of 4: exactly half is not more
        ({1: C, 2: S, 4: S}, [3], True, Outcome.STOP),  # 3 of 4
        ({1: A, 2: A, 3: C}, [], True, Outcome.CONTINUE),  # abstentions count for quorum only
        ({1: A, 2: A, 3: A}, [], True, Outcome.POSTPONED),  # nothing expressed: a 0-0 tie
        ({3: C, 4: C, 5: S}, [3], False, Outcome.POSTPONED),  # a recused member's vote is ignored
    ],
)
def test_quorum_and_majority(ballots, recused, quorum, outcome):
    result = tally(ballots, FIVE, recused, president=1)
    assert result.quorum_reached is quorum
    assert result.outcome is outcome


def test_counts_include_every_choice():
    result = tally({1: C, 2: A, 3: S, 4: S}, FIVE, [], president=1)
    assert result.counts == {C: 1, S: 2, A: 1}
    assert result.voted == 4 and result.eligible == 5


@pytest.mark.parametrize(
    ("president_vote", "outcome", "broken"),
    [(C, Outcome.CONTINUE, True), (S, Outcome.STOP, True), (A, Outcome.POSTPONED, False)],
)
def test_a_tie_is_settled_by_the_presidents_vote(president_vote, outcome, broken):
    ballots = (
        {1: president_vote, 2: C, 3: S, 4: C, 5: S}
        if president_vote is A
        else {1: president_vote, 2: S if president_vote is C else C, 3: C, 4: S}
    )
    result = tally(ballots, FIVE, [], president=1)
    assert result.tie is True
    assert result.outcome is outcome
    assert result.tie_broken_by_president is broken


def test_a_tie_postpones_when_the_seance_says_so():
    rule = VotingRule(tie_break=TieBreak.POSTPONE)
    result = tally({1: C, 2: S, 3: C, 4: S}, FIVE, [], president=1, rule=rule)
    assert result.outcome is Outcome.POSTPONED and result.tie


def test_the_quorum_is_configurable():
    rule = VotingRule(quorum=Decimal("0.75"))
    assert tally({1: C, 2: C, 3: C}, FIVE, [], 1, rule).quorum_reached is False
    assert tally({1: C, 2: C, 3: C, 4: S}, FIVE, [], 1, rule).quorum_reached is True


def test_nobody_eligible_means_no_quorum():
    assert tally({}, [1, 2], [1, 2], president=1).quorum_reached is False


@pytest.mark.parametrize(
    ("caster", "voter", "recused", "refusal"),
    [
        (1, 1, [], None),
        (2, 3, [], None),  # 2 holds 3's proxy
        (9, 9, [], "Seuls les membres convoqués à la séance votent."),
        (1, 3, [], "Vous ne détenez pas le pouvoir de ce membre pour cette séance."),
        (1, 1, [1], "Vous vous êtes déporté sur ce point : vous ne votez pas."),
        (2, 3, [3], "Ce membre s'est déporté sur ce point : son pouvoir ne vote pas."),
    ],
)
def test_who_may_cast_a_vote(caster, voter, recused, refusal):
    assert may_vote_for(caster, voter, FIVE, recused, proxies={3: 2}) == refusal


def test_results_explain_themselves_in_french():
    assert tally({1: C, 2: C, 3: S}, FIVE, [], 1).explain() == (
        "Continuer : 2 pour continuer, 1 pour arrêter, 0 abstention(s) "
        "(3 votant(s) sur 5 membre(s) non déporté(s))."
    )
    assert tally({1: C}, FIVE, [], 1).explain() == (
        "Quorum non atteint (1 votant(s) sur 5 membre(s) non déporté(s)) : point reporté."
    )
    assert (
        "égalité départagée par la voix du président"
        in tally({1: S, 2: C, 3: C, 4: S}, FIVE, [], 1).explain()
    )
    assert VotingRule().describe().startswith("Quorum : plus de 50 % des membres")
