"""A name mentioned in passing is no participant.

The main call lists names the article only mentions ("a brand sold in Osland Stores",
"the treaty with Ostmark", a name in a list of guests). The labelling guide
keeps actors who take a stance, have a part in a next step or take an active part, not
names only mentioned. When the finished answer keeps no position and no next step for a
participant, and no sentence of the article writes its name next to a verb of saying,
acting or taking part (`cues.TAKES_PART`: "said", "rejected", "will", "is expected to",
"drafted", "a déclaré", "anunció", "sagte" ...) other than after "of", "in", "at" or
"from" ("members of the Osland alliance would", "the deployment of the Skyguard system
... because", "said Ana Ruiz, an analyst at Osland Bank") and none has it as the subject
of an English verb in the past ("the ministry received"), nothing in the article has it
do anything. Kept: the employer another participant is
listed with (its director speaks for it), and every name of an article with no proposal
(a match report: its players act in ways no stance records).
"""

from __future__ import annotations

from ...models import Participant
from ...text.folding import fold_name
from ..context import GroundedParts, GroundingContext
from .cues import TAKES_PART, speaking_sentences
from .rule import Rule
from .speakers import did_as_subject, only_after_of_or_in

PASSING_MENTION = Rule(
    "participants.passing_mention",
    "finish",
    "A participant with no position and no next step left whose name (an alias, a "
    "person's surname) is in no sentence with a verb of saying, acting or taking part "
    "('said', 'rejected', 'will', 'is expected to', 'a déclaré', 'sagte' ...) other "
    "than after 'of', 'in', 'at' or 'from' ('members of the X alliance would'), is the "
    "subject of no English verb in the past ('the ministry received') and is no other "
    "participant's affiliation is only mentioned in passing: dropped (not in an article "
    "with no proposal).",
)


def drop_passing_mentions(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Drop the participants that do nothing in the finished answer or in the article."""
    if not parts.on(PASSING_MENTION) or parts.proposal is None:
        return  # with no proposal at stake, no answer gives anyone a part to judge by
    acting = parts.acting()
    employers = parts.employers()

    def why(p: Participant) -> tuple[Rule, str] | None:
        forms = _forms(p)
        if any(fold_name(f) in acting or fold_name(f) in employers for f in forms):
            return None
        said = speaking_sentences(forms, ctx.sentences, len(ctx.sentences), TAKES_PART)
        if any(not only_after_of_or_in(forms, s.text) for s in said):
            return None
        if any(did_as_subject(forms, s) for s in ctx.sentences):
            return None
        reason = (
            f"'{p.name}' has no position or step left; no sentence has it say or do "
            "anything (other than after 'of' or 'in')"
        )
        return PASSING_MENTION, reason

    parts.participants = parts.without(parts.participants, why)


def _forms(p: Participant) -> list[str]:
    """The participant's name, its aliases and, for a person, the surname."""
    forms = [p.name, *p.aliases]
    words = p.name.split()
    if p.kind == "person" and len(words) > 1:
        forms.append(words[-1])
    return forms
