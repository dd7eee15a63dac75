"""One actor, one participant: forms of one name listed twice become one participant.

The first pass, the names added for salience and the follow-up pass can each list an
actor under another form of its name: "EU" and "European Union", "Sears Holding Corp"
and "Sears Holdings", "Kmart" and "Kmarts", or a country and the capital written for its
government ("North Korea" and "Pyongyang", capitals.py). The country, else the name with
more words, else the one listed first is kept, the other becomes an alias, and positions
and next steps follow it (the first position stands; a second one is noted in
`meta.dropped`).

A kind the name contradicts is corrected and reported: a country's name is a country
("United States" given as an organization), a name with an organisation word or an
acronym is no person and no country ("Free Syrian Army", "Islamic State", "EU").

A news agency the story is only sourced to ("(Reuters)", "told AFP") is not a participant
unless it takes a position or acts in a next step.
"""

from __future__ import annotations

from collections import Counter

from ...models import Kind, Participant
from ...text.folding import fold_name, initials
from ...text.lexicon import (
    COMPANY_SUFFIXES,
    CORPORATE_WORDS,
    GROUP_TAILS,
    NEWS_AGENCIES,
    OWN_BODY_WORDS,
)
from ..context import GroundedParts
from ..participants import organization_shaped
from .capitals import is_capital_of, is_country, same_country
from .rule import Rule

KIND_FROM_NAME = Rule(
    "participants.kind_from_name",
    "finish",
    "A kind the name contradicts is corrected: a country's name is a country, a name with "
    "an organisation word or an acronym ('Free Syrian Army', 'EU') or ending in 'State' is "
    "an organization, not a person; a 'person' whose name opens with a listed "
    "organization's name ('Sears Retail') is an organization.",
)
SAME_ACTOR = Rule(
    "participants.same_actor",
    "finish",
    "Participants that are forms of one name ('EU' and 'European Union', 'Sears Holding "
    "Corp' and 'Sears Holdings', a country and its capital) become one, under the "
    "country's or the longer name, the other forms as aliases; positions and next steps "
    "follow it, and a second position of the same actor is dropped.",
)
NEWS_AGENCY = Rule(
    "participants.news_agency",
    "finish",
    "A news agency ('Reuters', 'AFP') with no position and no next step is the story's "
    "source, not an actor in it: it is dropped from the participants.",
)


def correct_kinds(parts: GroundedParts) -> None:
    """Give the kind the name itself says when the model gave another (reported); a
    "person" whose name opens with a listed organization's name is one of its bodies."""
    if not parts.on(KIND_FROM_NAME):
        return
    out = []
    bodies = {
        fold_name(name)
        for p in parts.participants
        if p.kind in ("organization", "group")
        for name in (p.name, *p.aliases)
    }
    for p in parts.participants:
        kind = _kind_named(p)
        why = f"the name '{p.name}' says so"
        first = p.name.split()[0]
        if kind is None and p.kind == "person" and " " in p.name and fold_name(first) in bodies:
            kind = "organization"  # "Sears Retail", when "Sears" is a company listed
            why = f"'{first}' is a listed organization"
        if kind is not None and kind != p.kind:
            reason = f"kind '{p.kind}' -> '{kind}': {why}"
            p = parts.correct(KIND_FROM_NAME, "kind", reason, p, kind=kind)
        out.append(p)
    parts.participants = out


def _kind_named(p: Participant) -> Kind | None:
    if is_country(p.name):
        return "country"
    if p.kind not in ("person", "country"):
        return None
    if organization_shaped(p.name) or fold_name(p.name).split()[-1:] == ["state"]:
        return "organization"
    return None


def merge_same_actors(parts: GroundedParts) -> None:
    """Fold participants that are forms of one name into one, in place."""
    if not parts.on(SAME_ACTOR):
        return
    kept: list[Participant] = []
    renamed: dict[str, str] = {}
    listed = Counter(p.name for p in parts.participants)
    for p in parts.participants:
        same = next(
            (
                k
                for k in kept
                if _same_name(p.name, k.name)
                or same_country(p.name, k.name)
                or _short_name(p, k)
                or _short_name(k, p)
                or _country_of(p, k) is not None
            ),
            None,
        )
        if same is None:
            kept.append(p)
            continue
        # the country over its capital (its kind too); else the name with more words,
        # else the first one
        country = _country_of(p, same)
        if country is not None:
            full, short = country, (p if country is same else same)
        elif len(p.name.split()) > len(same.name.split()):
            full, short = p, same
        else:
            full, short = same, p
        aliases = [a for a in (*same.aliases, *p.aliases, short.name) if a != full.name]
        merged = parts.copy(country or same, name=full.name, aliases=list(dict.fromkeys(aliases)))
        kept[kept.index(same)] = merged
        renamed[short.name] = full.name
        if same.name != full.name:
            renamed[same.name] = full.name
    if not renamed:
        return
    parts.participants = kept
    seen: set[str] = set()
    positions = []
    for pos in parts.positions:
        actor = renamed.get(pos.actor, pos.actor)
        if actor in seen:
            if pos.actor != actor:
                reason = f"'{pos.actor}' is another form of '{actor}', whose position is kept"
            elif listed[actor] > 1:
                reason = f"'{actor}' is listed twice; its first position is kept"
            else:
                reason = f"'{actor}' already has a position under another of its names; kept"
            parts.corrected.append(SAME_ACTOR.note(parts.path(pos), reason, "dropped"))
            continue
        seen.add(actor)
        positions.append(parts.copy(pos, actor=actor))
    parts.positions = positions
    parts.next_steps = [
        parts.copy(s, actor=renamed.get(s.actor, s.actor)) if s.actor else s
        for s in parts.next_steps
    ]


def news_agency(name: str) -> bool:
    """'Reuters', 'AFP', 'Associated Press': a wire service a story is sourced to."""
    return fold_name(name).strip() in NEWS_AGENCIES


def drop_news_agencies(parts: GroundedParts) -> None:
    """A news agency with no position and no next step is the story's source, not an
    actor in it."""
    if not parts.on(NEWS_AGENCY):
        return
    acting = {p.actor for p in parts.positions} | {s.actor for s in parts.next_steps}

    def why(p: Participant) -> tuple[Rule, str] | None:
        if news_agency(p.name) and p.name not in acting:
            return NEWS_AGENCY, f"'{p.name}' is a news agency the story is sourced to, not an actor"
        return None

    parts.participants = parts.without(parts.participants, why)


def _country_of(a: Participant, b: Participant) -> Participant | None:
    """Of 'Pyongyang' and 'North Korea' (or 'Brussels' and 'EU'), the country or Union
    whose seat the other one is; None when neither is the other's seat."""
    for seat, country in ((a, b), (b, a)):
        if country.kind in ("country", "organization") and is_capital_of(seat.name, country.name):
            return country
    return None


def _short_name(short: Participant, full: Participant) -> bool:
    """A company's one-word short name: the first word of an organization's longer name
    ("Northwind" and "Northwind Rail Freight"), unless the longer one is a holding company
    or a body of its own ("Sears Holdings", "Ford Foundation")."""
    words, rest = fold_name(short.name).split(), fold_name(full.name).split()
    return (
        short.kind == full.kind == "organization"
        and len(words) == 1
        and len(rest) > 1
        and rest[0] == words[0]
        and not set(rest[1:]) & OWN_BODY_WORDS
    )


def _same_name(a: str, b: str) -> bool:
    ka, kb = _keys(a), _keys(b)
    return bool(ka & kb) or any(_initials(x, y) or _initials(y, x) for x in ka for y in kb)


def _keys(name: str) -> set[str]:
    """The name's forms for comparison: without a legal suffix ("Sears Holdings Corp" ->
    "Sears Holdings") and, when it had one, without the words a legal name adds as well
    ("Wal-Mart Stores Inc" -> "Wal-Mart"); plurals made singular ("Kmarts", "Tories");
    without the Arabic article ("al-Nusra" -> "Nusra"); without a group's last word
    ("Nusra Front" -> "Nusra")."""
    words = fold_name(name).split()
    if words and words[0].startswith(("al-", "el-")) and len(words[0]) > 3:
        words[0] = words[0][3:]
    legal = False
    while len(words) > 1 and words[-1] in COMPANY_SUFFIXES:
        words.pop()
        legal = True
    forms = [list(words)]
    while legal and len(words) > 1 and words[-1] in CORPORATE_WORDS:
        words.pop()
        forms.append(list(words))
    if len(words) > 1 and words[-1] in GROUP_TAILS:
        forms.append(words[:-1])  # "Nusra Front" and "Nusra", "Labour Party" and "Labour"
    # "Sears Holding" and "Sears Holdings", "Kmart" and "Kmarts", "Tory" and "Tories"
    return {" ".join(map(_singular, form)) for form in forms if form}


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _initials(short: str, long: str) -> bool:
    """'eu' and 'european union' (two letters at least, the long form two words)."""
    letters = initials(long)
    return len(letters) > 1 and " " not in short and short == letters
