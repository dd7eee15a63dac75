"""A position cited to the wrong sentence, when the article has the actor's own.

A small model often gives an organisation the right stance but cites a sentence about
someone else ("the Lib Dems said the plans were built on sand" is sentence 45; the model
cites 44). `positions.actor_not_named` then drops the position. When the article has
sentences where the actor itself speaks or acts, written as the subject right before the
verb (`speakers.acts_as_subject`: "the Lib Dems said", "La FNTR a dénoncé", "China
opposes"), the position cites the one
most like its summary instead (the first, for a position without a summary) and stays.

Positions whose evidence counts up from one actor to the next (`positions.counted_up`)
are numbers given, not chosen: they are left to that rule.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from ...models import Participant, Position
from ...text.folding import evidence_from_sentences
from ..context import GroundedParts, GroundingContext
from .attribution import counted_up, needs_naming
from .rule import Rule
from .speakers import acts_as_subject

ACTOR_SENTENCE = Rule(
    "positions.actor_sentence",
    "finish",
    "A position of a country, organization or group (or one without a summary) whose cited "
    "sentences do not name its actor cites instead the article's sentence where the actor "
    "speaks or acts ('the Lib Dems said', 'La FNTR a dénoncé') most like its summary, "
    "rather than being dropped by positions.actor_not_named.",
)


def cite_actor_sentences(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Re-cite each position that needs a sentence naming its actor to one where it speaks."""
    if not parts.on(ACTOR_SENTENCE) or counted_up(parts.positions):
        return
    people = {p.name: p for p in parts.participants}
    out: list[Position] = []
    for pos in parts.positions:
        who = people.get(pos.actor)
        if needs_naming(pos, who, ctx) and (best := _own_sentence(pos, who, ctx)):
            evidence, _ = evidence_from_sentences([best], ctx.sentences)
            was = [e.sentence for e in pos.evidence]
            reason = f"cited {was}, not naming '{pos.actor}'; sentence {best} has it speak or act"
            pos = parts.correct(ACTOR_SENTENCE, "evidence", reason, pos, evidence=evidence)
        out.append(pos)
    parts.positions = out


def _own_sentence(pos: Position, who: Participant | None, ctx: GroundingContext) -> int | None:
    """The number of the sentence most like the summary among those where the actor acts
    as the subject (the first on a tie); None when there is none."""
    forms = [pos.actor, *(who.aliases if who else ())]
    own = [
        n
        for n, sentence in enumerate(ctx.sentences, 1)
        if n not in ctx.injections and acts_as_subject(forms, sentence)
    ]
    like = [fuzz.token_set_ratio(pos.summary, ctx.sentences[n - 1].text) for n in own]
    return own[like.index(max(like))] if own else None
