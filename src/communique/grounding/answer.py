"""The validated answer: what the model is asked to return, and `ground`, which turns it
into grounded Summary parts.

The model sees the article with numbered sentences and cites sentence numbers as
evidence; it never writes quotes itself. The response schema is built per article so
that sentence numbers are bounded (constrained decoding cannot cite a sentence that
does not exist), names are limited to names written in the article, and lists and
strings are capped (small models otherwise loop). Each actor carries its own stance, so
a position can never name someone missing from the participants.

The checks live beside it: context.py (the article being grounded, the parts and notes),
participants.py (the actors), evidence.py (cited sentences, injected text, `when`,
stances). The follow-up pass (pipeline/followup_answer.py) grounds its answers with the same
helpers: `cite_sentences`, `best_support`, `stance_from_summary` (evidence.py),
`background_only`, `surname_alias` (participants.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from ..models import (
    Kind,
    NextStep,
    Proposal,
    Stance,
    Status,
)
from ..text.dates import resolve_when
from ..text.folding import fold_name
from .context import GroundedParts, GroundingContext
from .evidence import (
    best_support,
    cite_sentences,
    clean_of_injection,
    free_text,
    grounded_when,
    not_listed_reason,
)
from .participants import add_salient, ground_actors
from .rules.ground_rules import (
    ACTOR_NOT_LISTED,
    PROPOSAL_NO_EVIDENCE,
)

Short = Annotated[str, Field(max_length=50)]
# Length caps in characters (wording.py tidies a text cut off at one)
HEADLINE_MAX = 100
STATEMENT_MAX = 200  # the proposal
TEXT_MAX = 120  # an actor's summary, a step's action
ROLE_MAX = 40
GIST_MAX = 320
NO_PROPOSAL = "no proposal"
MIN_ACTORS = 4
_PROPOSAL_STATUS: Any = Status | Literal["no proposal"]
_ACTOR_STANCE: Any = Stance | Literal["none"]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExtractionBase(StrictModel):
    """Fields common to every per-article response model; validated against the article."""

    # The article this model is checked against (see grounded_model). Carried by the class,
    # not by instructor's `context=`: with a context instructor renders every message as a
    # Jinja template, so an article's "{{ 7*7 }}" would reach the model as "49".
    grounding: ClassVar[GroundingContext | None] = None

    headline: Annotated[str, Field(max_length=HEADLINE_MAX)]
    gist: Annotated[str, Field(max_length=GIST_MAX)]

    @model_validator(mode="after")
    def _grounded(self) -> ExtractionBase:
        ctx = type(self).grounding
        if ctx is not None:
            problems = ground(self, ctx).dropped
            if problems:
                raise ValueError(ctx.reask_message(problems))
        return self


def build_response_model(
    n_sentences: int, candidates: Sequence[str] = (), *, loose: bool = False
) -> type[ExtractionBase]:
    """A response model whose evidence fields only admit sentence numbers 1..n and whose
    names only admit the candidate names found in the article (when there are any).

    `loose=True` gives the same shape without those bounds: the last answer is parsed
    with it after re-asks are exhausted, so grounding can drop the bad items one by one
    instead of failing the whole summary.
    """
    sid: Any = int if loose else Annotated[int, Field(ge=1, le=max(n_sentences, 1))]
    name: Any = Literal[tuple(candidates)] if candidates and not loose else Short
    cites = Annotated[list[sid], Field(max_length=3)]
    min_actors = 0 if loose else min(MIN_ACTORS, len(candidates))
    proposal = create_model(
        "ExtractedProposal",
        __base__=StrictModel,
        statement=(Annotated[str, Field(max_length=STATEMENT_MAX)], ...),
        status=(_PROPOSAL_STATUS, ...),
        evidence=(cites, ...),
    )
    actor = create_model(
        "ExtractedActor",
        __base__=StrictModel,
        name=(name, ...),
        kind=(Kind, ...),
        role=(Annotated[str, Field(max_length=ROLE_MAX)] | None, ...),
        aliases=(Annotated[list[name], Field(max_length=3)], ...),
        # summary first: the model states what the actor said, then classifies it
        summary=(Annotated[str, Field(max_length=TEXT_MAX)] | None, ...),
        stance=(_ACTOR_STANCE, ...),
        evidence=(cites, ...),
    )
    actors: Any = Annotated[
        list[actor], Field(max_length=8, json_schema_extra={"minItems": min_actors})
    ]
    step = create_model(
        "ExtractedNextStep",
        __base__=StrictModel,
        action=(Annotated[str, Field(max_length=TEXT_MAX)], ...),
        actor=(name | None, ...),
        when=(Annotated[str, Field(max_length=40)] | None, ...),
        evidence=(Annotated[list[sid], Field(min_length=1, max_length=2)], ...),
    )
    return create_model(
        "Extraction",
        __base__=ExtractionBase,
        proposal=(proposal, ...),
        # A small model stops after two or three actors; ask for at least four when the
        # article names that many (the eval shows central actors were being missed).
        # Schema only (it steers constrained decoding), not a validation rule: an endpoint
        # that returns fewer actors for a small article is not re-asked for it.
        actors=(actors, ...),
        next_steps=(Annotated[list[step], Field(max_length=6)], ...),
    )


def grounded_model(model: type[ExtractionBase], ctx: GroundingContext) -> type[ExtractionBase]:
    """The same response model, validated against this article (re-asked when it does not
    ground)."""
    return type(model.__name__, (model,), {"grounding": ctx, "__module__": model.__module__})


def ground(extraction: ExtractionBase, ctx: GroundingContext) -> GroundedParts:
    """Check every item against the article; keep what is grounded, report the rest."""
    out = GroundedParts(switches=ctx.switches)
    data: dict[str, Any] = extraction.model_dump()
    out.headline = free_text(data["headline"].strip(), "headline", ctx, out, ctx.article.title)
    out.gist = free_text(data["gist"].strip(), "gist", ctx, out, "")
    names = ground_actors(data.get("actors", []), ctx, out)
    add_salient(ctx, out, names)
    prop = data.get("proposal")
    if (
        prop
        and prop["status"] != NO_PROPOSAL
        and clean_of_injection(prop["statement"], "proposal", ctx, out)
    ):
        evidence = cite_sentences(prop["evidence"], "proposal", ctx, out)
        if evidence:
            proposal = Proposal(
                statement=prop["statement"], status=prop["status"], evidence=evidence
            )
            out.proposal = out.remember(proposal, "proposal")
        elif not prop["evidence"]:
            reason = "the proposal cites no sentence"
            out.dropped.append(PROPOSAL_NO_EVIDENCE.note("proposal", reason, "dropped"))
    for i, step in enumerate(data.get("next_steps", [])):
        item = f"next_steps[{i}]"
        actor = names.get(fold_name(step["actor"])) if step["actor"] else None
        if step["actor"] and actor is None:
            reason = not_listed_reason(step, names)
            out.corrected.append(ACTOR_NOT_LISTED.note(f"{item}.actor", reason, "corrected"))
        evidence = cite_sentences(step["evidence"], item, ctx, out)
        if evidence and clean_of_injection(step["action"], item, ctx, out):
            evidence = best_support(step["action"], evidence, item, ctx, out)
            when = grounded_when(step, evidence, item, out, ctx)
            when_iso = resolve_when(when, ctx.article.date)
            kept = NextStep(
                action=step["action"], actor=actor, when=when, when_iso=when_iso, evidence=evidence
            )
            out.add(out.next_steps, kept, item)
    return out
