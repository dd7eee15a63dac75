"""proposal.nothing_at_stake: a report of what happened (a match, an accident) keeps no
proposal, and no position on it; a proposal that names a plan, a deal, a law, talks ... or
states a plan stays. All texts are invented."""

from __future__ import annotations

import pytest

from communique.grounding.context import GroundedParts, GroundingContext
from communique.grounding.rules.proposals import (
    NOTHING_AT_STAKE,
    at_stake,
    drop_proposal_without_stake,
)
from communique.grounding.rules.rule import Switches
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences
from communique.models import Evidence, Participant, Position, Proposal
from communique.pipeline.followup import unplaced


def proposal(statement: str, quote: str) -> Proposal:
    return Proposal(
        statement=statement,
        status="agreed",
        evidence=[Evidence(quote=quote, start=0, end=len(quote), sentence=1)],
    )


def position(actor: str) -> Position:
    quote = f"{actor} was delighted."
    return Position(
        actor=actor,
        stance="support",
        summary=f"{actor} was delighted",
        evidence=[Evidence(quote=quote, start=0, end=len(quote), sentence=2)],
    )


@pytest.mark.parametrize(
    "text",
    [
        "The council approved a plan to build 400 homes.",
        "Arlo Foods will buy Pell Dairies for $2 billion.",  # a plan stated, no noun
        "Dock workers rejected the employers' pay offer.",
        "Ministers agreed to open talks on the border.",
        "The Senate passed the Clean Rivers Act.",
        "Le gouvernement présente son projet de loi sur l'eau.",
        "Los sindicatos firmaron el acuerdo salarial.",
        "Der Bundestag stimmt über das neue Gesetz ab.",
        "The central bank raised interest rates by a quarter point.",  # decisions
        "The court's ruling struck down the ban.",
    ],
)
def test_a_proposal_that_names_or_states_a_plan_is_at_stake(text: str) -> None:
    assert at_stake(text)


@pytest.mark.parametrize(
    "text",
    [
        "Harbour City won the match 3-2 after Delfini's late strike.",
        "Reid, signed from Eastbrook in June, won his 20th cap.",  # sport's own senses
        "The referee's decision stood and Okafor was withdrawn at half-time.",
        "A bus overturned on the coast road, injuring twelve passengers.",
    ],
)
def test_a_report_of_what_happened_is_not(text: str) -> None:
    assert not at_stake(text)


def test_a_match_report_loses_its_proposal_and_the_positions_on_it() -> None:
    parts = GroundedParts(
        proposal=proposal("City won the match", "City beat Rovers 3-2 on Saturday."),
        positions=[position("Ann Sorensen"), position("Dave Whitlow")],
        participants=[Participant(name="Ann Sorensen", kind="person")],
    )
    drop_proposal_without_stake(parts)
    assert parts.proposal is None and parts.positions == []
    assert [(n.rule, n.item, n.action) for n in parts.corrected] == [
        ("proposal.nothing_at_stake", "proposal", "dropped"),
        ("proposal.nothing_at_stake", "positions[0]", "dropped"),
        ("proposal.nothing_at_stake", "positions[1]", "dropped"),
    ]
    assert [p.name for p in parts.participants] == ["Ann Sorensen"]  # participants stand


def test_a_proposal_whose_cited_sentence_names_the_plan_stays() -> None:
    kept = proposal("The mayor's idea", "The mayor unveiled a budget for the tram line.")
    parts = GroundedParts(proposal=kept, positions=[position("Ann Sorensen")])
    drop_proposal_without_stake(parts)
    assert parts.proposal == kept and len(parts.positions) == 1 and not parts.corrected


def test_switched_off_it_keeps_the_proposal() -> None:
    parts = GroundedParts(
        proposal=proposal("City won the match", "City beat Rovers 3-2 on Saturday."),
        positions=[position("Ann Sorensen")],
        switches=Switches(frozenset({NOTHING_AT_STAKE.id})),
    )
    drop_proposal_without_stake(parts)
    assert parts.proposal is not None and len(parts.positions) == 1 and not parts.corrected


def test_the_follow_up_asks_for_no_position_when_nothing_is_at_stake() -> None:
    text = "City beat Rovers 3-2. Ann Sorensen said the team showed character."
    ctx = GroundingContext(Article(text=text), split_sentences(text), ["Ann Sorensen"])
    people = [Participant(name="Ann Sorensen", kind="person")]
    match = GroundedParts(participants=people, proposal=proposal("City won", "City beat Rovers."))

    def finish(parts: GroundedParts, _: GroundingContext) -> None:
        drop_proposal_without_stake(parts)

    assert unplaced(match, ctx, finish) == []
    plan = GroundedParts(participants=people, proposal=proposal("A levy", "A levy is planned."))
    assert [p.name for p in unplaced(plan, ctx, finish)] == ["Ann Sorensen"]
