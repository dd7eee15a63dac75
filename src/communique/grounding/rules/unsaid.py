"""A position with no words of its own: its stance is checked against the sentence it cites.

When the model gives an actor a stance but no summary (or one that only names the actor,
`positions.summary_says_nothing`), the summary reads '<actor>: <stance>' and
`positions.stance_from_summary` has nothing to check: the stance is the model's default,
mostly 'support'. The sentence the position cites is then the only words there are: when
it says 'only if', 'rejects', 'warned', 'mediates' ... (the same cues), the stance follows
it. When it states no stance but quotes the person as its speaker ('"It gives the process
room," said Jan Berg'), the person comments: the position reads what the sentence says
they said, and the model's default 'support' becomes 'neutral', as for a quoted speaker
the follow-up answer places nowhere (`followup.speaker_own_words`).
"""

from __future__ import annotations

import re

from ...models import Participant, Position
from ..context import GroundedParts, GroundingContext
from ..evidence import stance_cue
from .rule import Rule
from .speakers import in_own_words, statement

STANCE_FROM_EVIDENCE = Rule(
    "positions.stance_from_evidence",
    "finish",
    "A position whose summary has no words of its own ('<actor>: <stance>', the model gave "
    "none) takes the stance its cited sentence states by positions.stance_from_summary's "
    "cues ('only if' -> conditional, 'warned', 'rejects' -> oppose, ...).",
)

SPEAKER_COMMENTS = Rule(
    "positions.speaker_comments",
    "finish",
    "A person's 'support' position whose summary has no words of its own and whose cited "
    'sentence quotes the person as its speaker (\'"It gives the process room," said Jan '
    "Berg') with no stance cue and no word of backing ('supports', 'welcomed', 'good') "
    "becomes 'neutral': the person comments; the summary is what the sentence says they said.",
)

_NO_WORDS = re.compile(r"[^:\"]+: [a-z]+")  # "Jan Berg: support"
# Words that back a plan: with them the quoted words state the model's 'support'
_BACKING = re.compile(
    r"\b(?:support\w*|back\w*|favou?r\w*|welcom\w*|prais\w*|endors\w*|approv\w*|hail\w*|"
    r"applaud\w*|good|great|right|soutien\w*|soutient|favorable|salu\w*|apoy\w*|respald\w*|"
    r"a favor|bueno|begrüß\w*|unterstütz\w*|befürwort\w*|gut)\b",
    re.IGNORECASE,
)


def stances_from_evidence(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Check the stance of each position without words against its cited sentences."""
    people = {p.name: p for p in parts.participants if p.kind == "person"}
    out: list[Position] = []
    for pos in parts.positions:
        if _NO_WORDS.fullmatch(pos.summary):
            pos = _from_evidence(pos, parts) or _comment(pos, people.get(pos.actor), parts, ctx)
        out.append(pos)
    parts.positions = out


def _from_evidence(pos: Position, parts: GroundedParts) -> Position | None:
    """STANCE_FROM_EVIDENCE: the stance the cited sentences state against the model's."""
    cited = " ".join(e.quote for e in pos.evidence)
    if not parts.on(STANCE_FROM_EVIDENCE) or not (turn := stance_cue(pos.stance, cited)):
        return None
    label, said = turn
    reason = f"no summary; its cited sentence says '{said}': '{pos.stance}' -> '{label}'"
    summary = f"{pos.actor}: {label}"  # the form's stance follows the stance
    return parts.correct(STANCE_FROM_EVIDENCE, "stance", reason, pos, stance=label, summary=summary)


def _comment(
    pos: Position, person: Participant | None, parts: GroundedParts, ctx: GroundingContext
) -> Position:
    """SPEAKER_COMMENTS: a quoted person's 'support' without words of backing is a comment."""
    if not parts.on(SPEAKER_COMMENTS) or pos.stance != "support":
        return pos
    said = _quoted_saying(person, pos, ctx)
    if not said or _BACKING.search(said):
        return pos
    reason = f"no summary; '{pos.actor}' is quoted with no stance stated: 'support' -> 'neutral'"
    summary = in_own_words(pos.actor, said)
    return parts.correct(SPEAKER_COMMENTS, "stance", reason, pos, stance="neutral", summary=summary)


def _quoted_saying(person: Participant | None, pos: Position, ctx: GroundingContext) -> str | None:
    """What the first cited sentence that quotes `person` as its speaker says they said."""
    if person is None:
        return None
    numbers = {e.sentence for e in pos.evidence}
    for sentence in (s for s in ctx.sentences if s.number in numbers):
        for form in (person.name, *person.aliases):
            if said := statement(form, sentence):
                return said
    return None
