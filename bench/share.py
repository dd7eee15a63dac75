"""Section 1 — the code's share of one article's time on the embedded model.

For each of the 14 seeds, summarize() replays the embedded model's recorded answers
(evals/recordings/pipeline/, the same requests and answers as the live run) and its CPU
time (time.process_time: this process, every thread) is divided by the model latency
recorded with those answers (the sum of the requests' elapsed_s). The replay transport's
own work (serving the recorded JSON) is counted as the code's: the share is an upper
bound. Nothing here waits for a model, so the number is the same offline.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

from communique.clock import SystemClock
from communique.evaluation.labels import load_seeds
from communique.evaluation.recordings import Recording, Replay, recording_path
from communique.evaluation.variants import run_pipeline
from communique.llm.client import connect
from communique.settings import EMBEDDED, Settings
from communique.text import folding as grounding

from .common import ROOT, Row, median, row

TARGET = 0.01  # the code's CPU time <= 1 % of the model's time, on every seed
REPLAY_URL = "http://replay.invalid/v1"


def _settings(rec: Recording) -> Settings:
    """The code's defaults, as `communique eval` replays them (not the environment)."""
    return dataclasses.replace(
        Settings(), model=rec.model, base_url=EMBEDDED if rec.embedded else REPLAY_URL
    )


def _cpu_once(rec: Recording, path: Path, article: Any) -> float:
    """CPU seconds of one summarize() over the recorded answers (a new article each time:
    the folded-name cache is cleared)."""
    fold_cache = getattr(grounding, "_fold_short", None)
    if fold_cache is not None:
        fold_cache.cache_clear()
    replay = Replay(rec, path)
    settings = _settings(rec)
    clock = SystemClock()
    started = time.process_time()
    conn = connect(settings, REPLAY_URL, clock=clock, transport=replay.transport())
    try:
        out = run_pipeline(article, conn.raw, settings, clock)  # type: ignore[arg-type]
    finally:
        conn.raw.close()
    spent = time.process_time() - started
    if replay.misses or not out.schema_valid:
        raise RuntimeError(replay.miss_message() if replay.misses else str(out.error))
    return spent


def run(repeat: int, recordings: Path | None = None, seeds: Path | None = None) -> dict[str, Any]:
    recordings = recordings or ROOT / "evals" / "recordings"
    docs: dict[str, dict[str, float]] = {}
    for seed in load_seeds(seeds or ROOT / "seeds"):
        path = recording_path(recordings, "pipeline", seed.name)
        rec = Recording.load(path)
        _cpu_once(rec, path, seed.article)  # warm up: imports, schema caches
        cpu = median([_cpu_once(rec, path, seed.article) for _ in range(repeat)])
        docs[seed.name] = {
            "cpu_ms": round(cpu * 1000, 2),
            "model_s": rec.elapsed_s,
            "calls": len(rec.exchanges),
            "share_pct": round(100 * cpu / rec.elapsed_s, 4),
        }
    shares = [d["share_pct"] for d in docs.values()]
    cpu_ms = median([d["cpu_ms"] for d in docs.values()])
    model_s = median([d["model_s"] for d in docs.values()])
    worst = max(docs, key=lambda k: docs[k]["share_pct"])
    rows: list[Row] = [
        row("model latency per article, recorded (median)", model_s, "s"),
        row("summarize() CPU per article, replayed (median)", cpu_ms, "ms"),
        row(
            "code's share of the article's model time (median seed)",
            median(shares),
            "%",
            target=f"<= {TARGET:.0%}",
            met=median(shares) <= TARGET * 100,
        ),
        row(
            f"code's share, worst seed ({worst})",
            docs[worst]["share_pct"],
            "%",
            target=f"<= {TARGET:.0%}",
            met=max(shares) <= TARGET * 100,
        ),
    ]
    return {
        "params": {"source": "evals/recordings/pipeline", "repeat": repeat, "docs": len(docs)},
        "rows": rows,
        "details": {"docs": docs},
    }
