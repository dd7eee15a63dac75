"""Named grounding rules: what a note in `meta.dropped` comes from.

Each check that drops, corrects or adds an item is a `Rule`: an id
(`positions.copied_summary`), the phase it runs in, a one-paragraph doc, and whether it
can be switched off. Every note a rule writes (`Rule.note`) carries the rule's id and an
action (`dropped`, `corrected`, `added`). The rules are defined next to the code that
applies them; `registry.py` declares the phases as ordered tuples and is what
`communique rules` lists.

Phases, in the order they run:

- `ground`: the main answer is checked against the article (grounding/answer.py); indexes in
  a note's item refer to the model's answer (`actors[2]` is the answer's third actor).
- `followup`: the follow-up answer is merged (pipeline/followup.py); items name its keys
  (`followup.names.a1`, `followup.steps.s14`).
- `finish`: the grounded parts are checked as a whole, one step after another
  (registry.FINISH); indexes refer to the summary's lists as they stood when the rule
  ran: an earlier step of the phase may have removed items.
- `merge`: the summaries of a long article's chunks become one (pipeline/merge.py); items are
  prefixed with the chunk (`chunk 2: positions[0]`).

A `fixed` rule enforces a guarantee of the output (every quote is the article's, every
name is written in it, an instruction in the article is never evidence): it cannot be
switched off. Any other rule can (`Settings.disabled_rules`,
`communique eval --without RULE`), and is then skipped entirely.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ...models import Dropped, NoteAction

Phase = Literal["ground", "followup", "finish", "merge"]
PHASES: tuple[Phase, ...] = ("ground", "followup", "finish", "merge")


@dataclass(frozen=True)
class Rule:
    id: str
    phase: Phase
    doc: str
    fixed: bool = False  # enforces a guarantee: cannot be switched off

    def note(self, item: str, reason: str, action: NoteAction) -> Dropped:
        """A note for `meta.dropped` that names this rule."""
        return Dropped(item=item, reason=reason, rule=self.id, action=action)


@dataclass(frozen=True)
class Switches:
    """Which rules are off for one summary (from `Settings.disabled_rules`)."""

    disabled: frozenset[str] = frozenset()

    def on(self, rule: Rule) -> bool:
        return rule.fixed or rule.id not in self.disabled


ALL_ON = Switches()
