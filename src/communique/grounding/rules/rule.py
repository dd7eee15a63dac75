"""Named grounding rules: what a note in `meta.dropped` comes from.

Each check that drops, corrects or adds an item is a `Rule`: an id
(`positions.copied_summary`), the phase it runs in, a one-paragraph doc, and whether it
can be switched off. Every note a rule writes (`Rule.note`) carries the rule's id and an
action (`dropped`, `corrected`, `added`). The rules are defined next to the code that
applies them; `registry.py` declares the phases as ordered tuples and is what
`communique rules` lists.

Phases, in the order they run:

- `ground`: the main answer is checked against the article (grounding/answer.py).
- `followup`: the follow-up answer is merged (pipeline/followup_answer.py).
- `finish`: the grounded parts are checked as a whole, one step after another
  (registry.FINISH).
- `merge`: the summaries of a long article's chunks become one (pipeline/merge.py).

In every phase a note's item names where the item came from, not its place in a list
that earlier rules may have shortened or reordered: the model's answer (`actors[2]` is
the answer's third actor; its position is `actors[2].stance`), the follow-up answer's keys
(`followup.names.a1`, `followup.steps.s14`), the article for what code added
(`article.names['Ukraine']`, `article.s14`); a field follows it (`actors[2].role`), and a
long article's chunk precedes it (`chunk 2: next_steps[0]`). Grounding records each
item's origin as it makes the item (context.py's `GroundedParts`: `add`,
`add_position`), and a rule that changes an item keeps it (`copy`, `correct`, `follow`)
and names it by it (`path`, `without`).

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
