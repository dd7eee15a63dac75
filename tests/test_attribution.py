"""A summary copied onto several actors stays only with the actors it names (attribution.py)."""

from __future__ import annotations

from communique.article import Article, split_sentences
from communique.extraction import GroundedParts, GroundingContext
from communique.models import Evidence, Participant, Position

TEXT = (
    "The White Paper plans to make offices smoke-free. "
    "Health Secretary John Reid said the plan would save lives. "
    "He added that pubs would follow. "
    "The BMA welcomed it."
)
SENTENCES = split_sentences(TEXT)
CTX = GroundingContext(Article(text=TEXT), SENTENCES, [])


def position(actor: str, summary: str, sentence: int) -> Position:
    s = SENTENCES[sentence - 1]
    quote = Evidence(quote=s.text, start=s.start, end=s.end, sentence=sentence)
    return Position(actor=actor, stance="support", summary=summary, evidence=[quote])


def actor(name: str, kind: str = "organization", *aliases: str) -> Participant:
    return Participant(name=name, kind=kind, aliases=list(aliases))


def kept(*positions: Position, people: list[Participant]) -> list[str]:
    from communique.attribution import drop_copied_positions

    parts = GroundedParts(participants=people, positions=list(positions))
    drop_copied_positions(parts, CTX)
    dropped = {d.item for d in parts.corrected}
    assert len(dropped) == len(positions) - len(parts.positions)
    return [p.actor for p in parts.positions]


def test_a_copied_summary_stays_with_the_actor_its_sentence_names() -> None:
    copied = "The White Paper plans to make offices smoke-free."
    people = [actor("White Paper"), actor("England", "country"), actor("Smoking")]
    positions = [position(p.name, copied, 1) for p in people]
    assert kept(*positions, people=people) == ["White Paper"]


def test_surname_acronym_and_the_sentence_before_count_as_naming() -> None:
    said = "Pubs would follow."
    people = [
        actor("John Reid", "person"),  # "Reid", in the sentence before the cited one
        actor("British Medical Association"),  # "BMA", in the cited sentence
        actor("England", "country"),
    ]
    positions = [
        position("John Reid", said, 3),
        position("British Medical Association", said, 4),
        position("England", said, 3),
    ]
    assert kept(*positions, people=people) == ["John Reid", "British Medical Association"]


def test_a_summary_only_one_actor_has_is_left_alone() -> None:
    people = [actor("England", "country")]
    assert kept(position("England", "Backs the plan.", 1), people=people) == ["England"]


def test_a_summary_that_only_names_its_actor_is_replaced_and_reported() -> None:
    from communique.attribution import blank_unsaid_summaries

    parts = GroundedParts(
        positions=[
            position("John Reid", "Health Secretary John Reid", 2),
            position("Ines Kalder", "France's Minister of the Interior Ines Kalder", 2),
            position("BMA", "The BMA welcomed it.", 4),
        ]
    )
    blank_unsaid_summaries(parts)
    summaries = [p.summary for p in parts.positions]
    assert summaries == ["John Reid: support", "Ines Kalder: support", "The BMA welcomed it."]
    assert [d.item for d in parts.corrected] == ["positions[0].summary", "positions[1].summary"]
