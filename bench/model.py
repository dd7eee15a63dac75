"""Section 4 — the embedded model: llama.cpp's own speed against the memory-bandwidth
bound, the seed article end to end, and the prompt tokens communique adds to an article.

Generating one token reads every weight once, so tokens/s cannot exceed (memory
bandwidth / weight bytes); the bandwidth is measured here with a plain memory copy.
Prompt processing works on many tokens per weight read (batched), so it is compute bound
and may exceed that figure. Needs `pip install -e ".[local]"`; takes a few minutes.
"""

from __future__ import annotations

import json
import os
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from communique import embedded, summarize
from communique.article import split_sentences
from communique.candidates import find_candidates
from communique.models import Summary
from communique.settings import load_settings
from communique.summary import render_messages

from .common import Row, row, seed

OVERHEAD_TARGET = 700  # prompt tokens beyond the article's own
COPY_MIB = 256


def copy_bandwidth(mib: int = COPY_MIB, reps: int = 8) -> float:
    """Bytes moved per second (read + written, as STREAM's Copy counts them), best of reps."""
    src = bytearray(os.urandom(1 << 20)) * mib
    dst = bytearray(len(src))
    view_src, view_dst = memoryview(src), memoryview(dst)
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        view_dst[:] = view_src
        best = min(best, time.perf_counter() - t)
    return 2 * len(src) / best


def parallel_bandwidth(workers: int) -> float:
    """The sum over `workers` processes copying at the same time."""
    with ProcessPoolExecutor(workers) as pool:
        return sum(pool.map(copy_bandwidth, [COPY_MIB] * workers))


def _post(url: str, body: dict[str, Any], timeout: float = 900) -> dict[str, Any]:
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        data: dict[str, Any] = json.loads(resp.read())
    return data


def run() -> dict[str, Any]:
    env = {
        k: v for k, v in os.environ.items() if k in ("COMMUNIQUE_CACHE_DIR", "COMMUNIQUE_THREADS")
    }
    settings = load_settings(env)
    article = seed()
    weights = embedded.model_file(settings.cache_dir).stat().st_size
    cores = os.cpu_count() or 1
    bw_one = copy_bandwidth()
    bw_all = parallel_bandwidth(cores) if cores > 1 else bw_one
    bandwidth = max(bw_one, bw_all)
    bound = bandwidth / weights

    t = time.perf_counter()
    base = embedded.ensure_server(settings)
    start_s = time.perf_counter() - t
    root = base.removesuffix("/v1")
    try:
        # End to end first, on a fresh server (nothing cached from an earlier request).
        t = time.perf_counter()
        summary: Summary = summarize(article, settings=settings)
        e2e_s = time.perf_counter() - t
        # The same messages again, raw, with llama.cpp's timings and no prompt cache.
        sentences = split_sentences(article.text)
        _, messages = render_messages(article, sentences, find_candidates(article.text, sentences))
        raw = _post(
            f"{base}/chat/completions",
            {
                "model": settings.model,
                "messages": messages,
                "temperature": settings.temperature,
                "seed": settings.seed,
                "max_tokens": settings.max_tokens,
                "repeat_penalty": 1.1,
                "cache_prompt": False,
            },
        )
        article_tokens = len(_post(f"{root}/tokenize", {"content": article.text})["tokens"])
        system_tokens = len(
            _post(f"{root}/tokenize", {"content": messages[0]["content"]})["tokens"]
        )
    finally:
        embedded.shutdown()
    timings = raw.get("timings", {})
    pp, tg = (
        float(timings.get("prompt_per_second", 0)),
        float(timings.get("predicted_per_second", 0)),
    )
    prompt_tokens = summary.meta.prompt_tokens
    overhead = prompt_tokens - article_tokens
    rows: list[Row] = [
        row("copy bandwidth (all cores)", bandwidth / 1e9, "GB/s"),
        row("bound: bandwidth / weight bytes", bound, "tok/s"),
        row("generation (llama.cpp timings)", tg, "tok/s", baseline=bound),
        row("prompt processing (llama.cpp timings)", pp, "tok/s", baseline=bound),
        row("seed article end to end (summarize)", e2e_s, "s"),
        row(
            "prompt tokens beyond the article",
            overhead,
            "tokens",
            target=f"<= {OVERHEAD_TARGET}",
            met=overhead <= OVERHEAD_TARGET,
        ),
    ]
    return {
        "params": {"model": settings.model, "threads": settings.threads or cores},
        "rows": rows,
        "details": {
            "weight_bytes": weights,
            "copy_bandwidth_gb_s": {
                "one_core": round(bw_one / 1e9, 3),
                "all_cores": round(bw_all / 1e9, 3),
            },
            "server_start_s": round(start_s, 2),
            "timings": {k: round(v, 3) if isinstance(v, float) else v for k, v in timings.items()},
            "summarize": {
                "latency_s": round(e2e_s, 2),
                "meta_latency_s": summary.meta.latency_s,
                "prompt_tokens": prompt_tokens,
                "completion_tokens": summary.meta.completion_tokens,
                "attempts": summary.meta.attempts,
            },
            "tokens": {
                "article": article_tokens,
                "system_prompt": system_tokens,
                "prompt_total": prompt_tokens,
                "raw_request_prompt": (raw.get("usage") or {}).get("prompt_tokens"),
                "overhead": overhead,
            },
        },
    }
