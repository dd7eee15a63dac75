"""Grounding the actors of an answer: names written in the article, one participant per
actor under its fullest name, the aliases kept, names the article shows are no actor, and
the salient names the model left out."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from ..models import (
    Kind,
    Participant,
    Position,
    Stance,
)
from ..prompt.candidates import acronym, demonym
from ..text.folding import fold_name, initials, name_in_text
from ..text.lexicon import COMPANY_SUFFIXES, ORG_WORDS, PART_LINKS, SHARED_LINKS, THING_WORDS
from .context import NO_STANCE, GroundedParts, GroundingContext, article_name
from .evidence import (
    cite_sentences,
    clean_of_injection,
    stance_from_summary,
)
from .rules.capitals import is_capital, is_capital_of, is_country
from .rules.cues import (
    names_a_document,
    not_a_name,
    only_a_place,
    only_inside_a_name,
)
from .rules.ground_rules import (
    BACKGROUND_ONLY,
    COMMON_WORD,
    DOCUMENT_NAME,
    INSIDE_LONGER_NAME,
    INVENTED_NAME,
    NAMED_OFTEN,
    NOT_IN_ARTICLE,
    ONLY_A_PLACE,
    PAIRS_TWO_NAMES,
    POSITION_NO_EVIDENCE,
    SALIENT_MENTIONS,
    UNRELATED_ALIAS,
)
from .rules.rule import Rule


def ground_actors(
    actors: list[dict[str, Any]], ctx: GroundingContext, out: GroundedParts
) -> dict[str, str]:
    """Participants and positions from the actor list; returns folded form -> name.

    One actor named twice ("La Dépêche" and "La Dépêche du Midi", "Macron" and "Emmanuel
    Macron") becomes one participant under its fullest name, the other forms as aliases.
    """
    grounded: list[tuple[int, dict[str, Any]]] = []
    for i, a in enumerate(actors):
        forms = [a["name"], *a["aliases"]]
        if name_in_text(a["name"], ctx.folded_text):
            grounded.append((i, a))
            continue
        written = [f for f in a["aliases"] if name_in_text(f, ctx.folded_text)]
        if written:  # never keep an invented name because one alias is real
            reason = f"'{a['name']}' is not named in the article; kept as '{written[0]}'"
            out.corrected.append(INVENTED_NAME.note(f"actors[{i}].name", reason, "corrected"))
            rest = [f for f in a["aliases"] if f != written[0]]
            grounded.append((i, {**a, "name": written[0], "aliases": rest}))
            continue
        reason = f"'{a['name']}' is not named in the article"
        if ctx.injections and any(name_in_text(f, fold_name(ctx.article.text)) for f in forms):
            reason = f"'{a['name']}' is named only in a sentence that addresses the model"
        out.dropped.append(NOT_IN_ARTICLE.note(f"actors[{i}]", reason, "dropped"))
    written = [c for c in ctx.candidates if name_in_text(c, ctx.folded_text)]
    known = [a["name"] for _, a in grounded] + written
    names: dict[str, str] = {}
    for i, a in grounded:
        item = f"actors[{i}]"
        name = _fullest(a["name"], known)
        if fold_name(name) in names:
            continue  # the same actor again: keep the first entry
        if found := _why_no_actor(name, a["stance"], ctx, out):
            rule, why = found
            out.corrected.append(rule.note(item, why, "dropped"))
            continue
        forms = [a["name"], *a["aliases"], *surname_alias(name, a["kind"], ctx.candidates)]
        aliases = _aliases(name, forms, ctx, out, item)
        for form in [name, *aliases]:
            names.setdefault(fold_name(form), name)
        participant = Participant(
            name=name, kind=a["kind"], role=a["role"] or None, aliases=aliases
        )
        out.add(out.participants, participant, item)
        if a["stance"] == NO_STANCE:
            continue
        evidence = cite_sentences(a["evidence"], item, ctx, out)
        if evidence and clean_of_injection(a["summary"] or "", f"{item}.summary", ctx, out):
            summary = a["summary"] or f"{name}: {a['stance']}"
            stance = stance_from_summary(a["stance"], a["summary"] or "", item, out)
            position = Position(actor=name, stance=stance, summary=summary, evidence=evidence)
            out.add_position(position, item)
        elif not a["evidence"]:
            reason = "a stance without a cited sentence is not kept as a position"
            out.corrected.append(POSITION_NO_EVIDENCE.note(f"{item}.stance", reason, "dropped"))
    return names


def add_salient(ctx: GroundingContext, out: GroundedParts, names: dict[str, str]) -> None:
    """Recall: add names the article mentions at least SALIENT_MENTIONS times that the
    model left out (a small model stops listing early); kind from the name's shape."""
    if not out.on(NAMED_OFTEN):
        return
    for cand in ctx.candidates:
        words = _words(cand)
        surname = words[-1] if len(words) > 1 else None
        if fold_name(cand) in names or (surname and surname in _words_of(names)):
            continue
        mentions = ctx.folded_text.count(fold_name(cand))
        if surname and surname not in ORG_WORDS and not acronym(cand.split()[-1]):
            mentions = max(mentions, ctx.folded_text.count(f" {surname} "))
        if mentions < SALIENT_MENTIONS or _THING_WORDS & set(words):
            continue
        if _written_no_actor(cand, ctx, out) or only_a_place(cand, ctx.sentences):
            continue  # also 'in Brussels', 'to Geneva': where it happens, not who acts
        if is_capital(cand) and not any(is_capital_of(cand, p.name) for p in out.participants):
            continue  # 'Doha' with no 'Qatar' listed: where the talks are, not who acts
        kind = kind_of(cand, ctx.article.text)
        aliases = [c for c in ctx.candidates if kind == "person" and c == cand.split()[-1]]
        origin = article_name(cand)
        added = Participant(name=cand, kind=kind, role=None, aliases=aliases)
        out.add(out.participants, added, origin)
        for form in [cand, *aliases]:
            names.setdefault(fold_name(form), cand)
        reason = f"added '{cand}': named {mentions} times"
        out.corrected.append(NAMED_OFTEN.note(origin, reason, "added"))


_THING_WORDS = THING_WORDS | {"i", "mer"}


def _why_no_actor(
    name: str, stance: str, ctx: GroundingContext, out: GroundedParts
) -> tuple[Rule, str] | None:
    """The rule by which a name the model lists is not kept as a participant, and why."""
    if out.on(BACKGROUND_ONLY) and background_only(name, ctx, strict=stance != NO_STANCE):
        return BACKGROUND_ONLY, f"'{name}' is only mentioned as background (a former office holder)"
    if found := _written_no_actor(name, ctx, out):  # a surname was made a full name above
        return found
    if out.on(PAIRS_TWO_NAMES) and pairs_two_names(name, ctx.candidates):
        return PAIRS_TWO_NAMES, f"'{name}' pairs two actors ('EU-US trade'); it is not one"
    if out.on(ONLY_A_PLACE) and stance == NO_STANCE and only_a_place(name, ctx.sentences):
        reason = f"'{name}' is only written as a place ('in …', 'at …') and takes no stance"
        return ONLY_A_PLACE, reason
    return None


def _written_no_actor(
    name: str, ctx: GroundingContext, out: GroundedParts
) -> tuple[Rule, str] | None:
    """The rule by which the way the article writes a name shows it is no actor (a listed
    or an added one), and why; None when there is none (or it is switched off)."""
    if out.on(COMMON_WORD) and not_a_name(name, ctx.article.text):
        reason = f"'{name}' is a common word or a demonym the article capitalises, not a name"
        return COMMON_WORD, reason
    if out.on(DOCUMENT_NAME) and names_a_document(name):
        return DOCUMENT_NAME, f"'{name}' names a text or an agreement, not an actor"
    if out.on(INSIDE_LONGER_NAME) and only_inside_a_name(name, ctx.article.text):
        reason = f"'{name}' is only written as the end of a longer name, not as an actor"
        return INSIDE_LONGER_NAME, reason
    return None


def pairs_two_names(name: str, candidates: Sequence[str]) -> bool:
    """'EU-US', 'U.S.-Russian', 'French-British': two written names or demonyms joined by a
    hyphen, one an acronym or a demonym (not 'Guinea-Bissau', 'Wal-Mart')."""
    parts = name.split("-")
    return (
        len(parts) == 2
        and all(p in candidates or demonym(p) for p in parts)
        and any(acronym(p) or demonym(p) for p in parts)
    )


_BACKGROUND = re.compile(
    r"\b(then-|former|ex-|(?:the|his|her|['’]s) late\b|who died|died in|retired|predecessor|"
    r"stepped down|left (?:government|office|politics)|ancienne?\b|quitté|antigu[oa]|entonces|"
    r"retirad[oa]|exministr[oa]|expresident[ea]?|(?:has|have|had) not been involved|"
    r"no (?:part|role) in)",
    re.IGNORECASE,
)
# Stronger: the actor's part is over (not only a former title, which a commentator has).
_PAST_ROLE = re.compile(
    r"\b(then-|who died|died in|retired|stepped down|left (?:government|office|politics)|"
    r"(?:has|have|had) not been involved|no (?:part|role) in|quitté|entonces)",
    re.IGNORECASE,
)


def background_only(name: str, ctx: GroundingContext, *, strict: bool = False) -> bool:
    """Every sentence naming this actor presents it as a past figure ('then-Prime Minister
    Harold Finch', 'former minister'): background, not a participant. `strict` (for an
    actor the model gave a stance) also needs one sentence saying its part is over
    ('then-', 'retired', 'has not been involved'): a former minister may still comment."""
    key = fold_name(name.split()[-1] if len(name.split()) > 1 else name)
    mentions = [s for s, f in zip(ctx.sentences, ctx.folded_sentences, strict=True) if key in f]
    if not mentions or not all(_BACKGROUND.search(s.text) for s in mentions):
        return False
    return not strict or any(_PAST_ROLE.search(s.text) for s in mentions)


def _words_of(names: dict[str, str]) -> set[str]:
    return {w for folded in names for w in folded.split()}


def kind_of(name: str, text: str) -> Kind:
    """A name's kind from its shape, for a name the model left out: a country's name
    ('Saudi Arabia', 'U.S.'), an organisation word, an acronym, a plural possessive, or a
    company the article also writes with its legal suffix ("Sears" and "Sears Holdings
    Corp", "Wal-Mart" and "Wal-Mart Stores Inc"); else two words are a person, one an
    organization ('Hezbollah', 'Nusra')."""
    if is_country(name):
        return "country"
    if organization_shaped(name) or re.search(r"s['’] ", name):
        return "organization"  # also "Lands' End", "Workers' Union": a plural possessive
    if re.search(rf"\b{re.escape(name)}(?: [A-Z][\w'’-]*)? {_LEGAL_SUFFIX}", text):
        return "organization"
    return "person" if len(_words(name)) > 1 else "organization"


def plain(text: str) -> str:
    """Text for wording checks: casefolded, "’" as "'", whitespace runs as one space."""
    return " ".join(text.replace("’", "'").casefold().split())


def job_beside_name(name: str, jobs: str, text: str) -> bool:
    """Does the article write one of `jobs` (a regex alternation, lowercase) right before
    the name ("oil analyst Jan Berg", "the Courier's political editor Jan Berg") or in the
    apposition after it ("Jan Berg, a reporter for ...", at most three words between)?
    `text` is the article as `plain` gives it."""
    n = re.escape(plain(name))
    if not n:
        return False
    before = rf"\b(?:{jobs})s? {n}(?!\w)"
    after = rf"(?<!\w){n}, (?:(?:the|a|an|un|une|el|la) )?(?:[\w'-]+ ){{0,3}}(?:{jobs})s?\b"
    return re.search(before, text) is not None or re.search(after, text) is not None


def turn_introduced(
    parts: GroundedParts,
    ctx: GroundingContext,
    rule: Rule,
    introduced: Callable[[Participant, str], bool],
    turns: Callable[[Position], bool],
    stance: Stance,
    as_what: str,
) -> None:
    """Give `stance` to each position `turns` picks whose actor is a person the article
    introduces as `as_what` (`introduced(person, text)`, `text` as `plain` gives it); each
    change is noted by `rule` (positions.analyst_neutral, positions.shadow_minister)."""
    people = {fold_name(p.name): p for p in parts.participants if p.kind == "person"}
    text = plain(ctx.article.text)
    out: list[Position] = []
    for pos in parts.positions:
        person = people.get(fold_name(pos.actor))
        if person and turns(pos) and introduced(person, text):
            reason = f"'{pos.actor}' is introduced as {as_what}: '{pos.stance}' -> '{stance}'"
            pos = parts.correct(rule, "stance", reason, pos, stance=stance)
        out.append(pos)
    parts.positions = out


def organization_shaped(name: str) -> bool:
    """An organisation word ("Free Syrian Army", "Labour Party") or an acronym ("EU")."""
    return any(w in ORG_WORDS for w in _words(name)) or acronym(name)


_LEGAL_SUFFIX = rf"(?i:{'|'.join(sorted(COMPANY_SUFFIXES))})\.?(?!\w)"


def _words(name: str) -> list[str]:
    return fold_name(name).split()


def _fullest(name: str, known: list[str]) -> str:
    """The longest known name that contains this one as whole words ('Macron' ->
    'Emmanuel Macron'), when that is unambiguous; not one it only ends after a link word
    ('Marlow' is not 'Bank of Marlow')."""
    words = _words(name)
    longer = {k for k in known if _widens(_words(k), words)}
    if not longer:
        return name
    best = max(longer, key=lambda k: len(_words(k)))
    return best if all(set(_words(k)) <= set(_words(best)) for k in longer) else name


def _widens(longer: list[str], words: list[str]) -> bool:
    """Does `longer` hold `words` whole, not right after a link word?"""
    n = len(words)
    return len(longer) > n and any(
        longer[j : j + n] == words and (j == 0 or longer[j - 1] not in PART_LINKS)
        for j in range(len(longer) - n + 1)
    )


def surname_alias(name: str, kind: str, candidates: list[str]) -> list[str]:
    """A person's surname as an alias, when the article also writes it alone."""
    last = name.split()[-1] if kind == "person" and len(name.split()) > 1 else None
    return [c for c in candidates if c == last]


def _aliases(
    name: str, forms: list[str], ctx: GroundingContext, out: GroundedParts, item: str
) -> list[str]:
    """Other forms of the same name that are written in the article and related to it."""
    kept: list[str] = []
    for form in forms:
        if form == name or form in kept or not name_in_text(form, ctx.folded_text):
            continue
        if not out.on(UNRELATED_ALIAS) or _related(form, name) or is_capital_of(form, name):
            kept.append(form)
        else:
            reason = f"alias '{form}' shares no word or initials with '{name}'; not kept"
            out.corrected.append(UNRELATED_ALIAS.note(f"{item}.aliases", reason, "corrected"))
    return kept


def _related(alias: str, name: str) -> bool:
    a, n = set(_words(alias)), set(_words(name))
    if a & n - SHARED_LINKS:
        return True
    return fold_name(alias).strip().replace(" ", "") == initials(name)
