"""The OpenAI Batch format: `batch prepare` + a batch run + `batch collect` give the
briefing `brief` gives on the same (recorded) model answers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

from communique.briefing.brief import Briefing, brief
from communique.cli import app as cli
from communique.errors import UsageError
from communique.evaluation.recordings import Recording
from communique.ingest.inputs import Input, collect
from communique.pipeline import batch
from communique.settings import EMBEDDED_MODEL, ENV_VARS, Settings

from ..fake_batch import RECORDINGS, from_recordings, recorded_answers, run_batch
from ..fakes import FakeClock

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds" / "articles"
DATE = dt.date(2025, 3, 16)
# The settings the seeds were recorded with (communique eval replays them the same way).
RECORDED = dataclasses.replace(Settings(), model=EMBEDDED_MODEL)


def seeds(*names: str) -> list[Input]:
    found = collect([str(SEEDS)])
    return [i for i in found if not names or i.id in names]


def two_rounds(
    found: list[Input], tmp: Path, settings: Settings = RECORDED, **faults: Any
) -> list[batch.Round]:
    """prepare -> fake batch run -> prepare round 2 -> fake batch run."""
    answer = from_recordings()
    (tmp / "req.jsonl").write_text(batch.jsonl(batch.prepare(found, settings=settings)))
    run_batch(tmp / "req.jsonl", tmp / "res.jsonl", answer, **faults)
    first = batch.Round(
        batch.read_requests(tmp / "req.jsonl"), batch.read_results(tmp / "res.jsonl")
    )
    second = batch.prepare(found, settings=settings, round=2, first=first)
    (tmp / "req2.jsonl").write_text(batch.jsonl(second))
    run_batch(tmp / "req2.jsonl", tmp / "res2.jsonl", answer, **faults)
    return [
        first,
        batch.Round(
            batch.read_requests(tmp / "req2.jsonl"), batch.read_results(tmp / "res2.jsonl")
        ),
    ]


def replayed_brief(found: list[Input]) -> Briefing:
    """`brief` on the embedded model's recorded answers."""
    answers = recorded_answers()

    async def handle(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json=answers[batch.key(json.loads(request.content))])

    http = httpx2.AsyncClient(transport=httpx2.MockTransport(handle))
    client = openai.AsyncOpenAI(
        base_url=batch.EMBEDDED_BASE, api_key="x", max_retries=0, http_client=http
    )
    return brief(found, date=DATE, client=client, settings=RECORDED, cache=False, clock=FakeClock())


def stable(b: Briefing) -> dict[str, Any]:
    """The briefing without volatile meta (the model time of each summary)."""
    data = b.model_dump(mode="json")
    for item in data["items"]:
        if item["summary"] is not None:
            item["summary"]["meta"].pop("latency_s")
            item["summary"]["meta"].pop("created_at")
    data.pop("generated_at")
    return data


def test_each_request_body_is_the_one_summarize_sent_for_every_seed(tmp_path: Path) -> None:
    found = seeds()
    rounds = two_rounds(found, tmp_path)
    bodies = dict(batch.request_bodies(tmp_path / "req.jsonl"))
    bodies.update(batch.request_bodies(tmp_path / "req2.jsonl"))
    for inp in found:
        recorded = Recording.load(RECORDINGS / f"{inp.id}.json").exchanges
        sent = [bodies.get(batch.custom_id(inp.id, n, 0)) for n in (1, 2)]
        assert [s for s in sent if s is not None] == [e.request for e in recorded], inp.id
    assert len(rounds[0].requests) == 15
    assert len(rounds[1].requests) == 14  # 12_dunmore's first answer leaves nothing to ask


def test_batch_collect_reproduces_brief_on_the_same_answers(tmp_path: Path) -> None:
    found = seeds()
    rounds = two_rounds(found, tmp_path)
    collected = batch.collect(found, rounds, date=DATE, settings=RECORDED, clock=FakeClock())
    expected = replayed_brief(found)
    assert collected.counts.summarized == 15 and not collected.failures
    assert stable(collected) == stable(expected)


def test_failed_and_missing_answers_become_failures(tmp_path: Path) -> None:
    found = seeds("00_ap_macron_coalition", "01_marovia_estavia_summit", "05_aldavia_rent_cap_law")
    failed = {"00_ap_macron_coalition#r1c0": 500}
    dropped = frozenset({"01_marovia_estavia_summit#r1c0", "05_aldavia_rent_cap_law#r2c0"})
    rounds = two_rounds(found, tmp_path, failed=failed, dropped=dropped)
    assert set(rounds[1].requests) == {"05_aldavia_rent_cap_law#r2c0"}
    result = batch.collect(found, rounds, date=DATE, settings=RECORDED, clock=FakeClock())
    reasons = {f.id: f.reason for f in result.failures}
    assert set(reasons) == {"00_ap_macron_coalition", "01_marovia_estavia_summit"}
    assert "HTTP 500" in reasons["00_ap_macron_coalition"]
    assert "01_marovia_estavia_summit#r1c0" in reasons["01_marovia_estavia_summit"]
    [item] = result.items
    assert item.summary is not None
    notes = [d for d in item.summary.meta.dropped if d.item == "followup"]
    assert len(notes) == 1 and "05_aldavia_rent_cap_law#r2c0" in notes[0].reason


def test_an_error_line_in_the_openai_error_format_is_a_failure(tmp_path: Path) -> None:
    found = seeds("00_ap_macron_coalition")
    requests = list(batch.prepare(found, settings=dataclasses.replace(RECORDED, strategy="single")))
    error = {"code": "batch_expired", "message": "This request could not be executed"}
    line = {"id": "b1", "custom_id": requests[0]["custom_id"], "response": None, "error": error}
    (tmp_path / "err.jsonl").write_text(json.dumps(line) + "\n")
    first = batch.Round(
        {r["custom_id"]: batch.digest(r["body"]) for r in requests},
        batch.read_results(tmp_path / "err.jsonl"),
    )
    single = dataclasses.replace(RECORDED, strategy="single")
    result = batch.collect(found, [first], date=DATE, settings=single, clock=FakeClock())
    [failure] = result.failures
    assert failure.id == "00_ap_macron_coalition" and "batch_expired" in failure.reason


def test_round_2_refuses_requests_prepared_with_other_settings(tmp_path: Path) -> None:
    found = seeds("00_ap_macron_coalition")
    other = dataclasses.replace(RECORDED, max_tokens=900)
    (tmp_path / "req.jsonl").write_text(batch.jsonl(batch.prepare(found, settings=other)))
    run_batch(tmp_path / "req.jsonl", tmp_path / "res.jsonl", lambda body: {"choices": []})
    first = batch.Round(
        batch.read_requests(tmp_path / "req.jsonl"), batch.read_results(tmp_path / "res.jsonl")
    )
    with pytest.raises(UsageError, match="00_ap_macron_coalition#r1c0"):
        list(batch.prepare(found, settings=RECORDED, round=2, first=first))


def test_a_malformed_request_line_is_reported_with_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "req.jsonl"
    path.write_text('{"custom_id": "a", "method": "POST", "url": "/v1/embeddings", "body": {}}\n')
    with pytest.raises(batch.BatchFileError, match=r"req\.jsonl:1"):
        batch.read_requests(path)


def test_the_cli_runs_the_two_rounds_and_writes_the_briefing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for names in ENV_VARS.values():
        for name in names:
            monkeypatch.delenv(name, raising=False)
    names = ["00_ap_macron_coalition", "07_northwind_carrow_merger"]
    paths = [str(SEEDS / f"{n}.txt") for n in names]
    req, res = tmp_path / "req.jsonl", tmp_path / "res.jsonl"
    req2, res2 = tmp_path / "req2.jsonl", tmp_path / "res2.jsonl"
    out = tmp_path / "briefing.json"
    assert cli.main(["batch", "prepare", *paths, "-o", str(req)]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["requests"] == 2 and status["articles"] == str(tmp_path / "req.articles.jsonl")
    run_batch(req, res, from_recordings())
    argv = ["batch", "prepare", str(req), "--round", "2", "--from", str(res), "-o", str(req2)]
    assert cli.main(argv) == 0
    assert json.loads(capsys.readouterr().out)["requests"] == 2
    run_batch(req2, res2, from_recordings())
    argv = ["batch", "collect", str(req), str(res), str(req2), str(res2)]
    assert cli.main([*argv, "--date", DATE.isoformat(), "-o", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["summarized"] == 2
    written = Briefing.model_validate_json(out.read_text(encoding="utf-8"))
    expected = replayed_brief([i for i in collect(paths)])
    assert [i.id for i in written.items] == names
    for got, want in zip(written.items, expected.items, strict=True):
        assert got.path == want.path
        assert got.summary is not None and want.summary is not None
        assert got.summary.model_dump(exclude={"meta"}) == want.summary.model_dump(exclude={"meta"})
        assert got.summary.meta.dropped == want.summary.meta.dropped


def test_collect_with_an_odd_number_of_files_is_a_usage_error(tmp_path: Path) -> None:
    assert (
        cli.main(["batch", "collect", str(tmp_path / "x"), "--date", "2025-03-16", "-o", "o"]) == 2
    )
