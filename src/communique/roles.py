"""A person's role, as the article writes it just before the name, when the model gave
none: "EU Trade Commissioner Maros Sefcovic", "Liberal Democrat health spokesman Paul
Burstow", "Ukraine's President Volodymyr Zelensky".

The role is copied from the article (grounded by construction): the words right before
one of the person's mentions, back to the nearest title word's start of phrase. Those
words are capitalised words or title words, with lowercase words allowed only just
before another role word ("health spokesman", "chamber chief executive"). The last word
must be a title word ("Forest director"); an honorific alone ("Dr.", "Mr") is no role.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .candidates import TITLE_WORDS
from .models import Participant

_MORE_TITLES = frozenset(
    """leader chief head spokesman spokeswoman spokesperson chairman chairwoman chair
    secretary minister director negotiator envoy ambassador official lawmaker senator
    deputy boss founder commissioner executive economist analyst representative manager
    owner officer adviser advisor coordinator president governor mayor""".split()
)
_HONORIFICS = frozenset("mr mrs ms dr prof sir lord lady señor señora madame monsieur".split())
ROLE_WORDS = (TITLE_WORDS | _MORE_TITLES) - _HONORIFICS
_NOT_IN_ROLE = frozenset(
    "the a an and or but of in on at by to for with from as said says told this that".split()
)
_MAX_WORDS = 6
_WORD_BEFORE = re.compile(r"([\w.'’\-]+) $")


def with_roles(participants: Sequence[Participant], text: str) -> list[Participant]:
    """The participants, each person without a role given the one the article states."""
    return [
        p.model_copy(update={"role": role})
        if p.kind == "person" and not p.role and (role := stated_role(p, text))
        else p
        for p in participants
    ]


def stated_role(person: Participant, text: str) -> str | None:
    """The role written right before the person's first mention that has one."""
    forms = [f for f in (person.name, *person.aliases) if len(f.split()) > 1]
    found: list[tuple[int, str]] = []
    for form in forms:
        start = text.find(form)
        while start >= 0:
            if role := _role_before(text[:start]):
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
        if not words and key in _HONORIFICS:  # "Trade Minister Dr. Petra Lind"
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
