"""Metric unit tests on hand-built labels and outputs (no model involved)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from communique.evaluation.labels import Label
from communique.evaluation.metrics import (
    COUNTS,
    HIGHER_IS_BETTER,
    aggregate,
    name_score,
    score_document,
)
from communique.evaluation.output import Output, naive_output
from communique.ingest.article import Article, parse_article

TEXT = (
    "date: 2025-03-16\n\n"
    "Prime Minister Keir Starmer proposed a ceasefire plan on Sunday. "
    "French President Emmanuel Macron said he backs the plan. "
    "The Kremlin rejected it outright. "
    "Military planners will meet on Thursday to discuss the plan."
)
ARTICLE: Article = parse_article(TEXT, id="t")


def label(**changes: Any) -> Label:
    data: dict[str, Any] = {
        "article": "t.txt",
        "language": "en",
        "proposal": {
            "statement": "A ceasefire plan.",
            "status": "proposed",
            "evidence": ["proposed a ceasefire plan"],
        },
        "participants": [
            {"name": "Keir Starmer", "kind": "person", "aliases": ["Starmer"], "central": True},
            {"name": "Emmanuel Macron", "kind": "person", "aliases": [], "central": True},
            {"name": "Russia", "kind": "country", "aliases": ["the Kremlin"], "central": False},
            {"name": "military planners", "kind": "group", "aliases": [], "central": False},
        ],
        "positions": [
            {"actor": "Emmanuel Macron", "stance": "support", "evidence": ["he backs the plan"]},
            {"actor": "Russia", "stance": "oppose", "evidence": ["rejected it outright"]},
        ],
        "next_steps": [
            {
                "action": "Military planners meet to discuss the plan",
                "actor": "military planners",
                "when": "on Thursday",
                "when_iso": "2025-03-20",
                "evidence": ["Military planners will meet on Thursday"],
            }
        ],
        "must_not_include": ["Boris Johnson", "Macron opposes the plan"],
    }
    data.update(changes)
    return Label.model_validate(data)


def ev(quote: str) -> dict[str, Any]:
    start = ARTICLE.text.find(quote)
    return {"quote": quote, "start": start, "end": start + len(quote) if start >= 0 else -1}


def output(**changes: Any) -> Output:
    data: dict[str, Any] = {
        "headline": "Starmer proposes a ceasefire plan",
        "gist": "Starmer proposed a plan; Macron backs it.",
        "proposal": {"statement": "Ceasefire.", "status": "proposed", "evidence": [ev("plan")]},
        "participants": [
            {"name": "Prime Minister Keir Starmer", "aliases": []},  # fuzzy (token set)
            {"name": "Macron", "aliases": []},  # surname
            {"name": "Kremlin", "aliases": []},  # alias, titles/articles ignored
            {"name": "Military planners", "aliases": []},  # case-folded exact
        ],
        "positions": [
            {"actor": "Macron", "stance": "support", "evidence": [ev("he backs the plan")]},
            {"actor": "Kremlin", "stance": "oppose", "evidence": [ev("rejected it outright")]},
        ],
        "next_steps": [
            {
                "action": "Planners convene",
                "actor": "Military planners",
                "when": "Thursday",
                "when_iso": "2025-03-20",
                "evidence": [ev("Military planners will meet on Thursday to discuss the plan.")],
            }
        ],
    }
    data.update(changes)
    return Output.model_validate(data)


@pytest.mark.parametrize(
    ("a", "b", "matches"),
    [
        ("Emmanuel Macron", "emmanuel  MACRON", True),
        ("Macron", "Emmanuel Macron", True),  # surname
        ("President Macron", "Emmanuel Macron", True),  # surname after a title
        ("Kier Starmer", "Keir Starmer", True),  # typo: token_set_ratio >= 90
        ("Élysée Palace", "Elysee palace", True),  # accents folded
        ("Boris Johnson", "Keir Starmer", False),
        ("United States", "United Kingdom", False),
    ],
)
def test_name_matching(a: str, b: str, matches: bool) -> None:
    assert (name_score(a, b) > 0) is matches


def test_a_perfect_output_scores_one_everywhere() -> None:
    values = score_document(label(), ARTICLE, output()).values()
    assert {"participants_f1", "schema_validity", "evidence_grounding"} <= HIGHER_IS_BETTER
    for metric in sorted(HIGHER_IS_BETTER):
        assert values[metric] == 1.0, metric
    for metric in COUNTS:
        assert values[metric] == 0, metric


def test_invented_participant_lowers_precision_and_missed_lowers_recall() -> None:
    out = output()
    people = out.participants
    out.participants = [*people[:3], people[0].model_copy(update={"name": "Boris Johnson"})]
    score = score_document(label(), ARTICLE, out)
    assert score.invented == ["Boris Johnson"] and score.missed == ["military planners"]
    values = score.values()
    assert values["participants_precision"] == 0.75 and values["participants_recall"] == 0.75
    assert values["central_recall"] == 1.0
    assert score.violations == ["Boris Johnson"]  # also a must-not-include hit


def test_one_participant_matches_at_most_one_label_participant() -> None:
    out = output(participants=[{"name": "Starmer"}, {"name": "Keir Starmer"}])
    score = score_document(label(), ARTICLE, out)
    assert score.counts["participants_precision"] == (1, 2)


def test_must_not_include_is_folded_and_searched_only_in_what_the_summary_asserts() -> None:
    out = output(gist="Per the report, MACRON opposes the plan.")
    assert score_document(label(), ARTICLE, out).violations == ["Macron opposes the plan"]
    # evidence quotes are article text, not claims: never searched
    quoted = output(positions=[{"actor": "Macron", "stance": "support", "evidence": [ev("he")]}])
    quoted.positions[0].evidence[0].quote = "Macron opposes the plan"
    assert score_document(label(), ARTICLE, quoted).violations == []
    # a paraphrase is not caught (documented limitation)
    para = output(gist="Macron is against the plan.")
    assert score_document(label(), ARTICLE, para).violations == []


def test_stance_accuracy_is_over_matched_actors() -> None:
    out = output()
    out.positions[1].stance = "support"  # Russia: labelled oppose
    values = score_document(label(), ARTICLE, out).values()
    assert values["positions_recall"] == 1.0 and values["stance_accuracy"] == 0.5
    out.positions = out.positions[:1]
    values = score_document(label(), ARTICLE, out).values()
    assert values["positions_recall"] == 0.5 and values["stance_accuracy"] == 1.0


def test_a_proposal_for_the_no_proposal_document_is_a_violation() -> None:
    score = score_document(label(proposal=None), ARTICLE, output())
    assert score.proposal_violation and score.values()["proposal_accuracy"] == 0.0
    missing = score_document(label(), ARTICLE, output(proposal=None))
    assert not missing.proposal_violation and missing.values()["proposal_accuracy"] == 0.0


def test_next_steps_match_by_actor_and_content_and_when_by_iso_date() -> None:
    out = output()
    out.next_steps[0].when = "the 20th"  # different text, same when_iso
    values = score_document(label(), ARTICLE, out).values()
    assert values["next_steps_recall"] == 1.0 and values["when_accuracy"] == 1.0
    out.next_steps[0].actor = "Keir Starmer"  # wrong actor: no match
    assert score_document(label(), ARTICLE, out).values()["next_steps_recall"] == 0.0


def test_naive_answer_is_parsed_leniently_and_unfound_quotes_are_ungrounded() -> None:
    answer = {
        "headline": "h",
        "gist": "g",
        "proposal": {"statement": "Plan", "status": "proposed", "evidence": "ceasefire plan"},
        "participants": ["Keir Starmer", {"name": "Macron", "kind": "person", "aliases": []}],
        "positions": [
            {"actor": "Macron", "stance": "support", "evidence": ["Macron  said he backs"]},
            {"actor": "Russia", "stance": "oppose", "evidence": ["Moscow vetoed it"]},
        ],
        "next_steps": [],
    }
    out = naive_output(json.dumps(answer), ARTICLE, prompt_tokens=5)
    assert not out.schema_valid  # strings where objects/lists were asked for
    assert [p.name for p in out.participants] == ["Keir Starmer", "Macron"]
    assert [(e.start >= 0) for e in out.quotes()] == [True, True, False]
    values = score_document(label(), ARTICLE, out).values()
    assert values["evidence_grounding"] == pytest.approx(2 / 3)
    assert values["prompt_tokens"] == 5


def test_naive_invalid_json_counts_against_schema_validity() -> None:
    out = naive_output('{"headline": "cut off', ARTICLE)
    assert not out.schema_valid and out.participants == []
    values = score_document(label(), ARTICLE, out).values()
    assert values["schema_validity"] == 0.0 and values["participants_f1"] == 0.0


def test_aggregate_is_micro_with_macro_alongside() -> None:
    full = score_document(label(), ARTICLE, output())
    one = score_document(label(), ARTICLE, output(participants=[{"name": "Macron"}]))
    agg = aggregate([full, one])
    assert agg["participants_recall"] == 5 / 8  # micro: (4 + 1) / (4 + 4)
    assert agg["macro"]["participants_recall"] == (1.0 + 0.25) / 2
    assert agg["must_not_include_violations"] == 0 and agg["latency_s"] == 0.0
