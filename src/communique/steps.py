"""Next steps that say nothing, or that already happened, are dropped and reported in
`meta.dropped`.

A small model sometimes answers a next step with one bare word copied from the prompt's
list of kinds ("votes", "meetings"): no action, nothing a reader can use. It also lists
what was due "yesterday": a step whose date is before the article's is not a next step.
And an action saying there is no plan ("the government had no plans to legislate") is
the absence of a step.
"""

from __future__ import annotations

import datetime as dt
import re

from .extraction import GroundedParts
from .models import NextStep

_WORD = re.compile(r"[^\W\d_]+")
MIN_ACTION_WORDS = 2
_NO_PLAN = re.compile(r"\b(?:no|not any) (?:plans?|intention)\b|\bnot plan(?:ning)?\b", re.I)


def drop_bare_steps(parts: GroundedParts) -> None:
    """Keep the next steps whose action has at least MIN_ACTION_WORDS words and does not
    say that nothing is planned."""

    def why(step: NextStep) -> str | None:
        if len(_WORD.findall(step.action)) < MIN_ACTION_WORDS:
            return f"the action '{step.action}' is a bare word, not a step"
        if _NO_PLAN.search(step.action):
            return f"the action '{step.action}' says nothing is planned"
        return None

    parts.next_steps = parts.without(parts.next_steps, "next_steps", why)


def drop_past_steps(parts: GroundedParts, article_date: dt.date | None) -> None:
    """Drop the next steps dated before the article."""

    def why(step: NextStep) -> str | None:
        if article_date is None or step.when_iso is None or step.when_iso >= article_date:
            return None
        return f"'{step.when}' ({step.when_iso}) is before the article's date: not a next step"

    parts.next_steps = parts.without(parts.next_steps, "next_steps", why)
