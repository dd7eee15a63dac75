"""Section 2 — cache: a second brief() over the same articles, served from the summary
cache, against a fake with a fixed latency.

brief() runs here as `communique brief` runs it: no client passed, so the library opens
its own connection to the endpoint in the settings (the fake).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from communique import brief
from communique.briefing.brief import Briefing, Tally

from .common import DAY, copies, fake_settings, row
from .fakeserver import FakeServer

CACHE_TARGET_S = 2.0


class _Timer:
    """on_progress hook: when the model calls started and when the last one ended."""

    def __init__(self) -> None:
        self.first: float | None = None
        self.last = 0.0

    def __call__(self, tally: Tally) -> None:
        now = time.perf_counter()
        if self.first is None:
            self.first = now  # reported once planning is done, before any call
        if tally.pending == 0:
            self.last = now


def _timed_brief(
    fake: FakeServer, n: int, concurrency: int, cache: Path | bool
) -> tuple[Briefing, float, float, dict[str, int]]:
    articles = copies(n)
    fake.reset()
    timer = _Timer()
    t0 = time.perf_counter()
    result = brief(
        articles,
        date=DAY,
        settings=fake_settings(fake.base_url, max_reasks=0),
        cache=cache,
        concurrency=concurrency,
        on_progress=timer,
    )
    wall = time.perf_counter() - t0
    calls = timer.last - (timer.first or t0) if timer.last else 0.0
    return result, wall, calls, fake.stats()


def cache(n: int, latency_s: float, concurrency: int) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(prefix="communique-bench-") as tmp,
        FakeServer(latency_s) as fake,
    ):
        db = Path(tmp) / "summaries.sqlite3"
        first, wall1, _, stats1 = _timed_brief(fake, n, concurrency, cache=db)
        second, wall2, _, stats2 = _timed_brief(fake, n, concurrency, cache=db)
    rows = [
        row(
            "second run: model calls",
            stats2["requests"],
            "calls",
            target="0",
            met=stats2["requests"] == 0,
        ),
        row(
            "second run: wall time",
            wall2,
            "s",
            baseline=wall1,
            target=f"< {CACHE_TARGET_S:g} s",
            met=wall2 < CACHE_TARGET_S,
        ),
    ]
    return {
        "params": {"articles": n, "fake_latency_s": latency_s, "concurrency": concurrency},
        "rows": rows,
        "details": {
            "first": {
                "wall_s": round(wall1, 3),
                "requests": stats1["requests"],
                "summarized": first.counts.summarized,
            },
            "second": {
                "wall_s": round(wall2, 3),
                "requests": stats2["requests"],
                "cached": second.counts.cached,
            },
        },
    }
