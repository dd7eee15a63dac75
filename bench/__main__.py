"""`python -m bench [SECTION ...] [--quick]`: run the benchmarks, print a table, write
bench/results.json. Sections: share, cache, memory, model, concurrent, latency, html
(default: all but model and concurrent, which run the embedded model for minutes).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import briefing, html, memory, share
from .common import ROOT, load, machine

SECTIONS = ("share", "cache", "memory", "model", "concurrent", "latency", "html")
DEFAULT = ("share", "cache", "memory", "latency", "html")


def _latency(_: argparse.Namespace) -> dict[str, Any]:
    """The pipeline against the naive prompt, from the eval recordings (bench/latency.py)."""
    from .common import row
    from .latency import from_recordings, medians

    data = from_recordings(ROOT / "evals" / "recordings")
    med = medians(data)
    rows = [row(f"{key} (median per document)", p, "", baseline=n) for key, (p, n) in med.items()]
    return {"params": {"source": "evals/recordings"}, "rows": rows, "details": {"medians": med}}


def _model(args: argparse.Namespace) -> dict[str, Any]:
    from . import model  # needs the [local] extra

    return model.run(args.docs.split(",") if args.docs else model.DEFAULT_DOCS)


def _concurrent(_: argparse.Namespace) -> dict[str, Any]:
    from . import concurrency  # needs the [local] extra

    return concurrency.run()


def _runners() -> dict[str, Callable[[argparse.Namespace], dict[str, Any]]]:
    return {
        "share": lambda a: share.run(a.repeat),
        "cache": lambda a: briefing.cache(a.articles, a.latency, 16),
        "memory": lambda a: memory.run([max(1, a.articles // 5), a.articles], a.latency, 16),
        "model": _model,
        "concurrent": _concurrent,
        "latency": _latency,
        "html": lambda a: html.run((12, 50) if a.quick else (12, 200, 2000)),
    }


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run communique's benchmarks: print a table, write bench/results.json.",
        epilog="what each number means and how to reproduce it: bench/README.md",
    )
    p.add_argument(
        "sections",
        nargs="*",
        metavar="SECTION",
        help=f"any of {', '.join(SECTIONS)} (default: all but model and concurrent)",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="tiny counts (seconds, not minutes): proves it runs, numbers mean little",
    )
    p.add_argument("--articles", type=int, help="articles per briefing (default 500; quick 12)")
    p.add_argument(
        "--latency", type=float, help="fake latency in seconds (default 0.1; quick 0.01)"
    )
    p.add_argument(
        "--repeat",
        type=int,
        help="replays per seed in share; the median is reported (default 5; quick 1)",
    )
    p.add_argument(
        "--docs",
        help="model: seeds to measure, by name prefix (e.g. 00,03), or 'all' (default: six)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=ROOT / "bench" / "results.json",
        help="results file; sections run now replace their entries (default bench/results.json)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    unknown = sorted(set(args.sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    quick = args.quick
    args.articles = args.articles or (12 if quick else 500)
    args.latency = args.latency if args.latency is not None else (0.01 if quick else 0.1)
    args.repeat = args.repeat or (1 if quick else 5)
    sections = args.sections or list(DEFAULT)
    results = _load(args.out)
    results["machine"] = machine()
    runners = _runners()
    for name in sections:
        print(f"bench: {name}…", file=sys.stderr, flush=True)
        before = load()
        started = dt.datetime.now(dt.UTC)
        out = runners[name](args)
        out = {
            "measured_at": started.isoformat(timespec="seconds"),
            "quick": quick,
            "load_before": before,
            "load_after": load(),
            "seconds": round((dt.datetime.now(dt.UTC) - started).total_seconds(), 1),
            **out,
        }
        results["sections"][name] = out
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(table(results, sections))
    return 0


def _load(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    kept = {k: v for k, v in data.get("sections", {}).items() if k in SECTIONS}
    return {"schema": 1, "machine": {}, "sections": kept}  # retired sections are dropped


def _num(v: float | None) -> str:
    if v is None:
        return ""
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}" if abs(v) < 1 else f"{v:.1f}"


def table(results: dict[str, Any], sections: list[str] | None = None) -> str:
    """The results as a Markdown table (what the READMEs quote)."""
    m = results.get("machine", {})
    lines = [
        f"{m.get('cores')} cores, {m.get('cpu') or 'cpu unknown'}, Python {m.get('python')}",
        "",
        "| section | measure | value | baseline (same run) | ratio | target | met |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for name in sections or list(results["sections"]):
        sec = results["sections"].get(name)
        if not sec:
            continue
        for r in sec["rows"]:
            met = {True: "yes", False: "**no**", None: ""}[r["met"]]
            ratio = f"{r['ratio']:.2f}x" if r["ratio"] is not None else ""
            lines.append(
                f"| {name} | {r['measure']} | {_num(r['value'])} {r['unit']} | "
                f"{_num(r['baseline'])} | {ratio} | {r['target']} | {met} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
