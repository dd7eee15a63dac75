"""The model's own words, tidied where it stopped mid-phrase.

Asked for "at most 12 words", a small model copies a sentence's first twelve words and
stops: "Trump expressed impatience with the pace of the talks, so". A next step's action
or a position's summary that ends on a word that cannot end a phrase loses those words
and the punctuation before them, and ends with "…" to show it was cut; the change is
reported in `meta.dropped`.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from .extraction import GroundedParts
from .models import Dropped

M = TypeVar("M", bound=BaseModel)

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
    parts.next_steps = _tidied(parts.next_steps, "next_steps", "action", parts.corrected)
    parts.positions = _tidied(parts.positions, "positions", "summary", parts.corrected)


def _tidied(items: list[M], where: str, field: str, notes: list[Dropped]) -> list[M]:
    """`items` with the text `field` of each cut where it dangles; each cut reported."""
    out = []
    for i, item in enumerate(items):
        text = getattr(item, field)
        if (tidy := cut_dangling(text)) != text:
            notes.append(Dropped(item=f"{where}[{i}].{field}", reason=_reason(text)))
            item = item.model_copy(update={field: tidy})
        out.append(item)
    return out


def _reason(text: str) -> str:
    return f"'{text}' stops mid-phrase; its dangling last words are cut"
