"""`batch submit` against a loopback fake of the files and batches endpoints."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from communique.briefing.brief import Briefing
from communique.cli import app as cli
from communique.pipeline import batch, batch_submit
from communique.settings import ENV_VARS

from ..fake_batch import from_recordings
from ..fake_batch_api import BatchAPI, serving
from ..fakes import FakeClock
from .test_batch import DATE, RECORDED, replayed_brief, seeds, stable


class Stop(Exception):
    """Raised from the first poll's sleep: the run is interrupted mid-batch."""


class StopOnce(FakeClock):
    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        if len(self.sleeps) == 1:
            raise Stop


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_submit_runs_the_batch_and_resumes_after_an_interruption(tmp_path: Path) -> None:
    found = seeds("00_ap_macron_coalition", "07_northwind_carrow_merger")
    single = dataclasses.replace(RECORDED, strategy="single")
    requests, results = tmp_path / "req.jsonl", tmp_path / "res.jsonl"
    requests.write_text(batch.jsonl(batch.prepare(found, settings=single)))
    api = BatchAPI(from_recordings())
    with serving(api) as url:
        settings = dataclasses.replace(single, base_url=url, api_key="sk-test")
        clock = StopOnce()
        with pytest.raises(Stop):
            batch_submit.submit(requests, results, settings=settings, clock=clock, poll_s=5)
        assert json.loads(batch_submit.state_path(requests).read_text())["batch_id"] == "batch_1"
        done = batch_submit.submit(requests, results, settings=settings, clock=clock, poll_s=5)
    assert (done.batch_id, done.status, done.counts["completed"]) == ("batch_1", "completed", 2)
    assert clock.sleeps == [5]
    assert api.calls.count("POST /v1/batches") == 1 and api.calls.count("POST /v1/files") == 1
    first = batch.Round(batch.read_requests(requests), batch.read_results(results))
    assert set(first.answers) == {"00_ap_macron_coalition#r1c0", "07_northwind_carrow_merger#r1c0"}
    answer = from_recordings()  # the main request is the same under either strategy
    for cid, body in batch.request_bodies(requests):
        assert json.loads(first.answers[cid].content) == answer(body)


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_the_cli_submits_both_rounds_and_collects_brief_s_briefing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for names in ENV_VARS.values():
        for name in names:
            monkeypatch.delenv(name, raising=False)
    found = seeds("00_ap_macron_coalition", "07_northwind_carrow_merger")
    paths = [str(i.path) for i in found]
    req, res = tmp_path / "req.jsonl", tmp_path / "res.jsonl"
    req2, res2 = tmp_path / "req2.jsonl", tmp_path / "res2.jsonl"
    out = tmp_path / "briefing.json"
    api = BatchAPI(from_recordings())
    model = ["--model", RECORDED.model]
    with serving(api) as url:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        assert cli.main(["batch", "prepare", *paths, "-o", str(req)]) == 0
        submit = ["batch", "submit", "--poll", "0", "--base-url", url, *model]
        assert cli.main([*submit, str(req), "-o", str(res)]) == 0
        prepare2 = ["batch", "prepare", str(req), "--round", "2", "--from", str(res)]
        assert cli.main([*prepare2, "-o", str(req2)]) == 0
        assert cli.main([*submit, str(req2), "-o", str(res2)]) == 0
    out_lines = capsys.readouterr().out.splitlines()
    assert json.loads(out_lines[1])["status"] == "completed"
    argv = ["batch", "collect", str(req), str(res), str(req2), str(res2), "-o", str(out)]
    assert cli.main([*argv, "--date", DATE.isoformat()]) == 0
    written = Briefing.model_validate_json(out.read_text(encoding="utf-8"))
    expected = replayed_brief(found)
    assert stable(written) == stable(expected)
