"""What the code did to the model's answer, counted by kind: dropped, corrected, added.

`meta.dropped` lists every item not kept as the model gave it, each with the rule that
wrote it and its action. Many are corrections (a citation moved to the sentence that
states it, a date taken from the article) or additions (a participant named many times);
the CLI reports the counts by action.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import get_args

from .models import Dropped, NoteAction

KINDS: tuple[NoteAction, ...] = get_args(NoteAction)  # dropped, corrected, added


def count_kinds(notes: Iterable[Dropped]) -> dict[NoteAction, int]:
    counts: dict[NoteAction, int] = dict.fromkeys(KINDS, 0)
    for note in notes:
        counts[note.action] += 1
    return counts


def describe_counts(notes: Iterable[Dropped]) -> str:
    """'3 dropped, 8 corrected, 2 added' (kinds with no note left out)."""
    counts = count_kinds(notes)
    return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
