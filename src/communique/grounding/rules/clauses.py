"""A stance the cited sentence states for its actor, in the words next to the actor's name.

A small model gives a name its default 'support', or takes a stance from another actor in
the same sentence ("X has said he will vote against it, and only one Republican has
expressed support, Y": both 'oppose'). A few wordings state a stance outright, in any of
the article's languages:

- a backing refused or negated: "will not back it", "refused to endorse", "no la
  respaldarán", "ne le soutiendra pas", "nicht unterstützen" -> 'oppose';
- support expressed: "has expressed support", "ha expresado su apoyo", "a exprimé son
  soutien" -> 'support';
- no position taken yet: "has not defined his position", "undecided", "no ha definido su
  postura", "n'a pas pris position", "hat sich noch nicht festgelegt" -> 'unclear'.

When the cited sentence names the actor and such a wording is the one nearest the name
(another actor's wording may share the sentence), the stance follows it and the summary
becomes those words. A refusal with a condition ("will not back it unless ...") or of one
part of a plan the model calls 'conditional' ("backs capping rents but could not vote for
this law") is left to the model.
"""

from __future__ import annotations

import re

from ...models import Participant, Position
from ...text.folding import fold_name
from ..context import GroundedParts, GroundingContext
from ..evidence import CONDITION_CUES
from .rule import Rule

STANCE_IN_CLAUSE = Rule(
    "positions.stance_in_clause",
    "finish",
    "A cited sentence that states its actor's stance outright, in the wording nearest the "
    "actor's name, decides it: a refused backing ('will not back', 'no la respaldarán') is "
    "'oppose', expressed support ('ha expresado su apoyo') 'support', no position taken "
    "yet ('has not defined his position', 'undecided') 'unclear'.",
)

_BACKING = (
    r"back|support|endorse|approve|vote for|"
    r"respald\w*|apoy\w*|votar\w* a favor|soutien\w*|soutiendr\w*|approuv\w*|"
    r"unterstütz\w*|zustimm\w*"
)
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "oppose",
        re.compile(
            rf"\b(?:(?:will|would|do|does|did|could|can)(?: not|n't)|won't|never|"
            rf"refus\w* to|declin\w* to)(?: \w+)? (?:{_BACKING})\b|"
            rf"\bno (?:(?:lo|la|los|las|le|les) )?(?:{_BACKING})|"
            rf"\bne (?:(?:le|la|les|l') ?)?(?:{_BACKING}) pas\b|"
            rf"\bnicht (?:\w+ )?(?:{_BACKING})|"
            r"\b(?:vot\w*|stimm\w+) (?:against|en contra|contre|dagegen)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "support",
        re.compile(
            r"\b(?:expressed|voiced|declared) (?:(?:his|her|its|their|some) )?support\b|"
            r"\bexpresad[oa] su apoyo\b|\bexprimé (?:son|leur) soutien\b|"
            r"\b(?:sprach|sprachen|spricht|sprechen) sich für\b",
            re.IGNORECASE,
        ),
    ),
    (
        "unclear",
        re.compile(
            r"\b(?:has|have|had) (?:not|yet to) (?:yet )?(?:decided|defined|taken|stated|"
            r"declared|take|state|declare|decide|define)"
            r" (?:(?:a|his|her|its|their) )?(?:position|stance)\b|"
            r"\bundecided\b|\bno ha(?:n)? (?:definido|decidido|fijado) su (?:postura|posición)\b|"
            r"\bindecis[oa]s?\b|\bn'a pas (?:encore )?pris position\b|"
            r"\bnoch nicht festgelegt\b|\bunentschieden\b",
            re.IGNORECASE,
        ),
    ),
)


def stances_in_clauses(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Give each position the stance its cited sentence states next to its actor."""
    if not parts.on(STANCE_IN_CLAUSE):
        return
    people = {fold_name(p.name): p for p in parts.participants}
    out: list[Position] = []
    for pos in parts.positions:
        found = _stated(pos, people.get(fold_name(pos.actor)))
        if found and found[0] != pos.stance:
            label, words = found
            reason = (
                f"its cited sentence says '{words}' next to the name: '{pos.stance}' -> '{label}'"
            )
            summary = f"{pos.actor}: {words}"
            pos = parts.correct(
                STANCE_IN_CLAUSE, "stance", reason, pos, stance=label, summary=summary
            )
        out.append(pos)
    parts.positions = out


def _stated(pos: Position, actor: Participant | None) -> tuple[str, str] | None:
    """The stance and the words the nearest outright wording to the actor's name states in
    a cited sentence; None when no cited sentence has one."""
    forms = actor_forms(pos.actor, actor)
    for evidence in pos.evidence:
        sentence = evidence.quote
        names = [
            m.start() for f in forms for m in re.finditer(rf"(?<!\w){re.escape(f)}(?!\w)", sentence)
        ]
        if not names:
            continue
        cues = [(label, m) for label, cue in _CUES for m in cue.finditer(sentence)]
        if not cues:
            continue
        label, m = min(cues, key=lambda c: min(abs(c[1].start() - n) for n in names))
        clause = _clause(sentence, m.start(), m.end())
        # a refusal with a condition, or of one part of a plan the actor backs in part
        if label == "oppose" and (
            pos.stance == "conditional" or any(c.search(clause) for c in CONDITION_CUES)
        ):
            continue
        return label, clause
    return None


def actor_forms(name: str, actor: Participant | None) -> list[str]:
    forms = {name, *(actor.aliases if actor else ())}
    if actor and actor.kind == "person" and len(last := actor.name.split()[-1]) > 3:
        forms.add(last)
    return sorted(forms, key=len, reverse=True)


def _clause(sentence: str, start: int, end: int) -> str:
    """The words of `sentence` between the commas (or semicolons) around [start, end)."""
    left = max(sentence.rfind(",", 0, start), sentence.rfind(";", 0, start)) + 1
    right = min(
        (i for i in (sentence.find(",", end), sentence.find(";", end)) if i >= 0),
        default=len(sentence),
    )
    words = sentence[left:right].strip(" .\"“”'")
    return _LEADING_LINK.sub("", words)


# a clause's first word that only links it to the one before: "and", "pero", "mais"
_LEADING_LINK = re.compile(
    r"^(?:and|but|while|y|e|pero|mientras|et|mais|und|aber)\s+", re.IGNORECASE
)
