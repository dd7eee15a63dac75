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

import httpx2
import openai

from communique import summarize
from communique.llm import embedded
from communique.models import Summary
from communique.settings import load_settings

from .common import Row, row, seed, seed_request

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


class _NoPromptCache(httpx2.BaseTransport):
    """Adds llama.cpp's `cache_prompt: false` to each request and keeps the last answer
    (its `timings`), so the pipeline's own request is the one that is measured."""

    def __init__(self) -> None:
        self.inner = httpx2.HTTPTransport()
        self.answers: list[dict[str, Any]] = []  # every answer, in order (main call first)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method == "POST" and request.content:
            body = {**json.loads(request.content), "cache_prompt": False}
            headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
            request = httpx2.Request("POST", request.url, headers=headers, json=body)
        response = self.inner.handle_request(request)
        response.read()
        if response.status_code == 200:
            self.answers.append(json.loads(response.content))
        return response

    def close(self) -> None:
        self.inner.close()


def run() -> dict[str, Any]:
    names = ("COMMUNIQUE_CACHE_DIR", "COMMUNIQUE_THREADS")
    settings = load_settings({k: v for k, v in os.environ.items() if k in names})
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
    capture = _NoPromptCache()
    client = openai.OpenAI(
        base_url=base, api_key="none", max_retries=0, http_client=httpx2.Client(transport=capture)
    )
    try:
        # The seed end to end on a fresh server: the pipeline's request, as summarize()
        # sends it (schema, sampling, repeat penalty), with the prompt cache off.
        t = time.perf_counter()
        summary: Summary = summarize(article, client=client, settings=settings)
        e2e_s = time.perf_counter() - t
        root = base.removesuffix("/v1")
        article_tokens = len(_post(f"{root}/tokenize", {"content": article.text})["tokens"])
        messages, _ = seed_request()
        system = _post(f"{root}/tokenize", {"content": messages[0]["content"]})["tokens"]
    finally:
        client.close()
        embedded.shutdown()
    main = capture.answers[0] if capture.answers else {}
    timings = main.get("timings", {})  # the main call's: the longest prompt and answer
    pp, tg = (
        float(timings.get("prompt_per_second", 0)),
        float(timings.get("predicted_per_second", 0)),
    )
    prompt_tokens = summary.meta.prompt_tokens  # every call of the summary
    main_prompt = int(main.get("usage", {}).get("prompt_tokens", 0))
    overhead = prompt_tokens - article_tokens
    calls = summary.meta.calls
    rows: list[Row] = [
        row("copy bandwidth (all cores)", bandwidth / 1e9, "GB/s"),
        row("bound: bandwidth / weight bytes", bound, "tok/s"),
        row("generation (llama.cpp timings)", tg, "tok/s", baseline=bound),
        row("prompt processing (llama.cpp timings)", pp, "tok/s", baseline=bound),
        row(f"seed article end to end (summarize, {calls} calls)", e2e_s, "s"),
        row("prompt tokens beyond the article: main call", main_prompt - article_tokens, "tokens"),
        row(
            f"prompt tokens beyond the article: whole summary ({calls} calls)",
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
                "calls": calls,
            },
            "tokens": {
                "article": article_tokens,
                "system_prompt": len(system),
                "main_call_prompt": main_prompt,
                "prompt_total": prompt_tokens,
                "overhead": overhead,
                "per_call": [a.get("usage", {}) for a in capture.answers],
            },
            "strategy": settings.strategy,
        },
    }
