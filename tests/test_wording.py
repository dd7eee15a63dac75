"""Phrases the model stopped mid-way lose their dangling ending (wording.py)."""

from __future__ import annotations

import pytest

from communique.extraction import GroundedParts
from communique.models import Evidence, NextStep, Position
from communique.wording import cut_dangling, tidy_cut_phrases


@pytest.mark.parametrize(
    ("text", "tidy"),
    [
        (
            "Trump expressed impatience with the talks, so",
            "Trump expressed impatience with the talks…",
        ),
        ("A working group is to report on the", "A working group is to report on…"),
        ("Quiroga accused the government of ", "Quiroga accused the government…"),
        ("Talks resume on Monday.", "Talks resume on Monday."),  # a finished sentence
        ('He said it is "a plan to"', 'He said it is "a plan to"'),  # ends on a quote
        ("The deal they agreed on", "The deal they agreed on"),  # 'on' may end a phrase
        ("and", "and"),  # nothing would be left
    ],
)
def test_cut_dangling(text: str, tidy: str) -> None:
    assert cut_dangling(text) == tidy


def test_actions_and_summaries_are_tidied_and_reported() -> None:
    q = Evidence(quote="Talks resume.", start=0, end=13, sentence=1)
    parts = GroundedParts(
        positions=[Position(actor="EU", stance="support", summary="EU backs the", evidence=[q])],
        next_steps=[NextStep(action="Talks resume with", evidence=[q])],
    )
    tidy_cut_phrases(parts)
    assert parts.positions[0].summary == "EU backs…"
    assert parts.next_steps[0].action == "Talks resume…"
    assert [d.item for d in parts.corrected] == ["next_steps[0].action", "positions[0].summary"]
