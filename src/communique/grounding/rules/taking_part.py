"""A person the article has take part is a participant, even when no answer lists them.

The follow-up call asks about the names that say or act (`cues.ACTS`); the labelling
guide also keeps "central actors who took an active part": the official who drafted the
text, the leader expected to call, the minister pushing for the plan, the doctor
disappointed by it. Asking the model about more names changes its other answers by
chance (evals/README.md, 0.11.0, "tried"), so code adds these people after the follow-up,
without a position: a person's name (two to four words, a person by its shape) that no
answer lists and no rule left out, written in a sentence with a verb of saying, acting
or taking part (`cues.TAKES_PART`: 'is expected to', 'was due to', 'drafted', 'is
pushing', 'was involved', 'was disappointed', 'hopes', 'spoke').
"""

from __future__ import annotations

from ...models import Participant
from ...prompt.candidates import demonym
from ...text.folding import fold_name
from ..context import GroundedParts, GroundingContext
from ..participants import background_only, job_beside_name, plain
from .cues import TAKES_PART, acting_names
from .rule import Rule
from .speakers import only_after_of_or_in, person_name

PERSON_TAKES_PART = Rule(
    "participants.person_takes_part",
    "finish",
    "A person's name (two to four words) that no answer lists and no rule left out, "
    "written in a sentence with a verb of saying or acting or of taking part ('is "
    "expected to', 'was due to', 'drafted', 'is pushing', 'was involved', 'was "
    "disappointed', 'hopes'), is added as a participant without a position (not in an "
    "article with no proposal).",
)


def add_people_taking_part(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Add the persons the article has take part whom no answer lists."""
    if not parts.on(PERSON_TAKES_PART) or parts.proposal is None:
        return
    known = [f for p in parts.participants for f in (p.name, *p.aliases)]
    # the names a rule left out (the main answer's, the follow-up's, the finish phase's)
    notes = (*parts.dropped, *parts.corrected)
    decided = " ".join(n.reason for n in notes if n.action == "dropped")
    readable = [s for s in ctx.sentences if s.number not in ctx.injections]
    found = acting_names(ctx.candidates, readable, known, len(ctx.candidates), TAKES_PART)
    employers = parts.employers()
    for name in found:
        if not _person(name, ctx) or f"'{name}'" in decided or fold_name(name) in employers:
            continue
        if any(fold_name(name) == fold_name(p.name) for p in parts.participants):
            continue
        item = f"article.names[{name!r}]"
        parts.add(parts.participants, Participant(name=name, kind="person"), item)
        reason = f"added '{name}': the article has this person take part; no answer lists them"
        parts.corrected.append(PERSON_TAKES_PART.note(item, reason, "added"))


# The press reports; it is no participant (the labelling guide: "not reporters")
_REPORTER = r"editor|correspondent|reporter|journalist|columnist|commentator"


def _person(name: str, ctx: GroundingContext) -> bool:
    """A person's name (`speakers.person_name`), not opened by a demonym ('Iberian
    Peninsula'), not a reporter's, not only written after 'of' or 'in', not only a past
    figure's."""
    return (
        person_name(name, ctx)
        and not demonym(name.split()[0])
        and not job_beside_name(name, _REPORTER, plain(ctx.article.text))
        and not only_after_of_or_in([name], ctx.article.text)
        and not background_only(name, ctx)
    )
