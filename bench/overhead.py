"""Section 1 — pipeline overhead: summarize() against a raw chat.completions.create call.

Both receive the same canned answer from the loopback fake (no latency, so this is the
harshest ratio: a real model adds seconds to both sides). The three variants run
interleaved, in a rotating order, so drift in machine load hits all of them alike.
"""

from __future__ import annotations

import cProfile
import pstats
import time
from collections.abc import Callable
from typing import Any

import instructor
import openai

from communique import grounding, summarize
from communique.llm import MODE
from communique.request_model import LooseExtraction

from .common import FAKE_MODEL, Row, fake_settings, median, row, seed, seed_request
from .fakeserver import FakeServer

TARGET = 1.05

# (label, file path suffix, function name): disjoint parts of one summarize() call
PARTS = (
    ("split sentences", "communique/article.py", "split_sentences"),
    ("candidate names", "communique/candidates.py", "find_candidates"),
    ("prompt rendering", "communique/summary.py", "render_messages"),
    ("request JSON schema (cached template)", "communique/request_model.py", "request_schema"),
    (
        "instructor: response-model walks",
        "validation/async_validators.py",
        "reject_async_validators",
    ),
    ("openai: request body transform", "openai/_utils/_transform.py", "maybe_transform"),
    ("HTTP round trip (httpx)", "httpx2/_client.py", "send"),
    ("validation + grounding (once)", "communique/request_model.py", "model_validate_json"),
    ("Summary and meta (_finish)", "communique/summary.py", "_finish"),
)


def run(calls: int, profile_calls: int) -> dict[str, Any]:
    article = seed()
    messages, _ = seed_request()
    with FakeServer(0.0) as fake:
        settings = fake_settings(fake.base_url)
        client = openai.OpenAI(base_url=fake.base_url, api_key="bench", max_retries=0)

        def raw() -> None:
            client.chat.completions.create(
                model=FAKE_MODEL, messages=messages, temperature=0, max_tokens=settings.max_tokens
            )

        patched = instructor.from_openai(client, mode=MODE)

        def instructor_only() -> None:
            # Wiring instructor by hand: the same messages and answer, a plain pydantic
            # model of the same shape (instructor wraps it and makes its JSON schema on
            # every call), none of communique's own work.
            patched.create(
                model=FAKE_MODEL,
                messages=messages,
                response_model=LooseExtraction,
                max_retries=0,
                temperature=0,
                max_tokens=settings.max_tokens,
            )

        def pipeline() -> None:
            summarize(article, client=client, settings=settings)

        def own_client() -> None:
            summarize(article, settings=settings)  # opens (and closes) its own connection

        variants: dict[str, Callable[[], None]] = {
            "raw": raw,
            "instructor_only": instructor_only,
            "summarize": pipeline,
            "summarize_own_client": own_client,
        }
        times = _interleaved(variants, calls)
        profile = _profile(pipeline, profile_calls)
        requests = fake.stats()["requests"]
        client.close()
    med = {k: median(v) * 1000 for k, v in times.items()}
    ratio = med["summarize"] / med["raw"]
    rows: list[Row] = [
        row("raw chat.completions.create (median)", med["raw"], "ms"),
        row(
            "summarize(client=...) (median)",
            med["summarize"],
            "ms",
            baseline=med["raw"],
            target=f"<= {TARGET:.2f}x",
            met=ratio <= TARGET,
        ),
        row("  added per article", med["summarize"] - med["raw"], "ms"),
        row(
            "instructor create by hand, plain pydantic model (median)",
            med["instructor_only"],
            "ms",
            baseline=med["raw"],
        ),
        row(
            "summarize() vs instructor by hand",
            med["summarize"],
            "ms",
            baseline=med["instructor_only"],
        ),
        row(
            "summarize() opening its own connection",
            med["summarize_own_client"],
            "ms",
            baseline=med["raw"],
        ),
    ]
    return {
        "params": {"calls_each": calls, "profile_calls": profile_calls, "fake_latency_s": 0.0},
        "rows": rows,
        "details": {
            "median_ms": {k: round(v, 3) for k, v in med.items()},
            "p90_ms": {k: round(_quantile(v, 0.9) * 1000, 3) for k, v in times.items()},
            "requests_served": requests,
            "profile_ms_per_call": profile,
        },
    }


def _cold() -> None:
    """Forget folded names between calls: each call stands for a new article."""
    fold_cache = getattr(grounding, "_fold_short", None)
    if fold_cache is not None:
        fold_cache.cache_clear()


def _interleaved(variants: dict[str, Callable[[], None]], calls: int) -> dict[str, list[float]]:
    for f in variants.values():  # warm up: imports, schema caches, the first connection
        f()
        f()
    names = list(variants)
    times: dict[str, list[float]] = {k: [] for k in names}
    for i in range(calls):
        for k in names[i % len(names) :] + names[: i % len(names)]:
            _cold()
            t = time.perf_counter()
            variants[k]()
            times[k].append(time.perf_counter() - t)
    return times


def _profile(call: Callable[[], None], n: int) -> dict[str, float]:
    """Where one summarize() call spends its time, by cProfile (which inflates every
    part; read the shares, not the absolute numbers)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        _cold()
        call()
    profiler.disable()
    stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = _cumulative(stats, "communique/summary.py", "summarize") / n
    out: dict[str, float] = {"total (profiled)": round(total * 1000, 3)}
    for label, path, name in PARTS:
        out[label] = round(_cumulative(stats, path, name) / n * 1000, 3)
    out["other (instructor, openai client)"] = round(
        out["total (profiled)"] - sum(out[label] for label, _, _ in PARTS), 3
    )
    out["of which grounding"] = round(
        _cumulative(stats, "communique/extraction.py", "ground") / n * 1000, 3
    )
    return out


def _cumulative(stats: dict[Any, Any], path: str, name: str) -> float:
    return float(
        sum(v[3] for (file, _, func), v in stats.items() if func == name and file.endswith(path))
    )


def _quantile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")
