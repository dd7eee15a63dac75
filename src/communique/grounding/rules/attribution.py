"""One statement, one speaker: a position stays only with an actor the article ties to it.

Each rule drops a position (reported in `meta.dropped`) that the model gave an actor the
article does not tie to it:

- Copies. A small model sometimes gives several actors the same summary ("England",
  "Public Health" and the "British Medical Association" all 'support', each with the
  White Paper's own sentence). Each copy stays only if the summary or a sentence it cites
  (or the one just before, for "he said") names its actor by one of the participant's
  forms: its name, an alias, a person's surname, an acronym.
- Countries, organizations and groups need a cited sentence (or the one before) that
  names them, also by their people ("the Sudaran government", "a French envoy"): "Iran
  supports the sanctions", cited to a sentence about someone else, is the model's guess.
  Nor may the summary open with another country, organization or group as the subject
  of its verb, the actor named at most after it ("North Korea agrees to the resolution",
  given as China's; "China opposes the THAAD deployment", given as THAAD's).
- Persons: "he said" may run over several sentences, so a person's own summary is
  trusted. A person the model gave no summary (or only a name or a definition) needs a
  sentence naming it, like an organization. (A rule that dropped a position whose cited
  sentence had another person speaking, positions.other_speaker, was deleted: on the
  real-news dev set it cost 4 % of the positions found and 1 % of the right stances,
  and it changed nothing on the seeds; evals/README.md.)
- Positions without a summary whose evidence counts up from one actor to the next
  ([1, 2], [3, 4, 5], [6] ...) are numbers given, not chosen: all of them go.

A summary that only names its actor ("EU Trade Commissioner Maros Sefcovic") or only says
what it is ("Dan Hess is president of Merchant Forecast", "John Coequyt, senior
representative for the Sierra Club", "The Owners' Association, which represents 30,000
landlords") says nothing: it is replaced by the quotation in the sentence it cites, else
by "<actor>: <stance>", as when the model gives no summary.
"""

from __future__ import annotations

import re
from collections import Counter

from ...models import Participant, Position
from ...text.folding import cut_at_word, fold_name, initials
from ...text.lexicon import NAME_LINKS, OFFICE_WORDS, ORG_WORDS
from ..context import GroundedParts, GroundingContext
from .cues import describes
from .rule import Rule

# One function (drop_copied_positions) applies the first five rules, the first that
# holds dropping the position, so a position is reported once.
COUNTED_UP = Rule(
    "positions.counted_up",
    "finish",
    "Four or more positions without a summary whose evidence counts up from one actor to "
    "the next ([1, 2], [3, 4, 5], [6] ...) were numbered, not chosen: all of them are "
    "dropped.",
)
ACTOR_NOT_NAMED = Rule(
    "positions.actor_not_named",
    "finish",
    "A position of a country, organization or group, or one without a summary, is dropped "
    "when no sentence it cites (or the one before, for 'he said') names its actor, also by "
    "its people ('the Sudaran government', 'a French envoy').",
)
OTHER_SUBJECT = Rule(
    "positions.other_subject",
    "finish",
    "A position of a country, organization or group is dropped when its summary opens with "
    "another of them as the subject of its verb ('North Korea agrees ...' given as "
    "China's).",
)
COPIED_SUMMARY = Rule(
    "positions.copied_summary",
    "finish",
    "A summary the model gave several actors stays only with those it, or a sentence it "
    "cites (or the one before), names by one of the participant's forms (name, alias, a "
    "person's surname, an acronym); the other copies are dropped.",
)
SAYS_NOTHING = Rule(
    "positions.summary_says_nothing",
    "finish",
    "A summary that only names its actor ('EU Trade Commissioner Maros Sefcovic') or only "
    "says what it is ('X, senior representative for Y', 'Y, which represents 30,000 "
    "landlords') is replaced by the quotation in its cited sentence, else by "
    "'<actor>: <stance>'; the stance and evidence stand.",
)


def drop_copied_positions(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Drop (and report) the positions the article does not tie to their actor (see the
    module's docstring), and the copies of one summary whose actor it is not."""
    shared = Counter(fold_name(p.summary) for p in parts.positions)
    people = {p.name: p for p in parts.participants}
    counted = counted_up(parts.positions)

    on = parts.on

    def why(pos: Position) -> tuple[Rule, str] | None:
        who = people.get(pos.actor)
        kind = who.kind if who is not None else None
        unsaid = _UNSAID.fullmatch(pos.summary) is not None
        if on(COUNTED_UP) and counted and unsaid:
            counts = "its evidence counts up with the other actors' ([1, 2], [3] ...)"
            return COUNTED_UP, f"no summary, and {counts}"
        if on(ACTOR_NOT_NAMED) and needs_naming(pos, who, ctx):
            return ACTOR_NOT_NAMED, f"no sentence it cites (or the one before) names '{pos.actor}'"
        if on(OTHER_SUBJECT) and kind not in (None, "person") and (other := _subject(pos, people)):
            reason = f"the summary tells what '{other}' says or does, not '{pos.actor}'"
            return OTHER_SUBJECT, reason
        if not on(COPIED_SUMMARY) or shared[fold_name(pos.summary)] < 2 or _named(pos, who, ctx):
            return None
        return COPIED_SUMMARY, (
            f"'{pos.actor}' shares its summary with another actor, and neither the summary "
            "nor the cited sentence names it"
        )

    parts.positions = parts.without(parts.positions, why)


def needs_naming(pos: Position, who: Participant | None, ctx: GroundingContext) -> bool:
    """Is `pos` a position that needs a cited sentence naming its actor (a country,
    organization or group's, or one without a summary) and has none (nor the one before)?"""
    kind = who.kind if who is not None else None
    unsaid = _UNSAID.fullmatch(pos.summary) is not None
    return (unsaid or kind not in (None, "person")) and not _named(pos, who, ctx, summary=False)


# "EU: support", 'Ana Gil: "..."': the model gave no summary, or only the actor's name
_UNSAID = re.compile(r'[^:"]+: (?:[a-z]+|".*")')


def counted_up(positions: list[Position]) -> bool:
    """Four or more positions without a summary citing sentences that count up from one
    actor to the next ([3, 4, 5], [6, 7, 8], [9], ...): numbers given, not chosen."""
    unsaid = [p for p in positions if _UNSAID.fullmatch(p.summary)]
    numbers = [n for p in unsaid for n in sorted(_cited(p))]
    return (
        len(unsaid) >= 4
        and len(numbers) > len(unsaid)  # lists, not one sentence each (the follow-up's)
        and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    )


def _subject(pos: Position, people: dict[str, Participant]) -> str | None:
    """Another country, organization or group the summary opens with as the subject of
    its verb, the actor not among it ("North Korea agrees to support the resolution",
    given as China's position; "China opposes THAAD", as THAAD's; "La Dépêche reported
    ...", the first words of "La Dépêche du Midi", as Russia's; not "England and the BMA
    back ...", nor "The Keep Marlow Moving alliance, formed by ...")."""
    words = pos.summary.split()
    lead = 0
    while lead < len(words) and (words[lead][0].isupper() or words[lead] in NAME_LINKS):
        lead += 1
    if lead == len(words) or not _verb(words[lead]):
        return None
    subject, actor = fold_name(" ".join(words[:lead])), fold_name(pos.actor)
    if any(f in subject for f in _forms(pos.actor, people.get(pos.actor))):
        return None
    for other in people.values():
        if other.kind == "person" or fold_name(other.name) in actor:  # 'Northwind'
            continue
        if any(subject in (f, f" the{f}") for f in _forms(other.name, other)) or (
            len(subject.split()) > 1 and fold_name(other.name).startswith(subject)
        ):  # or the first words of its name: "La Dépêche" for "La Dépêche du Midi"
            return other.name
    return None


def _verb(word: str) -> bool:
    """The word after the subject reads as its verb ("agrees", "insist", "will"), not as
    the rest of a name or a noun phrase ("alliance,", "leaders", "minister")."""
    return word.isalpha() and word.islower() and word not in _AFTER_A_NAME


_AFTER_A_NAME = (
    ORG_WORDS
    | OFFICE_WORDS
    | frozenset(
        "alliance campaign group groups leaders officials ministers members delegation "
        "delegates forces troops and or of for in on at to with from by".split()
    )
)


_SAYS = (
    r"(?:said|says|told|added|warned|stated|announced|argued|insisted|wrote|noted|declared|"
    r"urged|explained|tweeted|"  # and French, Spanish, German, folded ('a déclaré' -> 'a declare')
    r"(?:a )?(?:declare|dit|evoque|salue|explique|assure|estime|affirme|ajoute)|"
    r"dijo|afirmo|declaro|explico|aseguro|senalo|anadio|"
    r"sagte|sagten|erklarte|erklarten|betonte|fugte hinzu)"
)


def _cited(pos: Position) -> frozenset[int]:
    return frozenset(e.sentence for e in pos.evidence if e.sentence is not None)


_WORD = re.compile(r"[^\W\d_][\w'’]*")  # "France's" is one word
# Lower-case words that say nothing in a summary of a name: "Howard Lutnick said"
_NOT_SAYING = NAME_LINKS | frozenset("said says told stated".split())


def blank_unsaid_summaries(parts: GroundedParts, ctx: GroundingContext) -> None:
    """A position summary that is only a name and a title ("EU Trade Commissioner Maros
    Sefcovic": every word capitalised, nothing said) or only says what its actor is ("Dan
    Hess is president of Merchant Forecast", "Gap Inc. is led by ...", "X, senior
    representative for Y", "X, which represents ..."; `cues.describes`) is replaced by the
    words its cited sentence quotes ('Michéal Martin: "We do not need to go down this
    road"'), else by "<actor>: <stance>", the form used when the model gives no summary,
    and reported. The stance and its evidence stand."""
    if not parts.on(SAYS_NOTHING):
        return
    out = []
    for pos in parts.positions:
        words = _WORD.findall(pos.summary)
        named = not any(w[0].islower() and w not in _NOT_SAYING for w in words)
        if named or _defines(pos.summary):
            quoted = _quoted(pos, ctx)
            summary = f'{pos.actor}: "{quoted}"' if quoted else f"{pos.actor}: {pos.stance}"
            says = "only names" if named else "only says who or what is"
            reason = f"the summary '{pos.summary}' {says} '{pos.actor}'; replaced"
            pos = parts.correct(SAYS_NOTHING, "summary", reason, pos, summary=summary)
        out.append(pos)
    parts.positions = out


def _defines(summary: str) -> bool:
    return describes(summary) and not re.search(_SAYS, fold_name(summary))  # "..., he said"


_QUOTATION = re.compile(r"[\"“«]\s*([^\"“”«»]{12,}?)[\s,.]*[\"”»]")
QUOTED_MAX = 100  # characters of a quotation put in a summary; longer ones are cut


def _quoted(pos: Position, ctx: GroundingContext) -> str | None:
    """The first quotation in the sentences the position cites, cut to QUOTED_MAX at a
    word ("…" marks the cut)."""
    for n in sorted(_cited(pos)):
        if 0 < n <= len(ctx.sentences) and (m := _QUOTATION.search(ctx.sentences[n - 1].text)):
            return cut_at_word(" ".join(m.group(1).split()), QUOTED_MAX)
    return None


def _forms(actor: str, participant: Participant | None) -> set[str]:
    names = [actor, *(participant.aliases if participant else [])]
    forms = set(names)
    for name in names:
        words = name.split()
        if participant is not None and participant.kind == "person" and len(words) > 1:
            forms.add(words[-1])
        if len(words) > 1 and len(letters := initials(name)) > 1:
            forms.add(letters)
    folded = {f for f in map(lambda x: fold_name(x).strip(), forms) if f}
    spaced = {f" {f} " for f in folded}
    if participant is not None and participant.kind == "country":
        spaced |= {f" {d}" for f in folded for d in _demonym_stems(f)}  # 'Sudaran'
    return spaced


# Demonyms not spelled from their country's name ('France' / 'French').
_IRREGULAR = {
    "france": "french",
    "britain": "british",
    "u.k.": "british",
    "uk": "british",
    "united kingdom": "british",
    "netherlands": "dutch",
    "switzerland": "swiss",
    "greece": "greek",
    "turkey": "turkish",
    "spain": "spanish",
    "poland": "polish",
    "ireland": "irish",
    "denmark": "danish",
    "sweden": "swedish",
    "finland": "finnish",
    "u.s.": "american",
    "us": "american",
    "united states": "american",
    "philippines": "filipino",
    # a name of several words has no stem of its own ('Saudi Harbour Minister', 'North Korean')
    "saudi arabia": "saudi",
    "north korea": "north korean",
    "south korea": "south korean",
    "south africa": "south african",
    "new zealand": "new zealand",
    "sri lanka": "sri lankan",
    "costa rica": "costa rican",
    "united arab emirates": "emirati",
}


def _demonym_stems(country: str) -> list[str]:
    """How a sentence may name a country by its people ('Sudaran', 'Chinese', 'French'):
    the name less a final vowel or 'y', as a word's start, and the irregular demonyms."""
    stems = [_IRREGULAR[country]] if country in _IRREGULAR else []
    if " " not in country and len(country) >= 4:
        stems.append(country[:-1] if country[-1] in "aeiouy" else country)
    return stems


def _named(
    pos: Position, participant: Participant | None, ctx: GroundingContext, *, summary: bool = True
) -> bool:
    window = {n - k for n in _cited(pos) for k in (0, 1) if 0 < n - k <= len(ctx.sentences)}
    texts = [ctx.folded_sentences[n - 1] for n in window]
    if summary:
        texts.append(fold_name(pos.summary))
    texts = [_split_compounds(t) for t in texts]
    forms = {_split_compounds(form) for form in _forms(pos.actor, participant)}
    return any(form in text for form in forms for text in texts)


# An elided French article or preposition before a name: "a déploré l'Unostra", "d'Airbus"
_ELIDED = re.compile(r"(?<![\w'])[ld]'(?=\w)")


def _split_compounds(folded: str) -> str:
    """'the eu's plan', 'eu-us trade', "l'unostra" -> 'the eu plan', 'eu us trade',
    'l unostra' (a name's forms are split the same way: 'saint-martin' -> 'saint martin')."""
    plain = folded.replace("'s ", " ").replace("’s ", " ").replace("-", " ")
    return _ELIDED.sub(lambda m: m.group()[0] + " ", plain)
