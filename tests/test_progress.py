"""Issue 19, point 1: progress while a summary runs (events from the library, lines on
stderr from the CLI), and a word for every transport retry. Through the real client path
against tests/fault_server.py; backoff sleeps go to an injected clock."""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path
from typing import Any

import httpx2
import pytest
from rich.console import Console

from communique import summarize
from communique.cli import app as cli
from communique.evaluation.harness import REPLAY_URL, replay_settings
from communique.evaluation.recordings import Recording, Replay
from communique.ingest.article import Article
from communique.llm.client import connect
from communique.notes import describe_counts
from communique.progress import FOLLOW_UP, MAIN, Answer, Event, Request, Retry, StderrProgress
from communique.settings import Settings, load_settings

from .conftest import ROOT
from .fakes import FakeClock
from .fault_server import FastClock, FaultServer, articles, schedule

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

ARTICLE = articles(1)[0]  # id art-0000


@pytest.fixture(autouse=True)
def _quiet_instructor(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL, logger="instructor")


def settings(server: FaultServer, **changes: Any) -> Settings:
    values: dict[str, Any] = {"timeout_s": 2.0, "transport_retries": 2}
    values.update(changes)
    return load_settings({}, base_url=server.url, model="fake", **values)


def kinds(events: list[Event]) -> list[tuple[str, str, int]]:
    """(event type, phase, attempt or retry number) of each event."""
    out = []
    for e in events:
        n = e.attempt if isinstance(e, Request) else e.retry if isinstance(e, Retry) else 0
        out.append((type(e).__name__, e.phase, n))
    return out


def test_events_name_each_phase_and_retry_with_its_reason() -> None:
    events: list[Event] = []
    with FaultServer(schedule("503", "ok", "429_retry_after"), retry_after=3) as server:
        summary = summarize(
            ARTICLE, settings=settings(server), clock=FastClock(), on_progress=events.append
        )
    assert kinds(events) == [
        ("Request", MAIN, 1),
        ("Retry", MAIN, 1),
        ("Answer", MAIN, 0),
        ("Request", FOLLOW_UP, 1),
        ("Retry", FOLLOW_UP, 1),
        ("Answer", FOLLOW_UP, 0),
    ]
    retries = [e for e in events if isinstance(e, Retry)]
    assert [(e.article, e.reason, e.retries) for e in retries] == [
        ("art-0000", "HTTP 503", 2),
        ("art-0000", "HTTP 429, Retry-After: 3", 2),
    ]
    assert retries[1].wait_s >= 3  # the Retry-After, plus jitter
    answers = [e for e in events if isinstance(e, Answer)]
    assert [(a.prompt_tokens, a.completion_tokens) for a in answers] == [(100, 20), (100, 20)]
    assert all(a.seconds > 0 and a.tokens_per_s is not None for a in answers)
    assert summary.meta.transport_retries == 2  # the same retries the events told


def test_a_timed_out_request_is_retried_with_a_word() -> None:
    events: list[Event] = []
    with FaultServer(schedule("slow"), slow_s=30) as server:
        summarize(
            ARTICLE,
            settings=settings(server, timeout_s=0.5, strategy="single"),
            clock=FastClock(),
            on_progress=events.append,
        )
    retry = next(e for e in events if isinstance(e, Retry))
    assert (retry.retry, retry.reason) == (1, "no answer within 0.5 s")


def test_a_reask_is_a_second_request_of_the_same_phase() -> None:
    events: list[Event] = []
    with FaultServer(schedule("schema")) as server:
        summarize(
            ARTICLE,
            settings=settings(server, strategy="single"),
            clock=FastClock(),
            on_progress=events.append,
        )
    assert kinds(events) == [
        ("Request", MAIN, 1),
        ("Answer", MAIN, 0),
        ("Request", MAIN, 2),
        ("Answer", MAIN, 0),
    ]


def test_cli_in_a_log_prints_lines_per_phase_on_stderr_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """stderr is not a terminal here (captured): the log variant, plain lines."""
    path = tmp_path / "art-0000.txt"
    path.write_text(
        f"title: {ARTICLE.title}\ndate: {ARTICLE.date}\n\n{ARTICLE.text}", encoding="utf-8"
    )
    with FaultServer(schedule("bad_json")) as server:  # one re-ask, no backoff sleep
        monkeypatch.setenv("COMMUNIQUE_BASE_URL", server.url)
        monkeypatch.setenv("COMMUNIQUE_MODEL", "fake")
        assert cli.main(["summarize", "--compact", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and out.startswith("{")  # stdout: the JSON only
    lines = err.splitlines()
    assert all(line.startswith("communique: ") for line in lines)
    progress = [line for line in lines if line.startswith("communique: [art-0000] ")]
    phases = [line.split("] ", 1)[1].split(":")[0] for line in progress]
    assert phases == [MAIN, MAIN, f"{MAIN} (re-ask 1)", MAIN, FOLLOW_UP, FOLLOW_UP]
    assert "100 prompt tokens, 20 generated" in progress[-1] and "tok/s" in progress[-1]


def test_terminal_status_line_shows_phase_elapsed_time_and_speed() -> None:
    clock = FakeClock()  # monotonic moves 0.5 s per reading
    console = Console(file=io.StringIO(), force_terminal=True, width=200)
    shown = StderrProgress(console, clock=clock)
    assert shown.live
    with shown:  # rich redraws the line on its own thread; read its text directly here
        shown(Request("art-1", MAIN, 1))
        first = shown.status()
        shown(Answer("art-1", MAIN, 900, 100, 10.0))
        shown(Request("art-1", FOLLOW_UP, 1))
        later = shown.status()
    assert first.startswith(f"communique: {MAIN}: waiting for the model, ")
    assert later.startswith(f"communique: {FOLLOW_UP}: waiting")
    assert "last answer 10.0 tok/s" in later
    printed = console.file.getvalue()  # type: ignore[attr-defined]
    assert "[art-1] main call: answered in 10.0 s (900 prompt tokens, 100 generated" in printed
    assert "sent, waiting" not in printed  # on a terminal the live line shows requests


class _ReplayClock:
    """Time moves only by each replayed exchange's recorded duration."""

    t = 0.0

    def now(self) -> dt.datetime:
        return dt.datetime(2026, 11, 26, 15, 40, tzinfo=dt.UTC)

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds

    async def asleep(self, seconds: float) -> None:
        self.t += seconds


def test_readme_progress_lines_are_the_seeds_recorded_calls(
    seed: Article, capsys: pytest.CaptureFixture[str]
) -> None:
    """README 'While it runs': the log lines of the seed, replayed from its recordings
    with their recorded times."""
    path = ROOT / "evals" / "recordings" / "pipeline" / "00_ap_macron_coalition.json"
    rec = Recording.load(path)
    replay, clock = Replay(rec, path), _ReplayClock()
    inner, elapsed = replay.transport(), [e.elapsed_s for e in rec.exchanges]

    def timed(request: httpx2.Request) -> httpx2.Response:
        clock.t += elapsed.pop(0)
        return inner.handle_request(request)

    settings = replay_settings(rec)
    conn = connect(settings, REPLAY_URL, clock=clock, transport=httpx2.MockTransport(timed))
    with StderrProgress(Console(stderr=True), clock=clock, live=False) as shown:
        summary = summarize(
            seed, client=conn.raw, settings=settings, clock=clock, on_progress=shown
        )
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 4 and not replay.misses
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(line in readme for line in lines)
    counts = describe_counts(summary.meta.dropped)
    assert f"checked the model's answer against the article: {counts} (" in readme
