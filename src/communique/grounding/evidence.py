"""Evidence for an answer's items: cited sentences checked and re-picked, text that repeats
an injected instruction, `when` as the article writes it, a stance that follows its own
summary."""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from ..models import (
    Evidence,
    NoteAction,
)
from ..text.dates import (
    dates_the_saying,
    find_time_expression,
    month_phrase,
    says_a_time,
    time_expressions,
    year_phrase,
)
from ..text.folding import evidence_from_sentences, fold_name
from .context import GroundedParts, GroundingContext
from .rules.ground_rules import (
    BEST_SENTENCE,
    INJECTED_SENTENCE,
    MISSING_SENTENCE,
    REPEATS_INJECTION,
    REPICK_MARGIN,
    STANCE_FROM_SUMMARY,
    WHEN_AS_WRITTEN,
)

# "Would not oppose it if ...", "will not stand in the way": a condition, not a rejection.
_NOT_OPPOSED = re.compile(
    r"\b((?:would|will|does|do) not (?:oppose|block|object)|not stand in the way)\b",
    re.IGNORECASE,
)
# A refusal of the proposal itself: 'conditional' without a condition is 'oppose'.
_REFUSAL = re.compile(
    r"\b(?:will not|won't|would not|does not|do not|did not) (?:support|back|vote for|accept)\b|"
    r"\b(?:vote|voted|votes|voting) against\b|\breject(?:s|ed)?\b",
    re.IGNORECASE,
)
# A refusal on a condition ("rejected binding cuts if they were not funded", "will not sign
# unless ...") backs the plan once the condition is met: 'conditional', not 'oppose'.
_REFUSED_UNLESS = re.compile(
    r"\b(?:reject\w*|refus\w*|oppos\w*|(?:will|would) not (?:accept|support|back|sign))\b"
    r"[^.;]{0,200}?\b(?:unless|only if|if (?:\w+ ){0,6}?(?:not|no)\b)",
    re.IGNORECASE,
)
_STANCE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("conditional", _NOT_OPPOSED),
    (
        "conditional",
        re.compile(
            r"\b(only if|provided (?:that )?|unless|on condition|conditions?\b|as long as|"
            # "if" sets a condition, except "even if", "as if" and "if approved" (a threat)
            r"(?<!even )(?<!as )(?<!what )\bif\b"
            r"(?! (?:it is |it's )?(?:approved|passed|adopted|enacted))|"
            # "demands" sets one, "supply and demand" does not
            r"(?<!supply/)(?<!supply )(?<!supply and )demands?\b|insists?\b|"
            r"once (?:the|its|our|their)\b|must (?:still|first)\b|subject to\b|"
            r"(?:depends?|depending|depended|dependent|contingent|conditional) (?:up)?on\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "oppose",
        re.compile(
            r"\b(reject\w*|oppos\w*|against|critici[sz]\w*|refus\w*|condemn\w*|denounc\w*|"
            r"will not|won't|would not (?:agree|accept|support|back|sign|join)\b|threaten\w*|"
            # criticised as too weak: "ignores the wetlands", "falls short", "insufficient"
            r"warn\w*|ignor(?:es|ed|ing)\b|(?:falls?|fell) short|insufficient)",
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
    (  # last: an 'unclear' stance whose words back it (none of the cues above said more)
        "support",
        re.compile(
            r"\b(welcom\w*|prais\w*|hail\w*|endors\w*|(?:not pessimistic|optimistic|hopeful)\b|"
            r"urg\w* (?:\w+ ){0,3}to (?:accept|abide|respect|implement|agree|join|sign|approve))",
            re.IGNORECASE,
        ),
    ),
)
CONDITION_CUES = tuple(cue for label, cue in _STANCE_CUES if label == "conditional")
# A concession states what someone else did or what stands in the way, not the stance:
# "X believes Y will sign, even though Y has refused to talk to X"
_CONCESSION = re.compile(r"\b(?:even though|although|even as)\b[^,;.]*", re.IGNORECASE)


def stance_from_summary(stance: str, summary: str, item: str, out: GroundedParts) -> str:
    """Self-check: the model writes what the actor said before labelling it, then labels
    nearly everything 'support'; when its own summary says 'rejects' or 'only if', the
    label follows the summary."""
    if not out.on(STANCE_FROM_SUMMARY) or not (turn := stance_cue(stance, summary)):
        return stance
    label, said = turn
    unless = ", no condition" if stance == "conditional" else ""
    reason = f"stance '{stance}' -> '{label}': its summary says '{said}'{unless}"
    out.corrected.append(STANCE_FROM_SUMMARY.note(f"{item}.stance", reason, "corrected"))
    return label


def stance_cue(stance: str, text: str) -> tuple[str, str] | None:
    """The stance `text` states against `stance` ('rejects', 'only if', 'mediates' ...),
    with the words that state it; None when it states none or the same."""
    if stance == "oppose" and (m := _NOT_OPPOSED.search(text) or _REFUSED_UNLESS.search(text)):
        return "conditional", m.group(0)
    refusal = _REFUSAL.search(text) if stance == "conditional" else None
    if refusal and not any(cue.search(text) for cue in CONDITION_CUES):
        return "oppose", refusal.group(0)
    if stance not in ("support", "unclear"):
        return None
    text = _CONCESSION.sub(" ", text)
    for label, cue in _STANCE_CUES:
        if label == stance:
            break
        if m := cue.search(text):
            return label, m.group(0)
    return None


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


def clean_of_injection(
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


def free_text(
    text: str, item: str, ctx: GroundingContext, out: GroundedParts, fallback: str | None
) -> str:
    """Headline and gist: replaced (by the article's title, or nothing) when they repeat
    an injected instruction."""
    return text if clean_of_injection(text, item, ctx, out, replaced=True) else (fallback or "")


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


def grounded_when(
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
        if (said := _saying_day(str(when), evidence)) is None:
            return str(when)
        later, quote = said
        note = f"used '{later}', written after it" if later else "set to null"
        reason = f"'{when}' dates the saying in its sentence ('{quote}'); {note}"
        out.corrected.append(WHEN_AS_WRITTEN.note(f"{item}.when", reason, "corrected"))
        return later
    problem = "is not in the article" if timed else "names no time"
    in_action = find_time_expression(action)
    found: str | None
    if in_action and fold_name(in_action) in ctx.folded_text:
        found, note = in_action, f"used '{in_action}' from the action"
    else:
        found = next((t for ev in evidence if (t := year_phrase(when, ev.quote))), None)
        found = found or next((t for ev in evidence if (t := month_phrase(when, ev.quote))), None)
        found = found or next((t for ev in evidence if (t := find_time_expression(ev.quote))), None)
        note = f"used '{found}' from the cited sentence" if found else "set to null"
    reason = f"'{when}' {problem}; {note}"
    out.corrected.append(WHEN_AS_WRITTEN.note(f"{item}.when", reason, "corrected"))
    return found


def _saying_day(when: str, evidence: list[Any]) -> tuple[str | None, str] | None:
    """When a cited sentence writes `when` right after its verb of saying ("said on
    Tuesday that ..."): the time it writes after that one (None if none), and the words;
    None when `when` is not written so."""
    for ev in evidence:
        times = time_expressions(ev.quote)
        for i, m in enumerate(times):
            if fold_name(m.group(0)) == fold_name(when) and dates_the_saying(ev.quote, m.start()):
                words = ev.quote[max(0, m.start() - 20) : m.end()].strip()
                return (times[i + 1].group(0) if i + 1 < len(times) else None), words
    return None


def not_listed_reason(step: dict[str, Any], names: dict[str, str]) -> str:
    listed = ", ".join(sorted(set(names.values()))) or "none"
    return f"actor '{step['actor']}' is not a listed actor (listed: {listed}); set to null"
