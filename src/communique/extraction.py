"""What the model is asked to return, and how that becomes grounded Summary parts.

The model sees the article with numbered sentences and cites sentence numbers as
evidence; it never writes quotes itself. The response schema is built per article so
that sentence numbers are bounded (constrained decoding cannot cite a sentence that
does not exist), names are limited to names written in the article, and lists and
strings are capped (small models otherwise loop). Each actor carries its own stance, so
a position can never name someone missing from the participants.

The follow-up pass (followup.py) grounds its answers with the same helpers:
`cite_sentences`, `best_support`, `stance_from_summary`, `background_only`,
`surname_alias`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator
from rapidfuzz import fuzz

from .article import Article, Sentence
from .candidates import acronym, demonym
from .capitals import is_capital, is_capital_of, is_country
from .cues import (
    names_a_document,
    not_a_name,
    only_a_place,
    only_inside_a_name,
)
from .dates import find_time_expression, resolve_when, says_a_time, year_phrase
from .ground_rules import (
    ACTOR_NOT_LISTED,
    BACKGROUND_ONLY,
    BEST_SENTENCE,
    COMMON_WORD,
    DOCUMENT_NAME,
    INJECTED_SENTENCE,
    INSIDE_LONGER_NAME,
    INVENTED_NAME,
    MISSING_SENTENCE,
    NAMED_OFTEN,
    NOT_IN_ARTICLE,
    ONLY_A_PLACE,
    PAIRS_TWO_NAMES,
    POSITION_NO_EVIDENCE,
    PROPOSAL_NO_EVIDENCE,
    REPEATS_INJECTION,
    REPICK_MARGIN,
    SALIENT_MENTIONS,
    STANCE_FROM_SUMMARY,
    UNRELATED_ALIAS,
    WHEN_AS_WRITTEN,
)
from .grounding import evidence_from_sentences, fold_name, initials, name_in_text
from .injection import Injection, find_injections, repeats_injection
from .lexicon import COMPANY_SUFFIXES, ORG_WORDS, PART_LINKS, SHARED_LINKS, THING_WORDS
from .models import (
    Dropped,
    Evidence,
    Kind,
    NextStep,
    NoteAction,
    Participant,
    Position,
    Proposal,
    Stance,
    Status,
)
from .rules import ALL_ON, Rule, Switches

Short = Annotated[str, Field(max_length=50)]
# Length caps in characters (wording.py tidies a text cut off at one)
HEADLINE_MAX = 100
STATEMENT_MAX = 200  # the proposal
TEXT_MAX = 120  # an actor's summary, a step's action
ROLE_MAX = 40
GIST_MAX = 320
NO_PROPOSAL = "no proposal"
NO_STANCE = "none"
MIN_ACTORS = 4
_PROPOSAL_STATUS: Any = Status | Literal["no proposal"]
_ACTOR_STANCE: Any = Stance | Literal["none"]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExtractionBase(StrictModel):
    """Fields common to every per-article response model; validated against the article."""

    # The article this model is checked against (see grounded_model). Carried by the class,
    # not by instructor's `context=`: with a context instructor renders every message as a
    # Jinja template, so an article's "{{ 7*7 }}" would reach the model as "49".
    grounding: ClassVar[GroundingContext | None] = None

    headline: Annotated[str, Field(max_length=HEADLINE_MAX)]
    gist: Annotated[str, Field(max_length=GIST_MAX)]

    @model_validator(mode="after")
    def _grounded(self) -> ExtractionBase:
        ctx = type(self).grounding
        if ctx is not None:
            problems = ground(self, ctx).dropped
            if problems:
                raise ValueError(ctx.reask_message(problems))
        return self


def build_response_model(
    n_sentences: int, candidates: Sequence[str] = (), *, loose: bool = False
) -> type[ExtractionBase]:
    """A response model whose evidence fields only admit sentence numbers 1..n and whose
    names only admit the candidate names found in the article (when there are any).

    `loose=True` gives the same shape without those bounds: the last answer is parsed
    with it after re-asks are exhausted, so grounding can drop the bad items one by one
    instead of failing the whole summary.
    """
    sid: Any = int if loose else Annotated[int, Field(ge=1, le=max(n_sentences, 1))]
    name: Any = Literal[tuple(candidates)] if candidates and not loose else Short
    cites = Annotated[list[sid], Field(max_length=3)]
    min_actors = 0 if loose else min(MIN_ACTORS, len(candidates))
    proposal = create_model(
        "ExtractedProposal",
        __base__=StrictModel,
        statement=(Annotated[str, Field(max_length=STATEMENT_MAX)], ...),
        status=(_PROPOSAL_STATUS, ...),
        evidence=(cites, ...),
    )
    actor = create_model(
        "ExtractedActor",
        __base__=StrictModel,
        name=(name, ...),
        kind=(Kind, ...),
        role=(Annotated[str, Field(max_length=ROLE_MAX)] | None, ...),
        aliases=(Annotated[list[name], Field(max_length=3)], ...),
        # summary first: the model states what the actor said, then classifies it
        summary=(Annotated[str, Field(max_length=TEXT_MAX)] | None, ...),
        stance=(_ACTOR_STANCE, ...),
        evidence=(cites, ...),
    )
    actors: Any = Annotated[
        list[actor], Field(max_length=8, json_schema_extra={"minItems": min_actors})
    ]
    step = create_model(
        "ExtractedNextStep",
        __base__=StrictModel,
        action=(Annotated[str, Field(max_length=TEXT_MAX)], ...),
        actor=(name | None, ...),
        when=(Annotated[str, Field(max_length=40)] | None, ...),
        evidence=(Annotated[list[sid], Field(min_length=1, max_length=2)], ...),
    )
    return create_model(
        "Extraction",
        __base__=ExtractionBase,
        proposal=(proposal, ...),
        # A small model stops after two or three actors; ask for at least four when the
        # article names that many (the eval shows central actors were being missed).
        # Schema only (it steers constrained decoding), not a validation rule: an endpoint
        # that returns fewer actors for a small article is not re-asked for it.
        actors=(actors, ...),
        next_steps=(Annotated[list[step], Field(max_length=6)], ...),
    )


def grounded_model(model: type[ExtractionBase], ctx: GroundingContext) -> type[ExtractionBase]:
    """The same response model, validated against this article (re-asked when it does not
    ground)."""
    return type(model.__name__, (model,), {"grounding": ctx, "__module__": model.__module__})


@dataclass(frozen=True)
class GroundingContext:
    article: Article
    sentences: list[Sentence]
    candidates: list[str] = field(default_factory=list)
    switches: Switches = ALL_ON  # the rules switched off for this summary, if any

    @cached_property
    def injections(self) -> dict[int, Injection]:
        return find_injections(self.sentences)

    @cached_property
    def folded_text(self) -> str:
        """The folded article without the sentences that address a model (injections)."""
        text = self.article.text
        for n in self.injections:
            s = self.sentences[n - 1]
            text = text[: s.start] + " " * (s.end - s.start) + text[s.end :]
        return fold_name(text)

    @cached_property
    def folded_sentences(self) -> list[str]:
        return [fold_name(s.text) for s in self.sentences]

    def injected(self, text: str) -> int | None:
        """The injected sentence whose payload this model-written text repeats, if any."""
        return repeats_injection(text, self.injections, self.sentences)

    def reask_message(self, problems: list[Dropped]) -> str:
        lines = "\n".join(f"- {p.item}: {p.reason}" for p in problems)
        return (
            "The answer does not match the article:\n" + lines + "\nFix exactly these problems: "
            "use only names written in the article (the article's spelling) and cite only "
            f"sentence numbers 1-{len(self.sentences)}."
        )


@dataclass
class GroundedParts:
    participants: list[Participant] = field(default_factory=list)
    proposal: Proposal | None = None
    positions: list[Position] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)  # re-asked, then dropped
    headline: str = ""
    gist: str = ""
    corrected: list[Dropped] = field(default_factory=list)  # fixed by code, no re-ask
    switches: Switches = ALL_ON  # the rules switched off for this summary, if any

    def on(self, rule: Rule) -> bool:
        """Is this rule switched on for this summary?"""
        return self.switches.on(rule)

    def without(
        self, items: list[T], where: str, why: Callable[[T], tuple[Rule, str] | None]
    ) -> list[T]:
        """`items` minus those `why` gives a rule and a reason against; each of those is
        reported in `corrected` as `where[i]`, dropped by that rule."""
        kept = []
        for i, item in enumerate(items):
            if (found := why(item)) is None:
                kept.append(item)
            else:
                rule, reason = found
                self.corrected.append(rule.note(f"{where}[{i}]", reason, "dropped"))
        return kept


T = TypeVar("T")


def ground(extraction: ExtractionBase, ctx: GroundingContext) -> GroundedParts:
    """Check every item against the article; keep what is grounded, report the rest."""
    out = GroundedParts(switches=ctx.switches)
    data: dict[str, Any] = extraction.model_dump()
    out.headline = _free_text(data["headline"].strip(), "headline", ctx, out, ctx.article.title)
    out.gist = _free_text(data["gist"].strip(), "gist", ctx, out, "")
    names = _ground_actors(data.get("actors", []), ctx, out)
    _add_salient(ctx, out, names)
    prop = data.get("proposal")
    if prop and prop["status"] != NO_PROPOSAL and _clean(prop["statement"], "proposal", ctx, out):
        evidence = cite_sentences(prop["evidence"], "proposal", ctx, out)
        if evidence:
            out.proposal = Proposal(
                statement=prop["statement"], status=prop["status"], evidence=evidence
            )
        elif not prop["evidence"]:
            reason = "the proposal cites no sentence"
            out.dropped.append(PROPOSAL_NO_EVIDENCE.note("proposal", reason, "dropped"))
    for i, step in enumerate(data.get("next_steps", [])):
        item = f"next_steps[{i}]"
        actor = names.get(fold_name(step["actor"])) if step["actor"] else None
        if step["actor"] and actor is None:
            reason = _not_listed(step, names)
            out.corrected.append(ACTOR_NOT_LISTED.note(f"{item}.actor", reason, "corrected"))
        evidence = cite_sentences(step["evidence"], item, ctx, out)
        if evidence and _clean(step["action"], item, ctx, out):
            evidence = best_support(step["action"], evidence, item, ctx, out)
            when = _grounded_when(step, evidence, item, out, ctx)
            out.next_steps.append(
                NextStep(
                    action=step["action"],
                    actor=actor,
                    when=when,
                    when_iso=resolve_when(when, ctx.article.date),
                    evidence=evidence,
                )
            )
    return out


def _ground_actors(
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
        out.participants.append(
            Participant(name=name, kind=a["kind"], role=a["role"] or None, aliases=aliases)
        )
        if a["stance"] == NO_STANCE:
            continue
        evidence = cite_sentences(a["evidence"], item, ctx, out)
        if evidence and _clean(a["summary"] or "", f"{item}.summary", ctx, out):
            summary = a["summary"] or f"{name}: {a['stance']}"
            stance = stance_from_summary(a["stance"], a["summary"] or "", item, out)
            out.positions.append(
                Position(actor=name, stance=stance, summary=summary, evidence=evidence)
            )
        elif not a["evidence"]:
            reason = "a stance without a cited sentence is not kept as a position"
            out.corrected.append(POSITION_NO_EVIDENCE.note(f"{item}.stance", reason, "dropped"))
    return names


def _add_salient(ctx: GroundingContext, out: GroundedParts, names: dict[str, str]) -> None:
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
        out.participants.append(Participant(name=cand, kind=kind, role=None, aliases=aliases))
        for form in [cand, *aliases]:
            names.setdefault(fold_name(form), cand)
        reason = f"added '{cand}': named {mentions} times"
        out.corrected.append(NAMED_OFTEN.note("participants", reason, "added"))


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
    r"\b(then-|former|ex-|late|who died|died in|retired|predecessor|left (?:government|office|"
    r"politics)|ancienne?|quitté|antigu[oa]|entonces|retirad[oa]|exministr[oa]|"
    r"expresident[ea]?|(?:has|have|had) not been involved|no (?:part|role) in)",
    re.IGNORECASE,
)
# Stronger: the actor's part is over (not only a former title, which a commentator has).
_PAST_ROLE = re.compile(
    r"\b(then-|who died|died in|retired|left (?:government|office|politics)|"
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


def organization_shaped(name: str) -> bool:
    """An organisation word ("Free Syrian Army", "Labour Party") or an acronym ("EU")."""
    return any(w in ORG_WORDS for w in _words(name)) or acronym(name)


_LEGAL_SUFFIX = rf"(?i:{'|'.join(sorted(COMPANY_SUFFIXES))})\.?(?!\w)"


# "Would not oppose it if ...", "will not stand in the way": a condition, not a rejection.
_NOT_OPPOSED = re.compile(
    r"\b((?:would|will|does|do) not (?:oppose|block|object)|not stand in the way)\b",
    re.IGNORECASE,
)
_STANCE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("conditional", _NOT_OPPOSED),
    (
        "conditional",
        re.compile(
            r"\b(only if|provided (?:that )?|unless|on condition|conditions?\b|as long as|"
            r"if (?:the|it|they)\b|demands?\b|insists?\b|once (?:the|its|our|their)\b|"
            r"must (?:still|first)\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "oppose",
        re.compile(
            r"\b(reject\w*|oppos\w*|against|critici[sz]\w*|refus\w*|condemn\w*|denounc\w*|"
            r"will not|won't|threaten\w*|warn\w*)",
            re.IGNORECASE,
        ),
    ),
    (
        "neutral",
        re.compile(
            r"\b(mediat\w*|neutral|no side|not endorse\w*|(?:opened|open|opens) a review|"
            r"investigat\w*|look carefully|(?:did|does|has) not take a position|no position)",
            re.IGNORECASE,
        ),
    ),
)


def stance_from_summary(stance: str, summary: str, item: str, out: GroundedParts) -> str:
    """Self-check: the model writes what the actor said before labelling it, then labels
    nearly everything 'support'; when its own summary says 'rejects' or 'only if', the
    label follows the summary."""
    if not out.on(STANCE_FROM_SUMMARY):
        return stance
    if stance == "oppose" and (m := _NOT_OPPOSED.search(summary)):
        reason = f"stance 'oppose' -> 'conditional': its summary says '{m.group(0)}'"
        out.corrected.append(STANCE_FROM_SUMMARY.note(f"{item}.stance", reason, "corrected"))
        return "conditional"
    if stance not in ("support", "unclear"):
        return stance
    for label, cue in _STANCE_CUES:
        if m := cue.search(summary):
            reason = f"stance '{stance}' -> '{label}': its summary says '{m.group(0)}'"
            out.corrected.append(STANCE_FROM_SUMMARY.note(f"{item}.stance", reason, "corrected"))
            return label
    return stance


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


def cite_sentences(
    cited: list[int], item: str, ctx: GroundingContext, out: GroundedParts
) -> list[Any]:
    """The cited sentences as verbatim Evidence; numbers that do not exist and sentences
    that address the model are reported in `out` instead."""
    injected = [n for n in cited if n in ctx.injections]
    if injected:
        cited = [n for n in cited if n not in ctx.injections]
        left = "" if cited else "; no citation left, item not kept"
        reason = f"sentence(s) {injected} address the model (prompt injection), not evidence{left}"
        action: NoteAction = "corrected" if cited else "dropped"
        out.corrected.append(INJECTED_SENTENCE.note(f"{item}.evidence", reason, action))
    evidence, bad = evidence_from_sentences(cited, ctx.sentences)
    if bad:
        kept = "kept the valid ones" if evidence else "no valid citation left, item dropped"
        has = f"the article has {len(ctx.sentences)} sentences"
        reason = f"cites sentence(s) {bad} but {has} ({kept})"
        left_some: NoteAction = "corrected" if evidence else "dropped"
        out.dropped.append(MISSING_SENTENCE.note(item, reason, left_some))
    return evidence


def _clean(
    text: str, item: str, ctx: GroundingContext, out: GroundedParts, replaced: bool = False
) -> bool:
    """False (and the item is not kept, or is `replaced`) when model text repeats an
    injected instruction."""
    number = ctx.injected(text)
    if number is None:
        return True
    reason = f"repeats the instruction in sentence {number} (prompt injection); not kept"
    action: NoteAction = "corrected" if replaced else "dropped"
    out.corrected.append(REPEATS_INJECTION.note(item, reason, action))
    return False


def _free_text(
    text: str, item: str, ctx: GroundingContext, out: GroundedParts, fallback: str | None
) -> str:
    """Headline and gist: replaced (by the article's title, or nothing) when they repeat
    an injected instruction."""
    return text if _clean(text, item, ctx, out, replaced=True) else (fallback or "")


def best_support(
    claim: str, evidence: list[Evidence], item: str, ctx: GroundingContext, out: GroundedParts
) -> list[Evidence]:
    """Self-check: when another sentence states the claim far better than the cited ones
    (a small model often cites the sentence next to the right one), cite that instead."""
    if not out.on(BEST_SENTENCE):
        return evidence
    scores = [
        -1.0 if s.number in ctx.injections else fuzz.token_set_ratio(claim, s.text)
        for s in ctx.sentences
    ]
    best = max(range(len(scores)), key=scores.__getitem__)
    cited = max(scores[e.sentence - 1] for e in evidence if e.sentence)
    if scores[best] < cited + REPICK_MARGIN:
        return evidence
    cited_numbers = [e.sentence for e in evidence]
    reason = f"cited sentence(s) {cited_numbers} do not state it; cited sentence {best + 1}"
    out.corrected.append(BEST_SENTENCE.note(f"{item}.evidence", reason, "corrected"))
    return evidence_from_sentences([best + 1], ctx.sentences)[0]


def _grounded_when(
    step: dict[str, Any], evidence: list[Any], item: str, out: GroundedParts, ctx: GroundingContext
) -> str | None:
    """Keep `when` only as the article states it and when it names a time; else take it
    from the action the model wrote (when that phrase is in the article), else from the
    cited sentences."""
    when, action = step["when"], step["action"]
    if not when:
        return None
    if not out.on(WHEN_AS_WRITTEN):
        return str(when)
    timed = says_a_time(when)
    if timed and fold_name(when) in ctx.folded_text:
        return str(when)
    problem = "is not in the article" if timed else "names no time"
    in_action = find_time_expression(action)
    found: str | None
    if in_action and fold_name(in_action) in ctx.folded_text:
        found, note = in_action, f"used '{in_action}' from the action"
    else:
        found = next((t for ev in evidence if (t := year_phrase(when, ev.quote))), None)
        found = found or next((t for ev in evidence if (t := find_time_expression(ev.quote))), None)
        note = f"used '{found}' from the cited sentence" if found else "set to null"
    reason = f"'{when}' {problem}; {note}"
    out.corrected.append(WHEN_AS_WRITTEN.note(f"{item}.when", reason, "corrected"))
    return found


def _not_listed(step: dict[str, Any], names: dict[str, str]) -> str:
    listed = ", ".join(sorted(set(names.values()))) or "none"
    return f"actor '{step['actor']}' is not a listed actor (listed: {listed}); set to null"
