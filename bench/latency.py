"""Latency and token cost of the pipeline against the naive single-prompt baseline.

Both variants run on the same model in the same run (`communique eval --record` records
them one document after the other), so their ratio is meaningful on any machine. By
default this reads the timings stored in the recordings (measured live when recording);
`--live` re-runs both variants now on the embedded model (or COMMUNIQUE_BASE_URL).

    python bench/latency.py                  # from evals/recordings (or: python -m bench latency)
    python bench/latency.py --live --docs 00_ap_macron_coalition,06_halvergate_dock_strike
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def from_recordings(root: Path) -> dict[str, dict[str, dict[str, float]]]:
    out: dict[str, dict[str, dict[str, float]]] = {}
    for variant_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for f in sorted(variant_dir.glob("*.json")):
            rec = json.loads(f.read_text(encoding="utf-8"))
            usage = [e["response"].get("usage") or {} for e in rec["exchanges"]]
            out.setdefault(variant_dir.name, {})[rec["doc"]] = {
                "latency_s": sum(e["elapsed_s"] for e in rec["exchanges"]),
                "calls": len(rec["exchanges"]),
                "completion_tokens": sum(u.get("completion_tokens", 0) for u in usage),
                "prompt_tokens": sum(u.get("prompt_tokens", 0) for u in usage),
            }
    return out


def live(docs: str) -> Path:
    """Record the chosen seeds now into a temporary recordings folder."""
    tmp = Path(tempfile.mkdtemp(prefix="communique-bench-"))
    seeds = tmp / "seeds"
    for sub in ("articles", "labels"):
        (seeds / sub).mkdir(parents=True)
        for doc in docs.split(","):
            for f in (ROOT / "seeds" / sub).glob(f"{doc}.*"):
                (seeds / sub / f.name).write_bytes(f.read_bytes())
    cmd = [
        "communique",
        "eval",
        "--record",
        "--seeds",
        str(seeds),
        "--recordings",
        str(tmp / "recordings"),
        "--report-dir",
        str(tmp / "report"),
        "--thresholds",
        str(tmp / "none.toml"),
    ]
    (tmp / "none.toml").write_text('version = 1\nvariant = "pipeline"\ntolerance = 1\n')
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
    return tmp / "recordings"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recordings", type=Path, default=ROOT / "evals" / "recordings")
    parser.add_argument("--live", action="store_true")
    parser.add_argument("--docs", default="00_ap_macron_coalition,06_halvergate_dock_strike")
    args = parser.parse_args()
    data = from_recordings(live(args.docs) if args.live else args.recordings)
    if {"pipeline", "naive"} - set(data):
        sys.exit("need recordings of both the pipeline and naive variants")
    docs = sorted(set(data["pipeline"]) & set(data["naive"]))
    print(f"{len(docs)} documents, same model, same run\n")
    print("| measure (median per document) | pipeline | naive | pipeline / naive |")
    print("|---|---:|---:|---:|")
    for key, (p, n) in medians(data).items():
        ratio = f"{p / n:.2f}x" if n else "n/a"
        print(f"| {key} | {p:.1f} | {n:.1f} | {ratio} |")


def medians(data: dict[str, dict[str, dict[str, float]]]) -> dict[str, tuple[float, float]]:
    """(pipeline, naive) medians per measure over the documents both variants ran."""
    docs = sorted(set(data["pipeline"]) & set(data["naive"]))
    return {
        key: (
            statistics.median(data["pipeline"][d][key] for d in docs),
            statistics.median(data["naive"][d][key] for d in docs),
        )
        for key in ("latency_s", "completion_tokens", "prompt_tokens", "calls")
    }


if __name__ == "__main__":
    main()
