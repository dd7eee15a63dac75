"""Analysts comment on a proposal; they are not a side in it.

An analyst, economist or strategist the article quotes ("said Osland Bank's analyst Jan
Berg", "Jan Berg, chief economist at Osland Bank, said") judges whether a plan will work;
a careful reader gives them no side even when they doubt it (the labelling guide's
'neutral': "comments without taking a side (analysts who doubt it)"). A small model gives
them its default 'support', or 'conditional' for a doubt. The article says what they are,
in the words right before or after the name; then 'support', 'conditional' and 'unclear'
become 'neutral' ('oppose' stands: the analyst who calls the plan wrong).
"""

from __future__ import annotations

from ...models import Participant, Position
from ..context import GroundedParts, GroundingContext
from ..participants import job_beside_name, turn_introduced
from .rule import Rule

ANALYST_NEUTRAL = Rule(
    "positions.analyst_neutral",
    "finish",
    "A person the article introduces as an analyst, economist or strategist ('said Osland "
    "Bank's analyst Jan Berg', 'Jan Berg, chief economist at ...') comments without taking "
    "a side: a 'support', 'conditional' or 'unclear' stance becomes 'neutral'.",
)

_JOB = (
    r"analyst|economist|strategist|analyste|économiste|analista|economista|"
    r"analystin|ökonom(?:in)?|volkswirt(?:in)?|marktbeobachter(?:in)?"
)
_TURNED = frozenset({"support", "conditional", "unclear"})


def analyst(name: str, text: str) -> bool:
    """Does the article (`text`, as `participants.plain` gives it) introduce the person
    `name` as an analyst, economist or strategist: the job written just before the name
    or in the apposition after it?"""
    return job_beside_name(name, _JOB, text)


def neutral_analysts(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Turn the positions of the persons the article introduces as analysts to 'neutral'."""
    if parts.on(ANALYST_NEUTRAL):
        turn_introduced(parts, ctx, ANALYST_NEUTRAL, _introduced, _turned, "neutral", "an analyst")


def _turned(pos: Position) -> bool:
    return pos.stance in _TURNED


def _introduced(person: Participant, text: str) -> bool:
    return any(analyst(form, text) for form in (person.name, *person.aliases) if len(form) > 3)
