"""Next steps that say nothing are dropped, reported in `meta.dropped`.

A small model sometimes answers a next step with one bare word copied from the prompt's
list of kinds ("votes", "meetings"): no action, nothing a reader can use.
"""

from __future__ import annotations

import re

from .extraction import GroundedParts
from .models import Dropped

_WORD = re.compile(r"[^\W\d_]+")
MIN_ACTION_WORDS = 2


def drop_bare_steps(parts: GroundedParts) -> None:
    """Keep the next steps whose action has at least MIN_ACTION_WORDS words."""
    kept = []
    for i, step in enumerate(parts.next_steps):
        if len(_WORD.findall(step.action)) >= MIN_ACTION_WORDS:
            kept.append(step)
            continue
        reason = f"the action '{step.action}' is a bare word, not a step"
        parts.corrected.append(Dropped(item=f"next_steps[{i}]", reason=reason))
    parts.next_steps = kept
