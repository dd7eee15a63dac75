"""Participants' roles, checked against the article and filled from it.

- A model's role is dropped (and reported) when it is a copy the article does not back:
  the prompt's own example, or one role given to several participants with a word the
  article never writes. Other roles stand (the model may translate or paraphrase them).
- A person left without a role gets the one the article writes just before the name:
  "EU Trade Commissioner Maros Sefcovic", "Liberal Democrat health spokesman Paul
  Burstow", "Ukraine's President Volodymyr Zelensky". The words are copied (grounded by
  construction): capitalised words and title words, a lowercase word only just before
  another role word ("health spokesman", "chamber chief executive"), the last one a title
  word ("Forest director"). An honorific alone ("Dr.", "Mr") is no role.
"""

from __future__ import annotations

import re
from collections import Counter

from ...models import Participant
from ...text.folding import fold_name
from ...text.lexicon import HONORIFICS, ROLE_WORDS
from ..context import GroundedParts, GroundingContext
from .rule import Rule

_NOT_IN_ROLE = frozenset(
    "the a an and or but of in on at by to for with from as said says told this that".split()
)
_MAX_WORDS = 6
_LOOK_BACK = 200  # characters before a mention: more than six words of a role
PROMPT_EXAMPLE_ROLE = "French President"  # summarize.system.j2 gives it as an example
_WORD_BEFORE = re.compile(r"([\w.'’\-]+) $")

UNBACKED_ROLE = Rule(
    "roles.unbacked_copy",
    "finish",
    "A model's role with a word the article never writes that is the prompt's own example "
    "('French President') or is given to several participants is dropped (set to null).",
)
STATED_ROLE = Rule(
    "roles.stated_before_name",
    "finish",
    "A person without a role gets the one the article writes just before the name ('EU "
    "Trade Commissioner Maros Sefcovic'), copied word for word; writes no note.",
)


def ground_roles(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Roles the article supports, in place. A model's role is dropped (and reported) when
    it is a copy the article does not back: the prompt's own example ("French President"
    for Saudi Arabia), or one role given to several participants with a word the article
    never writes ("hosting the signing ceremony" for two countries and a person). A person
    then without a role gets the one the article states. Other roles stand: the model may
    translate or paraphrase them ("hoteliers' association")."""
    text = ctx.article.text
    given = Counter(fold_name(p.role) for p in parts.participants if p.role)
    out = []
    for p in parts.participants:
        if parts.on(UNBACKED_ROLE) and p.role and not _written(p.role, ctx.folded_text):
            key = fold_name(p.role)
            if key == fold_name(PROMPT_EXAMPLE_ROLE) or given[key] > 1:
                reason = f"the role '{p.role}' of '{p.name}' is a copy the article does not back"
                p = parts.correct(UNBACKED_ROLE, "role", reason, p, role=None)
        if p.kind == "person" and not p.role and parts.on(STATED_ROLE):
            role = stated_role(p, text)
            p = parts.copy(p, role=role) if role else p
        out.append(p)
    parts.participants = out


def _written(role: str, folded_text: str) -> bool:
    """Every word of the role (but 'of', 'the'...) is written in the article."""
    words = [w for w in fold_name(role).split() if w not in _NOT_IN_ROLE]
    return all(f" {w} " in folded_text for w in words)


def stated_role(person: Participant, text: str) -> str | None:
    """The role written right before the person's first mention that has one."""
    forms = [f for f in (person.name, *person.aliases) if len(f.split()) > 1]
    found: list[tuple[int, str]] = []
    for form in forms:
        start = text.find(form)
        while start >= 0:
            if role := _role_before(text[max(0, start - _LOOK_BACK) : start]):
                found.append((start, role))
                break
            start = text.find(form, start + 1)
    return min(found)[1] if found else None


def _role_before(before: str) -> str | None:
    words: list[str] = []
    rest = before
    while len(words) < _MAX_WORDS and (m := _WORD_BEFORE.search(rest)):
        word = m.group(1)
        key = _key(word)
        if not words and key in HONORIFICS:  # "Trade Minister Dr. Petra Lind"
            rest = rest[: m.start()]
            continue
        is_title = key in ROLE_WORDS
        joins = word[0].isupper() or is_title or (bool(words) and _key(words[0]) in ROLE_WORDS)
        if key in _NOT_IN_ROLE or not joins or word.endswith("."):
            break
        words.insert(0, word)
        rest = rest[: m.start()]
    while words and _key(words[0]) in _NOT_IN_ROLE:
        words.pop(0)
    if not words or _key(words[-1]) not in ROLE_WORDS:
        return None
    return " ".join(words)


def _key(word: str) -> str:
    return word.strip(".").casefold()
