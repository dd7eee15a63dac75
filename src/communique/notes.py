"""What the code did to the model's answer, counted by kind: dropped, corrected, added.

`meta.dropped` lists every item not kept as the model gave it. Many are corrections (a
citation moved to the sentence that states it, a date taken from the article) or
additions (a participant named many times); the CLI reports the counts by kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal

Kind = Literal["dropped", "corrected", "added"]
KINDS: tuple[Kind, ...] = ("dropped", "corrected", "added")
# 'positions[0].summary', 'actors[2].name', 'followup.names.a1.stance': a field corrected
_FIELD = re.compile(r"(\]|\.[a-z]\d+)\.\w+$")
_TEXT_FIELDS = frozenset({"headline", "gist", "proposal.statement"})


def note_kind(note: Any) -> Kind:
    """The kind of one `meta.dropped` note: its `action` field when the note has one,
    else read from its item and reason (a field of a kept item = corrected)."""
    action = getattr(note, "action", None)
    if action in KINDS:
        return action  # type: ignore[no-any-return]
    reason: str = note.reason
    if reason.startswith(("added ", "kept although")):
        return "added"
    item: str = note.item.split(": ")[-1]  # 'chunk 2: positions[0]' in a merged summary
    if item in _TEXT_FIELDS or _FIELD.search(item):
        return "corrected"
    return "dropped"


def count_kinds(notes: Iterable[Any]) -> dict[Kind, int]:
    counts: dict[Kind, int] = dict.fromkeys(KINDS, 0)
    for note in notes:
        counts[note_kind(note)] += 1
    return counts


def describe_counts(notes: Iterable[Any]) -> str:
    """'3 dropped, 8 corrected, 2 added' (kinds with no note left out)."""
    counts = count_kinds(notes)
    return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
