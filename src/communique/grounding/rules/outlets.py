"""News outlets and their journalists are the story's sources, not actors in it.

A small model lists the newspaper a quote comes from ("according to Le Journal and La
Gazette, the president said ...") or the broadcaster's editor who comments ("The Courier's
political editor Ann Lark said") as participants, often with a stance. The article itself
says what they are, in wording, not in a list of names:
- an organization is an outlet when the article writes it next to a word of the press
  ("the Gazette newspaper", "Courier Television", "the Courier's political editor"), or
  as a source of reporting at least twice ("according to X", "X reported", "X cited",
  "told X", "X said in a report" do not count: officials are quoted that way too, so
  the verbs are press-only: reported, cited, quoted, published, revealed); "according
  to X and Y" cites both, and a paper is also cited by its name's head ("La Dépêche
  reported" for "La Dépêche du Midi");
- a person is a journalist when a press job comes right before or after the name ("the
  Courier's political editor Ann Lark", "Ann Lark, a reporter for ...").
Such a participant is dropped with its positions unless it is a next step's actor. The
rule runs after the position rules, so that a summary telling what a paper reported, given
as another actor's position, is still seen as the paper's (positions.other_subject).
"""

from __future__ import annotations

import re

from ...models import Participant
from ..context import GroundedParts, GroundingContext
from ..participants import job_beside_name, plain
from .rule import Rule

NEWS_OUTLET = Rule(
    "participants.news_outlet",
    "finish",
    "A newspaper or broadcaster the article cites as a source ('according to X', 'X "
    "reported', 'the X newspaper') and a journalist it names by a press job ('political "
    "editor Ann Lark') are the story's sources, not actors: dropped with their positions, "
    "unless a next step names them.",
)

_PRESS_NOUN = (
    r"newspapers?|daily|weekly|magazine|tabloid|broadsheet|broadcaster|television|tv|"
    r"radio|news agency|journal|quotidien|hebdomadaire|journal|periódico|diario|"
    r"emisora|cadena|zeitung"
)
_JOB = (
    r"editor|correspondent|reporter|journalist|columnist|commentator|presenter|anchor|"
    r"journaliste|rédacteur|chroniqueur|periodista|corresponsal|redactor|reporter(?:in)?"
)
_SOURCE_AFTER = (
    r"reported|cited|quoted|published|revealed|rapporte|cite|publie|informó|publicó|reveló|"
    r"berichtete|zitierte"
)
_SOURCE_BEFORE = r"according to|selon|d'après|según|de acuerdo con"
# A name of two words or more before an "of ...": "la dépêche" of "la dépêche du midi"
_HEAD = re.compile(r"^(\S+\s+\S+.*?)\s+(?:of|du|de|des|del|della)\s")


def _cues(name: str, text: str) -> tuple[bool, int]:
    """(the article writes the name next to a word of the press, how many times it writes
    the name as a source of reporting)."""
    n = re.escape(plain(name).strip())
    if not n:
        return False, 0
    press = re.search(
        rf"(?<!\w){n}(?:'s)? (?:{_PRESS_NOUN})\b|\b(?:{_PRESS_NOUN}) {n}(?!\w)"
        rf"|(?<!\w){n}(?:'s)? (?:\w+ ){{0,2}}(?:{_JOB})s?\b",
        text,
    )
    # the name, or its head without a trailing "of ..." ("La Dépêche" for "La Dépêche du
    # Midi"): a paper is cited by the short form as well
    head = _HEAD.match(plain(name).strip())
    cited = rf"(?:{n}|{re.escape(head.group(1))})" if head else n
    sources = len(re.findall(rf"(?<!\w){cited}(?:\s\w+){{0,3}} (?:{_SOURCE_AFTER})\b", text))
    # "according to X and Y": both are sources
    before = rf"\b(?:{_SOURCE_BEFORE}) (?:[^,.;]{{1,60}} (?:and|et|y|und) )?(?:the )?"
    sources += len(re.findall(rf"{before}{n}(?!\w)", text))
    return press is not None, sources


def _journalist(name: str, text: str) -> bool:
    if " " not in plain(name):
        return False  # a full name only: one word is too often another person's too
    return job_beside_name(name, _JOB, text)


def is_source(p: Participant, text: str) -> str | None:
    """Why this participant is a news outlet or a journalist, or None."""
    forms = [p.name, *p.aliases]
    if p.kind == "person":
        if any(_journalist(f, text) for f in forms):
            return "a journalist (the article names a press job with the name)"
        return None
    cues = [_cues(f, text) for f in forms]
    if any(press for press, _ in cues):
        return "a news outlet (the article writes it with a word of the press)"
    if sum(n for _, n in cues) >= 2:
        return "a news outlet (the article cites it as a source of reporting)"
    return None


def drop_news_outlets(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Drop (and report) outlets and journalists, with their positions, unless a next
    step names them."""
    if not parts.on(NEWS_OUTLET):
        return
    stepping = {s.actor for s in parts.next_steps}
    sources: dict[str, str] = {}
    for p in parts.participants:
        if p.name not in stepping and (why := is_source(p, plain(ctx.article.text))):
            sources[p.name] = why
    if not sources:
        return

    def participant(p: Participant) -> tuple[Rule, str] | None:
        if p.name in sources:
            return NEWS_OUTLET, f"'{p.name}' is {sources[p.name]}: a source, not an actor"
        return None

    parts.participants = parts.without(parts.participants, participant)
    parts.positions = parts.without(
        parts.positions,
        lambda q: (
            (NEWS_OUTLET, f"'{q.actor}' is a source, not an actor") if q.actor in sources else None
        ),
    )
