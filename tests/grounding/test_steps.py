"""Bare-word and past next steps are dropped and reported (steps.py)."""

from __future__ import annotations

import datetime as dt

from communique.grounding.context import GroundedParts
from communique.grounding.rules.steps import drop_bare_steps, drop_past_steps
from communique.models import Evidence, NextStep
from communique.text.dates import resolve_when

QUOTE = Evidence(quote="Talks will resume.", start=0, end=18, sentence=1)


def step(action: str) -> NextStep:
    return NextStep(action=action, actor=None, when=None, when_iso=None, evidence=[QUOTE])


def test_a_bare_word_is_no_step() -> None:
    parts = GroundedParts(next_steps=[step("meetings"), step("Talks resume"), step("votes.")])
    drop_bare_steps(parts)
    assert [s.action for s in parts.next_steps] == ["Talks resume"]
    assert [d.item for d in parts.corrected] == ["next_steps[0]", "next_steps[2]"]
    assert "'meetings' is a bare word" in parts.corrected[0].reason


def test_a_step_dated_before_the_article_is_no_next_step() -> None:
    day = dt.date(2004, 11, 29)
    steps = [
        NextStep(action=f"Talks {w}", when=w, when_iso=resolve_when(w, day), evidence=[QUOTE])
        for w in ["yesterday", "today", "on Friday", "next year"]
    ]
    parts = GroundedParts(next_steps=steps)
    drop_past_steps(parts, day)
    assert [s.when for s in parts.next_steps] == ["today", "on Friday", "next year"]
    assert parts.corrected[0].reason == (
        "'yesterday' (2004-11-28) is before the article's date: not a next step"
    )
    drop_past_steps(parts := GroundedParts(next_steps=steps), None)  # no date: kept
    assert len(parts.next_steps) == 4


def test_an_action_copying_the_words_before_the_plan_becomes_the_plan() -> None:
    from communique.grounding.rules.steps import refocus_steps

    day = dt.date(2025, 5, 23)
    text = (
        "Earlier on Friday, Trump expressed impatience with the pace of the talks, "
        "saying his plan to raise tariffs on 1 June was set."
    )
    listed = "Talks with the union, the owners and the city are scheduled for Monday."

    def at(action: str, sentence: str, when: str | None) -> NextStep:
        quote = Evidence(quote=sentence, start=0, end=len(sentence), sentence=1)
        return NextStep(action=action, when=when, evidence=[quote])

    parts = GroundedParts(
        next_steps=[
            at("Trump expressed impatience with the pace of the talks, so", text, "on Friday"),
            at("Tariffs rise on 1 June", text, "on 1 June"),  # says the plan: kept
            at("Talks with the union, the owners", listed, "Monday"),  # a list's comma
        ]
    )
    refocus_steps(parts, day)
    first = parts.next_steps[0]
    assert (first.action, first.when, first.when_iso) == (
        "his plan to raise tariffs on 1 June was set",
        "on 1 June",
        dt.date(2025, 6, 1),
    )
    assert [s.action for s in parts.next_steps[1:]] == [
        "Tariffs rise on 1 June",
        "Talks with the union, the owners",
    ]
    assert [d.item for d in parts.corrected] == ["next_steps[0].action"]


def test_a_step_with_no_time_and_no_forward_looking_word_is_no_step() -> None:
    def at(action: str, sentence: str, when: str | None = None) -> NextStep:
        quote = Evidence(quote=sentence, start=0, end=len(sentence), sentence=1)
        return NextStep(action=action, when=when, evidence=[quote])

    moving = "Insurance assessors are moving from street to street."
    parts = GroundedParts(
        next_steps=[
            at("Insurance assessors are moving from street to street", moving),
            at("A breakfast is set for Friday", "A breakfast is set for Friday.", "Friday"),
            at("Assessors visit every house", "Assessors will visit every house."),
        ]
    )
    drop_bare_steps(parts)
    assert [s.action for s in parts.next_steps] == [
        "A breakfast is set for Friday",  # a time: kept
        "Assessors visit every house",  # the sentence says 'will'
    ]
    assert "nor its sentence says what will happen" in parts.corrected[0].reason


def test_a_when_that_dates_the_saying_takes_the_time_written_after_it() -> None:
    from communique.grounding.answer import ground
    from communique.grounding.context import GroundingContext
    from communique.ingest.article import Article
    from communique.ingest.sentences import split_sentences
    from communique.prompt.response_model import LooseExtraction

    text = "Ana Ruiz said on Tuesday that the port board will vote on Friday. Dock work went on."
    answer = {
        "headline": "Vote",
        "gist": "A vote.",
        "proposal": {"statement": "A levy", "status": "proposed", "evidence": [1]},
        "actors": [],
        "next_steps": [
            {"action": "Board votes", "actor": None, "when": "on Tuesday", "evidence": [1]}
        ],
    }
    ctx = GroundingContext(Article(text=text), split_sentences(text), ["Ana Ruiz"])
    parts = ground(LooseExtraction.model_validate(answer), ctx)
    assert [s.when for s in parts.next_steps] == ["on Friday"]
    assert [n.rule for n in parts.corrected] == ["steps.when_as_written"]
