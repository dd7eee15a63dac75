"""Next steps that say nothing are dropped, reported in `meta.dropped`.

A small model sometimes answers a next step with one bare word copied from the prompt's
list of kinds ("votes", "meetings"): no action, nothing a reader can use.
"""

from __future__ import annotations

import re

from .extraction import GroundedParts
from .models import NextStep

_WORD = re.compile(r"[^\W\d_]+")
MIN_ACTION_WORDS = 2


def drop_bare_steps(parts: GroundedParts) -> None:
    """Keep the next steps whose action has at least MIN_ACTION_WORDS words."""

    def why(step: NextStep) -> str | None:
        if len(_WORD.findall(step.action)) >= MIN_ACTION_WORDS:
            return None
        return f"the action '{step.action}' is a bare word, not a step"

    parts.next_steps = parts.without(parts.next_steps, "next_steps", why)
