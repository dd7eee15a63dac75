"""Section 5 — memory: peak RSS of `communique brief` over N articles against the fake.

Each run is a child process (the real CLI) that reports its own peak resident set size
at exit: VmHWM from /proc/self/status (ru_maxrss where there is no /proc). Not the
parent's view of the child (os.wait4 -> ru_maxrss): on Linux that figure starts from the
parent's RSS at fork, so a child of a large parent would report the parent's size.

Growth per article = (peak at the larger N - peak at the smaller N) / (difference in N);
compare it with the size of the results themselves (the briefing JSON per article),
which a briefing has to hold until it writes them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .common import DAY, FAKE_MODEL, Row, row, write_copies
from .fakeserver import FakeServer

# Prepended to the child's code: write the peak RSS (KiB) to $BENCH_PEAK_FILE at exit.
_REPORT_PEAK = """
import atexit, os, resource
def _peak():
    try:
        with open("/proc/self/status") as f:
            return next(int(x.split()[1]) for x in f if x.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
def _write():
    with open(os.environ["BENCH_PEAK_FILE"], "w") as f:
        f.write(str(_peak()))
atexit.register(_write)
"""
CLI = "from communique.cli import run; run()"


def _clean_env() -> dict[str, str]:
    """The child's environment without the caller's communique/OpenAI settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("COMMUNIQUE_", "OPENAI_"))}


def peak_rss_kib(code: str, *args: str) -> tuple[int, int, str]:
    """Run `python -c code args...`; return (its peak RSS in KiB, exit code, stdout)."""
    with tempfile.TemporaryDirectory() as tmp:
        peak = Path(tmp) / "peak"
        proc = subprocess.run(
            [sys.executable, "-c", _REPORT_PEAK + code, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**_clean_env(), "BENCH_PEAK_FILE": str(peak)},
            check=False,
        )
        return int(peak.read_text()), proc.returncode, proc.stdout.decode()


def run(sizes: list[int], latency_s: float, concurrency: int) -> dict[str, Any]:
    details: dict[str, Any] = {}
    with (
        tempfile.TemporaryDirectory(prefix="communique-bench-") as tmp,
        FakeServer(latency_s) as fake,
    ):
        base, _, _ = peak_rss_kib("import communique.cli, communique.briefing.brief")
        details["import_only_kib"] = base
        for n in sizes:
            folder = write_copies(n, Path(tmp) / f"in-{n}")
            output = Path(tmp) / f"briefing-{n}.json"
            argv = [
                "brief", str(folder), "--date", DAY.isoformat(), "-o", str(output),
                "--no-cache", "--concurrency", str(concurrency),
                "--base-url", fake.base_url, "--model", FAKE_MODEL,
            ]  # fmt: skip
            rss, code, stdout = peak_rss_kib(CLI, *argv)
            status = json.loads(stdout.strip().splitlines()[-1]) if stdout.strip() else {}
            details[str(n)] = {
                "peak_rss_kib": rss,
                "exit_code": code,
                "summarized": status.get("summarized"),
                "briefing_json_bytes": output.stat().st_size if output.exists() else 0,
            }
    small, large = str(min(sizes)), str(max(sizes))
    span = max(sizes) - min(sizes)
    growth = (details[large]["peak_rss_kib"] - details[small]["peak_rss_kib"]) / span
    result_kib = details[large]["briefing_json_bytes"] / 1024 / max(sizes)
    rows: list[Row] = [
        row("import communique (baseline)", base / 1024, "MiB"),
        *(
            row(f"peak RSS, {n} articles", details[str(n)]["peak_rss_kib"] / 1024, "MiB")
            for n in sizes
        ),
        row(
            "growth per article",
            growth,
            "KiB",
            baseline=result_kib,
            target="~ the results (briefing JSON per article)",
        ),
    ]
    return {
        "params": {"sizes": sizes, "fake_latency_s": latency_s, "concurrency": concurrency},
        "rows": rows,
        "details": details,
    }
