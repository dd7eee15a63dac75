"""What a variant produced for one document, in one lenient shape the metrics read.

The pipeline's Summary converts losslessly. The naive baseline's raw JSON is parsed
leniently (`naive_output`): whatever has the right shape is kept, evidence
quotes are located in the article with `locate_quote`, and a quote that cannot be found
keeps offsets -1, so it counts as ungrounded instead of being dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..ingest.article import Article
from ..models import Kind, Stance, Status, Summary
from ..text.folding import locate_quote


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class OutEvidence(_Out):
    quote: str
    start: int = -1  # -1: not found in the article
    end: int = -1


class OutProposal(_Out):
    statement: str = ""
    status: str = "unclear"
    evidence: list[OutEvidence] = Field(default_factory=list)


class OutParticipant(_Out):
    name: str
    kind: str | None = None
    aliases: list[str] = Field(default_factory=list)


class OutPosition(_Out):
    actor: str
    stance: str = "unclear"
    summary: str = ""
    evidence: list[OutEvidence] = Field(default_factory=list)


class OutNextStep(_Out):
    action: str = ""
    actor: str | None = None
    when: str | None = None
    when_iso: dt.date | None = None
    evidence: list[OutEvidence] = Field(default_factory=list)


class Output(_Out):
    """One variant's answer for one document, plus how it was obtained."""

    headline: str = ""
    gist: str = ""
    proposal: OutProposal | None = None
    participants: list[OutParticipant] = Field(default_factory=list)
    positions: list[OutPosition] = Field(default_factory=list)
    next_steps: list[OutNextStep] = Field(default_factory=list)
    schema_valid: bool = True
    error: str | None = None
    attempts: int = 1
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    dropped: int = 0
    # the rule of each note in meta.dropped (for `eval --without`; not in the reports)
    rules: list[str] = Field(default_factory=list, exclude=True)

    @classmethod
    def from_summary(cls, summary: Summary) -> Output:
        data = summary.model_dump(mode="json")
        meta = data.pop("meta")
        return cls.model_validate(
            {
                **data,
                "attempts": meta["attempts"],
                "prompt_tokens": meta["prompt_tokens"],
                "completion_tokens": meta["completion_tokens"],
                "latency_s": meta["latency_s"],
                "dropped": len(meta["dropped"]),
                "rules": [note["rule"] for note in meta["dropped"]],
            }
        )

    def quotes(self) -> list[OutEvidence]:
        items: list[Any] = [self.proposal, *self.positions, *self.next_steps]
        return [e for item in items if item is not None for e in item.evidence]


# The shape the naive prompt asks for; an answer that validates is "schema-valid".
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _NaiveProposal(_Strict):
    statement: str
    status: Status
    evidence: list[str]


class _NaiveParticipant(_Strict):
    name: str
    kind: Kind
    role: str | None = None
    aliases: list[str]


class _NaivePosition(_Strict):
    actor: str
    stance: Stance
    summary: str
    evidence: list[str]


class _NaiveStep(_Strict):
    action: str
    actor: str | None
    when: str | None
    when_iso: dt.date | None
    evidence: list[str]


class NaiveAnswer(_Strict):
    headline: str
    gist: str
    proposal: _NaiveProposal | None
    participants: list[_NaiveParticipant]
    positions: list[_NaivePosition]
    next_steps: list[_NaiveStep]


def naive_output(content: str, article: Article, **usage: float) -> Output:
    """The naive baseline's raw answer for one document, parsed leniently; `usage` sets
    Output's cost fields (attempts, prompt_tokens, completion_tokens, latency_s)."""
    data = _parse_json(content)
    if not isinstance(data, dict):
        not_json = {"schema_valid": False, "error": "the answer is not a JSON object"}
        return Output.model_validate({**usage, **not_json})
    try:
        NaiveAnswer.model_validate(data)
        valid, error = True, None
    except ValidationError as exc:
        valid, error = False, f"{exc.error_count()} schema error(s)"
    fields = _lenient(data, article.text)
    return Output.model_validate({**fields, **usage, "schema_valid": valid, "error": error})


def _parse_json(content: str) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        found = re.search(r"\{.*\}", content, re.DOTALL)  # JSON inside prose or fences
        if found:
            try:
                return json.loads(found.group(0))
            except ValueError:
                return None
    return None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _dicts(value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value] if value else []
    return [item if isinstance(item, dict) else {"name": item} for item in items if item]


def _evidence(value: Any, text: str) -> list[dict[str, Any]]:
    quotes = value if isinstance(value, list) else [value]
    out = []
    for quote in [q for q in quotes if _text(q)]:
        span = locate_quote(quote, text)
        if span:  # found (modulo whitespace and quote style): keep the article's exact span
            out.append({"quote": text[span[0] : span[1]], "start": span[0], "end": span[1]})
        else:
            out.append({"quote": quote, "start": -1, "end": -1})
    return out


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _lenient(data: dict[str, Any], text: str) -> dict[str, Any]:
    """Keep every item whose essential field is present; coerce the rest."""
    prop = data.get("proposal")
    if isinstance(prop, str):
        prop = {"statement": prop}
    proposal = None
    if isinstance(prop, dict) and _text(prop.get("statement")):
        proposal = {
            "statement": _text(prop["statement"]),
            "status": _text(prop.get("status")) or "unclear",
            "evidence": _evidence(prop.get("evidence"), text),
        }
    participants = [
        {
            "name": _text(p.get("name")),
            "kind": _text(p.get("kind")),
            "aliases": [a for a in p.get("aliases") or [] if _text(a)]
            if isinstance(p.get("aliases"), list)
            else [],
        }
        for p in _dicts(data.get("participants"))
        if _text(p.get("name"))
    ]
    positions = [
        {
            "actor": _text(p.get("actor")),
            "stance": _text(p.get("stance")) or "unclear",
            "summary": _text(p.get("summary")) or "",
            "evidence": _evidence(p.get("evidence"), text),
        }
        for p in _dicts(data.get("positions"))
        if _text(p.get("actor"))
    ]
    steps = [
        {
            "action": _text(s.get("action")) or "",
            "actor": _text(s.get("actor")),
            "when": _text(s.get("when")),
            "when_iso": _date(s.get("when_iso")),
            "evidence": _evidence(s.get("evidence"), text),
        }
        for s in _dicts(data.get("next_steps"))
        if _text(s.get("action"))
    ]
    return {
        "headline": _text(data.get("headline")) or "",
        "gist": _text(data.get("gist")) or "",
        "proposal": proposal,
        "participants": participants,
        "positions": positions,
        "next_steps": steps,
    }
