"""A summary that stops at its verb of saying says nothing of what was said.

A small model writes "X, mentioned in the article, said", "X, economic adviser to Y, added
that the all", or a summary that `text.dangling_end` cuts back to "The Kremlin leader said
it…". When a sentence the position cites quotes its actor as the speaker
(`speakers.statement`: "X said ...", "“...,” said X"), the summary becomes those words,
"X: <words>" (`speakers.in_own_words`); else it stays (the stance and evidence
stand either way). Runs after the wording rules, which make some of these cuts.
"""

from __future__ import annotations

import re

from ...models import Participant, Position
from ..context import GroundedParts, GroundingContext
from .rule import Rule
from .speakers import in_own_words, statement

SAID_NOTHING = Rule(
    "positions.said_nothing",
    "finish",
    "A summary that stops at its verb of saying ('X, mentioned in the article, said', "
    "'X added that the all', 'said it…') is replaced by the words a sentence it cites "
    "quotes its actor saying ('X: <words>').",
)

# Ends at the verb of saying, maybe with a word or two that begin what was said
_STOPS = re.compile(
    r"(?:\bmentioned in the article\b.*|\b(?:said|says|added|told|stated)"
    r"(?:\s+(?:that|it|this|the|all|a|an|he|she|they))*)[\s…]*$",
    re.IGNORECASE,
)


def replace_said_nothing(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Give each summary that stops at its verb of saying the words its actor is quoted
    saying in a cited sentence."""
    if not parts.on(SAID_NOTHING):
        return
    people = {p.name: p for p in parts.participants}
    out: list[Position] = []
    for pos in parts.positions:
        said = _said(pos, people.get(pos.actor), ctx) if _STOPS.search(pos.summary) else None
        summary = in_own_words(pos.actor, said) if said else pos.summary
        if summary != pos.summary:  # not already those words, cut at a "says" of their own
            reason = f"the summary '{pos.summary}' stops at its verb of saying; replaced"
            pos = parts.correct(SAID_NOTHING, "summary", reason, pos, summary=summary)
        out.append(pos)
    parts.positions = out


def _said(pos: Position, participant: Participant | None, ctx: GroundingContext) -> str | None:
    """What a sentence the position cites quotes its actor saying (by its name, an alias
    or a person's surname)."""
    names = [pos.actor, *(participant.aliases if participant else [])]
    if participant is not None and participant.kind == "person":
        names.append(pos.actor.split()[-1])
    cited = sorted({e.sentence for e in pos.evidence if e.sentence is not None})
    for n in (n for n in cited if 0 < n <= len(ctx.sentences)):
        for name in names:
            if said := statement(name, ctx.sentences[n - 1]):
                return said
    return None
