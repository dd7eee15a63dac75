"""One statement, one speaker: a position summary copied onto several actors stays only
with the actors the article ties to it.

A small model sometimes gives several actors the same summary ("England", "Public
Health" and the "British Medical Association" all 'support', each with the White Paper's
own sentence). When two or more positions share one summary, each keeps it only if the
summary or a sentence it cites (or the sentence just before, for "he said") names its
actor by one of the participant's forms: its name, an alias, a person's surname, an
acronym. The others are dropped and reported in `meta.dropped`.

A summary that only names its actor ("EU Trade Commissioner Maros Sefcovic") says nothing:
it is replaced by "<actor>: <stance>", as when the model gives no summary.
"""

from __future__ import annotations

import re
from collections import Counter

from .extraction import GroundedParts, GroundingContext
from .grounding import fold_name, initials
from .models import Dropped, Participant, Position


def drop_copied_positions(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Drop (and report) the copies of one summary whose actor it is not."""
    shared = Counter(fold_name(p.summary) for p in parts.positions)
    people = {p.name: p for p in parts.participants}

    def why(pos: Position) -> str | None:
        if shared[fold_name(pos.summary)] < 2 or _named(pos, people.get(pos.actor), ctx):
            return None
        return (
            f"'{pos.actor}' shares its summary with another actor, and neither the summary "
            "nor the cited sentence names it"
        )

    parts.positions = parts.without(parts.positions, "positions", why)


_WORD = re.compile(r"[^\W\d_][\w'’]*")  # "France's" is one word
_NAME_LINKS = frozenset("of the and for de du des la le el del".split())


def blank_unsaid_summaries(parts: GroundedParts) -> None:
    """A position summary that is only a name and a title ("EU Trade Commissioner Maros
    Sefcovic": every word capitalised, nothing said) is replaced by "<actor>: <stance>",
    the form used when the model gives no summary, and reported. The stance and its
    evidence stand."""
    out = []
    for i, pos in enumerate(parts.positions):
        words = _WORD.findall(pos.summary)
        if not any(w[0].islower() and w not in _NAME_LINKS for w in words):
            reason = f"the summary '{pos.summary}' only names '{pos.actor}'; replaced"
            parts.corrected.append(Dropped(item=f"positions[{i}].summary", reason=reason))
            pos = pos.model_copy(update={"summary": f"{pos.actor}: {pos.stance}"})
        out.append(pos)
    parts.positions = out


def _forms(actor: str, participant: Participant | None) -> set[str]:
    names = [actor, *(participant.aliases if participant else [])]
    forms = set(names)
    for name in names:
        words = name.split()
        if participant is not None and participant.kind == "person" and len(words) > 1:
            forms.add(words[-1])
        if len(words) > 1 and len(letters := initials(name)) > 1:
            forms.add(letters)
    return {f" {f} " for f in map(lambda x: fold_name(x).strip(), forms) if f}


def _named(pos: Position, participant: Participant | None, ctx: GroundingContext) -> bool:
    cited = {e.sentence for e in pos.evidence if e.sentence is not None}
    window = {n - k for n in cited for k in (0, 1) if 0 < n - k <= len(ctx.sentences)}
    texts = [fold_name(pos.summary), *(ctx.folded_sentences[n - 1] for n in window)]
    return any(form in text for form in _forms(pos.actor, participant) for text in texts)
