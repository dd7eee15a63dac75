"""Section "html" — the size of the HTML briefing when one story has many articles.

No model and no timing: a briefing of N synthetic articles about one proposal (each with
its own minister and the same two party leaders, as 2,000 reports of one summit would
have) is rendered and its size printed. The baseline is the same page with the old
actor x article stance table (MATRIX_MAX_ARTICLES raised above N), measured only up to
`matrix_max` articles: at 2,000 it was a 95 MB page (issue 21).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from communique.briefing import render
from communique.briefing.brief import Briefing, Counts, Item, Provenance
from communique.briefing.stories import group_stories
from communique.models import Evidence, Meta, Participant, Position, PromptRef, Proposal, Summary

from .common import Row, row

DAY = dt.date(2025, 3, 28)
TARGET_KB_PER_ARTICLE = 10.0


def _summary(i: int, text: str) -> Summary:
    minister = f"Minister Anna{i:04d} Kowal{i:04d}"
    ev = Evidence(quote=text[:40], start=0, end=40, sentence=1)
    return Summary(
        headline=f"Summit report {i}",
        gist="Leaders met to discuss the climate accord. The minister backed it.",
        proposal=Proposal(
            statement="A climate accord capping emissions", status="proposed", evidence=[ev]
        ),
        participants=[
            Participant(name=minister, kind="person"),
            Participant(name="Irena Voss", kind="person"),
            Participant(name="Stefan Olbrecht", kind="person"),
        ],
        positions=[
            Position(actor=minister, stance="support", summary="Backs the accord.", evidence=[ev]),
            Position(actor="Irena Voss", stance="support", summary="Backs it.", evidence=[ev]),
            Position(
                actor="Stefan Olbrecht",
                stance="oppose" if i % 3 else "conditional",
                summary="Doubts the cost.",
                evidence=[ev],
            ),
        ],
        next_steps=[],
        meta=Meta(
            model="fake",
            endpoint="http://127.0.0.1/v1",
            strategy="bench",
            prompts=[PromptRef(name="bench", sha256="0" * 64)],
            article_sha256=f"{i:064d}",
            created_at=dt.datetime(2025, 3, 28, tzinfo=dt.UTC),
        ),
    )


def briefing(n: int) -> Briefing:
    """n articles that group into one story."""
    text = "Leaders met on Friday to discuss a climate accord capping emissions by 2030."
    items = [
        Item(
            id=f"art-{i:04d}",
            title=f"Summit report {i}",
            date=DAY,
            article_sha256=f"{i:064d}",
            summary=_summary(i, text),
        )
        for i in range(n)
    ]
    return Briefing(
        date=DAY,
        generated_at=dt.datetime(2025, 3, 28, 7, tzinfo=dt.UTC),
        provenance=Provenance(
            model="fake", endpoint="http://127.0.0.1/v1", strategy="bench", prompts=[]
        ),
        counts=Counts(inputs=n, summarized=n, cached=0, failed=0, duplicates=0),
        stories=group_stories(items),
        items=items,
        failures=[],
    )


def _size(b: Briefing, matrix: bool) -> int:
    saved = render.MATRIX_MAX_ARTICLES
    if matrix:
        render.MATRIX_MAX_ARTICLES = len(b.items) + 1
    try:
        return len(render.render_html(b).encode("utf-8"))
    finally:
        render.MATRIX_MAX_ARTICLES = saved


def run(sizes: Sequence[int] = (12, 200, 2000), matrix_max: int = 200) -> dict[str, Any]:
    rows: list[Row] = []
    details: dict[str, Any] = {}
    for n in sizes:
        b = briefing(n)
        assert len(b.stories) == 1, "the synthetic articles must form one story"
        page = _size(b, matrix=False)
        old = _size(b, matrix=True) if n <= matrix_max else None
        per_article = page / 1024 / n
        details[str(n)] = {
            "bytes": page,
            "matrix_bytes": old,
            "kb_per_article": round(per_article, 2),
        }
        rows.append(
            row(
                f"HTML page, {n:,} articles in one story (vs the actor x article table)",
                page / 1e6,
                "MB",
                baseline=old / 1e6 if old else None,
                target=f"≤ {TARGET_KB_PER_ARTICLE:g} KB per article",
                met=per_article <= TARGET_KB_PER_ARTICLE,
            )
        )
    return {
        "params": {"sizes": list(sizes), "matrix_max": matrix_max},
        "rows": rows,
        "details": details,
    }
