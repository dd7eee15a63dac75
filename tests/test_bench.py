"""`python -m bench` runs end to end on tiny counts and writes results.json.

No timing is asserted (benchmarks report, the README quotes them); what is checked is
that every section ran against the fake server and counted what it should.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROW_KEYS = {"measure", "value", "unit", "baseline", "ratio", "target", "met"}


def test_quick_bench_writes_results_with_every_section(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    args = ["share", "cache", "latency", "--quick"]
    small = ["--articles", "5", "--out", str(out)]
    done = subprocess.run(
        [sys.executable, "-m", "bench", *args, *small],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| section | measure |" in done.stdout  # the table, on stdout

    results = json.loads(out.read_text())
    assert results["machine"]["cores"] >= 1
    sections = results["sections"]
    assert set(sections) == {"share", "cache", "latency"}
    for sec in sections.values():
        assert sec["quick"] is True and sec["rows"]
        assert all(set(r) == ROW_KEYS for r in sec["rows"])

    docs = sections["share"]["details"]["docs"]
    recordings = sorted(p.stem for p in (ROOT / "evals/recordings/pipeline").glob("*.json"))
    assert sorted(docs) == recordings and len(docs) == 15  # every seed was replayed
    for doc in docs.values():
        assert doc["cpu_ms"] > 0 and doc["model_s"] > 0 and doc["calls"] >= 1
        assert doc["share_pct"] == pytest.approx(doc["cpu_ms"] / 10 / doc["model_s"], rel=0.01)

    cache = sections["cache"]["details"]
    assert cache["first"]["requests"] == 5
    assert cache["second"] == {**cache["second"], "requests": 0, "cached": 5}


def test_retired_sections_are_usage_errors(tmp_path: Path) -> None:
    """overhead (a fake answering in 0 ms) and throughput (16 at once against 100 ms)
    measured Python against nothing; issue 17 replaced them with share."""
    for name in ("overhead", "throughput"):
        done = subprocess.run(
            [sys.executable, "-m", "bench", name, "--out", str(tmp_path / "r.json")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2 and "unknown section" in done.stderr


def test_peak_rss_is_the_childs_own_not_inherited_from_the_parent() -> None:
    """The memory section's measurement: a child that allocates 64 MiB reports about 64 MiB
    more than an idle one, and an idle child reports less than this (larger) process."""
    from bench.memory import peak_rss_kib

    ballast = bytearray(b"x") * (96 << 20)  # this process: clearly larger than a bare child
    idle, code, _ = peak_rss_kib("pass")
    busy, _, out = peak_rss_kib("x = bytearray(64 << 20); print(len(x))")
    assert code == 0 and out.strip() == str(64 << 20)
    assert 60 * 1024 < busy - idle < 80 * 1024
    assert idle < len(ballast) // 1024


def test_an_unknown_section_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "nope", "--out", str(tmp_path / "r.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "unknown section" in done.stderr
    assert not (tmp_path / "r.json").exists()


def _run(doc: str, wall: float, gen: int, drafted: int = 0, accepted: int = 0) -> dict[str, object]:
    timings = {
        "prompt_n": 1000,
        "prompt_ms": 20_000.0,
        "predicted_n": gen,
        "predicted_ms": gen * 100.0,
        "draft_n": drafted,
        "draft_n_accepted": accepted,
    }
    return {"doc": doc, "wall_s": wall, "calls": [{"timings": timings}], "summary": {"x": doc}}


def test_the_model_section_reports_before_against_after_from_llama_cpp_timings() -> None:
    from bench.model import _report
    from communique.settings import load_settings

    before = [_run("a", 100.0, 500), _run("b", 200.0, 700), _run("c", 300.0, 900)]
    after = [_run("a", 60.0, 500, 400, 300), _run("b", 90.0, 700, 500, 250), _run("c", 160.0, 900)]
    after[2]["summary"] = {"x": "changed"}
    settings = load_settings({})
    lever = settings.with_overrides(speculative="ngram-simple:3:8")
    configs = {"before": settings, "after": lever}
    out = _report({"before": before, "after": after}, 40.0, 45e9, 1_125_000_000, configs)
    rows = {r["measure"]: r for r in out["rows"]}
    median = rows["median per article (3 seeds), after vs before"]
    assert (median["value"], median["baseline"], median["ratio"]) == (90.0, 200.0, 0.45)
    assert median["met"] is True  # <= 50 %
    assert rows["articles per hour, one at a time, before (today's settings)"]["value"] == 18.0
    assert (
        rows["generation, after"]["value"] == 10.0 and rows["generation, after"]["baseline"] == 40
    )
    assert rows["prompt processing, before"]["value"] == 50.0
    drafts = rows["speculative drafts accepted (after)"]
    assert (drafts["value"], drafts["baseline"]) == (550, 900)
    assert rows["summaries identical, after vs before"]["value"] == 2
    assert out["params"]["before"]["speculative"] == "off"
    assert out["params"]["after"]["speculative"] == "ngram-simple:3:8"
