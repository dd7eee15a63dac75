"""A participant left with nothing it does and only written as a place is dropped
(grounding/rules/places.py). Invented text only."""

from __future__ import annotations

from communique.grounding.context import GroundedParts, GroundingContext
from communique.grounding.rules import registry
from communique.grounding.rules.places import drop_places
from communique.grounding.rules.rule import Switches
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences
from communique.models import Evidence, NextStep, Participant, Position

TEXT = (
    "Ministers arriving in Velsk next week will sign the accord. "
    "The talks in Velsk and at Dorne were tense. "
    "Lunderland rejected the accord. "
    "Delegates flew to Marrow, and Marrow's council said it would host the next round. "
    "Envoys posted in Velsk, Dorne and Ostmark will inspect the cargo. "
    "Brackwater's mayor backed the accord."
)


def _run(participants: list[Participant], **kwargs: object) -> GroundedParts:
    parts = GroundedParts(participants=participants, **kwargs)  # type: ignore[arg-type]
    drop_places(parts, GroundingContext(Article(text=TEXT), split_sentences(TEXT)))
    return parts


def _cite(number: int) -> Evidence:
    s = split_sentences(TEXT)[number - 1]
    return Evidence(quote=s.text, start=s.start, end=s.end, sentence=number)


def test_a_place_with_nothing_left_is_dropped_with_a_note() -> None:
    parts = _run(
        [
            Participant(name="Velsk", kind="country"),
            Participant(name="Dorne", kind="organization"),
            Participant(name="Lunderland", kind="country"),  # acts: not only a place
            Participant(name="Marrow", kind="country"),  # "Marrow's council said"
        ]
    )
    assert [p.name for p in parts.participants] == ["Lunderland", "Marrow"]
    assert [(n.rule, n.item, n.action) for n in parts.corrected] == [
        ("participants.place_without_position", "participants[0]", "dropped"),
        ("participants.place_without_position", "participants[1]", "dropped"),
    ]


def test_a_place_that_keeps_a_position_or_a_step_stays() -> None:
    town = Participant(name="Brackwater", kind="country")  # "Brackwater's mayor backed it"
    dorne = Participant(name="Dorne", kind="country")
    parts = _run(
        [town, dorne],
        positions=[
            Position(actor="Brackwater", stance="support", summary="x", evidence=[_cite(6)])
        ],
        next_steps=[NextStep(action="Host talks", actor="Dorne", evidence=[_cite(2)])],
    )
    assert parts.participants == [town, dorne]
    assert parts.corrected == []


def test_a_later_item_of_a_list_of_places_is_a_place() -> None:
    parts = _run([Participant(name="Ostmark", kind="country")])  # "in Velsk, Dorne and Ostmark"
    assert parts.participants == []


def test_a_position_whose_evidence_writes_its_actor_as_a_place_is_dropped() -> None:
    kept = Position(actor="Marrow", stance="support", summary="x", evidence=[_cite(4)])
    parts = _run(
        [Participant(name="Marrow", kind="country"), Participant(name="Dorne", kind="country")],
        positions=[
            Position(
                actor="Dorne", stance="support", summary="Dorne backs it", evidence=[_cite(5)]
            ),
            kept,  # "Marrow's council said": not only a place
        ],
    )
    assert parts.positions == [kept]
    assert [(n.rule, n.item) for n in parts.corrected] == [
        ("positions.actor_as_place", "positions[0]"),
        ("participants.place_without_position", "participants[1]"),
    ]


def test_a_person_is_never_taken_for_a_place() -> None:
    parts = _run([Participant(name="Velsk", kind="person")])
    assert [p.name for p in parts.participants] == ["Velsk"]


def test_switched_off_they_drop_nothing() -> None:
    off = Switches(frozenset({"participants.place_without_position", "positions.actor_as_place"}))
    dorne = Position(actor="Dorne", stance="support", summary="x", evidence=[_cite(5)])
    parts = _run([Participant(name="Velsk", kind="country")], positions=[dorne], switches=off)
    assert [p.name for p in parts.participants] == ["Velsk"]
    assert parts.positions == [dorne]


def test_the_follow_ups_preview_keeps_it_and_adds_no_code_found_step() -> None:
    """followup.unplaced asks about the participants the finished answer would leave
    without a position: the preview of the finish phase leaves out the rules about what
    is left once the follow-up has answered (a place it may still give a position) and
    the steps code adds after it."""
    ctx = GroundingContext(Article(text=TEXT), split_sentences(TEXT))
    previewed = GroundedParts(participants=[Participant(name="Velsk", kind="country")])
    registry.preview(previewed, ctx)
    assert [p.name for p in previewed.participants] == ["Velsk"]
    assert previewed.next_steps == []
    finished = GroundedParts(participants=[Participant(name="Velsk", kind="country")])
    registry.finish(finished, ctx)
    assert finished.participants == []
    assert [n.rule for n in finished.corrected if n.action == "added"] == ["steps.timed_plan"]
