"""Bare-word next steps are dropped and reported (steps.py)."""

from __future__ import annotations

from communique.extraction import GroundedParts
from communique.models import Evidence, NextStep
from communique.steps import drop_bare_steps

QUOTE = Evidence(quote="Talks resume.", start=0, end=13, sentence=1)


def step(action: str) -> NextStep:
    return NextStep(action=action, actor=None, when=None, when_iso=None, evidence=[QUOTE])


def test_a_bare_word_is_no_step() -> None:
    parts = GroundedParts(next_steps=[step("meetings"), step("Talks resume"), step("votes.")])
    drop_bare_steps(parts)
    assert [s.action for s in parts.next_steps] == ["Talks resume"]
    assert [d.item for d in parts.corrected] == ["next_steps[0]", "next_steps[2]"]
    assert "'meetings' is a bare word" in parts.corrected[0].reason
