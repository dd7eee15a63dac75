"""A position with no words of its own: its stance is checked against the sentence it cites.

When the model gives an actor a stance but no summary (or one that only names the actor,
`positions.summary_says_nothing`), the summary reads '<actor>: <stance>' and
`positions.stance_from_summary` has nothing to check: the stance is the model's default,
mostly 'support'. The sentence the position cites is then the only words there are: when
it says 'only if', 'rejects', 'warned', 'mediates' ... (the same cues), the stance follows
it.
"""

from __future__ import annotations

import re

from ...models import Position
from ..context import GroundedParts, GroundingContext
from ..evidence import stance_cue
from .rule import Rule

STANCE_FROM_EVIDENCE = Rule(
    "positions.stance_from_evidence",
    "finish",
    "A position whose summary has no words of its own ('<actor>: <stance>', the model gave "
    "none) takes the stance its cited sentence states by positions.stance_from_summary's "
    "cues ('only if' -> conditional, 'warned', 'rejects' -> oppose, ...).",
)

_NO_WORDS = re.compile(r"[^:\"]+: [a-z]+")  # "Jan Berg: support"


def stances_from_evidence(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Check the stance of each position without words against its cited sentences."""
    if not parts.on(STANCE_FROM_EVIDENCE):
        return
    out: list[Position] = []
    for pos in parts.positions:
        cited = " ".join(e.quote for e in pos.evidence)
        if _NO_WORDS.fullmatch(pos.summary) and (turn := stance_cue(pos.stance, cited)):
            label, said = turn
            reason = f"no summary; its cited sentence says '{said}': '{pos.stance}' -> '{label}'"
            summary = f"{pos.actor}: {label}"  # the form's stance follows the stance
            pos = parts.correct(
                STANCE_FROM_EVIDENCE, "stance", reason, pos, stance=label, summary=summary
            )
        out.append(pos)
    parts.positions = out
