"""Fault injection through the real client path: summarize() with settings pointing at a
fake endpoint on 127.0.0.1 (tests/fault_server.py), so openai, httpx2, the retrying
transport, instructor's re-asks and grounding all run for real. Backoff sleeps go to an
injected clock and are never slept."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from communique import CommuniqueError, Summary, asummarize, brief, summarize
from communique.errors import ConfigError, EndpointError, ModelOutputError
from communique.llm.client import BASE_BACKOFF_S, MAX_RETRY_AFTER_S
from communique.settings import Settings, load_settings

from ..fakes import FakeClock
from ..fault_server import HTTP_FAULTS, FastClock, FaultServer, articles, schedule

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

ARTICLE = articles(1)[0]
TIMEOUT_S = 2.0  # a normal answer takes milliseconds, even on a loaded machine
SLOW_TIMEOUT_S = 1.0  # where a slow fault (30 s) must time out


@pytest.fixture(autouse=True)
def _quiet_instructor(caplog: pytest.LogCaptureFixture) -> None:
    """instructor logs each failed attempt as an ERROR; here they are the point."""
    caplog.set_level(logging.CRITICAL, logger="instructor")


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer(schedule()) as srv:
        yield srv


def settings(server: FaultServer, **changes: Any) -> Settings:
    # one model call per summary: these tests count the requests of one call
    values: dict[str, Any] = {"timeout_s": TIMEOUT_S, "transport_retries": 2, "strategy": "single"}
    values.update(changes)
    return load_settings({}, base_url=server.url, model="fake", **values)


def grounded(summary: Summary, text: str) -> None:
    """Every quote is a span of the article; every participant is named in it."""
    items = [summary.proposal, *summary.positions, *summary.next_steps]
    for ev in [e for item in items if item is not None for e in item.evidence]:
        assert text[ev.start : ev.end] == ev.quote
    for p in summary.participants:
        assert all(name in text for name in [p.name, *p.aliases])
    names = {p.name for p in summary.participants}
    assert all(pos.actor in names for pos in summary.positions)


def fails(
    server: FaultServer, *faults: str, clock: FakeClock | None = None, **changes: Any
) -> CommuniqueError:
    """Summarize while every request gets `faults`, then the last one again and again."""
    server.plan = schedule(*faults, then=faults[-1])
    with pytest.raises(CommuniqueError) as info:
        summarize(ARTICLE, settings=settings(server, **changes), clock=clock or FakeClock())
    return info.value


# -- transport faults: retried by the transport ------------------------------------------


@pytest.mark.parametrize("fault", HTTP_FAULTS)
def test_transient_fault_is_retried_then_succeeds(server: FaultServer, fault: str) -> None:
    server.plan = schedule(fault, fault)
    clock = FakeClock()
    timeout = SLOW_TIMEOUT_S if fault == "slow" else TIMEOUT_S
    s = summarize(ARTICLE, settings=settings(server, timeout_s=timeout), clock=clock)
    grounded(s, ARTICLE.text)
    assert server.faults() == [fault, fault, "ok"]
    assert (s.meta.attempts, s.meta.transport_retries) == (1, 2)
    if fault == "429_retry_after":  # Retry-After: 2 is honoured, plus up to 25 % jitter
        assert all(2 <= w <= 2.5 for w in clock.sleeps) and len(clock.sleeps) == 2
    else:  # exponential backoff: 0.5 s, then 1 s (plus jitter)
        first, second = clock.sleeps
        assert BASE_BACKOFF_S <= first <= BASE_BACKOFF_S * 1.25
        assert 2 * BASE_BACKOFF_S <= second <= 2 * BASE_BACKOFF_S * 1.25


REASON = {
    "429": "rate_limited",
    "429_retry_after": "rate_limited",
    "500": "server_error",
    "502": "server_error",
    "503": "server_error",
    "slow": "timeout",
    "reset": "connection",
}


@pytest.mark.parametrize("fault", HTTP_FAULTS)
def test_persistent_fault_is_an_endpoint_error_after_bounded_retries(
    server: FaultServer, fault: str
) -> None:
    err = fails(server, fault, timeout_s=SLOW_TIMEOUT_S if fault == "slow" else TIMEOUT_S)
    assert isinstance(err, EndpointError) and err.exit_code == 1
    assert err.context["reason"] == REASON[fault]
    assert err.attempts == 1 and err.context["transport_retries"] == 2
    assert len(server.faults()) == 3  # 1 + transport_retries, never a re-ask
    assert "after 2 retries" in str(err) and str(err).startswith(f"[{ARTICLE.id}]")


def test_retry_after_is_capped(server: FaultServer) -> None:
    server.retry_after = 3600
    server.plan = schedule("429_retry_after")
    clock = FakeClock()
    s = summarize(ARTICLE, settings=settings(server, deadline_s=7200), clock=clock)
    assert s.meta.transport_retries == 1
    [wait] = clock.sleeps
    assert MAX_RETRY_AFTER_S <= wait <= MAX_RETRY_AFTER_S * 1.25


def test_retry_after_beyond_the_deadline_gives_up_at_once(server: FaultServer) -> None:
    server.retry_after = 100
    clock = FakeClock()
    server.plan = schedule("429_retry_after")
    with pytest.raises(EndpointError) as info:
        summarize(ARTICLE, settings=settings(server, deadline_s=60), clock=clock)
    assert clock.sleeps == [] and len(server.faults()) == 1  # no pointless 100 s wait
    assert info.value.context["reason"] == "deadline"
    assert "per-article deadline (60 s)" in str(info.value)


def test_backoff_stops_at_the_deadline(server: FaultServer) -> None:
    server.retry_after = 40
    clock = FakeClock()
    err = fails(server, "429_retry_after", clock=clock, deadline_s=60, transport_retries=9)
    assert err.context["reason"] == "deadline" and err.context["transport_retries"] == 1
    assert len(server.faults()) == 2 and len(clock.sleeps) == 1


def test_deadline_caps_a_slow_request(server: FaultServer) -> None:
    """One request may not outlive the article's deadline (timeout 30 s, deadline 1 s)."""
    server.plan = schedule("slow")
    with pytest.raises(EndpointError) as info:
        summarize(ARTICLE, settings=settings(server, timeout_s=30, deadline_s=1), clock=FastClock())
    assert info.value.context["reason"] == "deadline"
    assert len(server.faults()) == 1


class StepClock(FakeClock):
    """Every look at the clock costs 60 s."""

    def monotonic(self) -> float:
        self.t += 60
        return self.t


def test_no_reask_is_sent_after_the_deadline(server: FaultServer) -> None:
    server.plan = schedule("bad_json")
    with pytest.raises(EndpointError) as info:
        summarize(ARTICLE, settings=settings(server, deadline_s=100), clock=StepClock())
    assert server.faults() == ["bad_json"]  # the re-ask was never sent
    assert info.value.context["reason"] == "deadline" and info.value.attempts == 2


# -- answers that fail validation: re-asked by instructor --------------------------------


@pytest.mark.parametrize("fault", ["bad_json", "schema", "bad_ids", "bad_names"])
def test_invalid_answer_is_reasked_then_succeeds(server: FaultServer, fault: str) -> None:
    server.plan = schedule(fault)
    s = summarize(ARTICLE, settings=settings(server), clock=FakeClock())
    grounded(s, ARTICLE.text)
    notes = [d for d in s.meta.dropped if d.rule != "steps.timed_plan"]  # code adds steps
    assert (s.meta.attempts, s.meta.transport_retries, notes) == (2, 0, [])
    reask = json.dumps(server.bodies[1]["messages"][2:])
    assert len(server.bodies[1]["messages"]) > len(server.bodies[0]["messages"])
    assert "validation" in reask.lower() or "does not match" in reask


@pytest.mark.parametrize(
    ("fault", "dropped"),
    [("bad_ids", "cites sentence(s) [999]"), ("bad_names", "'Boris Johnson' is not named")],
)
def test_ungrounded_items_still_there_after_reasks_are_dropped(
    server: FaultServer, fault: str, dropped: str
) -> None:
    server.plan = schedule(fault, then=fault)
    s = summarize(ARTICLE, settings=settings(server), clock=FakeClock())
    grounded(s, ARTICLE.text)
    assert s.meta.attempts == 2 and len(server.faults()) == 2
    assert any(dropped in d.reason for d in s.meta.dropped)
    assert "Boris Johnson" not in [p.name for p in s.participants]


@pytest.mark.parametrize("fault", ["bad_json", "schema"])
def test_unusable_answer_after_reasks_is_a_model_output_error(
    server: FaultServer, fault: str
) -> None:
    err = fails(server, fault, max_reasks=2)
    assert isinstance(err, ModelOutputError) and err.context["reason"] == "invalid_output"
    assert err.attempts == 3 and len(server.faults()) == 3
    assert err.usage == {"prompt_tokens": 300, "completion_tokens": 60}


def test_reasks_and_transport_retries_are_counted_separately(server: FaultServer) -> None:
    server.plan = schedule("503", "bad_names", "reset", "429")
    s = summarize(ARTICLE, settings=settings(server, transport_retries=4), clock=FakeClock())
    assert (s.meta.attempts, s.meta.transport_retries) == (2, 3)
    assert len(server.faults()) == s.meta.attempts + s.meta.transport_retries


# -- answers that end the call with a typed error ----------------------------------------


def test_truncated_answer_is_a_model_output_error_not_reasked(server: FaultServer) -> None:
    err = fails(server, "length")
    assert isinstance(err, ModelOutputError) and err.context["reason"] == "truncated"
    assert "cut off at max_tokens=1400" in str(err) and err.attempts == 1
    assert len(server.faults()) == 1  # the same prompt would be cut off again


def test_empty_choices_is_a_model_output_error(server: FaultServer) -> None:
    err = fails(server, "empty_choices")
    assert isinstance(err, ModelOutputError) and err.context["reason"] == "no_choices"
    assert "no choices" in str(err) and err.attempts == 1


def test_response_body_that_is_not_json_is_an_endpoint_error(server: FaultServer) -> None:
    err = fails(server, "bad_body")
    assert isinstance(err, EndpointError) and err.context["reason"] == "bad_response"
    assert "not valid JSON" in str(err) and err.attempts == 2  # sent once more by instructor


def test_a_body_that_is_not_json_once_is_sent_again(server: FaultServer) -> None:
    server.plan = schedule("bad_body")
    s = summarize(ARTICLE, settings=settings(server), clock=FakeClock())
    assert s.meta.attempts == 2 and server.faults() == ["bad_body", "ok"]


# -- async and briefing paths ------------------------------------------------------------


def test_async_path_retries_and_reasks_too(server: FaultServer) -> None:
    server.plan = schedule("502", "schema")
    s = asyncio.run(asummarize(ARTICLE, settings=settings(server), clock=FakeClock()))
    assert (s.meta.attempts, s.meta.transport_retries) == (2, 1)


def test_briefing_counts_each_articles_own_transport_retries(
    server: FaultServer, tmp_path: Path
) -> None:
    """One client serves the whole briefing; retries are still counted per article."""
    arts = articles(4)
    plans = {a.label: ["503"] * i for i, a in enumerate(arts)}  # 0, 1, 2, 3 failures first
    server.plan = lambda article, n: plans[article][n] if n < len(plans[article]) else "ok"
    b = brief(
        arts,
        date=dt.date(2025, 3, 16),
        settings=settings(server, transport_retries=3),
        cache=False,
        concurrency=4,
        clock=FakeClock(),
    )
    assert b.failures == []
    retries = {i.id: i.summary.meta.transport_retries for i in b.items if i.summary}
    assert retries == {a.label: i for i, a in enumerate(arts)}


def test_deadline_setting_is_resolved_and_checked() -> None:
    assert load_settings({}).deadline_s == 1800
    assert load_settings({"COMMUNIQUE_DEADLINE": "90"}).deadline_s == 90
    with pytest.raises(ConfigError, match="COMMUNIQUE_DEADLINE"):
        load_settings({"COMMUNIQUE_DEADLINE": "0"})


def test_an_html_page_with_status_200_is_a_bad_response(server: FaultServer) -> None:
    error = fails(server, "html")
    assert isinstance(error, EndpointError) and error.context["reason"] == "bad_response"
    assert "not JSON" in error.message and "<!doctype html>" in error.message


def test_empty_choices_are_still_no_choices(server: FaultServer) -> None:
    error = fails(server, "empty_choices")
    assert isinstance(error, ModelOutputError) and error.context["reason"] == "no_choices"
