"""A summary whose follow-up call failed is marked degraded, said so, and not cached as
final, so a re-run tries again (issue 21, point 3)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from communique import brief, summarize
from communique.briefing.cache import SummaryCache
from communique.cli import app as cli

from ..fault_server import FastClock, FaultServer, articles, schedule

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

DAY = dt.date(2025, 3, 16)


@pytest.fixture(autouse=True)
def _quiet_instructor(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL, logger="instructor")


def _settings(url: str, **changes: Any) -> Any:
    from communique.settings import load_settings

    values: dict[str, Any] = {"timeout_s": 5.0, "transport_retries": 1, "max_reasks": 0}
    values.update(changes)
    return load_settings({}, base_url=url, model="fake", **values)


# the main call answers; every follow-up request then fails this way
@pytest.mark.parametrize(
    ("fault", "why"),
    [
        ("429", "HTTP 429"),
        ("503", "HTTP 503"),
        ("length", "cut off"),
        ("bad_ids", "did not match its schema"),
    ],
)
def test_a_failed_followup_marks_the_summary_degraded(fault: str, why: str) -> None:
    with FaultServer(schedule("ok", then=fault)) as server:
        s = summarize(articles(1)[0], settings=_settings(server.url), clock=FastClock())
    assert s.meta.degraded is not None and why in s.meta.degraded
    assert s.participants  # the first answer stands
    assert any(d.item == "followup" for d in s.meta.dropped)


def test_a_complete_summary_is_not_degraded() -> None:
    with FaultServer(schedule()) as server:
        s = summarize(articles(1)[0], settings=_settings(server.url), clock=FastClock())
    assert s.meta.degraded is None and s.meta.calls == 2


def test_a_degraded_summary_is_counted_not_cached_and_retried_by_a_rerun(tmp_path: Path) -> None:
    arts = articles(3)
    broken = arts[1].label

    def plan(article: str, n: int) -> str:  # art-0001's follow-up fails with 503
        return "503" if article == broken and n >= 1 else "ok"

    cache = tmp_path / "summaries.sqlite3"
    with FaultServer(plan) as server:
        settings = _settings(server.url)
        first = brief(arts, date=DAY, settings=settings, cache=cache, clock=FastClock())
        assert first.counts.degraded == 1 and first.counts.summarized == 3
        degraded = [i.id for i in first.items if i.summary and i.summary.meta.degraded]
        assert degraded == [broken] and not first.failures
        with SummaryCache(cache) as store:
            assert len(store) == 2
        server.plan = schedule()  # the endpoint recovers
        server.log.clear()
        second = brief(arts, date=DAY, settings=settings, cache=cache, clock=FastClock())
        assert sorted(server.requests()) == [broken]  # only the degraded one is asked again
    assert second.counts.degraded == 0 and second.counts.cached == 2


def test_the_cli_says_so_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    art = articles(1)[0]
    path = tmp_path / f"{art.id}.txt"
    path.write_text(f"title: {art.title}\ndate: 2025-03-16\n\n{art.text}", encoding="utf-8")
    with FaultServer(schedule("ok", then="bad_ids")) as server:
        for var in ("COMMUNIQUE_STRATEGY", "COMMUNIQUE_MAX_REASKS"):
            monkeypatch.delenv(var, raising=False)
        monkeypatch.setenv("COMMUNIQUE_BASE_URL", server.url)
        monkeypatch.setenv("COMMUNIQUE_MODEL", "fake")
        out = tmp_path / "b.json"
        args = [str(path), "--date", "2025-03-16", "-o", str(out), "--no-cache"]
        assert cli.main(["brief", *args]) == 0
        brief_err = capsys.readouterr()
        assert cli.main(["summarize", str(path)]) == 0
        summarize_err = capsys.readouterr().err
    assert json.loads(brief_err.out)["degraded"] == 1
    assert brief_err.err.count(f"communique: degraded: {art.id}:") == 1
    assert summarize_err.count("communique: degraded:") == 1
