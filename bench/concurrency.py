"""Section "concurrent" — two articles summarized at once on one embedded server.

Issue 17: two `communique summarize` runs at the same time must take at most 2.2 times
one run (two processes that each started their own server took ~8 times). Processes
share the machine's server (tests/llm/test_shared_server.py proves the reuse); this
measures what the shared server then does with two requests at once. One llama.cpp
server with today's settings (`server_slots` slots decoding together); two seeds
summarized one after the other, then both at once (two threads, two clients), llama.cpp's
prompt cache off so nothing is reused between the runs. Needs `pip install -e ".[local]"`.
"""

from __future__ import annotations

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from communique.settings import load_settings

from .common import Row, row
from .model import bench_env, seed_paths, start_server, summarize_measured

DOCS = ("03", "08")  # two seeds of about the same length
LIMIT = 2.2


def run(docs: tuple[str, ...] = DOCS) -> dict[str, Any]:
    settings = load_settings(bench_env())
    paths = seed_paths(docs)[:2]
    with tempfile.TemporaryDirectory(prefix="communique-bench-") as tmp:
        server = start_server(settings, Path(tmp), "concurrent")
        try:
            alone = [summarize_measured(p, server.base_url, settings) for p in paths]
            t = time.perf_counter()
            with ThreadPoolExecutor(2) as pool:
                together = list(
                    pool.map(lambda p: summarize_measured(p, server.base_url, settings), paths)
                )
            both_s = time.perf_counter() - t
        finally:
            server.stop()
    one_s = sum(r["wall_s"] for r in alone) / len(alone)  # one run, the mean of the two
    ratio = both_s / one_s
    rows: list[Row] = [
        *(row(f"{p.stem[:28]} alone", r["wall_s"], "s") for p, r in zip(paths, alone, strict=True)),
        row(
            "both at once, until the later finishes, vs one run",
            both_s,
            "s",
            baseline=one_s,
            target=f"<= {LIMIT}x",
            met=ratio <= LIMIT,
        ),
        row(
            "articles per hour, two at a time",
            3600 * len(paths) / both_s,
            "articles/h",
            baseline=3600 / one_s,
        ),
    ]
    return {
        "params": {
            "slots": settings.server_slots,
            "speculative": settings.speculative,
            "docs": [p.stem for p in paths],
        },
        "rows": rows,
        "details": {
            "alone": [{k: v for k, v in r.items() if k != "summary"} for r in alone],
            "together": [{k: v for k, v in r.items() if k != "summary"} for r in together],
            "same_summaries": [
                a["summary"] == b["summary"] for a, b in zip(alone, together, strict=True)
            ],
        },
    }
