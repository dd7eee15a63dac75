"""positions.stance_in_clause: the wording nearest the actor's name decides its stance."""

from __future__ import annotations

import pytest

from communique.grounding.context import GroundedParts, GroundingContext
from communique.grounding.rules import clauses
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences
from communique.models import Evidence, Participant, Position


def stance_after(text: str, name: str, stance: str) -> tuple[str, list[str]]:
    ctx = GroundingContext(Article(text=text), split_sentences(text), [])
    evidence = [Evidence(quote=text, start=0, end=len(text), sentence=1)]
    said = Position(actor=name, stance=stance, summary="x", evidence=evidence)  # type: ignore[arg-type]
    people = [Participant(name=name, kind="person")]
    parts = GroundedParts(participants=people, positions=[said])
    clauses.stances_in_clauses(parts, ctx)
    return parts.positions[0].stance, [n.rule for n in parts.corrected]


@pytest.mark.parametrize(
    ("text", "name", "before", "after"),
    [
        # a backing refused, in four languages
        ("Ivo Kamp said he will not back the treaty.", "Ivo Kamp", "support", "oppose"),
        ("Ivo Kamp refused to endorse the plan.", "Ivo Kamp", "support", "oppose"),
        (
            "Otros liberales que la apoyaron son Ana Ruiz, pero ha declarado que no la respaldará.",
            "Ana Ruiz",
            "support",
            "oppose",
        ),
        ("Ana Ruiz a prévenu qu'elle ne le soutiendra pas.", "Ana Ruiz", "support", "oppose"),
        ("Ana Ruiz will den Plan nicht unterstützen.", "Ana Ruiz", "support", "oppose"),
        # no position taken yet
        ("Ivo Kamp has not yet taken a position on the bill.", "Ivo Kamp", "oppose", "unclear"),
        ("Otro liberal, Ivo Kamp, no ha definido su postura.", "Ivo Kamp", "support", "unclear"),
        # support expressed; the other actor's refusal further from the name
        (
            "Ivo Kamp said he will vote against it, and one liberal has expressed support, "
            "Ana Ruiz.",
            "Ana Ruiz",
            "oppose",
            "support",
        ),
        (
            "Ivo Kamp said he will vote against it, and one liberal has expressed support, "
            "Ana Ruiz.",
            "Ivo Kamp",
            "support",
            "oppose",
        ),
    ],
)
def test_the_nearest_outright_wording_decides(
    text: str, name: str, before: str, after: str
) -> None:
    assert stance_after(text, name, before) == (after, ["positions.stance_in_clause"])


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # a refusal on a condition, or of one part of a plan backed in part
        ("Ivo Kamp will not back the treaty unless Velsk signs.", "support"),
        ("Ivo Kamp backs the cap but could not vote for this law.", "conditional"),
        # no outright wording, or the same stance
        ("Ivo Kamp said the treaty was a step.", "support"),
        ("Ivo Kamp said he will not back the treaty.", "oppose"),
        # the sentence does not name the actor
        ("The minister will not back the treaty.", "support"),
    ],
)
def test_left_to_the_model(text: str, stance: str) -> None:
    assert stance_after(text, "Ivo Kamp", stance) == (stance, [])
