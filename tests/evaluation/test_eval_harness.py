"""The harness end to end, offline: fixture recordings are made by recording an "oracle"
fake model (it answers with the labels) over three seeds, then replayed."""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest
from rich.console import Console

from communique.cli import app as cli
from communique.evaluation import report
from communique.evaluation.harness import EvalConfig, evaluate
from communique.evaluation.labels import Seed, load_seeds
from communique.evaluation.recordings import Recorder, Recording, Replay, ReplayMiss, canonical
from communique.settings import load_settings

from ..fakes import completion, followup_reply, is_followup

ROOT = Path(__file__).resolve().parents[2]
DOCS = (
    "00_ap_macron_coalition",
    "12_dunmore_ferry_flood_aftermath",
    "13_brennock_transit_levy_hoax",
)
FAKE = load_settings(
    {"COMMUNIQUE_BASE_URL": "http://fake.test/v1", "COMMUNIQUE_MODEL": "fake-model"}
)
PERMISSIVE = "version = 1\ntolerance = 0.05\n[min]\nevidence_grounding = 1.0\n"
Tweak = Callable[[str, str, dict[str, Any]], dict[str, Any]]


def minimal(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """The smallest instance of a JSON Schema: nulls, first enum values, empty lists.

    The pipeline's response format is its own business (and changes); answering from
    the schema in the request keeps these plumbing tests independent of it."""
    if "$ref" in schema:
        return minimal(defs[schema["$ref"].split("/")[-1]], defs)
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        null = [o for o in options if o.get("type") == "null"]
        return None if null else minimal(options[0], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: minimal(props[k], defs) for k in schema.get("required", props)}
    if kind == "array":
        return [minimal(schema.get("items", {}), defs)] * schema.get("minItems", 0)
    if kind == "integer":
        return schema.get("minimum", 1)
    if kind == "number":
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    return None if kind == "null" else "x"


def pipeline_answer(request: dict[str, Any]) -> dict[str, Any]:
    schema = request["response_format"]["json_schema"]["schema"]
    answer: dict[str, Any] = minimal(schema, schema.get("$defs", {}))
    return answer


def naive_answer(seed: Seed) -> dict[str, Any]:
    """The label in the naive shape, plus one invented participant."""
    lab = seed.label
    participants = [
        {"name": p.name, "kind": p.kind, "aliases": p.aliases} for p in lab.participants
    ]
    return {
        "headline": "h",
        "gist": "g",
        "proposal": lab.proposal.model_dump(mode="json") if lab.proposal else None,
        "participants": [*participants, {"name": "Zed Nobody", "kind": "person", "aliases": []}],
        "positions": [
            {"actor": p.actor, "stance": p.stance, "summary": "s", "evidence": p.evidence}
            for p in lab.positions
        ],
        "next_steps": [
            {
                "action": s.action,
                "actor": s.actor,
                "when": s.when,
                "when_iso": None,
                "evidence": s.evidence,
            }
            for s in lab.next_steps
        ],
    }


class Oracle:
    """A fake model that recognises the article in each request and answers its label."""

    def __init__(self, seeds: list[Seed], tweak: Tweak | None = None) -> None:
        self.seeds, self.tweak = seeds, tweak

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        if is_followup(body):  # names not involved, no planned step: adds nothing
            return httpx2.Response(200, json=completion(followup_reply(body)))
        sent = " ".join(" ".join(m["content"] for m in body["messages"]).split())
        variant = "naive" if body.get("response_format") == {"type": "json_object"} else "pipeline"
        seed = next(s for s in self.seeds if " ".join(s.article.text.split()[:12]) in sent)
        answer = naive_answer(seed) if variant == "naive" else pipeline_answer(body)
        if self.tweak:
            answer = self.tweak(variant, seed.name, answer)
        return httpx2.Response(200, json=completion(answer), headers={"set-cookie": "secret"})


@pytest.fixture(autouse=True)
def _no_git(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "git_commit", lambda: "0" * 40)


def record(tmp: Path, tweak: Tweak | None = None) -> Path:
    """Seeds (3 docs) + recordings made from the oracle; returns the folder."""
    seeds = tmp / "seeds"
    if not seeds.exists():
        for sub, ext in (("articles", "txt"), ("labels", "json")):
            (seeds / sub).mkdir(parents=True)
            for doc in DOCS:
                shutil.copy(ROOT / "seeds" / sub / f"{doc}.{ext}", seeds / sub)
    (tmp / "permissive.toml").write_text(PERMISSIVE, encoding="utf-8")
    oracle = Oracle(load_seeds(seeds), tweak)
    config = EvalConfig(
        seeds=seeds,
        recordings=tmp / "recordings",
        report_dir=tmp / "recorded-report",
        thresholds=tmp / "permissive.toml",
        record=True,
        settings=FAKE,
        transport=lambda: httpx2.MockTransport(oracle.handler),
    )
    evaluate(config, Console(file=io.StringIO()))
    return tmp


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return record(tmp_path_factory.mktemp("good"))


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A broken prompt, simulated: the model stops listing participants."""

    def no_participants(variant: str, doc: str, answer: dict[str, Any]) -> dict[str, Any]:
        return {**answer, "participants": []} if variant == "naive" else answer

    return record(tmp_path_factory.mktemp("broken"), no_participants)


def run(
    capsys: pytest.CaptureFixture[str], where: Path, *extra: str, thresholds: Path | None = None
) -> tuple[int, dict[str, Any], str]:
    args = [
        "eval",
        "--seeds",
        str(where / "seeds"),
        "--recordings",
        str(where / "recordings"),
        "--report-dir",
        str(where / "report"),
        "--thresholds",
        str(thresholds or ROOT / "evals" / "thresholds.toml"),
        *extra,
    ]
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else {}, err


def thresholds_file(tmp: Path, body: str, variant: str = "pipeline") -> Path:
    path = tmp / "thresholds.toml"
    head = f'version = 1\nvariant = "{variant}"\ntolerance = 0.05\n'
    path.write_text(head + body, encoding="utf-8")
    return path


def test_recordings_hold_bodies_only(good: Path) -> None:
    rec = json.loads((good / "recordings" / "pipeline" / f"{DOCS[0]}.json").read_text())
    assert rec["doc"] == DOCS[0] and rec["variant"] == "pipeline" and rec["model"] == "fake-model"
    exchange = rec["exchanges"][0]
    assert set(exchange) == {"request", "response", "elapsed_s"}
    assert exchange["request"]["temperature"] == 0 and "secret" not in json.dumps(rec)
    naive = json.loads((good / "recordings" / "naive" / f"{DOCS[0]}.json").read_text())
    assert naive["exchanges"][0]["request"]["response_format"] == {"type": "json_object"}


def test_replay_reproduces_the_recorded_run_and_writes_the_three_reports(
    good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t = thresholds_file(tmp_path, "[min]\nparticipants_recall = 1.0\n", variant="naive")
    code, out, err = run(capsys, good, "--replay", thresholds=t)
    assert code == 0, err
    assert "eval passed" in err
    recorded = json.loads((good / "recorded-report" / "report.json").read_text())
    data = json.loads((good / "report" / "report.json").read_text())
    for variant in ("pipeline", "naive"):
        assert data["variants"][variant]["aggregate"] == recorded["variants"][variant]["aggregate"]
        assert out["aggregate"][variant] == data["variants"][variant]["aggregate"]
    naive = out["aggregate"]["naive"]
    assert naive["participants_recall"] == 1.0 and naive["participants_precision"] < 1.0
    assert naive["evidence_grounding"] == 1.0 and naive["proposal_violations"] == 0
    assert data["provenance"]["git_commit"] == "0" * 40 and data["mode"] == "replay"
    assert [p["name"] for p in data["variants"]["naive"]["prompts"]] == [
        "naive.system.j2",
        "naive.user.j2",
    ]
    assert data["variants"]["naive"]["documents"][DOCS[0]]["invented"] == ["Zed Nobody"]
    md = (good / "report" / "report.md").read_text()
    assert "| participants_f1 |" in md and "| metric | pipeline | naive | threshold |" in md
    html = (good / "report" / "report.html").read_text()
    assert 'class="invented"' in html and "Zed Nobody" in html and DOCS[2] in html


def test_replay_serves_recorded_responses_and_a_changed_request_fails(good: Path) -> None:
    path = good / "recordings" / "naive" / f"{DOCS[1]}.json"
    rec = Recording.load(path)
    replay = Replay(rec, path)
    client = httpx2.Client(transport=replay.transport())
    sent = rec.exchanges[0].request
    assert (
        client.post("http://x/v1/chat/completions", json=sent).json() == rec.exchanges[0].response
    )
    with pytest.raises(ReplayMiss, match=f"{DOCS[1]}.*re-record with communique eval --record"):
        client.post("http://x/v1/chat/completions", json={**sent, "seed": 8})


def test_a_changed_prompt_is_a_replay_miss_naming_the_doc(
    good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(good / "seeds", tmp_path / "seeds")
    shutil.copytree(good / "recordings", tmp_path / "recordings")
    path = tmp_path / "recordings" / "pipeline" / f"{DOCS[0]}.json"
    rec = json.loads(path.read_text())
    rec["exchanges"][0]["request"]["messages"][0]["content"] += " (old prompt)"
    path.write_text(json.dumps(rec))
    code, _, err = run(capsys, tmp_path)
    assert code == 1
    assert DOCS[0] in err and "re-record with communique eval --record" in err


def test_no_recordings_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    code, _, err = run(capsys, tmp_path)
    assert code == 1
    folder = tmp_path / "recordings" / "pipeline"
    assert f"no recordings for pipeline in {folder}: record with communique eval --record" in err


def test_a_threshold_above_the_score_fails_naming_metric_and_documents(
    good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t = thresholds_file(tmp_path, "[min]\nparticipants_precision = 0.99\n", variant="naive")
    code, out, err = run(capsys, good, thresholds=t)
    assert code == 1 and out["passed"] is False
    line = next(x for x in err.splitlines() if "FAIL" in x)
    value = out["aggregate"]["naive"]["participants_precision"]
    assert f"participants_precision = {value:.3f} is below the threshold 0.99" in line
    assert "documents: " + DOCS[1] in line  # the lowest-scoring document first
    assert "## Gate: FAILED" in (good / "report" / "report.md").read_text()


def committed_thresholds_for(tmp: Path, variant: str) -> Path:
    text = (ROOT / "evals" / "thresholds.toml").read_text(encoding="utf-8")
    path = tmp / f"committed-{variant}.toml"
    path.write_text(text.replace('variant = "pipeline"', f'variant = "{variant}"'))
    return path


def test_a_broken_prompt_fails_the_committed_thresholds_naming_the_metric(
    good: Path, broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    committed = committed_thresholds_for(tmp_path, "naive")
    code, _, err = run(capsys, good, thresholds=committed)
    assert code == 0, err
    code, _, err = run(capsys, broken, thresholds=committed)
    assert code == 1
    failed = [x for x in err.splitlines() if "FAIL" in x]
    assert any(x.startswith("communique: eval: FAIL participants_f1 = 0 is below") for x in failed)
    assert any(x.startswith("communique: eval: FAIL central_recall = 0 is below") for x in failed)


def test_the_committed_thresholds_gate_the_pipeline(
    good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fixture pipeline answers with a schema-minimal summary: it must fail."""
    code, _, err = run(capsys, good)
    assert code == 1
    # (its next steps are no longer empty: code adds the timed plans no step cites, plans.py)
    assert re.search(r"FAIL positions_recall = 0 is below the threshold", err), err


def test_a_regression_against_the_baseline_fails(
    good: Path, broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t = thresholds_file(tmp_path, "[min]\nevidence_grounding = 1.0\n", variant="naive")
    assert run(capsys, good, thresholds=t)[0] == 0
    baseline = tmp_path / "baseline.json"
    shutil.copy(good / "report" / "report.json", baseline)
    assert run(capsys, good, "--baseline", str(baseline), thresholds=t)[0] == 0
    code, _, err = run(capsys, broken, "--baseline", str(baseline), thresholds=t)
    assert code == 1
    line = next(x for x in err.splitlines() if "FAIL participants_recall" in x)
    assert "regressed from the baseline's 1 (tolerance 0.05); documents: " + DOCS[0] in line
    html = (broken / "report" / "report.html").read_text()
    assert "naive: changes vs baseline" in html and "<del>" in html


def test_unknown_metric_in_thresholds_is_a_config_error(
    good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t = thresholds_file(tmp_path, "[min]\nparticipant_f1 = 0.5\n")
    code, _, err = run(capsys, good, thresholds=t)
    assert code == 2 and "unknown metric(s) participant_f1" in err


def test_recorder_scrubs_local_paths() -> None:
    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json={"model": "/home/me/.cache/communique/models/m.gguf"})

    recorder = Recorder(httpx2.MockTransport(answer), scrub={"/home/me": "~"})
    httpx2.Client(transport=recorder).post(
        "http://x/v1", json={"a": 1}, headers={"authorization": "k"}
    )
    assert recorder.exchanges[0].request == {"a": 1}
    assert recorder.exchanges[0].response == {"model": "~/.cache/communique/models/m.gguf"}


def test_embedded_recordings_replay_with_the_embedded_sampling_extras(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from communique.llm import embedded

    monkeypatch.setattr(embedded, "ensure_server", lambda settings: "http://127.0.0.1:9/v1")
    shutil.copytree(ROOT / "seeds", tmp_path / "all")
    seeds = tmp_path / "seeds"
    (seeds / "labels").mkdir(parents=True)
    shutil.copytree(tmp_path / "all" / "articles", seeds / "articles")
    shutil.copy(tmp_path / "all" / "labels" / f"{DOCS[1]}.json", seeds / "labels")
    oracle = Oracle(load_seeds(seeds))
    (tmp_path / "t.toml").write_text(PERMISSIVE, encoding="utf-8")
    config = EvalConfig(
        seeds=seeds,
        recordings=tmp_path / "rec",
        report_dir=tmp_path / "rep",
        thresholds=tmp_path / "t.toml",
        record=True,
        settings=load_settings({}),
        transport=lambda: httpx2.MockTransport(oracle.handler),
    )
    evaluate(config, Console(file=io.StringIO()))
    rec = json.loads((tmp_path / "rec" / "naive" / f"{DOCS[1]}.json").read_text())
    assert rec["embedded"] is True
    assert rec["exchanges"][0]["request"]["repeat_penalty"] == 1.1
    config.record = False
    result = evaluate(config, Console(file=io.StringIO()))
    assert result.runs["pipeline"].endpoint == "embedded" and not result.failures


def test_record_missing_replays_what_is_recorded_and_asks_the_model_only_for_the_rest(
    good: Path, tmp_path: Path
) -> None:
    shutil.copytree(good / "seeds", tmp_path / "seeds")
    shutil.copytree(good / "recordings", tmp_path / "recordings")
    path = tmp_path / "recordings" / "pipeline" / f"{DOCS[0]}.json"
    before = Recording.load(path)
    changed = json.loads(path.read_text())
    changed["exchanges"][-1]["request"]["seed"] = 8  # this request is now "new"
    path.write_text(json.dumps(changed))
    asked: list[dict[str, Any]] = []
    oracle = Oracle(load_seeds(tmp_path / "seeds"))

    def live(request: httpx2.Request) -> httpx2.Response:
        asked.append(json.loads(request.content))
        return oracle.handler(request)

    config = EvalConfig(
        seeds=tmp_path / "seeds",
        recordings=tmp_path / "recordings",
        report_dir=tmp_path / "report",
        thresholds=tmp_path / "permissive.toml",
        variants=("pipeline",),
        record=True,
        reuse_recorded=True,
        settings=FAKE,
        transport=lambda: httpx2.MockTransport(live),
    )
    (tmp_path / "permissive.toml").write_text(PERMISSIVE, encoding="utf-8")
    evaluate(config, Console(file=io.StringIO()))
    assert [canonical(r) for r in asked] == [canonical(before.exchanges[-1].request)]
    after = Recording.load(path)
    assert [e.elapsed_s for e in after.exchanges[:-1]] == [
        e.elapsed_s for e in before.exchanges[:-1]
    ]
    assert after.exchanges[-1].request == before.exchanges[-1].request


def test_a_missing_follow_up_exchange_is_a_replay_miss(
    good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A summary survives a failed follow-up call, but a replay must not: the recording
    no longer answers every request."""
    shutil.copytree(good / "seeds", tmp_path / "seeds")
    shutil.copytree(good / "recordings", tmp_path / "recordings")
    path = tmp_path / "recordings" / "pipeline" / f"{DOCS[0]}.json"
    rec = json.loads(path.read_text())
    followups = [e for e in rec["exchanges"] if is_followup(e["request"])]
    assert followups, "the fixture pipeline makes a follow-up call"
    rec["exchanges"] = [e for e in rec["exchanges"] if not is_followup(e["request"])]
    path.write_text(json.dumps(rec))
    code, _, err = run(capsys, tmp_path)
    assert code == 1
    assert DOCS[0] in err and "re-record with communique eval --record" in err
