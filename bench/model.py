"""Section "model" — one speed lever of the embedded model, before against after, in one run.

Two llama.cpp servers are started from the same GGUF: "before" with today's settings
(`Settings` defaults) and "after" with one lever changed: n-gram speculative decoding
(COMMUNIQUE_SPECULATIVE, default candidate CANDIDATE below) and/or flash attention
(COMMUNIQUE_FLASH_ATTN). Each seed is summarized by `summarize()` once against each
server, the order alternating from seed to seed (the servers take turns; an idle one uses
no CPU), with llama.cpp's prompt cache off so every request pays for its whole prompt.
Reported: latency per article before → after, llama.cpp's own prompt and generation
speeds against the memory-bandwidth bound (generating one token reads every weight once),
the speculative acceptance rate, and whether the two servers gave the same summary.
Needs `pip install -e ".[local]"`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import httpx2
import openai

from communique import summarize
from communique.ingest.article import read_article_file
from communique.llm import embedded
from communique.settings import Settings, load_settings

from .common import ROOT, Row, row

COPY_MIB = 256
SEEDS = ROOT / "seeds" / "articles"
# The seeds measured by default: six of the fourteen, short to long, three languages
# (all fourteen: --docs all; about 4 minutes a seed).
DEFAULT_DOCS = ("00", "03", "06", "08", "10", "11")
TARGET = 0.5  # issue 17: median time per article <= 50 % of before
OVERHEAD_TARGET = 700  # prompt tokens a summary adds to its article
CANDIDATE = "ngram-simple:3:8"  # the lever measured when the environment names none


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


class NoPromptCache(httpx2.BaseTransport):
    """Adds llama.cpp's `cache_prompt: false` to each request and keeps every answer (its
    `timings`), so each request is measured with its whole prompt."""

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


def start_server(settings: Settings, log_dir: Path, name: str) -> embedded.EmbeddedServer:
    """A private llama.cpp server with these settings' levers (not the machine's shared
    one: no discovery file, no idle timeout)."""
    port = embedded.free_port()
    command = embedded.server_command(embedded.model_file(settings.cache_dir), port, settings)
    for flag in ("--state-dir", "--idle"):  # flag + value
        i = command.index(flag)
        del command[i : i + 2]
    server = embedded.EmbeddedServer(command, port, log_dir / f"{name}.log")
    server.start()
    return server


def summarize_measured(path: Path, base_url: str, settings: Settings) -> dict[str, Any]:
    """One article through summarize() against base_url: wall time, each call's timings."""
    capture = NoPromptCache()
    client = openai.OpenAI(
        base_url=base_url,
        api_key="none",
        max_retries=0,
        http_client=httpx2.Client(transport=capture, timeout=settings.timeout_s),
    )
    try:
        t = time.perf_counter()
        summary = summarize(read_article_file(path), client=client, settings=settings)
        wall = time.perf_counter() - t
    finally:
        client.close()
    content = summary.model_dump(mode="json", exclude={"meta"})
    return {
        "wall_s": round(wall, 2),
        "calls": [
            {"timings": a.get("timings", {}), "usage": a.get("usage", {})} for a in capture.answers
        ],
        "summary": content,
        "counts": [len(summary.participants), len(summary.positions), len(summary.next_steps)],
    }


def seed_paths(docs: Sequence[str]) -> list[Path]:
    every = sorted(SEEDS.glob("*.txt"))
    if list(docs) == ["all"]:
        return every
    chosen = [p for p in every if any(p.name.startswith(d) for d in docs)]
    if not chosen:
        raise SystemExit(f"bench model: no seed starts with {', '.join(docs)}")
    return chosen


def _sum(runs: list[dict[str, Any]], key: str) -> float:
    return float(sum(c["timings"].get(key, 0) or 0 for r in runs for c in r["calls"]))


def speeds(runs: list[dict[str, Any]]) -> dict[str, float]:
    """Token-weighted prompt and generation speeds over every call, and drafts accepted."""
    prompt_ms, prompt_n = _sum(runs, "prompt_ms"), _sum(runs, "prompt_n")
    gen_ms, gen_n = _sum(runs, "predicted_ms"), _sum(runs, "predicted_n")
    drafted, accepted = _sum(runs, "draft_n"), _sum(runs, "draft_n_accepted")
    return {
        "prompt_tok_s": 1000 * prompt_n / prompt_ms if prompt_ms else 0.0,
        "gen_tok_s": 1000 * gen_n / gen_ms if gen_ms else 0.0,
        "gen_tokens": gen_n,
        "drafted": drafted,
        "accepted": accepted,
    }


MACHINE_ENV = ("COMMUNIQUE_CACHE_DIR", "COMMUNIQUE_THREADS")  # where the model is, cores
LEVER_ENV = ("COMMUNIQUE_SPECULATIVE", "COMMUNIQUE_FLASH_ATTN")


def bench_env(names: Sequence[str] = MACHINE_ENV + LEVER_ENV) -> dict[str, str]:
    """The environment variables a model bench honours (the rest of the caller's
    environment, e.g. an endpoint, is ignored: the bench measures the embedded model)."""
    return {k: v for k, v in os.environ.items() if k in names}


def run(docs: Sequence[str] = DEFAULT_DOCS) -> dict[str, Any]:
    env = bench_env()
    before = load_settings(bench_env(MACHINE_ENV))
    if "COMMUNIQUE_SPECULATIVE" not in env and "COMMUNIQUE_FLASH_ATTN" not in env:
        env["COMMUNIQUE_SPECULATIVE"] = CANDIDATE
    configs = {"before": before, "after": load_settings(env)}
    paths = seed_paths(docs)
    weights = embedded.model_file(before.cache_dir).stat().st_size
    cores = os.cpu_count() or 1
    bandwidth = max(copy_bandwidth(), parallel_bandwidth(cores) if cores > 1 else 0.0)
    bound = bandwidth / weights
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in configs}
    with tempfile.TemporaryDirectory(prefix="communique-bench-") as tmp:
        servers = {name: start_server(s, Path(tmp), name) for name, s in configs.items()}
        try:
            for i, path in enumerate(paths):
                order = list(configs) if i % 2 == 0 else list(configs)[::-1]
                for name in order:
                    measured = summarize_measured(path, servers[name].base_url, configs[name])
                    results[name].append({"doc": path.stem, **measured})
                    print(f"bench model: {path.stem} {name} {measured['wall_s']:.1f} s", flush=True)
            overhead = prompt_overhead(paths, results["before"], servers["before"].base_url)
        finally:
            for server in servers.values():
                server.stop()
    report = _report(results, bound, bandwidth, weights, configs)
    report["rows"].extend(overhead)
    return report


def _post(url: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        data: dict[str, Any] = json.loads(response.read())
    return data


def prompt_overhead(paths: list[Path], runs: list[dict[str, Any]], base_url: str) -> list[Row]:
    """The prompt tokens a summary adds to the first seed's article (its text tokenized by
    the server): for the main call alone and for the whole summary (target <= 700)."""
    if not paths or not runs:
        return []
    text = read_article_file(paths[0]).text
    root = base_url.removesuffix("/v1")
    article = len(_post(f"{root}/tokenize", {"content": text})["tokens"])
    prompts = [int(c["usage"].get("prompt_tokens", 0)) for c in runs[0]["calls"]]
    label = f"prompt tokens beyond the article ({paths[0].stem[:12]})"
    return [
        row(f"{label}: main call", prompts[0] - article, "tokens", baseline=article),
        row(
            f"{label}: whole summary ({len(prompts)} calls)",
            sum(prompts) - article,
            "tokens",
            baseline=article,
            target=f"<= {OVERHEAD_TARGET}",
            met=sum(prompts) - article <= OVERHEAD_TARGET,
        ),
    ]


def _report(
    results: dict[str, list[dict[str, Any]]],
    bound: float,
    bandwidth: float,
    weights: int,
    configs: dict[str, Settings],
) -> dict[str, Any]:
    before, after = results["before"], results["after"]
    rows: list[Row] = [
        row("copy bandwidth (all cores)", bandwidth / 1e9, "GB/s"),
        row("bound: bandwidth / weight bytes", bound, "tok/s"),
    ]
    for b, a in zip(before, after, strict=True):
        rows.append(
            row(
                f"{a['doc'][:28]}: seconds, after vs before", a["wall_s"], "s", baseline=b["wall_s"]
            )
        )
    med_b = statistics.median(r["wall_s"] for r in before)
    med_a = statistics.median(r["wall_s"] for r in after)
    ratio = med_a / med_b
    rows.append(
        row(
            f"median per article ({len(after)} seeds), after vs before",
            med_a,
            "s",
            baseline=med_b,
            target=f"<= {TARGET:.0%} of before",
            met=ratio <= TARGET,
        )
    )
    rows.append(
        row(
            "articles per hour, one at a time, before (today's settings)",
            3600 / med_b,
            "articles/h",
        )
    )
    sb, sa = speeds(before), speeds(after)
    for label, s in (("before", sb), ("after", sa)):
        rows.append(row(f"prompt processing, {label}", s["prompt_tok_s"], "tok/s", baseline=bound))
        rows.append(row(f"generation, {label}", s["gen_tok_s"], "tok/s", baseline=bound))
    rows.append(
        row(
            "generated tokens, after vs before",
            sa["gen_tokens"],
            "tokens",
            baseline=sb["gen_tokens"],
        )
    )
    if sa["drafted"]:
        rows.append(
            row(
                "speculative drafts accepted (after)",
                sa["accepted"],
                "tokens",
                baseline=sa["drafted"],
            )
        )
    same = sum(a["summary"] == b["summary"] for a, b in zip(after, before, strict=True))
    rows.append(row("summaries identical, after vs before", same, "articles", baseline=len(after)))
    return {
        "params": {
            "model": configs["after"].model,
            "threads": configs["after"].threads or os.cpu_count(),
            "slots": configs["after"].server_slots,
            "before": {
                "speculative": configs["before"].speculative,
                "flash_attn": configs["before"].flash_attn,
            },
            "after": {
                "speculative": configs["after"].speculative,
                "flash_attn": configs["after"].flash_attn,
            },
            "docs": [r["doc"] for r in after],
            "commit": _commit(),
        },
        "rows": rows,
        "details": {
            "weight_bytes": weights,
            "speeds": {"before": sb, "after": sa},
            "runs": {
                name: [{k: v for k, v in r.items() if k != "summary"} for r in rs]
                for name, rs in results.items()
            },
        },
    }


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return ""
    return out.stdout.strip()
