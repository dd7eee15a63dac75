"""A person's organisation, as the article writes it next to the person's name.

Only four plain patterns, each requiring the organisation to be another participant (an
organization, country or group) or a candidate name headed by an organisation word, so
the affiliation is grounded by construction:

- "Stefan Olbrecht of the Liberal Party"
- "Anna Berg, a spokeswoman for the Workers' Union,"
- "Ostmark's Trade Minister Petra Lind"
- "Liberal Party leader Stefan Olbrecht"

Otherwise, the organisation that ends the person's role ("Leader of the Liberal Party",
"President of Aldavia"; not "UN envoy for Sudara"): the role is the model's words, the
organisation a participant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...models import Participant
from ...text.folding import fold_name
from ...text.lexicon import OFFICE_WORDS, ORG_WORDS
from ..context import GroundedParts
from .rule import Rule

AFFILIATION = Rule(
    "participants.affiliation",
    "finish",
    "A person's affiliation is the organisation (another participant) the article writes "
    "next to the name ('X of the Liberal Party', 'Ostmark's Trade Minister X', 'Liberal "
    "Party leader X', 'X, a spokeswoman for Y'), else the one ending its role; writes no "
    "note.",
)

AFFILIATION_ONLY = Rule(
    "participants.affiliation_only",
    "finish",
    "An organisation with no position and no next step that the article names only as a "
    "listed person's affiliation ('Jan Berg, a director of the Marlow Trust', 'Ana Ruiz of "
    "the Dock Union') is who that person is, not a participant: dropped.",
)

_TITLE_WORDS = "|".join(sorted(OFFICE_WORDS))
_ORG_KINDS = {"organization", "country", "group"}
_LINK = "(?:of|at|for|with|from)"  # "a spokeswoman for the Workers' Union"


def with_affiliations(participants: Sequence[Participant], text: str) -> list[Participant]:
    """The participants, each person with the first affiliation the article states."""
    orgs = _organisations(participants)
    people = [p for p in participants if p.kind == "person" and p.affiliation is None]
    if not orgs or not people:
        return list(participants)
    found = _stated(people, orgs, text)
    return [
        p.model_copy(update={"affiliation": found.get(p.name) or _from_role(p, orgs)})
        if p in people
        else p
        for p in participants
    ]


def drop_affiliation_only(parts: GroundedParts, text: str) -> None:
    """Drop the organisations written only after a listed person, as in "X of Y" or
    "X, a spokeswoman for Y" (affiliations, not actors), unless they take a position or
    a next step."""
    if not parts.on(AFFILIATION_ONLY):
        return
    acting = parts.acting()
    people = [
        span
        for p in parts.participants
        if p.kind == "person"
        for form in (p.name, *p.aliases)
        for span in _occurrences(form, text)
    ]

    def as_affiliation(at: int) -> str | None:
        """The words from a person's name to the organisation written at `at`, or None."""
        for start, end in people:
            if 0 <= at - end <= _MAX_GAP and any(
                g.fullmatch(text[end:at]) for g in _PERSON_THEN_ORG
            ):
                return text[start:at]
        return None

    def why(p: Participant) -> tuple[Rule, str] | None:
        forms = (p.name, *p.aliases)
        if p.kind == "person" or any(fold_name(f) in acting for f in forms):
            return None
        written = sorted((at, end) for f in forms for at, end in _occurrences(f, text))
        before = [as_affiliation(at) for at, _ in written]
        if not written or None in before:
            return None
        at, end = written[0]
        example = " ".join(f"{before[0]}{text[at:end]}".split())
        reason = f"'{p.name}' is only written as a listed person's organisation ('{example}')"
        return AFFILIATION_ONLY, reason

    parts.participants = parts.without(parts.participants, why)


def _organisations(participants: Sequence[Participant]) -> list[str]:
    names = [
        form
        for p in participants
        if p.kind in _ORG_KINDS or any(w.casefold() in ORG_WORDS for w in p.name.split())
        for form in (p.name, *p.aliases)
    ]
    return sorted(set(names), key=len, reverse=True)  # the longest form first


def _any(names: Sequence[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


# What may stand between a person and an organisation (person first) or the reverse.
_PERSON_THEN_ORG = (
    re.compile(r" of (?:the )?"),  # "Stefan Olbrecht of the Liberal Party"
    re.compile(rf", (?:[^,.;]{{0,60}}? )?{_LINK} (?:the )?"),  # "Anna Berg, a spokeswoman for"
)
_ORG_THEN_PERSON = (
    re.compile(r"['’]s (?:[A-Za-z-]+ ){0,3}"),  # "Ostmark's Trade Minister Petra Lind"
    re.compile(rf" (?:[a-z-]+ )?(?:{_TITLE_WORDS})s? "),  # "Liberal Party leader X"
)
_MAX_GAP = 90


def _stated(people: list[Participant], orgs: list[str], text: str) -> dict[str, str]:
    """person's name -> the organisation written next to it first (four wordings)."""
    org_at = [(s, e, o) for o in orgs for s, e in _occurrences(o, text)]
    first: dict[str, tuple[int, str]] = {}
    for person in people:
        own = (person.name, *person.aliases)
        mine = [(s, e, o) for s, e, o in org_at if not any(o in f or f in o for f in own)]
        for form in own:
            for ps, pe in _occurrences(form, text):
                for os_, oe, org in mine:
                    if 0 <= os_ - pe <= _MAX_GAP:
                        gaps, start = _PERSON_THEN_ORG, ps
                        gap = text[pe:os_]
                    elif 0 <= ps - oe <= _MAX_GAP:
                        gaps, start = _ORG_THEN_PERSON, os_
                        gap = text[oe:ps]
                    else:
                        continue
                    if any(g.fullmatch(gap) for g in gaps) and (
                        person.name not in first or start < first[person.name][0]
                    ):
                        first[person.name] = (start, org)
    return {k: v for k, (_, v) in first.items()}


def _occurrences(name: str, text: str) -> list[tuple[int, int]]:
    """Where `name` is written as whole words."""
    out: list[tuple[int, int]] = []
    i = text.find(name)
    while i >= 0:
        end = i + len(name)
        before = text[i - 1] if i else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or after.isalnum()):
            out.append((i, end))
        i = text.find(name, i + 1)
    return out


def _from_role(person: Participant, orgs: list[str]) -> str | None:
    own = (person.name, *person.aliases)
    candidates = [o for o in orgs if not any(o in f or f in o for f in own)]
    if not candidates:
        return None
    role = (person.role or "").strip()
    at_end = rf"\b(?:of|de|del|du|des) (?:the |la |l')?(?P<org>{_any(candidates)})$"
    return m.group("org") if (m := re.search(at_end, role)) else None
