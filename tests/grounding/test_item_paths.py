"""A note's `item` names where the item came from (its origin in the model's answers, or
in the article for what code adds), whatever earlier rules removed, added or reordered
(context.py's GroundedParts). Invented text only."""

from __future__ import annotations

from communique.grounding.context import GroundedParts, GroundingContext
from communique.grounding.rules import attribution, outlets, plans, steps, wording
from communique.grounding.rules.actors import KIND_FROM_NAME
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences
from communique.models import Evidence, NextStep, Participant, Position

TEXT = (
    "The Gazette newspaper reported that the council will vote next month. "
    "The council backs the levy. "
    "Traders oppose it."
)
SENTENCES = split_sentences(TEXT)
CTX = GroundingContext(Article(text=TEXT), SENTENCES, [])


def cites(number: int) -> list[Evidence]:
    s = SENTENCES[number - 1]
    return [Evidence(quote=s.text, start=s.start, end=s.end, sentence=number)]


def answered(*actors: tuple[str, str, int]) -> GroundedParts:
    """Parts as grounding makes them: the answer's actor i (name, summary, cited sentence)
    a participant from `actors[i]` with a position from its stance."""
    parts = GroundedParts()
    for i, (name, summary, sentence) in enumerate(actors):
        parts.add(parts.participants, Participant(name=name, kind="organization"), f"actors[{i}]")
        position = Position(actor=name, stance="support", summary=summary, evidence=cites(sentence))
        parts.add_position(position, f"actors[{i}]")
    return parts


def test_a_later_rule_names_the_original_item_after_an_earlier_one_removed_items() -> None:
    parts = answered(
        ("Gazette", "It reports a vote.", 1),  # a news outlet: dropped first
        ("Harbour Board", "It opposes the levy.", 3),  # its sentence does not name it
        ("Council", "It backs the levy, and", 2),  # kept; its summary dangles
    )
    outlets.drop_news_outlets(parts, CTX)
    attribution.drop_copied_positions(parts, CTX)  # the Harbour Board's is positions[0] now
    wording.tidy_cut_phrases(parts)  # the Council's is positions[0] now
    assert [(n.rule, n.item, n.action) for n in parts.corrected] == [
        ("participants.news_outlet", "actors[0]", "dropped"),
        ("participants.news_outlet", "actors[0].stance", "dropped"),
        ("positions.actor_not_named", "actors[1].stance", "dropped"),
        ("text.dangling_end", "actors[2].summary", "corrected"),
    ]
    assert [(p.actor, p.summary) for p in parts.positions] == [("Council", "It backs the levy…")]
    assert parts.paths().positions == ("actors[2].stance",)


def test_a_step_code_adds_is_named_by_its_sentence_and_does_not_shift_the_answers() -> None:
    text = "The ministers will meet again next April. Talks were held on Monday."
    sentences = split_sentences(text)
    ctx = GroundingContext(Article(text=text), sentences, [])
    s = sentences[1]
    held = Evidence(quote=s.text, start=s.start, end=s.end, sentence=2)
    parts = GroundedParts()
    parts.add(parts.next_steps, NextStep(action="meetings", evidence=[held]), "next_steps[0]")
    plans.add_timed_plans(parts, ctx)  # sentence 1's step, sorted before the answer's
    steps.drop_bare_steps(parts)
    assert [(n.rule, n.item, n.action) for n in parts.corrected] == [
        ("steps.timed_plan", "article.s1", "added"),
        ("steps.bare_word", "next_steps[0]", "dropped"),
    ]
    assert parts.paths().next_steps == ("article.s1",)


def test_copies_keep_their_origin_and_hand_built_parts_are_named_by_their_place() -> None:
    given = Participant(name="Council", kind="person")
    parts = GroundedParts(participants=[Participant(name="Gazette", kind="organization"), given])
    assert parts.path(given) == "participants[1]"
    fixed = parts.correct(KIND_FROM_NAME, "kind", "no person", given, kind="organization")
    renamed = parts.copy(fixed, name="City Council")
    assert (parts.path(renamed), parts.path(renamed, "role")) == (
        "participants[1]",
        "participants[1].role",
    )
    assert [n.item for n in parts.corrected] == ["participants[1].kind"]
    again = parts.follow([renamed], [renamed.model_copy(update={"role": "mayor's office"})])
    assert parts.path(again[0]) == "participants[1]"


def test_a_clone_keeps_the_origins_and_its_notes_stay_on_it() -> None:
    parts = answered(("Gazette", "It reports a vote.", 1), ("Council", "It backs the levy.", 2))
    twin = parts.clone()
    outlets.drop_news_outlets(twin, CTX)  # a rule run on the clone (the follow-up's preview)
    assert [(n.item, n.action) for n in twin.corrected] == [
        ("actors[0]", "dropped"),
        ("actors[0].stance", "dropped"),
    ]
    assert [p.actor for p in twin.positions] == ["Council"]
    assert twin.path(twin.positions[0]) == "actors[1].stance"
    assert parts.corrected == [] and [p.actor for p in parts.positions] == ["Gazette", "Council"]
