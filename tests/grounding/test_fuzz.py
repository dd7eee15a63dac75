"""Property-based fuzzing (hypothesis) of the article parser and the grounding matcher:
no exception other than CommuniqueError, and every offset slices back to its text."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.errors import CommuniqueError
from communique.grounding.answer import build_response_model, ground
from communique.grounding.context import GroundingContext
from communique.grounding.rules.injection import find_injections
from communique.ingest.article import decode_article, parse_article
from communique.ingest.sentences import split_sentences
from communique.prompt.candidates import find_candidates
from communique.text.folding import (
    evidence_from_sentences,
    locate_quote,
    name_in_text,
    normalize,
)

# Modest example counts keep the suite fast; CI runs the same examples every time.
settings.register_profile(
    "communique", deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "communique-ci", parent=settings.get_profile("communique"), derandomize=True, database=None
)
settings.load_profile("communique-ci" if os.environ.get("CI") else "communique")

# Pieces that stress the sentence splitter and the header parser, mixed with any text.
PIECES = [
    "Mr.", "U.S.", "J.", "Dr", "etc.", ".", "!", "?", "…", "?!", "\n", "\n\n", "\r\n", "\r",
    " ", "  ", "\t", "\u00a0", "\u2028", '"', "“", "”", "’", "«", "»", ")", "]", "word",
    "Word", "Macron", "la", "Dépêche", "ß", "İ", "ﬁ", "1.5", "3%", "title:", "date: ",
    "2025-03-16", "source: x", "id: y", "</article>", "SYSTEM NOTE:", "ignore all previous",
    " instructions",
    "\x00", "\x0c", "\x1c", "\ufeff", "🙂", "\u0301",
]  # fmt: skip
newsy = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
texts = st.one_of(st.text(max_size=400), newsy, st.tuples(newsy, st.text(max_size=80)).map("".join))


@given(texts)
def test_parse_article_raises_only_communique_errors(raw: str) -> None:
    try:
        article = parse_article(raw, id="fuzz")
    except CommuniqueError as exc:
        assert "\n" not in str(exc)  # one line, for the CLI
        return
    assert article.text and article.text == article.text.strip()
    assert "\x00" not in article.text


@given(st.one_of(st.binary(max_size=300), texts.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_decode_article_raises_only_communique_errors(data: bytes) -> None:
    try:
        decode_article(data, id="fuzz")
    except CommuniqueError as exc:
        assert "\n" not in str(exc)


@given(texts)
def test_sentence_offsets_slice_back_and_cover_the_text(text: str) -> None:
    sentences = split_sentences(text)
    assert [s.number for s in sentences] == list(range(1, len(sentences) + 1))
    end = 0
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert s.start >= end  # in order, no overlap
        assert text[end : s.start].strip() == ""  # nothing but whitespace between sentences
        end = s.end
    assert text[end:].strip() == ""  # nothing lost at the end


@given(texts)
def test_candidates_and_injections_never_crash(text: str) -> None:
    sentences = split_sentences(text)
    for name in find_candidates(text, sentences):
        assert name.strip() and name in text
    for number, injection in find_injections(sentences).items():
        assert injection.payload in sentences[number - 1].text


@st.composite
def text_and_slice(draw: st.DrawFn) -> tuple[str, str]:
    text = draw(texts)
    i = draw(st.integers(0, len(text)))
    j = draw(st.integers(i, len(text)))
    return text, text[i:j]


@given(text_and_slice())
def test_locate_quote_finds_every_verbatim_slice(case: tuple[str, str]) -> None:
    text, quote = case
    found = locate_quote(quote, text)
    needle = normalize(quote).strip(" \"'")
    if not needle:
        assert found is None
        return
    assert found is not None, (quote, text)
    start, end = found
    assert 0 <= start < end <= len(text)
    assert normalize(text[start:end]) == needle


@given(texts, texts)
def test_locate_quote_offsets_always_slice_back_to_the_quote(quote: str, text: str) -> None:
    found = locate_quote(quote, text)
    if found is not None:
        start, end = found
        assert 0 <= start < end <= len(text)
        assert normalize(text[start:end]) == normalize(quote).strip(" \"'")


@given(texts, st.lists(st.integers(-5, 40), max_size=8))
def test_evidence_from_sentence_numbers_slices_back(text: str, cited: list[int]) -> None:
    sentences = split_sentences(text)
    evidence, bad = evidence_from_sentences(cited, sentences)
    for ev in evidence:
        assert text[ev.start : ev.end] == ev.quote
        assert ev.sentence is not None and 1 <= ev.sentence <= len(sentences)
    assert set(bad) == {n for n in cited if not 1 <= n <= len(sentences)}


KINDS = st.sampled_from(["person", "country", "organization", "group"])
STANCES = st.sampled_from(["support", "oppose", "conditional", "neutral", "unclear", "none"])


def capped(n: int) -> st.SearchStrategy[str]:
    """Free text within the response model's length cap."""
    return st.one_of(st.text(max_size=n), texts.map(lambda t: t[:n]))


@st.composite
def answers(draw: st.DrawFn, names: list[str]) -> dict[str, Any]:
    """Any answer the loose response model accepts: names from the article or invented,
    sentence numbers in or out of range, any free text."""
    listed = [n for n in names if len(n) <= 50]
    name = st.one_of(st.sampled_from(listed), capped(50)) if listed else capped(50)
    cites = st.lists(st.integers(-3, 60), max_size=3)
    actor = st.fixed_dictionaries(
        {
            "name": name,
            "kind": KINDS,
            "role": st.none() | capped(40),
            "aliases": st.lists(name, max_size=3),
            "summary": st.none() | capped(120),
            "stance": STANCES,
            "evidence": cites,
        }
    )
    step = st.fixed_dictionaries(
        {
            "action": capped(120),
            "actor": st.none() | name,
            "when": st.none() | capped(40),
            "evidence": st.lists(st.integers(-3, 60), min_size=1, max_size=2),
        }
    )
    return draw(
        st.fixed_dictionaries(
            {
                "headline": capped(100),
                "gist": capped(320),
                "proposal": st.fixed_dictionaries(
                    {
                        "statement": capped(200),
                        "status": st.sampled_from(["proposed", "adopted", "no proposal"]),
                        "evidence": cites,
                    }
                ),
                "actors": st.lists(actor, max_size=5),
                "next_steps": st.lists(step, max_size=3),
            }
        )
    )


@settings(max_examples=60)
@given(st.data(), texts)
def test_grounding_any_answer_keeps_only_verified_items(data: st.DataObject, text: str) -> None:
    from communique import Article

    if not text.strip():
        return
    article = Article(text=text, id="fuzz")
    sentences = split_sentences(text)
    candidates = find_candidates(text, sentences)
    loose = build_response_model(len(sentences), candidates, loose=True)
    extraction = loose.model_validate(data.draw(answers(candidates)))
    ctx = GroundingContext(article, sentences, candidates)
    parts = ground(extraction, ctx)  # never raises
    items = [*([parts.proposal] if parts.proposal else []), *parts.positions, *parts.next_steps]
    for item in items:
        for ev in item.evidence:
            assert text[ev.start : ev.end] == ev.quote
            assert ev.sentence not in ctx.injections
    names = {p.name for p in parts.participants}
    for p in parts.participants:
        assert name_in_text(p.name, ctx.folded_text)
    assert {p.actor for p in parts.positions} <= names
