"""Per-actor calls: one short question about each participant still without a position.

After the follow-up pass, a participant the finished answer would leave without a
position (the model gave none, or the finish rules drop each one it gave) is asked about
alone: the proposal, the sentences where it speaks or acts (grounding/rules/cues.py), and
three fixed keys to fill (summary, stance, evidence). A 1.5B model asked about six names
at once answers many with a name or a definition; asked about one, it says what that
actor said. The answer is grounded like the follow-up's: its evidence is one of the
sentence numbers shown, and the follow-up's checks on a summary apply (definition only,
prompt injection, positions.stance_from_summary).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, create_model

from ..grounding.answer import TEXT_MAX, StrictModel
from ..grounding.context import GroundedParts, GroundingContext
from ..grounding.rules.cues import speaking_sentences
from ..grounding.rules.ground_rules import REPEATS_INJECTION
from ..grounding.rules.rule import Rule
from ..grounding.rules.speakers import speaks
from ..ingest.sentences import Sentence
from ..models import Participant, Stance
from ..prompt.templates import Template, load_template
from .followup import sentence_line
from .followup_answer import place

SYSTEM_TEMPLATE = "actor.system.j2"
USER_TEMPLATE = "actor.user.j2"
MAX_ASKED = 8  # calls per article (about 5 s each on 2 cores), in the answer's order
SENTENCES_SHOWN = 4

ASKED = Rule(
    "followup.per_actor",
    "followup",
    "A participant that the finished answer would leave without a position after the "
    "follow-up call, and that speaks or acts in the article (the subject of a verb of "
    "saying or acting, or named after 'said'), is asked about alone in a short call (the "
    "proposal and up to 4 sentences that name it; at most 8 per article); the position "
    "that answer grounds is added.",
)
CALL_FAILED = Rule(
    "followup.per_actor_failed",
    "followup",
    "When a per-actor call fails (an answer off its schema or cut off), that actor stays "
    "without a position and the others are still asked; when the endpoint fails, the "
    "remaining actors are not asked.",
    fixed=True,
)


@dataclass(frozen=True)
class Question:
    """One per-actor call: the participant's name and the sentences shown for it."""

    number: int  # 1-based, names its notes: followup.actors.<number>
    name: str
    sentences: list[Sentence]

    @property
    def item(self) -> str:
        return f"followup.actors.{self.number}"


def questions(ctx: GroundingContext, unplaced: Sequence[Participant]) -> list[Question]:
    """The participants in `unplaced` (followup.unplaced: none while ASKED is off) that
    speak or act in the article (grounding/rules/speakers.py: the subject of a verb of
    saying or acting, or named after "said"), at most MAX_ASKED; each is shown the
    sentences that name it next to such a verb."""
    # sentences that address the model (prompt injection) are never shown again
    sentences = [s for s in ctx.sentences if s.number not in ctx.injections]
    found: list[tuple[str, list[Sentence]]] = []
    for p in unplaced:
        forms = [p.name, *p.aliases]
        if not speaks(forms, sentences):  # only named near a verb: asking costs a call
            continue
        if said := speaking_sentences(forms, sentences, SENTENCES_SHOWN):
            found.append((p.name, said))
    return [Question(i, n, s) for i, (n, s) in enumerate(found[:MAX_ASKED], start=1)]


def templates() -> list[Template]:
    return [load_template(SYSTEM_TEMPLATE), load_template(USER_TEMPLATE)]


def render(question: Question, ctx: GroundingContext, parts: GroundedParts) -> list[dict[str, str]]:
    system, user = templates()
    lines = "\n".join(sentence_line(s) for s in question.sentences)
    text = user.render(
        article_id=ctx.article.label,
        proposal=parts.proposal.statement if parts.proposal else "(none)",
        name=question.name,
        sentences=lines,
    )
    return [{"role": "system", "content": system.render()}, {"role": "user", "content": text}]


def response_model(question: Question) -> type[BaseModel]:
    """Three fixed keys; the evidence is one of the sentence numbers shown."""
    evidence: Any = Literal[tuple(s.number for s in question.sentences)]
    return create_model(
        "ActorAnswer",
        __base__=StrictModel,
        summary=(Annotated[str, Field(max_length=TEXT_MAX)], ...),
        stance=(Stance, ...),
        evidence=(evidence, ...),
    )


def merge(
    answer: BaseModel, question: Question, ctx: GroundingContext, parts: GroundedParts
) -> None:
    """Give the participant the position the answer grounds (followup_answer.place)."""
    reply: dict[str, Any] = answer.model_dump()
    if (number := ctx.injected(reply["summary"])) is not None:
        reason = f"repeats the instruction in sentence {number} (prompt injection)"
        parts.dropped.append(REPEATS_INJECTION.note(question.item, reason, "dropped"))
        return
    place(question.name, reply, question.item, ASKED, ctx, parts)
