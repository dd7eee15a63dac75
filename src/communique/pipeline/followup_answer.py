"""The follow-up answer, grounded: the actors and steps it adds to the first answer.

A name's answer adds the name as a participant (unless the answer calls it a place, a
news source, a past figure or not involved) and, when it says what the name said or did,
a position citing one of the sentences shown for it; a listed participant's answer only
gives it the position it lacked. A person the article quotes whom no answer places (not
asked, or answered with no stance) gets a position in the words the article quotes. A
step sentence's answer adds a next step citing that sentence, which replaces the first
pass's step from the same sentence. The rules these checks write their notes under are
defined with the request, in followup.py.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from ..grounding.context import NO_STANCE, GroundedParts, GroundingContext
from ..grounding.evidence import best_support, cite_sentences, stance_from_summary
from ..grounding.participants import surname_alias
from ..grounding.rules.cues import defines
from ..grounding.rules.ground_rules import REPEATS_INJECTION
from ..grounding.rules.rule import Rule
from ..grounding.rules.speakers import in_own_words, statement
from ..ingest.sentences import Sentence
from ..models import NextStep, Participant, Position
from ..text.dates import dates_the_saying, find_time_expression, resolve_when, time_expressions
from ..text.folding import fold_name
from .followup import (
    DEFINITION_ONLY,
    LISTED_WITHOUT_POSITION,
    NOT_AN_ACTOR,
    QUOTED_SPEAKER,
    SPEAKER_OWN_WORDS,
    SPEAKER_STATEMENT,
    STEP_REPLACES,
    TIMED_STEPS_KEPT,
    UNASKED_SPEAKER,
    Plan,
)

ACTOR = "actor"
_ABOVE = re.compile(r"\s*\(above\)")  # the prompt shows "[3] (above)" for a repeated sentence


def merge(answer: BaseModel, plan: Plan, ctx: GroundingContext, parts: GroundedParts) -> None:
    """Add the actors and steps the follow-up answer grounds; note what it leaves out."""
    data: dict[str, Any] = answer.model_dump()
    for part in ("names", "steps"):
        for key, reply in list((data.get(part) or {}).items()):
            text = reply.get("summary") or reply.get("action") or ""
            if (number := ctx.injected(text)) is not None:
                reason = f"repeats the instruction in sentence {number} (prompt injection)"
                item = f"followup.{part}.{key}"
                parts.dropped.append(REPEATS_INJECTION.note(item, reason, "dropped"))
                del data[part][key]
    for key, reply in (data.get("names") or {}).items():
        name, shown = plan.names[key]
        if key in plan.listed:
            _merge_listed(name, reply, key, shown, ctx, parts)
        else:
            _merge_name(name, reply, key, shown, ctx, parts, quoted=key in plan.speakers)
    readable = [s for s in ctx.sentences if s.number not in ctx.injections]
    for name in plan.unasked:
        item = f"article.names[{name!r}]"
        parts.add(parts.participants, Participant(name=name, kind="person"), item)
        reason = f"added '{name}': the article quotes this person as a speaker (not asked: cap)"
        parts.corrected.append(UNASKED_SPEAKER.note(item, reason, "added"))
        if position := _own_words(name, "not asked (cap)", readable, item, ctx, parts):
            parts.add_position(position, item)
    steps = data.get("steps") or {}
    for s in plan.steps:
        reply = steps.get(f"s{s.number}")
        if not reply or not _said(reply["action"]):
            continue
        if reply["planned"]:
            _merge_step(s, reply, ctx, parts)


def _said(text: str | None) -> bool:
    """Model text that says something (not empty, 'None', '(above)')."""
    plain = (text or "").strip().strip("().").casefold()
    return len(plain) > 3 and plain not in {"none", "null", "n/a", "above", "unknown"}


def _merge_name(
    name: str,
    reply: dict[str, Any],
    key: str,
    shown: list[Sentence],
    ctx: GroundingContext,
    parts: GroundedParts,
    quoted: bool = False,
) -> None:
    item = f"followup.names.{key}"
    if reply["what"] != ACTOR and parts.on(NOT_AN_ACTOR):
        reason = f"'{name}' left out: the follow-up pass calls it {reply['what']}"
        parts.corrected.append(NOT_AN_ACTOR.note(item, reason, "dropped"))
        return
    aliases = surname_alias(name, reply["kind"], ctx.candidates)
    parts.add(parts.participants, Participant(name=name, kind=reply["kind"], aliases=aliases), item)
    if quoted:
        reason = f"added '{name}': the article quotes this person as a speaker"
        parts.corrected.append(QUOTED_SPEAKER.note(item, reason, "added"))
    if position := _position(name, reply, item, ctx, parts, shown):
        parts.add_position(position, item)


def _merge_listed(
    name: str,
    reply: dict[str, Any],
    key: str,
    shown: list[Sentence],
    ctx: GroundingContext,
    parts: GroundedParts,
) -> None:
    """A listed participant asked about: only its position is new."""
    if reply["what"] in ("place", "news source"):
        return  # no position to take from a place or a source (the participant stays)
    place(name, reply, f"followup.names.{key}", LISTED_WITHOUT_POSITION, ctx, parts, shown)


def place(
    name: str,
    reply: dict[str, Any],
    item: str,
    rule: Rule,
    ctx: GroundingContext,
    parts: GroundedParts,
    shown: list[Sentence] | None = None,
) -> None:
    """Give the listed participant `name` the position an answer about it (`reply`:
    summary, stance, evidence) grounds, noted under `rule`; the position it has, which the
    finish rules drop, is replaced. `shown`: the sentences the answer was given for it."""
    if position := _position(name, reply, item, ctx, parts, shown or []):
        reason = f"'{name}' had no position kept; the answer about it gives one"
        parts.corrected.append(rule.note(f"{item}.stance", reason, "added"))
        # A position it has now is one the finish rules drop (that is why it was asked
        # about): left in, it would also push out the new one as a second position of
        # the same actor (participants.same_actor) before being dropped itself.
        forms = {fold_name(f) for p in parts.participants if p.name == name for f in p.aliases}
        forms.add(fold_name(name))
        doomed = f"replaced by the answer about '{name}': the finish rules drop it"
        parts.positions = parts.without(
            parts.positions,
            lambda q: (rule, doomed) if fold_name(q.actor) in forms else None,
        )
        parts.add_position(position, item)


def _position(
    name: str,
    reply: dict[str, Any],
    item: str,
    ctx: GroundingContext,
    parts: GroundedParts,
    shown: list[Sentence],
) -> Position | None:
    """The position a follow-up answer about `name` grounds, or None."""
    summary = _ABOVE.sub("", reply["summary"] or "")  # the prompt's marker, copied
    if reply["stance"] == NO_STANCE or not _said(summary):
        return _own_words(name, "the answer gives no stance", shown, item, ctx, parts)
    if parts.on(DEFINITION_ONLY) and (defines(summary) or fold_name(summary) == fold_name(name)):
        if parts.on(SPEAKER_STATEMENT) and (spoken := _spoken(name, shown, reply.get("evidence"))):
            reason = f"'{name}': the summary only said what it is; sentence {spoken[0]} quotes it"
            parts.corrected.append(SPEAKER_STATEMENT.note(f"{item}.summary", reason, "corrected"))
            return _in_own_words(name, spoken, reply["stance"], item, ctx, parts)
        reason = f"'{name}': no position kept, the summary only says what it is"
        parts.corrected.append(DEFINITION_ONLY.note(f"{item}.stance", reason, "dropped"))
        return None
    evidence = cite_sentences([reply["evidence"]], item, ctx, parts)
    stance = stance_from_summary(reply["stance"], summary, item, parts)
    return Position(actor=name, stance=stance, summary=summary, evidence=evidence)


def _own_words(
    name: str,
    why: str,
    shown: list[Sentence],
    item: str,
    ctx: GroundingContext,
    parts: GroundedParts,
) -> Position | None:
    """The position of a quoted speaker no answer places: what the first of the `shown`
    sentences that quotes `name` says it said, 'neutral' (it comments, taking no side the
    code can see) unless those words state a stance (followup.speaker_own_words)."""
    if not parts.on(SPEAKER_OWN_WORDS) or not (spoken := _spoken(name, shown)):
        return None
    reason = f"'{name}': {why}; sentence {spoken[0]} quotes it"
    parts.corrected.append(SPEAKER_OWN_WORDS.note(f"{item}.stance", reason, "added"))
    position = _in_own_words(name, spoken, "unclear", item, ctx, parts)
    if position.stance == "unclear":
        return position.model_copy(update={"stance": "neutral"})
    return position


def _spoken(name: str, shown: list[Sentence], cited: int | None = None) -> tuple[int, str] | None:
    """The first of the sentences shown for `name` (the `cited` one first) that quotes it
    as a speaker, with what it says there."""
    for sentence in sorted(shown, key=lambda s: s.number != cited):
        if said := statement(name, sentence):
            return sentence.number, said
    return None


def _in_own_words(
    name: str,
    spoken: tuple[int, str],
    stance: str,
    item: str,
    ctx: GroundingContext,
    parts: GroundedParts,
) -> Position:
    """`name`'s position in the words sentence `spoken` quotes it saying, citing that
    sentence, with `stance` checked against those words."""
    number, said = spoken
    evidence = cite_sentences([number], item, ctx, parts)
    checked = stance_from_summary(stance, said, item, parts)
    summary = in_own_words(name, said)
    return Position(actor=name, stance=checked, summary=summary, evidence=evidence)


def _merge_step(
    sentence: Sentence, reply: dict[str, Any], ctx: GroundingContext, parts: GroundedParts
) -> None:
    """A planned step replaces a first-pass step citing the same sentence (the follow-up
    answer was about that sentence alone), unless the first pass found several steps there
    with different times ('by 2006 ..., by 2007 ...')."""
    item = f"followup.steps.s{sentence.number}"
    evidence = cite_sentences([sentence.number], item, ctx, parts)
    # an answer put under the wrong key states another sentence: cite that one
    evidence = best_support(reply["action"], evidence, item, ctx, parts)
    sentence = ctx.sentences[(evidence[0].sentence or sentence.number) - 1]
    names = _name_map(parts)
    actor = names.get(fold_name(reply["actor"])) if reply["actor"] else None
    when = _when(reply["action"], sentence.text)
    step = NextStep(
        action=reply["action"],
        actor=actor,
        when=when,
        when_iso=resolve_when(when, ctx.article.date),
        evidence=evidence,
    )
    parts.remember(step, item)
    same = [
        i
        for i, old in enumerate(parts.next_steps)
        if any(e.sentence == sentence.number for e in old.evidence)
    ]
    if parts.on(TIMED_STEPS_KEPT) and len({parts.next_steps[i].when for i in same} - {None}) > 1:
        reason = (
            f"the first pass found {len(same)} steps in sentence {sentence.number}, "
            "each with its own time; kept"
        )
        parts.corrected.append(TIMED_STEPS_KEPT.note(item, reason, "dropped"))
        return
    if same and not parts.on(STEP_REPLACES):
        return  # the first pass's step(s) from this sentence stand
    if same:
        reason = (
            f"the first pass's step(s) from sentence {sentence.number} replaced by the "
            "follow-up's answer about that sentence alone"
        )
        parts.corrected.append(STEP_REPLACES.note(item, reason, "corrected"))
        parts.next_steps[same[0]] = step
        for i in reversed(same[1:]):
            del parts.next_steps[i]
    else:
        parts.next_steps.append(step)
    parts.next_steps.sort(key=lambda st: min((e.start for e in st.evidence), default=0))


def _name_map(parts: GroundedParts) -> dict[str, str]:
    return {fold_name(f): p.name for p in parts.participants for f in (p.name, *p.aliases)}


# A time after one of these is past: "following Saturday's meeting", "seit dem 3. Juni"
_PAST = (
    r"\b(?:following|after|since|last|earlier|"
    r"seit(?: dem)?|nach(?: dem)?|letzte[nmrs]?|vergangene[nmrs]?)\s+$"
)


def _when(action: str, sentence: str) -> str | None:
    """The time as the article words it: the one the action repeats, else the sentence's
    first one."""
    in_action = find_time_expression(action)
    if in_action and fold_name(in_action) in fold_name(sentence):
        return in_action
    for m in time_expressions(sentence):
        before = sentence[max(0, m.start() - 12) : m.start()].casefold()
        after = sentence[m.end() : m.end() + 2]
        past = re.search(_PAST, before) or re.match(r"(?:after|since)\b", m.group(0), re.IGNORECASE)
        if past or after in ("'s", "’s"):
            continue  # "Following Saturday's meeting", "Earlier on Friday": a past event
        if dates_the_saying(sentence, m.start()):
            continue  # "said on Tuesday that ...": when it was said
        return m.group(0)
    return None
