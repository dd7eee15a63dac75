"""Sections 2 and 3 — briefing throughput against a fake with a fixed latency, and a
second run over the same articles served from the summary cache.

brief() runs here as `communique brief` runs it: no client passed, so the library opens
its own connection to the endpoint in the settings (the fake).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

import openai

from communique import brief
from communique.briefing import Briefing, Tally
from communique.settings import Settings

from .common import DAY, Row, copies, fake_settings, row, seed_request
from .fakeserver import FakeServer

THROUGHPUT_TARGET = 0.90  # of the bound, at concurrency 16
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


def _raw_request(settings: Settings) -> dict[str, Any]:
    """The request the pipeline sends for the seed (messages, JSON schema, sampling),
    made once: the raw SDK baseline sends it without doing any of communique's work."""
    messages, schema = seed_request()
    return {
        "model": settings.model,
        "messages": messages,
        "temperature": settings.temperature,
        "seed": settings.seed,
        "max_tokens": settings.max_tokens,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "Extraction", "schema": schema},
        },
    }


def _raw_sdk(fake: FakeServer, n: int, concurrency: int) -> float:
    """n chat.completions.create calls through one AsyncOpenAI client, `concurrency` at
    a time: what the openai SDK alone reaches against the same fake (req/s)."""
    request = _raw_request(fake_settings(fake.base_url))

    async def run() -> float:
        client = openai.AsyncOpenAI(base_url=fake.base_url, api_key="bench", max_retries=0)
        gate = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with gate:
                await client.chat.completions.create(**request)

        t = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(n)))
        wall = time.perf_counter() - t
        await client.close()
        return n / wall

    return asyncio.run(run())


def throughput(n: int, latency_s: float, levels: list[int], repeat: int = 1) -> dict[str, Any]:
    """Each level above 1 runs `repeat` times and reports the median run (by end-to-end
    req/s): those levels are CPU bound, so other processes on the machine move them.
    Before each run, the raw openai SDK sends the same number of requests at the same
    concurrency to the same fake: the baseline of the same run."""
    rows: list[Row] = []
    details: dict[str, Any] = {}
    with FakeServer(latency_s) as fake:
        for c in levels:
            runs = []
            for _ in range(1 if c == 1 else repeat):
                raw_req_s = _raw_sdk(fake, n, c)
                result, wall, calls, stats = _timed_brief(fake, n, c, cache=False)
                runs.append(
                    {
                        "raw_sdk_req_s": round(raw_req_s, 2),
                        "req_s": round(stats["requests"] / wall, 2),
                        "model_phase_req_s": round(stats["requests"] / calls, 2) if calls else None,
                        "wall_s": round(wall, 3),
                        "model_phase_s": round(calls, 3),
                        "requests": stats["requests"],
                        "connections": stats["connections"],
                        "max_in_flight": stats["max_in_flight"],
                        "summarized": result.counts.summarized,
                        "failed": result.counts.failed,
                    }
                )
            mid = sorted(runs, key=lambda r: r["req_s"])[len(runs) // 2]
            raw = sorted(r["raw_sdk_req_s"] for r in runs)[len(runs) // 2]
            bound = c / latency_s
            at_target = c == 16
            rows.append(
                row(f"concurrency {c}: raw openai SDK, req/s", raw, "req/s", baseline=bound)
            )
            rows.append(
                row(
                    f"concurrency {c}: brief(), req/s (end to end)",
                    mid["req_s"],
                    "req/s",
                    baseline=bound,
                    target=f">= {THROUGHPUT_TARGET:.0%} of bound" if at_target else "",
                    met=mid["req_s"] / bound >= THROUGHPUT_TARGET if at_target else None,
                )
            )
            rows.append(
                row(f"concurrency {c}: brief() vs raw SDK", mid["req_s"], "req/s", baseline=raw)
            )
            details[str(c)] = {**mid, "raw_sdk_req_s": raw, "bound_req_s": bound, "runs": runs}
    return {
        "params": {
            "articles": n,
            "fake_latency_s": latency_s,
            "concurrency": levels,
            "repeat": repeat,
        },
        "rows": rows,
        "details": details,
    }


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
