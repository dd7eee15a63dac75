"""A briefing stops after N consecutive identical endpoint failures (issue 21, point 4)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import socket
from pathlib import Path
from typing import Any

import pytest

from communique import brief
from communique.briefing.brief import Briefing
from communique.briefing.earlystop import Streak
from communique.cli import app as cli
from communique.errors import ConfigError, EndpointError, ModelOutputError
from communique.settings import load_settings

from ..fault_server import FastClock, FaultServer, articles, schedule

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

DAY = dt.date(2025, 3, 16)


@pytest.fixture(autouse=True)
def _quiet_instructor(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL, logger="instructor")


def _brief(url: str, n: int, concurrency: int = 1, **changes: Any) -> Briefing:
    values: dict[str, Any] = {"timeout_s": 5.0, "transport_retries": 1, "strategy": "single"}
    values.update(changes)
    settings = load_settings({}, base_url=url, model="fake", **values)
    return brief(
        articles(n),
        date=DAY,
        settings=settings,
        cache=False,
        concurrency=concurrency,
        clock=FastClock(),
    )


@pytest.mark.parametrize("fault", ["401", "404"])
def test_a_rejected_key_or_model_stops_after_three_requests(fault: str) -> None:
    with FaultServer(schedule(then=fault)) as server:
        b = _brief(server.url, 30)
        assert sum(server.requests().values()) == 3
    assert b.stopped is not None and f"http_error {fault}" in b.stopped
    assert b.counts.failed == 30 and b.counts.not_attempted == 27
    assert [f.attempted for f in b.failures[:4]] == [True, True, True, False]
    assert all(f.reason.startswith("not attempted: stopped after 3") for f in b.failures[3:])


def test_in_flight_requests_finish_and_the_rest_are_not_sent() -> None:
    with FaultServer(schedule(then="401")) as server:
        b = _brief(server.url, 40, concurrency=4)
        sent = sum(server.requests().values())
    # at most the limit plus the other calls already in flight when it is reached
    assert 3 <= sent <= 3 + 4 - 1 and b.counts.not_attempted == 40 - sent


def test_nothing_listening_stops_after_three_articles() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    b = _brief(f"http://127.0.0.1:{port}/v1", 20)
    assert b.stopped is not None and "(connection)" in b.stopped
    assert b.counts.not_attempted == 17


def test_the_limit_is_a_setting_and_0_never_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    with FaultServer(schedule(then="401")) as server:
        assert _brief(server.url, 8, stop_after_failures=0).stopped is None
        assert sum(server.requests().values()) == 8
    env = {"COMMUNIQUE_STOP_AFTER_FAILURES": "5"}
    assert load_settings(env).stop_after_failures == 5
    assert load_settings(env, stop_after_failures=2).stop_after_failures == 2
    assert load_settings({}).stop_after_failures == 3
    with pytest.raises(ConfigError, match="COMMUNIQUE_STOP_AFTER_FAILURES"):
        load_settings({"COMMUNIQUE_STOP_AFTER_FAILURES": "-1"})


def test_a_success_or_a_model_output_error_ends_the_streak() -> None:
    streak = Streak(2)
    down = EndpointError("HTTP 503", reason="server_error")
    streak.failure(down)
    streak.success()
    streak.failure(down)
    streak.failure(ModelOutputError("cut off", reason="truncated"))
    streak.failure(down)
    assert streak.stopped is None
    streak.failure(EndpointError("refused", reason="connection"))
    assert streak.stopped is None  # a different kind starts a new streak
    streak.failure(EndpointError("refused", reason="connection"))
    assert streak.stopped is not None and "(connection)" in streak.stopped


def test_failing_articles_with_a_working_endpoint_do_not_stop_it() -> None:
    with FaultServer(schedule(then="length")) as server:  # every answer cut off
        b = _brief(server.url, 6)
    assert b.stopped is None and b.counts.failed == 6 and b.counts.not_attempted == 0


def test_the_cli_prints_one_line_for_the_rest_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for a in articles(12):
        (tmp_path / f"{a.id}.txt").write_text(
            f"title: {a.title}\ndate: 2025-03-16\nid: {a.id}\n\n{a.text}", encoding="utf-8"
        )
    with FaultServer(schedule(then="401")) as server:
        for var in ("COMMUNIQUE_TRANSPORT_RETRIES", "COMMUNIQUE_STOP_AFTER_FAILURES"):
            monkeypatch.delenv(var, raising=False)
        monkeypatch.setenv("COMMUNIQUE_BASE_URL", server.url)
        monkeypatch.setenv("COMMUNIQUE_MODEL", "fake")
        out = tmp_path / "out" / "b.json"
        args = ["brief", str(tmp_path), "--date", "2025-03-16", "-o", str(out), "--no-cache"]
        code = cli.main([*args, "--concurrency", "1", "--stop-after-failures", "2"])
        assert sum(server.requests().values()) == 2
    assert code == 1
    captured = capsys.readouterr()
    assert captured.err.count("communique: failed:") == 2
    assert captured.err.count("communique: error: stopped after 2") == 1
    status = json.loads(captured.out)
    assert (status["failed"], status["not_attempted"]) == (12, 10)
    assert Briefing.model_validate_json(out.read_text(encoding="utf-8")).stopped is not None


def test_a_web_page_at_the_base_url_stops_it_too() -> None:
    with FaultServer(schedule(then="html")) as server:
        b = _brief(server.url, 10, max_reasks=0)
    assert b.stopped is not None and "(bad_response)" in b.stopped
    assert b.counts.not_attempted == 7
