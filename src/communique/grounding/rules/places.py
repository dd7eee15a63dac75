"""A place is where things happen, not who acts.

The main call may list a city or a country the article only writes as a place ("dozens
of ministers flying in to Velsk") and give it a stance. `actors.only_a_place`
keeps a name the model gave a stance, since a city or a country can act ("Paris voted
..."); when the finished answer keeps no position and no next step for it, nothing is
left that it does, and the article still only writes it as a place.
"""

from __future__ import annotations

import re

from ...ingest.sentences import Sentence
from ...models import Participant, Position
from ...text.folding import fold_name
from ..context import GroundedParts, GroundingContext
from .cues import only_a_place
from .rule import Rule

PLACE_WITHOUT_POSITION = Rule(
    "participants.place_without_position",
    "finish",
    "A participant with no position and no next step left that the article only writes "
    "after 'in', 'at', 'to', 'from' ('talks in Geneva') is a place, not an actor: dropped "
    "(`actors.only_a_place` drops such a name at once only when the model gave it no "
    "stance).",
)


ACTOR_AS_PLACE = Rule(
    "positions.actor_as_place",
    "finish",
    "A position whose cited sentences write its actor only as a place ('ships sailing to and "
    "from Ostmark', 'envoys posted in Velsk, Dorne and Ostmark') says nothing the actor "
    "said or did: dropped.",
)


def drop_places(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Drop the positions whose evidence only writes their actor as a place, then the
    participants that do nothing in the finished answer and are only written as places."""
    if parts.on(ACTOR_AS_PLACE):
        parts.positions = parts.without(parts.positions, lambda q: _as_place(q, parts))
    if not parts.on(PLACE_WITHOUT_POSITION):
        return
    acting = parts.acting()

    def why(p: Participant) -> tuple[Rule, str] | None:
        forms = (p.name, *p.aliases)
        if p.kind == "person" or any(fold_name(f) in acting for f in forms):
            return None
        if not all(only_a_place(f, ctx.sentences, lists=True) for f in forms):
            return None
        reason = f"'{p.name}' has no position or step left and is only written as a place"
        return PLACE_WITHOUT_POSITION, reason

    parts.participants = parts.without(parts.participants, why)


def _as_place(position: Position, parts: GroundedParts) -> tuple[Rule, str] | None:
    """ACTOR_AS_PLACE and why, when every cited sentence that writes the actor's name
    (or an alias) writes it as a place."""
    listed = [p for p in parts.participants if fold_name(p.name) == fold_name(position.actor)]
    forms = [position.actor, *(listed[0].aliases if listed else [])]
    cited = [Sentence(e.sentence or 0, e.start, e.end, e.quote) for e in position.evidence]
    named = [f for f in forms if any(re.search(rf"\b{re.escape(f)}\b", s.text) for s in cited)]
    if not named or not all(only_a_place(f, cited, lists=True) for f in named):
        return None
    return ACTOR_AS_PLACE, f"its evidence writes '{named[0]}' only as a place"
