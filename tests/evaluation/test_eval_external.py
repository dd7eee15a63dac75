"""`communique eval --labels DIR`: an external labelled set in the real-news dev set's
format, scored by that set's definitions beside the seeds; its recordings stay outside
any git work tree. The external set here is made from our own seeds."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from rich.console import Console

from communique.cli import app as cli
from communique.errors import UsageError
from communique.evaluation.external import (
    ExternalDoc,
    aggregate_external,
    load_external,
    score_external,
    seed_as_external,
)
from communique.evaluation.harness import EvalConfig, evaluate
from communique.evaluation.labels import load_seeds

from .test_eval_harness import DOCS, FAKE, ROOT, Oracle, record

SEED = "00_ap_macron_coalition"


def external_set(where: Path, docs: tuple[str, ...] = DOCS) -> Path:
    for sub in ("articles", "labels"):
        (where / sub).mkdir(parents=True, exist_ok=True)
    for seed in load_seeds(ROOT / "seeds"):
        if seed.name in docs:
            doc = seed_as_external(seed.name, seed.article, seed.label)
            text = (ROOT / "seeds" / "articles" / seed.label.article).read_text("utf-8")
            (where / "articles" / f"{seed.name}.txt").write_text(text, "utf-8")
            (where / "labels" / f"{seed.name}.json").write_text(json.dumps(doc.label), "utf-8")
    return where


def as_prediction(label: dict[str, Any]) -> dict[str, Any]:
    """The label itself as a summary (the dev-set scorer's self-test)."""
    no_proposal = label["proposal"].lower().startswith("no proposal")
    return {
        "proposal": None if no_proposal else {"statement": label["proposal"], "evidence": []},
        "participants": label["participants"],
        "positions": [{**p, "evidence": [{"quote": p["evidence"]}]} for p in label["positions"]],
        "next_steps": [{**s, "evidence": [{"quote": s["evidence"]}]} for s in label["next_steps"]],
    }


def test_the_labels_score_themselves_perfectly(tmp_path: Path) -> None:
    docs = load_external(external_set(tmp_path))
    scores = [score_external(d, as_prediction(dict(d.label))) for d in docs]
    agg = aggregate_external(scores)
    assert agg["participants_f1"] == 1.0
    assert agg["positions_found"] == 1.0
    assert agg["stance_among_found"] == 1.0
    assert agg["next_steps_recall"] == 1.0
    assert agg["invented_participants"] == 0
    assert agg["proposal_right_n"] == "3/3"


def test_a_summary_is_scored_by_the_dev_set_definitions(tmp_path: Path) -> None:
    (doc,) = load_external(external_set(tmp_path, (SEED,)))
    label = dict(doc.label)
    first, second = label["positions"][0], label["positions"][1]
    summary = {
        "proposal": {"statement": "x"},
        "participants": [
            {"name": first["actor"].split()[-1]},  # a surname matches the full name
            {"name": second["actor"]},
            {"name": "Zed Nobody"},  # not labelled, and not written in the article
        ],
        "positions": [
            {"actor": first["actor"].split()[-1], "stance": first["stance"]},
            {"actor": second["actor"], "stance": "unclear"},
        ],
        "next_steps": [{"action": label["next_steps"][0]["action"], "evidence": []}],
    }
    score = score_external(doc, summary)
    assert score.proposal_right
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(2 / len(label["participants"]))
    assert score.invented == ["Zed Nobody"]
    wanted = {first["actor"], second["actor"]}
    assert score.positions_found == sum(p["actor"] in wanted for p in label["positions"])
    assert score.stance_right == sum(
        p["actor"] == first["actor"] and p["stance"] == first["stance"] for p in label["positions"]
    ) + sum(p["actor"] == second["actor"] and p["stance"] == "unclear" for p in label["positions"])
    assert score.steps_found >= 1


def test_a_no_proposal_article_is_right_only_without_a_proposal() -> None:
    from communique.ingest.article import parse_article

    doc = ExternalDoc(
        "d",
        parse_article("Nothing was proposed today."),
        {"proposal": "No proposal", "participants": [], "positions": [], "next_steps": []},
    )
    assert score_external(doc, {"proposal": None}).proposal_right
    assert not score_external(doc, {"proposal": {"statement": "x"}}).proposal_right


def test_recordings_inside_a_git_work_tree_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ext = external_set(tmp_path / "ext")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    code = cli.main(
        [
            "eval",
            "--labels",
            str(ext),
            "--external-recordings",
            str(tmp_path / "repo" / "recordings"),
            "--report-dir",
            str(tmp_path / "report"),
        ]
    )
    assert code == 2
    assert "git work tree" in capsys.readouterr().err


def test_the_external_set_is_recorded_replayed_and_reported_beside_the_seeds(
    tmp_path: Path,
) -> None:
    where = record(tmp_path)  # the seeds and their recordings (an oracle model)
    ext = external_set(tmp_path / "ext")
    oracle = Oracle(load_seeds(where / "seeds"))
    common: dict[str, Any] = {
        "seeds": where / "seeds",
        "recordings": where / "recordings",
        "thresholds": where / "permissive.toml",
        "external": ext,
        "external_recordings": tmp_path / "ext-recordings",
    }
    recorded = evaluate(
        EvalConfig(
            **common,
            report_dir=tmp_path / "r1",
            record=True,
            settings=FAKE,
            transport=lambda: httpx2.MockTransport(oracle.handler),
        ),
        Console(file=io.StringIO()),
    )
    assert sorted(p.name for p in (tmp_path / "ext-recordings" / "pipeline").iterdir()) == [
        f"{d}.json" for d in DOCS
    ]
    replayed = evaluate(
        EvalConfig(**common, report_dir=tmp_path / "r2"), Console(file=io.StringIO())
    )
    section = replayed.data["external"]
    assert section["aggregate"] == recorded.data["external"]["aggregate"]
    assert section["aggregate"]["documents"] == 3
    assert section["seeds_aggregate"]["documents"] == 3
    assert sorted(section["documents"]) == sorted(DOCS)
    md = (tmp_path / "r2" / "report.md").read_text("utf-8")
    assert "own seeds (3)" in md and "ext (3)" in md
    assert 'id="external"' in (tmp_path / "r2" / "report.html").read_text("utf-8")


def test_without_a_rule_compares_both_runs_on_the_external_set(tmp_path: Path) -> None:
    from communique.evaluation.ablation import ablate_external

    where = record(tmp_path)
    ext = external_set(tmp_path / "ext")
    oracle = Oracle(load_seeds(where / "seeds"))
    evaluate(
        EvalConfig(
            seeds=where / "seeds",
            recordings=where / "recordings",
            thresholds=where / "permissive.toml",
            external=ext,
            external_recordings=tmp_path / "ext-recordings",
            report_dir=tmp_path / "r1",
            record=True,
            settings=FAKE,
            transport=lambda: httpx2.MockTransport(oracle.handler),
        ),
        Console(file=io.StringIO()),
    )
    result = ablate_external(ext, tmp_path / "ext-recordings", ("steps.past_time",))
    report = result.report()
    assert report["without"] == ["steps.past_time"]
    assert sorted(result.seeds) + result.excluded == sorted(DOCS)
    assert set(report["delta"]) >= {"participants_f1", "positions_found", "next_steps_recall"}
    with pytest.raises(UsageError):
        ablate_external(ext, tmp_path / "ext-recordings", ("evidence.missing_sentence",))
