"""The public data model: the single source of truth for schemas/*.json."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.1.1"

Status = Literal[
    "proposed", "under negotiation", "agreed", "adopted", "rejected", "withdrawn", "unclear"
]
Kind = Literal["person", "country", "organization", "group"]
Stance = Literal["support", "oppose", "conditional", "neutral", "unclear"]


class ClosedModel(BaseModel):  # every model of the output: unknown fields refused
    model_config = ConfigDict(extra="forbid")


class Evidence(ClosedModel):
    """A verbatim span of the article body, located by code: text[start:end] == quote."""

    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    sentence: int | None = Field(default=None, description="1-based sentence number")


class Proposal(ClosedModel):
    statement: str
    status: Status
    evidence: list[Evidence] = Field(min_length=1)


class Participant(ClosedModel):
    name: str
    kind: Kind
    role: str | None = None
    affiliation: str | None = None
    aliases: list[str] = Field(default_factory=list)


class Position(ClosedModel):
    actor: str = Field(description="The name of a listed participant")
    stance: Stance
    summary: str
    evidence: list[Evidence] = Field(min_length=1)


class NextStep(ClosedModel):
    action: str
    actor: str | None = Field(default=None, description="A listed participant, or null")
    when: str | None = Field(default=None, description="The time expression as stated")
    when_iso: dt.date | None = Field(default=None, description="Resolved from the article date")
    evidence: list[Evidence] = Field(min_length=1)


NoteAction = Literal["dropped", "corrected", "added"]


class Dropped(ClosedModel):
    """A note from a grounding rule: an item dropped, corrected or added by code.

    `rule` names the rule that wrote it (`communique rules` lists every rule with its
    phase and doc). `item` names where the item came from, whichever rule wrote the note
    and whatever was removed or reordered before it: the model's answer (`actors[4]` is
    its fifth actor, `next_steps[1]`, `proposal`, `headline`, `gist`), the follow-up
    answer's keys (`followup.names.a3`, `followup.steps.s14`), or, for an item code added,
    the article (`article.names['Ukraine']`, a name it writes often; `article.s14`, a step
    its sentence 14 states). A position is its actor's stance (`actors[4].stance`); a field
    follows the item (`actors[4].summary`, `next_steps[1].action`); a long article's notes
    start with their chunk (`chunk 2: actors[0].stance`).
    """

    item: str = Field(
        description="where the item came from, e.g. 'actors[2]', 'actors[2].stance', "
        "'followup.names.a1', 'article.s14'"
    )
    reason: str
    rule: str = Field(description="the id of the rule that wrote this note")
    action: NoteAction = Field(description="what the rule did to the item")


class PromptRef(ClosedModel):
    # frozen: one instance per template version is shared by every summary's meta
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    sha256: str


class Meta(ClosedModel):
    model: str
    endpoint: str
    strategy: str
    prompts: list[PromptRef]
    schema_version: str = SCHEMA_VERSION
    article_id: str | None = None
    article_sha256: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    attempts: int = 1  # answers to the main extraction request (1 + validation re-asks)
    calls: int = 1  # all model requests: the main call, its re-asks, the follow-up pass
    chunks: int = 1  # a long article is summarized in chunks, then merged
    transport_retries: int = 0
    dropped: list[Dropped] = Field(default_factory=list)
    degraded: str | None = Field(
        default=None,
        description="why this summary is less than the strategy makes (the follow-up call "
        "failed and the first answer stands); null when complete. A briefing does not cache "
        "a degraded summary, so a re-run tries again",
    )
    created_at: dt.datetime


class Summary(ClosedModel):
    """A structured, evidence-grounded summary of one news article."""

    headline: str
    gist: str = Field(description="2-3 sentences")
    proposal: Proposal | None = Field(description="null when the article has no proposal")
    participants: list[Participant]
    positions: list[Position]
    next_steps: list[NextStep]
    meta: Meta
