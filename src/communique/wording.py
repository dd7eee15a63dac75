"""The model's own words, tidied where it stopped mid-phrase.

Asked for "at most 12 words", a small model copies a sentence's first twelve words and
stops: "Trump expressed impatience with the pace of the talks, so". A next step's action
or a position's summary that ends on a word that cannot end a phrase loses those words
and the punctuation before them, and ends with "…" to show it was cut; the change is
reported in `meta.dropped`.
"""

from __future__ import annotations

from .extraction import GroundedParts
from .models import Dropped

_DANGLING = frozenset(
    """a an the and or but so nor yet of to with from by for as than that which who whose
    whom while if because although though when where its their his her our your my these
    those""".split()
)
_ENDED = (".", "!", "?", '"', "”", "'", "’", "»", ")")


def cut_dangling(text: str) -> str:
    """`text` without the words that leave it hanging ('..., so' -> '…'), else as is."""
    if text.rstrip().endswith(_ENDED):
        return text
    words = text.rstrip().split()
    cut = len(words)
    while cut > 1 and words[cut - 1].strip(",;:-–—(").casefold() in _DANGLING:
        cut -= 1
    if cut == len(words) or cut <= 1:
        return text
    return " ".join(words[:cut]).rstrip(",;:-–—( ") + "…"


def tidy_cut_phrases(parts: GroundedParts) -> None:
    """Cut dangling endings off next-step actions and position summaries, in place."""
    steps = []
    for i, step in enumerate(parts.next_steps):
        if (action := cut_dangling(step.action)) != step.action:
            parts.corrected.append(
                Dropped(item=f"next_steps[{i}].action", reason=_reason(step.action))
            )
            step = step.model_copy(update={"action": action})
        steps.append(step)
    parts.next_steps = steps
    positions = []
    for i, pos in enumerate(parts.positions):
        if (summary := cut_dangling(pos.summary)) != pos.summary:
            parts.corrected.append(
                Dropped(item=f"positions[{i}].summary", reason=_reason(pos.summary))
            )
            pos = pos.model_copy(update={"summary": summary})
        positions.append(pos)
    parts.positions = positions


def _reason(text: str) -> str:
    return f"'{text}' stops mid-phrase; its dangling last words are cut"
