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

from .candidates import ORG_WORDS
from .models import Participant

_TITLE_WORDS = (
    "leader|chief|head|spokesman|spokeswoman|spokesperson|president|chairman|chairwoman|"
    "chair|secretary|minister|director|negotiator|envoy|ambassador|member|official|"
    "lawmaker|senator|deputy|boss|founder|commissioner|executive|economist|analyst"
)
_ORG_KINDS = {"organization", "country", "group"}


def with_affiliations(participants: Sequence[Participant], text: str) -> list[Participant]:
    """The participants, each person with the first affiliation the article states."""
    orgs = _organisations(participants)
    return [
        p.model_copy(update={"affiliation": _affiliation(p, orgs, text)})
        if p.kind == "person" and p.affiliation is None and orgs
        else p
        for p in participants
    ]


def _organisations(participants: Sequence[Participant]) -> list[str]:
    names = [
        form
        for p in participants
        if p.kind in _ORG_KINDS or any(w.casefold() in ORG_WORDS for w in p.name.split())
        for form in (p.name, *p.aliases)
    ]
    return sorted(set(names), key=len, reverse=True)  # the longest form first


def _affiliation(person: Participant, orgs: list[str], text: str) -> str | None:
    own = {person.name, *person.aliases}
    candidates = [o for o in orgs if o not in own and not any(o in f for f in own)]
    if not candidates:
        return None
    org = "|".join(re.escape(o) for o in candidates)
    found: list[tuple[int, str]] = []
    for form in sorted(own, key=len, reverse=True):
        name = re.escape(form)
        patterns = (
            rf"\b{name} of (?:the )?(?P<org>{org})\b",
            rf"\b{name}, (?:[^,.;]{{0,60}}? )?(?:of|at|for|with|from) (?:the )?(?P<org>{org})\b",
            rf"\b(?P<org>{org})['’]s (?:[A-Za-z-]+ ){{0,3}}{name}\b",
            rf"\b(?P<org>{org}) (?:(?:[a-z-]+ )?(?:{_TITLE_WORDS})s? ){name}\b",
        )
        for pattern in patterns:
            if m := re.search(pattern, text):
                found.append((m.start(), m.group("org")))
    if found:
        return min(found)[1]
    role = (person.role or "").strip()
    at_end = rf"\b(?:of|de|del|du|des) (?:the |la |l')?(?P<org>{org})$"  # "Leader of the X"
    return m.group("org") if (m := re.search(at_end, role)) else None
