"""The follow-up pass: one short second call about what the first pass tends to miss.

A small model stops listing actors and next steps early. Code finds the names that speak
or act in the article but are not yet participants, and the sentences that announce a
planned step (grounding/rules/cues.py); the model then answers a fixed question per name
and per sentence (a JSON object whose keys are fixed by the schema: nothing to forget,
nothing to invent). The answers are grounded like the first pass (followup_answer.py):
the evidence of a name is one of the sentence numbers shown for it, a step's evidence is
its own sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, create_model

from ..grounding.answer import StrictModel
from ..grounding.context import GroundedParts, GroundingContext
from ..grounding.participants import background_only, pairs_two_names
from ..grounding.rules.actors import NEWS_AGENCY, news_agency
from ..grounding.rules.cues import (
    MAX_NAMES,
    acting_names,
    speaking_sentences,
    step_sentences,
)
from ..grounding.rules.ground_rules import BACKGROUND_ONLY, PAIRS_TWO_NAMES
from ..grounding.rules.rule import Rule
from ..grounding.rules.speakers import quoted_person
from ..ingest.sentences import Sentence
from ..models import Kind, Participant, Stance
from ..prompt.language import language_note
from ..prompt.limits import names_problems
from ..prompt.templates import Template, load_template
from ..text.folding import fold_name

SHORT_TEXT_MAX = 80  # characters of a follow-up summary or action (wording.py cuts there)

SYSTEM_TEMPLATE = "followup.system.j2"
USER_TEMPLATE = "followup.user.j2"
_WHAT: Any = Literal["actor", "place", "news source", "past figure", "not involved"]
_STANCE: Any = Stance | Literal["none"]

# The checks `merge` makes on the follow-up answer (it also applies the `ground` rules
# evidence.*, text.repeats_injection, actors.pairs_two_names, positions.stance_from_summary).
CALL_FAILED = Rule(
    "followup.call_failed",
    "followup",
    "When the follow-up call fails (endpoint error, an answer cut off or off its schema), "
    "its answer is dropped and the first answer stands.",
    fixed=True,
)
NOT_AN_ACTOR = Rule(
    "followup.not_an_actor",
    "followup",
    "A name the follow-up answer calls a place, a news source, a past figure or not "
    "involved is not added as a participant.",
)
DEFINITION_ONLY = Rule(
    "followup.definition_only",
    "followup",
    "A follow-up position whose summary only says what its actor is ('X is an "
    "organization', or only its name) is not kept; the actor is.",
)
SPEAKER_STATEMENT = Rule(
    "followup.speaker_statement",
    "followup",
    "A follow-up position whose summary only says what its actor is is kept when a "
    "sentence shown for the actor quotes it as the speaker of a verb of saying ('Jan Berg "
    "said the levy ...', '\"...,\" said Jan Berg'): the summary becomes what that "
    "sentence says it said, in the article's words, citing that sentence.",
)
STEP_REPLACES = Rule(
    "followup.step_replaces",
    "followup",
    "A planned step from the follow-up answer replaces the first pass's step(s) citing the "
    "same sentence (the follow-up was asked about that sentence alone); switched off, the "
    "first pass's steps stand and the follow-up's step from that sentence is not added.",
)
LISTED_WITHOUT_POSITION = Rule(
    "followup.listed_without_position",
    "followup",
    "A listed participant that the finished answer would leave without a position (the "
    "model gave none, or finish rules drop each one it gave) is asked about in the "
    "follow-up call too, with the sentences where it speaks or acts; the position the "
    "follow-up answer grounds is added.",
)
MAX_LISTED = 6  # listed participants asked about, in the first answer's order
MAX_SPEAKERS = 3  # quoted people asked about beyond cues.MAX_NAMES acting names
QUOTED_SPEAKER = Rule(
    "followup.quoted_speaker",
    "followup",
    f"Beyond the {MAX_NAMES} names that act, up to {MAX_SPEAKERS} more people the article "
    "quotes as speakers ('Jan Berg said', 'said a union leader, Jan Berg', 'according to "
    "Jan Berg') are asked about; each one the answer calls an actor is added.",
)
UNASKED_SPEAKER = Rule(
    "followup.unasked_speaker",
    "followup",
    f"A person the article quotes as a speaker who is left out of the follow-up call by its "
    f"cap ({MAX_SPEAKERS} quoted people beyond the acting names) is added as a participant "
    "without a position (no answer gives its stance).",
)
SPEAKER_OWN_WORDS = Rule(
    "followup.speaker_own_words",
    "followup",
    "A person quoted as a speaker whom the follow-up answer gives no position (left out "
    "by the cap, or answered with no stance or an empty summary) gets one from the "
    "sentence that quotes them: the summary is what that sentence says they said ('Jan "
    "Berg: the levy ...'), citing it; the stance is 'neutral' (they comment; no answer "
    "gives a side) unless those words state one (positions.stance_from_summary's cues).",
)
TIMED_STEPS_KEPT = Rule(
    "followup.timed_steps_kept",
    "followup",
    "A follow-up step is not used when the first pass found several steps in its sentence, "
    "each with its own time ('by 2006 ..., by 2007 ...'); otherwise it replaces them.",
)


@dataclass(frozen=True)
class Plan:
    """What the follow-up call asks about: names (key -> name, sentences) and steps."""

    names: dict[str, tuple[str, list[Sentence]]]
    steps: list[Sentence]
    listed: frozenset[str] = frozenset()  # keys of names that are already participants
    speakers: frozenset[str] = frozenset()  # keys of people asked about as quoted speakers
    unasked: tuple[str, ...] = ()  # people quoted as speakers beyond the cap: not asked

    @property
    def empty(self) -> bool:
        return not self.names and not self.steps


def plan(ctx: GroundingContext, parts: GroundedParts, unplaced: Sequence[Participant] = ()) -> Plan:
    """Ask about names that act but are not listed, the `unplaced` participants (listed,
    no position) where they speak or act, and sentences that may announce a step."""
    known = [f for p in parts.participants for f in (p.name, *p.aliases)]
    # sentences that address the model (prompt injection) are never shown again
    sentences = [s for s in ctx.sentences if s.number not in ctx.injections]
    candidates = [n for n in ctx.candidates if not _not_asked(n, ctx, parts)]
    acting = list(acting_names(candidates, sentences, known, limit=len(candidates)).items())
    asked, speakers = acting[:MAX_NAMES], []
    unasked: tuple[str, ...] = ()
    if parts.on(QUOTED_SPEAKER):  # people quoted as speakers beyond the acting names
        beyond = [(n, s) for n, s in acting[MAX_NAMES:] if quoted_person(n, sentences, ctx)]
        speakers = beyond[:MAX_SPEAKERS]
        asked += speakers
        unasked = tuple(n for n, _ in beyond[MAX_SPEAKERS:]) if parts.on(UNASKED_SPEAKER) else ()
    listed: list[tuple[str, list[Sentence]]] = []
    for p in unplaced:
        if said := speaking_sentences([p.name, *p.aliases], sentences):
            listed.append((p.name, said))
    listed = listed[:MAX_LISTED]
    names = {f"a{i}": pair for i, pair in enumerate([*asked, *listed], start=1)}
    keys = frozenset(f"a{i}" for i in range(len(asked) + 1, len(names) + 1))
    quoted_keys = frozenset(f"a{i}" for i in range(len(asked) - len(speakers) + 1, len(asked) + 1))
    steps = step_sentences(sentences, ctx.article.date)
    return Plan(names=names, steps=steps, listed=keys, speakers=quoted_keys, unasked=unasked)


def unplaced(
    parts: GroundedParts,
    ctx: GroundingContext,
    finish: Callable[[GroundedParts, GroundingContext], None],
    rule: Rule = LISTED_WITHOUT_POSITION,
) -> list[Participant]:
    """The participants the finished answer would have no position for, or only one in
    their own words (followup.speaker_own_words): the finish phase (`finish`) runs on a
    copy of `parts` and its notes are thrown away. None while `rule` (the one that asks
    about them) is off (then nothing is run), and none when the finished answer has no
    proposal (proposal.nothing_at_stake): no stance to ask."""
    if not parts.on(rule):
        return []
    preview = parts.clone()
    finish(preview, ctx)
    if preview.proposal is None:
        return []
    # a position in a speaker's own words (SPEAKER_OWN_WORDS) has no stance from the
    # model: a per-actor call may still give one
    own_words = {n.item for n in parts.corrected if n.rule == SPEAKER_OWN_WORDS.id}
    placed = {fold_name(q.actor) for q in preview.positions if preview.path(q) not in own_words}
    return [p for p in preview.participants if fold_name(p.name) not in placed]


def _not_asked(name: str, ctx: GroundingContext, parts: GroundedParts) -> bool:
    """Names the rules would leave out whatever the answer: a past figure
    (actors.background_only), a news agency (participants.news_agency), two names joined
    by a hyphen (actors.pairs_two_names). Asking about them takes the place of an actor."""
    return (
        (parts.on(BACKGROUND_ONLY) and background_only(name, ctx))
        or (parts.on(NEWS_AGENCY) and news_agency(name))
        or (parts.on(PAIRS_TWO_NAMES) and pairs_two_names(name, ctx.candidates))
    )


def render(
    plan: Plan, ctx: GroundingContext, parts: GroundedParts
) -> tuple[list[Template], list[dict[str, str]]]:
    system, user = load_template(SYSTEM_TEMPLATE), load_template(USER_TEMPLATE)
    seen: set[int] = set()
    names = _blocks(plan.names, seen)
    article = ctx.article
    text = user.render(
        article_id=article.label,
        title=article.title or "(none)",
        date=article.date.isoformat() if article.date else "(unknown)",
        proposal=parts.proposal.statement if parts.proposal else "(none)",
        names=names or "(none)",
        steps="\n".join(f"(s{x.number}) {sentence_line(x)}" for x in plan.steps) or "(none)",
        candidates="; ".join(ctx.candidates) or "(none found)",
        language_note=language_note(article.text),
    )
    return [system, user], [
        {"role": "system", "content": system.render()},
        {"role": "user", "content": text},
    ]


def _blocks(asked: dict[str, tuple[str, list[Sentence]]], seen: set[int]) -> str:
    """'(a1) Name' and its sentences; a sentence shown before is '[n] (above)'."""
    blocks: list[str] = []
    for key, (name, sentences) in asked.items():
        lines = [
            f"  {sentence_line(x)}" if x.number not in seen else f"  [{x.number}] (above)"
            for x in sentences
        ]
        seen.update(x.number for x in sentences)
        blocks.append(f"({key}) {name}\n" + "\n".join(lines))
    return "\n".join(blocks)


def sentence_line(s: Sentence) -> str:
    """A sentence as the prompts show it: '[n] text' on one line."""
    return f"[{s.number}] " + " ".join(s.text.split())


def response_model(plan: Plan, candidates: list[str]) -> type[BaseModel]:
    """Fixed keys: one answer per name asked about (its evidence bounded to the sentences
    shown for it) and one per step sentence."""
    if names_left_out(plan, candidates):  # too many for a provider's enum limits
        candidates = []  # plain strings: `merge` keeps only a listed actor's name
    actor: Any = Literal[tuple(candidates)] if candidates else Annotated[str, Field(max_length=50)]
    fields: dict[str, Any] = {}
    if plan.names:
        answers: dict[str, Any] = {
            key: (_name_answer(key, [s.number for s in sentences]), ...)
            for key, (_, sentences) in plan.names.items()
        }
        fields["names"] = (create_model("Names", __base__=StrictModel, **answers), ...)
    if plan.steps:
        step = create_model(
            "StepAnswer",
            __base__=StrictModel,
            planned=(bool, ...),
            action=(Annotated[str, Field(max_length=SHORT_TEXT_MAX)], ...),
            actor=(actor | None, ...),
        )
        steps: dict[str, Any] = {f"s{s.number}": (step, ...) for s in plan.steps}
        fields["steps"] = (create_model("Steps", __base__=StrictModel, **steps), ...)
    return create_model("FollowUp", __base__=StrictModel, **fields)


def names_left_out(plan: Plan, candidates: list[str]) -> list[str]:
    """Why the follow-up schema has no enum of the article's names (prompt/limits.py), or []."""
    return names_problems(list(dict.fromkeys(candidates)), uses=1 if plan.steps else 0)


def _name_answer(key: str, shown: list[int]) -> type[BaseModel]:
    evidence: Any = Literal[tuple(shown)]
    return create_model(
        f"NameAnswer_{key}",
        __base__=StrictModel,
        what=(_WHAT, ...),
        kind=(Kind, ...),
        summary=(Annotated[str, Field(max_length=SHORT_TEXT_MAX)] | None, ...),
        stance=(_STANCE, ...),
        evidence=(evidence, ...),
    )
