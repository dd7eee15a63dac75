"""What a provider's structured outputs accept in a response schema: OpenAI's strict
subset of JSON Schema, as its Structured Outputs guide documents it.

`strict_problems(schema)` lists every rule a schema breaks (tests check each request
schema with it). Only the enum limits depend on the article: its list of names is an
enum in up to three properties. `names_problems` keeps that list within a share of the
budget (NAMES_ENUM_VALUES), without building the schema; past it the request degrades
to a schema whose names are plain strings (response_model.request_schema,
followup.response_model), a note says so in meta.dropped, and code still rejects a name
the article does not write.
"""

from __future__ import annotations

from typing import Any

from ..grounding.rules.rule import Rule
from ..models import Dropped

MAX_PROPERTIES = 5000  # object properties in the whole schema
MAX_DEPTH = 10  # levels of object nesting
MAX_ENUM_VALUES = 1000  # enum values across all enum properties
LONG_ENUM = 250  # an enum with more values than this ...
LONG_ENUM_CHARS = 15_000  # ... may total at most this many characters of string values
MAX_CHARS = 120_000  # property names, definition names, enum and const values together
NAMES_ENUM_VALUES = 600  # the article's names may take this much of MAX_ENUM_VALUES

# The keywords strict mode takes: structure, annotations, and the documented constraints
# (strings: pattern, format; numbers: multipleOf, (exclusive)minimum/maximum; arrays:
# minItems, maxItems).
STRUCTURE = frozenset(
    {"type", "properties", "required", "additionalProperties", "items", "anyOf", "enum"}
    | {"const", "$ref", "$defs", "title", "description"}
)
CONSTRAINTS = frozenset(
    {"pattern", "format", "multipleOf", "minimum", "maximum", "exclusiveMinimum"}
    | {"exclusiveMaximum", "minItems", "maxItems"}
)
SUPPORTED = STRUCTURE | CONSTRAINTS


def strict_problems(schema: dict[str, Any]) -> list[str]:
    """Every strict-mode rule this schema breaks, one line each (empty: accepted)."""
    problems: list[str] = []
    if schema.get("type") != "object" or "anyOf" in schema:
        problems.append("the root is not an object")
    walk = _Walk(schema)
    walk.node(schema, "#", 0)
    problems += walk.problems
    problems += enum_problems(schema)
    if walk.properties > MAX_PROPERTIES:
        problems.append(f"{walk.properties} object properties (at most {MAX_PROPERTIES})")
    if walk.depth > MAX_DEPTH:
        problems.append(f"{walk.depth} levels of nesting (at most {MAX_DEPTH})")
    if walk.chars > MAX_CHARS:
        problems.append(f"{walk.chars} characters of names and values (at most {MAX_CHARS})")
    return problems


def enum_problems(schema: dict[str, Any]) -> list[str]:
    """The enum size limits this schema crosses."""
    enums = list(_enums(schema))
    problems = []
    total = sum(len(e) for e in enums)
    if total > MAX_ENUM_VALUES:
        problems.append(f"{total} enum values in all (at most {MAX_ENUM_VALUES})")
    for values in enums:
        chars = sum(len(v) for v in values if isinstance(v, str))
        if len(values) > LONG_ENUM and chars > LONG_ENUM_CHARS:
            problems.append(
                f"an enum of {len(values)} values totals {chars} characters "
                f"(at most {LONG_ENUM_CHARS} above {LONG_ENUM} values)"
            )
    return problems


def names_problems(names: list[str], uses: int) -> list[str]:
    """Why an enum of these names, in `uses` properties, would not fit (empty: it fits)."""
    problems = []
    if uses * len(names) > NAMES_ENUM_VALUES:
        problems.append(
            f"{len(names)} names in {uses} enum properties exceed the {NAMES_ENUM_VALUES} "
            f"enum values they may take (of {MAX_ENUM_VALUES} in a schema)"
        )
    chars = sum(len(n) for n in names)
    if uses and len(names) > LONG_ENUM and chars > LONG_ENUM_CHARS:
        problems.append(
            f"an enum of {len(names)} names totals {chars} characters (at most "
            f"{LONG_ENUM_CHARS} above {LONG_ENUM} values)"
        )
    return problems


NAMES_AS_STRINGS = Rule(
    "request.names_as_strings",
    "ground",
    "A request whose candidate names would cross a provider's documented schema limits "
    "(enum values, enum characters) sends the names as plain strings instead of an enum; "
    "grounding then rejects every name the article does not write, as it does for an "
    "endpoint that does not enforce the schema.",
    fixed=True,
)


def notes(request: str, problems: list[str]) -> list[Dropped]:
    """meta.dropped notes for a request whose names were sent as plain strings."""
    return [
        NAMES_AS_STRINGS.note(
            f"{request}.names",
            f"names sent as plain strings, not an enum: {p}; code checks each name",
            "corrected",
        )
        for p in problems
    ]


def _enums(node: Any) -> Any:
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            yield node["enum"]
        for value in node.values():
            yield from _enums(value)
    elif isinstance(node, list):
        for item in node:
            yield from _enums(item)


class _Walk:
    """One pass over a schema: unsupported keywords, object rules, sizes."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = root.get("$defs", {})
        self.problems: list[str] = []
        self.properties = 0
        self.depth = 0
        self.chars = sum(len(name) for name in self.defs)

    def node(self, node: Any, where: str, depth: int) -> None:
        if not isinstance(node, dict):
            return
        for word in sorted(set(node) - SUPPORTED):
            self.problems.append(f"{where}: '{word}' is not supported")
        for value in [*node.get("enum", []), node.get("const")]:
            self.chars += len(value) if isinstance(value, str) else 0
        if "$ref" in node:
            name = str(node["$ref"]).rsplit("/", 1)[-1]
            if len(node) > 1:
                self.problems.append(f"{where}: '$ref' has sibling keywords")
            if where.count("$ref") < MAX_DEPTH + 2:  # a recursive schema stops here
                self.node(self.defs.get(name), f"{where}/$ref:{name}", depth)
            return
        if node.get("type") == "object" or "properties" in node:
            self._object(node, where, depth + 1)
        if "items" in node:
            self.node(node["items"], f"{where}/items", depth)
        for i, option in enumerate(node.get("anyOf", [])):
            self.node(option, f"{where}/anyOf[{i}]", depth)

    def _object(self, node: dict[str, Any], where: str, depth: int) -> None:
        self.depth = max(self.depth, depth)
        props: dict[str, Any] = node.get("properties", {})
        self.properties += len(props)
        self.chars += sum(len(name) for name in props)
        if node.get("additionalProperties") is not False:
            self.problems.append(f"{where}: additionalProperties is not false")
        missing = [p for p in props if p not in node.get("required", [])]
        if missing:
            self.problems.append(f"{where}: not required: {', '.join(missing)}")
        for name, value in props.items():
            self.node(value, f"{where}/{name}", depth)
