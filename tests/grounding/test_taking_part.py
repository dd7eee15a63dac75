"""A person the article has take part ("drafted", "is expected to", "was disappointed")
whom no answer lists is added without a position (grounding/rules/taking_part.py).
Invented text only."""

from __future__ import annotations

from communique.grounding.context import GroundedParts, GroundingContext
from communique.grounding.rules.rule import Switches
from communique.grounding.rules.taking_part import PERSON_TAKES_PART, add_people_taking_part
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences
from communique.models import Dropped, Evidence, Participant, Proposal

TEXT = (
    "Ana Ruiz said the port levy is fair. "
    "Ivo Kamp, who drafted the levy, was disappointed by the delay. "
    "Mayor Lena Holt is expected to sign it on Friday. "
    "The Courier's political editor Tom Berry said the vote is close. "
    "Ed Marr, of the ferry firm Osland Lines, said fares will rise. "
    "Dr Ria Soto lives on the quay."
)
QUOTE = Evidence(quote="Ana Ruiz said the port levy is fair.", start=0, end=36, sentence=1)
PROPOSAL = Proposal(statement="A port levy", status="proposed", evidence=[QUOTE])
CANDIDATES = ["Ana Ruiz", "Ivo Kamp", "Lena Holt", "Tom Berry", "Osland Lines", "Ria Soto"]


def _run(**kwargs: object) -> GroundedParts:
    kwargs.setdefault("proposal", PROPOSAL)
    kwargs.setdefault("participants", [Participant(name="Ana Ruiz", kind="person")])
    parts = GroundedParts(**kwargs)  # type: ignore[arg-type]
    ctx = GroundingContext(Article(text=TEXT), split_sentences(TEXT), CANDIDATES)
    add_people_taking_part(parts, ctx)
    return parts


def test_people_who_take_part_are_added_with_a_note() -> None:
    parts = _run()
    # not the reporter, not the firm written after "of", not the one who does nothing
    assert [(p.name, p.kind) for p in parts.participants] == [
        ("Ana Ruiz", "person"),
        ("Ivo Kamp", "person"),
        ("Lena Holt", "person"),
    ]
    assert parts.positions == []
    assert [(n.rule, n.item, n.action) for n in parts.corrected] == [
        ("participants.person_takes_part", "article.names['Ivo Kamp']", "added"),
        ("participants.person_takes_part", "article.names['Lena Holt']", "added"),
    ]


def test_a_name_a_rule_left_out_or_an_employer_is_not_added() -> None:
    left_out = Dropped(
        item="followup.names.a2",
        reason="'Ivo Kamp' left out: the follow-up pass calls it not involved",
        rule="followup.not_an_actor",
        action="dropped",
    )
    boss = Participant(name="Ana Ruiz", kind="person", affiliation="Lena Holt")
    parts = _run(dropped=[left_out], participants=[boss])
    assert [p.name for p in parts.participants] == ["Ana Ruiz"]


def test_nothing_is_added_without_a_proposal_or_switched_off() -> None:
    assert len(_run(proposal=None).participants) == 1
    off = _run(switches=Switches(frozenset({PERSON_TAKES_PART.id})))
    assert len(off.participants) == 1
    assert off.corrected == []
