"""Long articles: paragraph-aligned overlapping chunks, one summary merged back onto the
full article (offsets, sentence numbers, participants, positions, next steps)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from communique import summarize
from communique.ingest.article import Article, parse_article
from communique.ingest.chunking import chunk_chars, split
from communique.ingest.sentences import split_sentences
from communique.settings import load_settings
from communique.text.folding import fold_name

from ..fakes import FakeClock, TwoPassModel

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = load_settings({}, max_reasks=0)


def long_article(words: int = 20_000) -> Article:
    """Seed paragraphs, in turn, until the article has `words` words."""
    paragraphs = [
        p.strip()
        for f in sorted((ROOT / "seeds" / "articles").glob("*.txt"))
        for p in parse_article(f.read_text(encoding="utf-8")).text.split("\n\n")
        if p.strip()
    ]
    out: list[str] = []
    count = 0
    while count < words:
        p = paragraphs[len(out) % len(paragraphs)]
        out.append(p)
        count += len(p.split())
    return Article(text="\n\n".join(out), id="long", title="Long", date=None)


def test_split_makes_overlapping_paragraph_aligned_chunks_within_the_limit() -> None:
    article = long_article(3000)
    chunks = split(article, 4000)
    assert len(chunks) > 3
    text = article.text
    for a, b in itertools.pairwise(chunks):
        assert b.start < a.start + len(a.article.text)  # overlap: one paragraph
        assert b.start > a.start
    for c in chunks:
        assert len(c.article.text) <= 4000
        assert text[c.start : c.start + len(c.article.text)] == c.article.text
        assert c.start == 0 or text[c.start - 1] == "\n"
    last = chunks[-1]
    assert last.start + len(last.article.text) == len(text.rstrip())


def test_a_paragraph_longer_than_the_limit_is_cut_at_sentence_ends() -> None:
    body = " ".join(f"Sentence number {i} says something rather long here." for i in range(200))
    chunks = split(Article(text=body), 1000)
    assert len(chunks) > 5
    for c in chunks:
        assert len(c.article.text) <= 1000
        assert c.article.text.endswith(".")


def test_the_chunk_size_follows_the_context_window() -> None:
    small = load_settings({}, context_tokens=4096, max_tokens=1000)
    assert chunk_chars(small) < chunk_chars(SETTINGS)
    assert chunk_chars(load_settings({}, chunk_chars=5000)) == 5000


def chunk_answer(body: dict[str, Any]) -> dict[str, Any]:
    """A first-pass answer for whatever chunk the prompt holds: its first candidates as
    actors (the first one supports, citing sentence 1), a next step on the last sentence."""
    user = body["messages"][1]["content"]
    numbers = [int(n) for n in re.findall(r"^\[(\d+)\] ", user, re.M)]
    names = re.search(r"^Names written in the article[^:]*: (.*)$", user, re.M)
    assert names
    candidates = names.group(1).split("; ")[:4]
    actors = [
        {
            "name": c,
            "kind": "person",
            "role": None,
            "aliases": [],
            "summary": "Backs it." if i == 0 else None,
            "stance": "support" if i == 0 else "none",
            "evidence": [1] if i == 0 else [],
        }
        for i, c in enumerate(candidates)
    ]
    return {
        "headline": "A long story",
        "gist": "Many things happen.",
        "proposal": {"statement": "A plan.", "status": "proposed", "evidence": [1]},
        "actors": actors,
        "next_steps": [
            {
                "action": "Something will happen next.",
                "actor": None,
                "when": None,
                "evidence": [numbers[-1]],
            }
        ],
    }


def test_a_20000_word_article_is_summarized_in_chunks_and_merged() -> None:
    article = long_article()
    assert len(article.text.split()) >= 20_000
    fake = TwoPassModel([], main=chunk_answer)
    s = summarize(article, client=fake.client(), settings=SETTINGS, clock=FakeClock())
    n = len(split(article, chunk_chars(SETTINGS)))
    assert n > 4 and s.meta.chunks == n and s.meta.calls == len(fake.requests)
    assert s.meta.prompt_tokens == 100 * len(fake.requests)
    sentences = split_sentences(article.text)
    quotes = [
        e for item in [s.proposal, *s.positions, *s.next_steps] if item for e in item.evidence
    ]
    assert quotes
    for ev in quotes:
        assert article.text[ev.start : ev.end] == ev.quote
        assert ev.sentence is not None and sentences[ev.sentence - 1].start == ev.start
    forms = [fold_name(f) for p in s.participants for f in (p.name, *p.aliases)]
    assert len(forms) == len(set(forms)), "a name or alias in two participants"
    names = [p.name for p in s.participants]
    assert all(p.actor in names for p in s.positions)
    assert len({p.actor for p in s.positions}) == len(s.positions)
    starts = [st.evidence[0].start for st in s.next_steps]
    assert starts == sorted(set(starts)) and len(starts) >= n - 1
    assert s.meta.article_id == "long" and s.meta.article_sha256 == article.sha256


def test_an_article_under_the_chunk_size_is_one_call() -> None:
    article = long_article(500)
    fake = TwoPassModel([], main=chunk_answer)
    s = summarize(article, client=fake.client(), settings=SETTINGS, clock=FakeClock())
    assert s.meta.chunks == 1 and len(fake.requests) <= 2
