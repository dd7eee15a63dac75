"""A participant the finished answer gives nothing to do, and that the article never has
say or do anything, is dropped (grounding/rules/passing.py). Invented text only."""

from __future__ import annotations

from communique.grounding.context import GroundedParts, GroundingContext
from communique.grounding.rules.passing import PASSING_MENTION, drop_passing_mentions
from communique.grounding.rules.rule import Switches
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences
from communique.models import Evidence, NextStep, Participant, Position, Proposal

TEXT = (
    "Ana Ruiz said the port levy is fair. "
    "Shops such as Corvo Traders sell fish on the quay. "
    "The Harbour Board received 300 letters. "
    "Ivo Kamp, head of Lund Ferries, spoke at length. "
    "The levy, like the Dorne toll, is old. "
    "Members of the Velsk alliance will pay, said Mia Lund of Orla Bank."
)
QUOTE = Evidence(quote="Ana Ruiz said the port levy is fair.", start=0, end=36, sentence=1)
PROPOSAL = Proposal(statement="A port levy", status="proposed", evidence=[QUOTE])


def _run(participants: list[Participant], **kwargs: object) -> GroundedParts:
    kwargs.setdefault("proposal", PROPOSAL)
    parts = GroundedParts(participants=participants, **kwargs)  # type: ignore[arg-type]
    drop_passing_mentions(parts, GroundingContext(Article(text=TEXT), split_sentences(TEXT)))
    return parts


def _people() -> list[Participant]:
    return [
        Participant(name="Ana Ruiz", kind="person"),  # "said"
        Participant(name="Corvo Traders", kind="organization"),  # only named
        Participant(name="Harbour Board", kind="organization"),  # "received"
        Participant(name="Ivo Kamp", kind="person", affiliation="Lund Ferries"),
        Participant(name="Lund Ferries", kind="organization"),  # Ivo Kamp's employer
        Participant(name="Dorne", kind="country"),  # only named
        Participant(name="Velsk", kind="organization"),  # "will", but only after "of the"
        Participant(name="Orla Bank", kind="organization"),  # "said", but only after "of"
    ]


def test_a_name_that_does_nothing_is_dropped_with_a_note() -> None:
    parts = _run(_people())
    assert [p.name for p in parts.participants] == [
        "Ana Ruiz",
        "Harbour Board",
        "Ivo Kamp",
        "Lund Ferries",
    ]
    assert [(n.rule, n.item, n.action) for n in parts.corrected] == [
        ("participants.passing_mention", "participants[1]", "dropped"),
        ("participants.passing_mention", "participants[5]", "dropped"),
        ("participants.passing_mention", "participants[6]", "dropped"),
        ("participants.passing_mention", "participants[7]", "dropped"),
    ]


def test_a_position_or_a_step_keeps_a_participant() -> None:
    step = NextStep(action="Corvo Traders will pay", actor="Corvo Traders", evidence=[QUOTE])
    said = Position(actor="Dorne", stance="oppose", summary="Dorne: oppose", evidence=[QUOTE])
    parts = _run(_people()[:6], next_steps=[step], positions=[said])
    assert len(parts.participants) == 6
    assert parts.corrected == []


def test_nothing_is_dropped_without_a_proposal() -> None:
    parts = _run(_people(), proposal=None)
    assert len(parts.participants) == 8


def test_switched_off_nothing_is_dropped() -> None:
    parts = _run(_people(), switches=Switches(frozenset({PASSING_MENTION.id})))
    assert len(parts.participants) == 8
    assert parts.corrected == []
