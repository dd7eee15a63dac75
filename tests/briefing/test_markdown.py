"""`communique brief --md`: the briefing as Markdown, checked against a committed snapshot.

To accept a deliberate change of the output: COMMUNIQUE_UPDATE_SNAPSHOTS=1 pytest
tests/briefing/test_markdown.py, then review and commit tests/snapshots/briefing.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from communique import Article
from communique.briefing.brief import Briefing, Failure
from communique.briefing.markdown import render_markdown

from .test_brief import ANSWERS, RENT_A, RENT_B, STEEL, ArticleModel, run

SNAPSHOT = Path(__file__).parents[1] / "snapshots" / "briefing.md"
SITE = "https://news.example"


def at(article: Article, name: str) -> Article:
    return article.model_copy(update={"id": f"{SITE}/{name}"})


def sample() -> Briefing:
    """Two stories from three linked articles, a duplicate, a file input and a failure."""
    model = ArticleModel([])
    for name in ("rent-a", "steel"):
        model.answers[f"{SITE}/{name}"] = ANSWERS[name]
    copy = at(RENT_A, "rent-a-copy").model_copy(update={"title": "Rent cap (syndicated)"})
    b = run([at(RENT_A, "rent-a"), RENT_B, at(STEEL, "steel"), copy], model)
    dead = Failure(id=f"{SITE}/dead", path=f"{SITE}/feed.xml", reason="HTTP 404 Not Found")
    counts = b.counts.model_copy(update={"inputs": 5, "failed": 1})
    return b.model_copy(update={"failures": [dead], "counts": counts})


def test_markdown_matches_the_snapshot() -> None:
    text = render_markdown(sample())
    if os.environ.get("COMMUNIQUE_UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert text == SNAPSHOT.read_text(encoding="utf-8")


def test_stories_come_first_and_every_source_is_linked() -> None:
    b = sample()
    text = render_markdown(b)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 1. Aldavia caps rent increases at 3%",
        "## 2. Carvalia sets 25% steel tariff",
        "## Duplicates",
        "## Not summarized",
    ]
    for item in b.items:
        if item.id.startswith("https://"):
            assert f"]({item.id})" in text
    assert "rent-b" not in text  # a file input is named by its title, not linked


def test_article_text_cannot_add_links_html_or_headings() -> None:
    b = sample()
    story = b.stories[0].model_copy(
        update={"headline": "[click](javascript:alert(1)) <b>bold</b> # x", "proposal": "*a*_b_"}
    )
    text = render_markdown(b.model_copy(update={"stories": [story]}))
    assert "## 1. \\[click\\](javascript:alert(1)) \\<b\\>bold\\</b\\> \\# x" in text
    assert "**Proposal:** \\*a\\*\\_b\\_ (adopted)" in text
