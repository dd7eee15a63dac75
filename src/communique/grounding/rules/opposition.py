"""A shadow minister speaks for the opposition.

In a Westminster-style parliament (UK, Australia, Canada, New Zealand) the opposition's
spokespeople are the "shadow" ministers, and what a government plan gets from them is
criticism ("they have left out everything that matters", "we would achieve more by
working with the industry": an alternative, so 'oppose' for a careful reader). A small
model reads the polite wording as its default 'support'. When the article introduces a
person as a shadow minister, secretary, chancellor or spokesperson and the position says
'support' without a word of backing ("welcomed", "backs", "supports", "praised",
"endorsed") in its summary or cited sentences, the stance becomes 'oppose'.

An opposition's own proposal would make its shadow ministers its proposers: the words of
backing are then what keeps their 'support'.
"""

from __future__ import annotations

import re

from ...models import Participant, Position
from ..context import GroundedParts, GroundingContext
from ..participants import job_beside_name, turn_introduced
from .rule import Rule

SHADOW_MINISTER = Rule(
    "positions.shadow_minister",
    "finish",
    "A person the article introduces as a shadow minister, secretary, chancellor or "
    "spokesperson (the opposition's) whose position says 'support' with no word of backing "
    "('welcomed', 'backs', 'praised') in its summary or cited sentences opposes: 'support' "
    "becomes 'oppose'.",
)

_JOB = r"shadow (?:[\w'-]+ ){0,3}(?:secretary|minister|chancellor|spokes(?:man|woman|person))"
_BACKING = re.compile(
    r"\b(?:welcom\w*|back(?:s|ed|ing)?|support(?:s|ed|ing)?|prais\w*|endors\w*|applaud\w*|"
    r"hail\w*)\b",
    re.IGNORECASE,
)


def shadow_ministers_oppose(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Turn the unbacked 'support' of the persons introduced as shadow ministers to 'oppose'."""
    if parts.on(SHADOW_MINISTER):
        shadow = "a shadow minister"
        turn_introduced(parts, ctx, SHADOW_MINISTER, _shadow, _unbacked, "oppose", shadow)


def _unbacked(pos: Position) -> bool:
    """A 'support' with no word of backing in its summary or cited sentences."""
    return pos.stance == "support" and not _backs(pos)


def _shadow(person: Participant, text: str) -> bool:
    forms = (person.name, *person.aliases)
    return any(job_beside_name(form, _JOB, text) for form in forms if len(form) > 3)


def _backs(pos: Position) -> bool:
    words = " ".join([pos.summary, *(e.quote for e in pos.evidence)])
    return _BACKING.search(words) is not None
