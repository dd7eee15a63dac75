"""The main call's response model, built once instead of once per article.

`build_response_model()` makes a pydantic model per article (its sentence numbers and
names are the article's), and instructor wraps and walks it again on every call: together
more Python time than the HTTP round trip to a fast endpoint (bench/README.md). Here one
model, built at import, answers for every article:

- the request's JSON schema is the per-article schema, patched from a cached template
  (`request_schema`; a test checks it equals the per-article model's schema);
- an answer is parsed with the article-independent shape, then checked against the
  article's sentence numbers, names and grounding in code;
- an answer that fails any of that is validated again by the per-article model, so the
  error instructor re-asks with is, word for word, the one that model gives.

The article rides on a context variable set by `asking()` around the instructor call
(not on instructor's `context=`: with one, instructor renders messages as Jinja).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import instructor
from pydantic import PrivateAttr, ValidationError

from ..grounding.answer import (
    MIN_ACTORS,
    ExtractionBase,
    build_response_model,
    ground,
    grounded_model,
)
from ..grounding.context import GroundedParts, GroundingContext
from .limits import names_problems

_MARK = "\x00name"  # stands for the article's names in the cached schema templates
NAME_FIELDS = 3  # enum properties of names: an actor's name, its aliases, a step's actor


@dataclass(frozen=True)
class _Ask:
    context: GroundingContext
    schema: dict[str, Any]

    def strict_model(self) -> type[ExtractionBase]:
        ctx = self.context
        return grounded_model(build_response_model(len(ctx.sentences), ctx.candidates), ctx)


_ASK: ContextVar[_Ask | None] = ContextVar("communique_ask", default=None)

LooseExtraction = build_response_model(1, loose=True)
"""The shape of every answer without the article's bounds (also used after re-asks are
exhausted, so grounding can drop bad items one by one)."""


class Extraction(LooseExtraction, instructor.OpenAISchema):  # type: ignore[misc, valid-type]
    # The response model instructor is given for the main call (see the module doc). No
    # docstring: pydantic would put it in the schema as a description.

    _parts: GroundedParts | None = PrivateAttr(default=None)

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        ask = _ASK.get()
        return ask.schema if ask is not None else super().model_json_schema(*args, **kwargs)

    @classmethod
    def model_validate_json(cls, json_data: Any, **kwargs: Any) -> Any:
        ask = _ASK.get()
        if ask is None:
            return super().model_validate_json(json_data, **kwargs)
        try:
            answer = super().model_validate_json(json_data, **kwargs)
        except ValidationError:
            answer = None
        if answer is not None and _within_bounds(answer, ask.context):
            parts = ground(answer, ask.context)
            if not parts.dropped:
                answer._parts = parts
                return answer
        # Not valid for this article: the per-article model gives the exact error.
        return ask.strict_model().model_validate_json(json_data, **kwargs)


@contextmanager
def asking(context: GroundingContext) -> Iterator[type[ExtractionBase]]:
    """Within this block, `Extraction` is this article's response model."""
    schema = request_schema(len(context.sentences), context.candidates)
    token = _ASK.set(_Ask(context, schema))
    try:
        yield Extraction
    finally:
        _ASK.reset(token)


def parts_of(extraction: ExtractionBase, context: GroundingContext) -> GroundedParts:
    """The grounded parts of an answer: those found while validating it, if any."""
    parts = getattr(extraction, "_parts", None)
    return parts if isinstance(parts, GroundedParts) else ground(extraction, context)


def _within_bounds(answer: ExtractionBase, ctx: GroundingContext) -> bool:
    """What the per-article model's types check: sentence numbers 1..n, listed names."""
    data = answer.model_dump()
    n = max(len(ctx.sentences), 1)
    cited = [*data["proposal"]["evidence"]]
    names: list[str] = []
    for a in data["actors"]:
        cited += a["evidence"]
        names += [a["name"], *a["aliases"]]
    for s in data["next_steps"]:
        cited += s["evidence"]
        names += [s["actor"]] if s["actor"] is not None else []
    if any(not 1 <= c <= n for c in cited):
        return False
    return not ctx.candidates or set(names) <= set(ctx.candidates)


def request_schema(n_sentences: int, candidates: list[str]) -> dict[str, Any]:
    """`build_response_model(n_sentences, candidates).model_json_schema()`, without
    building the model: the cached template with the article's bounds filled in."""
    names = list(dict.fromkeys(candidates))  # typing.Literal drops repeated values
    if names_left_out(candidates):  # too many for a provider's enum limits
        names = []  # plain strings: `_within_bounds` and grounding still check each name
    shape = "many" if len(names) > 1 else "one" if names else "none"
    schema: dict[str, Any] = json.loads(_template(shape))
    _fill(schema, names, max(n_sentences, 1))
    schema["properties"]["actors"]["minItems"] = min(MIN_ACTORS, len(candidates))
    return schema


def names_left_out(candidates: list[str]) -> list[str]:
    """Why the request schema has no enum of the article's names (limits.py), or []."""
    return names_problems(list(dict.fromkeys(candidates)), uses=NAME_FIELDS)


@functools.cache
def _template(shape: str) -> str:
    names = {"none": [], "one": [_MARK], "many": [_MARK, _MARK + "2"]}[shape]
    return json.dumps(build_response_model(1, names).model_json_schema())


def _fill(node: Any, names: list[str], n: int) -> None:
    if isinstance(node, list):
        for item in node:
            _fill(item, names, n)
    elif isinstance(node, dict):
        if "maximum" in node:
            node["maximum"] = n
        if node.get("const") == _MARK:
            node["const"] = names[0]
        if isinstance(node.get("enum"), list) and node["enum"][:1] == [_MARK]:
            node["enum"] = list(names)
        for value in node.values():
            _fill(value, names, n)
