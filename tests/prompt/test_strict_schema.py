"""Every per-article response schema against OpenAI's strict structured-output rules
(limits.py), and the degraded request for an article with too many names."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from typing import Any

import instructor
import pytest

from communique import summarize
from communique.ingest.article import Article
from communique.llm import client as llm
from communique.pipeline import batch
from communique.prompt import candidates
from communique.prompt.limits import (
    LONG_ENUM_CHARS,
    MAX_DEPTH,
    MAX_ENUM_VALUES,
    MAX_PROPERTIES,
    enum_problems,
    strict_problems,
)
from communique.prompt.response_model import names_left_out, request_schema
from communique.settings import Settings

from ..fakes import FakeModel, completion
from ..pipeline.test_batch import seeds, two_rounds


def schemas(tmp: Path) -> dict[str, dict[str, Any]]:
    """custom_id -> the response_format of each request of the 15 seeds, both passes."""
    two_rounds(seeds(), tmp)
    return {
        cid: body["response_format"]
        for name in ("req.jsonl", "req2.jsonl")
        for cid, body in batch.request_bodies(tmp / name)
    }


def without(word: str, node: Any) -> Any:
    if isinstance(node, dict):
        return {k: without(word, v) for k, v in node.items() if k != word}
    if isinstance(node, list):
        return [without(word, v) for v in node]
    return node


def test_every_seed_schema_keeps_the_strict_rules_but_max_length(tmp_path: Path) -> None:
    formats = schemas(tmp_path)
    assert len(formats) == 29  # 15 main requests, 14 follow-ups
    for cid, fmt in formats.items():
        # instructor's JSON_SCHEMA mode: response_format json_schema, without "strict"
        assert fmt["type"] == "json_schema" and set(fmt["json_schema"]) == {"name", "schema"}
        schema = fmt["json_schema"]["schema"]
        problems = strict_problems(schema)
        assert problems, cid  # the length caps: llama.cpp's grammar keeps them, OpenAI not
        assert all(p.endswith("'maxLength' is not supported") for p in problems), cid
        assert strict_problems(without("maxLength", schema)) == [], cid
    assert llm.MODE is instructor.Mode.JSON_SCHEMA


def obj(**props: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": props,
        "required": list(props),
        "additionalProperties": False,
    }


def test_the_checker_finds_each_kind_of_problem() -> None:
    assert strict_problems(obj(a={"type": "string", "pattern": "x"})) == []
    assert strict_problems(obj(a={"type": "string", "minLength": 1})) == [
        "#/a: 'minLength' is not supported"
    ]
    loose = obj(a={"type": "string"})
    loose["required"] = []
    loose["additionalProperties"] = True
    assert strict_problems(loose) == [
        "#: additionalProperties is not false",
        "#: not required: a",
    ]
    assert strict_problems({"anyOf": [obj()]}) == ["the root is not an object"]
    deep: dict[str, Any] = obj()
    for _ in range(MAX_DEPTH):
        deep = obj(x=deep)
    assert strict_problems(deep) == [f"{MAX_DEPTH + 1} levels of nesting (at most {MAX_DEPTH})"]
    wide = obj(**{f"p{i}": {"type": "integer"} for i in range(MAX_PROPERTIES + 1)})
    assert strict_problems(wide) == [f"{MAX_PROPERTIES + 1} object properties (at most 5000)"]
    many = obj(a={"enum": [str(i) for i in range(MAX_ENUM_VALUES + 1)]})
    assert enum_problems(many) == ["1001 enum values in all (at most 1000)"]
    long_values = [f"{i:0>70}" for i in range(251)]  # 251 x 70 = 17,570 characters
    assert enum_problems(obj(a={"enum": long_values})) == [
        f"an enum of 251 values totals 17570 characters (at most {LONG_ENUM_CHARS} above "
        "250 values)"
    ]


FIRST = ["Alda", "Berin", "Corra", "Dasko", "Elvi", "Farro", "Gunne", "Hesta", "Ilmar", "Joss"]
LAST = [
    "Brask", "Cullen", "Dravo", "Estin", "Folke", "Garrow", "Helm", "Istra", "Jory", "Kell",
    "Lorne", "Marrek", "Novak", "Orrin", "Pell", "Quill", "Rusk", "Sorrel", "Tamsin", "Ulm",
    "Varga", "Wynn", "Yarrow", "Zell", "Abbot", "Brenn", "Carrow", "Dunmore", "Ebber", "Fenn",
]  # fmt: skip


@pytest.fixture
def crowded() -> Article:
    """An article naming 300 people: its names would cross the enum limits three times."""
    people = [f"{a} {b}" for a, b in itertools.product(FIRST, LAST)]
    lines = [f"{p} signed the Harbour Charter on Monday." for p in people]
    return Article(id="crowded", text="\n".join(lines), title="Charter signed")


def test_too_many_names_degrade_to_plain_strings_with_a_note(
    crowded: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    # find_candidates keeps 80 names (3 x 80 enum values fit); past that cap:
    monkeypatch.setattr(candidates, "MAX_CANDIDATES", 1000)
    settings = dataclasses.replace(
        Settings(), base_url="http://fake.test/v1", strategy="single", max_reasks=0
    )
    answer = {
        "headline": "Charter signed",
        "gist": "Many people signed the charter.",
        "proposal": {"statement": "The Harbour Charter", "status": "agreed", "evidence": [1]},
        "actors": [
            {"name": "Alda Brask", "kind": "person", "role": None, "aliases": [],
             "summary": "Alda Brask signed the charter.", "stance": "support", "evidence": [1]},
            {"name": "Invented Person", "kind": "person", "role": None, "aliases": [],
             "summary": "Invented Person signed it.", "stance": "support", "evidence": [2]},
        ],
        "next_steps": [],
    }  # fmt: skip
    model = FakeModel([completion(answer)])
    summary = summarize(crowded, client=model.client(), settings=settings)
    schema = model.requests[0]["response_format"]["json_schema"]["schema"]
    actor = schema["$defs"]["ExtractedActor"]["properties"]
    assert actor["name"] == {"maxLength": 50, "title": "Name", "type": "string"}
    assert enum_problems(schema) == []
    notes = [d for d in summary.meta.dropped if d.item == "request.names"]
    assert (
        len(notes) == 1 and "301 names in 3 enum properties" in notes[0].reason
    )  # + "Harbour Charter"
    assert (notes[0].rule, notes[0].action) == ("request.names_as_strings", "corrected")
    assert [p.name for p in summary.participants][:1] == ["Alda Brask"]
    assert "Invented Person" not in {p.name for p in summary.participants}
    assert any(d.item == "actors[1]" for d in summary.meta.dropped)


def test_a_few_names_stay_an_enum() -> None:
    top = [f"{a} {b}" for a, b in itertools.product(FIRST, LAST)][: candidates.MAX_CANDIDATES]
    assert names_left_out(top) == []  # what find_candidates keeps always fits
    names = [f"{a} {b}" for a, b in itertools.product(FIRST, LAST)][:200]
    assert names_left_out(names) == []
    actor = request_schema(10, names)["$defs"]["ExtractedActor"]["properties"]
    assert actor["name"]["enum"] == names
    assert names_left_out([*names, "One More"]) != []
