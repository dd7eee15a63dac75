"""Next steps that say nothing, or that already happened, are dropped and reported in
`meta.dropped`.

A small model sometimes answers a next step with one bare word copied from the prompt's
list of kinds ("votes", "meetings"): no action, nothing a reader can use. It also lists
what was due "yesterday": a step whose date is before the article's is not a next step.
An action that only copies the words its sentence writes before the plan ("Trump
expressed impatience with the talks, so", from "..., saying his plan to raise tariffs on
1 June was set") becomes the plan's clause, with its time. A step with no time whose
action and sentence have no forward-looking word ("Insurance assessors are moving from
street to street") is no step.

(Two rules were deleted in 0.9.0 because they wrote no note on the seeds nor on the 13
real dev articles: an action saying there is no plan, "had no plans to", and one giving
a speaker's opinion, "I don't think it will", were dropped; evals/README.md, "Release
0.9.0".)
"""

from __future__ import annotations

import datetime as dt
import re

from ...models import NextStep
from ...text.dates import find_time_expression, resolve_when
from ...text.folding import cut_at_word
from ..context import GroundedParts
from .cues import plan_clause, states_a_plan
from .rule import Rule

_WORD = re.compile(r"[^\W\d_]+")
MIN_ACTION_WORDS = 2

BARE_WORD = Rule(
    "steps.bare_word",
    "finish",
    f"A next step whose action has fewer than {MIN_ACTION_WORDS} words ('meetings', "
    "'votes': a kind copied from the prompt) is dropped.",
)
NOTHING_AHEAD = Rule(
    "steps.nothing_ahead",
    "finish",
    "A next step with no time whose action and cited sentence have no forward-looking word "
    "(will, is to, plans to, next week ...) tells what is, not what will happen: dropped.",
)
PLAN_CLAUSE = Rule(
    "steps.plan_clause",
    "finish",
    "An action that only copies the words its sentence writes before the plan ('Trump "
    "expressed impatience with the talks, so') becomes the sentence's plan clause, with "
    "its time.",
)
PAST_TIME = Rule(
    "steps.past_time",
    "finish",
    "A next step dated before the article's date already happened: dropped.",
)


def drop_bare_steps(parts: GroundedParts) -> None:
    """Keep the next steps whose action has at least MIN_ACTION_WORDS words and that
    have a time or say what will happen."""

    def why(step: NextStep) -> tuple[Rule, str] | None:
        on = parts.on
        if on(BARE_WORD) and len(_WORD.findall(step.action)) < MIN_ACTION_WORDS:
            return BARE_WORD, f"the action '{step.action}' is a bare word, not a step"
        if on(NOTHING_AHEAD) and step.when is None and not _planned(step):
            reason = f"neither the action '{step.action}' nor its sentence says what will happen"
            return NOTHING_AHEAD, reason
        return None

    parts.next_steps = parts.without(parts.next_steps, why)


def drop_past_steps(parts: GroundedParts, article_date: dt.date | None) -> None:
    """Drop the next steps dated before the article."""
    if not parts.on(PAST_TIME):
        return

    def why(step: NextStep) -> tuple[Rule, str] | None:
        if article_date is None or step.when_iso is None or step.when_iso >= article_date:
            return None
        reason = f"'{step.when}' ({step.when_iso}) is before the article's date: not a next step"
        return PAST_TIME, reason

    parts.next_steps = parts.without(parts.next_steps, why)


def _planned(step: NextStep) -> bool:
    """A forward-looking word in the action or its sentence (will, is to, plans to...)."""
    return states_a_plan(step.action) or any(states_a_plan(e.quote) for e in step.evidence)


ACTION_MAX = 120  # characters of an action made from the sentence's plan clause


def refocus_steps(parts: GroundedParts, article_date: dt.date | None) -> None:
    """Replace (and report) actions that tell what came before their sentence's plan."""
    if not parts.on(PLAN_CLAUSE):
        return
    out = []
    for step in parts.next_steps:
        sentence = " ".join(step.evidence[0].quote.split())  # offsets below are in this
        plan = plan_clause(sentence)
        action = step.action.rstrip("…. ")
        head = " ".join(action.split()[:5]).casefold()
        at = sentence.casefold().find(head) if head else -1
        ends = at + len(action)
        if plan is None or states_a_plan(step.action) or not (at >= 0 and ends <= plan[0] + 4):
            out.append(step)
            continue
        new = cut_at_word(plan[1], ACTION_MAX)
        when = step.when if step.when and step.when in plan[1] else find_time_expression(plan[1])
        reason = f"the action '{step.action}' tells what came before the plan; now '{new}'"
        update = {"action": new, "when": when, "when_iso": resolve_when(when, article_date)}
        out.append(parts.correct(PLAN_CLAUSE, "action", reason, step, **update))
    parts.next_steps = out
