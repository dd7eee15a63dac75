"""The main call's one response model behaves as the per-article model it replaces:
the same request schema, the same accepted answers, the same errors to re-ask with."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from communique.grounding.answer import build_response_model, ground, grounded_model
from communique.grounding.context import GroundingContext
from communique.ingest.article import Article, read_article_file
from communique.ingest.sentences import split_sentences
from communique.prompt.candidates import find_candidates
from communique.prompt.response_model import (
    Extraction,
    LooseExtraction,
    asking,
    parts_of,
    request_schema,
)

from ..fakes import actor, answer

SEEDS = sorted((Path(__file__).parents[2] / "seeds" / "articles").glob("*.txt"))


def _context(article: Article) -> GroundingContext:
    sentences = split_sentences(article.text)
    return GroundingContext(article, sentences, find_candidates(article.text, sentences))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_request_schema_is_the_per_article_models_schema(path: Path) -> None:
    ctx = _context(read_article_file(path))
    n, names = len(ctx.sentences), ctx.candidates
    cases = [(n, names), (n, names[:1]), (n, []), (1, names[:2]), (0, names[:3])]
    cases.append((5, names[:2] + names[:2]))  # a repeated name (Literal keeps it once)
    for count, cands in cases:
        expected = build_response_model(count, cands).model_json_schema()
        assert request_schema(count, cands) == expected


def test_the_schema_sent_is_this_articles(seed: Article) -> None:
    ctx = _context(seed)
    with asking(ctx) as model:
        sent = model.model_json_schema()
    assert sent == build_response_model(len(ctx.sentences), ctx.candidates).model_json_schema()
    assert model.__name__ == "Extraction"  # instructor names the json_schema after it
    # Outside the block it is the shape without bounds: no article's names leak out.
    assert Extraction.model_json_schema() == LooseExtraction.model_json_schema()


def _strict_error(ctx: GroundingContext, text: str) -> str:
    model = grounded_model(build_response_model(len(ctx.sentences), ctx.candidates), ctx)
    with pytest.raises(ValidationError) as err:
        model.model_validate_json(text)
    return str(err.value)


def test_a_valid_answer_is_accepted_and_grounded_once(seed: Article) -> None:
    ctx = _context(seed)
    text = json.dumps(answer())
    with asking(ctx):
        got = Extraction.model_validate_json(text)
    strict = grounded_model(build_response_model(len(ctx.sentences), ctx.candidates), ctx)
    assert got.model_dump() == strict.model_validate_json(text).model_dump()
    parts = parts_of(got, ctx)
    assert parts is got._parts  # found while validating, not grounded a second time
    assert parts == ground(got, ctx)
    assert parts.proposal is not None and parts.positions and parts.next_steps


def _bad_sentence(data: dict[str, Any]) -> None:
    data["next_steps"][0]["evidence"] = [999]


def _unlisted_name(data: dict[str, Any]) -> None:
    data["actors"][0]["aliases"] = ["Boris Johnson"]


def _not_grounded(data: dict[str, Any]) -> None:
    data["proposal"]["evidence"] = []  # a proposal must cite a sentence


def _bad_shape(data: dict[str, Any]) -> None:
    del data["actors"][0]["kind"]
    data["actors"].append(actor("Olaf Scholz", "support", [0]))


@pytest.mark.parametrize("spoil", [_bad_sentence, _unlisted_name, _not_grounded, _bad_shape])
def test_an_invalid_answer_raises_the_per_article_models_error(seed: Article, spoil: Any) -> None:
    """instructor re-asks with str(error): it must be the very text it was before."""
    ctx = _context(seed)
    data = answer()
    spoil(data)
    text = json.dumps(data)
    with asking(ctx), pytest.raises(ValidationError) as err:
        Extraction.model_validate_json(text)
    assert str(err.value) == _strict_error(ctx, text)


def test_parts_of_an_answer_validated_elsewhere_are_grounded(seed: Article) -> None:
    ctx = _context(seed)
    loose = LooseExtraction.model_validate(answer())
    assert parts_of(loose, ctx) == ground(loose, ctx)


def test_concurrent_calls_each_see_their_own_article(seed: Article) -> None:
    """A briefing runs many calls at once: the context variable is per task."""
    other = read_article_file(SEEDS[1])
    contexts = [_context(seed), _context(other)]

    async def schema_of(ctx: GroundingContext) -> dict[str, Any]:
        with asking(ctx) as model:
            await asyncio.sleep(0.01)  # the other task sets its article meanwhile
            return model.model_json_schema()

    async def both() -> list[dict[str, Any]]:
        return list(await asyncio.gather(*(schema_of(c) for c in contexts)))

    for ctx, schema in zip(contexts, asyncio.run(both()), strict=True):
        assert schema == request_schema(len(ctx.sentences), ctx.candidates)
