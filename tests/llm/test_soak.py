"""Soak: 1,000 summarize calls and a 200-article briefing against an endpoint that injects
a fault into ~30 % of requests (every kind in tests/fault_server.py), through the real
client path. Nothing may hang, crash or get lost: every call ends with a grounded
Summary or a typed CommuniqueError that carries its reason and attempts.

The counts are printed (`pytest -rA` or `-s` shows them). Bounded: a fixed number of
calls, a 2 s request timeout, a 20 s per-article deadline, and no real backoff sleeps.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from communique import Article, CommuniqueError, Summary, brief, summarize
from communique.errors import EndpointError, ModelOutputError
from communique.settings import Settings, load_settings

from ..fault_server import FAULTS, FastClock, FaultServer, articles, schedule, seeded
from .test_faults import grounded

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

CALLS = 1000
BRIEF_ARTICLES = 200
FAULT_RATE = 0.3  # per request
# every kind of fault; "slow" half as often as the others, as each one costs a real timeout
KINDS = tuple(k for k in FAULTS[1:] if k != "slow") * 2 + ("slow",)
REASONS = {
    EndpointError: {"rate_limited", "server_error", "timeout", "connection", "bad_response"},
    ModelOutputError: {"truncated", "no_choices", "invalid_output"},
}


@pytest.fixture(autouse=True)
def _quiet_instructor(caplog: pytest.LogCaptureFixture) -> None:
    """instructor logs each failed attempt as an ERROR; thousands of them here."""
    caplog.set_level(logging.CRITICAL, logger="instructor")


def soak_settings(server: FaultServer, tmp_path: Path) -> Settings:
    return load_settings(
        {},
        base_url=server.url,
        model="fake",
        timeout_s=2,  # far above a normal answer's milliseconds, even on a loaded machine
        deadline_s=20,
        cache_dir=tmp_path / "cache",
    )


def outcome(article: Article, settings: Settings) -> Summary | CommuniqueError:
    try:
        return summarize(article, settings=settings, clock=FastClock())
    except CommuniqueError as exc:  # anything else fails the test
        return exc


def report(title: str, counts: Counter[str]) -> None:
    print(f"\n{title}")
    for key, value in sorted(counts.items()):
        print(f"  {key[:60]:<60} {value:>6}")


def test_soak_1000_calls_each_end_grounded_or_with_a_typed_error(tmp_path: Path) -> None:
    arts = articles(CALLS)
    with FaultServer(seeded(6, FAULT_RATE, KINDS), slow_s=30) as server:
        settings = soak_settings(server, tmp_path)
        with ThreadPoolExecutor(4) as pool:  # slow faults wait for their timeouts together
            results = list(pool.map(lambda a: outcome(a, settings), arts))
        requests = server.requests()
        faults = Counter(server.faults())
    counts: Counter[str] = Counter()
    for article, result in zip(arts, results, strict=True):
        requests_made = None
        if isinstance(result, Summary):
            grounded(result, article.text)
            attempts, retries = result.meta.attempts, result.meta.transport_retries
            requests_made = result.meta.calls  # main call, re-asks and the follow-up pass
            counts["ok, follow-up failed (first answer kept)"] += any(
                d.item == "followup" for d in result.meta.dropped
            )
            counts["ok"] += 1
            counts["ok, re-asked"] += attempts > 1
            counts["ok, items dropped"] += any(
                d.item.startswith(("actors", "proposal")) for d in result.meta.dropped
            )
        else:
            reasons = REASONS[type(result)]  # only the two expected classes
            reason = result.context["reason"]
            assert reason in reasons, result
            assert result.article_id == article.label and str(result).count("\n") == 0
            attempts, retries = result.attempts or 0, result.context["transport_retries"]
            assert attempts >= 1
            counts[f"error {type(result).__name__}: {reason}"] += 1
        assert 1 <= attempts <= 1 + settings.max_reasks
        made = requests_made or attempts
        assert 0 <= retries <= made * settings.transport_retries
        # every request the endpoint saw is accounted for, as a model request or a retry
        assert requests[article.label] == made + retries, (article.label, result)
        counts["re-asks (attempts - 1)"] += attempts - 1
        counts["transport retries"] += retries
    counts["requests"] = sum(requests.values())
    report(f"soak: {CALLS} summarize calls", counts)
    report("faults injected (requests)", faults)
    assert counts["ok"] + sum(v for k, v in counts.items() if k.startswith("error")) == CALLS
    assert sum(v for k, v in faults.items() if k != "ok") >= 0.25 * counts["requests"]
    assert counts["ok"] >= 0.85 * CALLS  # retries and re-asks save most faulty calls
    assert counts["transport retries"] > 0 and counts["re-asks (attempts - 1)"] > 0
    for cls in REASONS:  # both kinds of failure happened, and were typed
        assert any(k.startswith(f"error {cls.__name__}") for k in counts), cls


def test_soak_briefing_loses_nothing_and_a_rerun_completes_it(tmp_path: Path) -> None:
    arts = articles(BRIEF_ARTICLES, start=5000)
    ids = {a.label for a in arts}
    date = dt.date(2025, 3, 16)
    with FaultServer(seeded(7, FAULT_RATE, KINDS), slow_s=30) as server:
        settings = soak_settings(server, tmp_path)
        first = brief(arts, date=date, settings=settings, concurrency=4, clock=FastClock())
        seen = server.requests()
        failed = {f.id for f in first.failures}
        assert {i.id for i in first.items} | failed == ids  # nothing lost
        assert not {i.id for i in first.items} & failed
        assert first.counts.failed == len(failed) and first.counts.inputs == BRIEF_ARTICLES
        for item in first.items:
            assert item.summary is not None
            grounded(item.summary, next(a for a in arts if a.label == item.id).text)
            meta = item.summary.meta
            assert seen[item.id] == meta.calls + meta.transport_retries, (item.id, meta)
        for failure in first.failures:
            assert failure.reason and "\n" not in failure.reason and failure.attempts >= 1

        server.plan = schedule()  # the endpoint has recovered
        before = len(server.faults())
        second = brief(arts, date=date, settings=settings, concurrency=4, clock=FastClock())
        again = Counter(a for a, _, _ in server.log[before:])
    assert second.failures == [] and second.counts.summarized == BRIEF_ARTICLES, second.failures
    degraded = {i.id for i in first.items if i.summary and i.summary.meta.degraded}
    assert first.counts.degraded == len(degraded)
    # degraded summaries (their follow-up call failed) are not cached: asked again
    assert second.counts.cached == len(first.items) - len(degraded), second.counts
    # only the failures and the degraded, once each (the main call and the follow-up pass)
    assert again == Counter({f: 2 for f in failed | degraded}), (again, failed, degraded)
    counts = Counter(
        {
            "articles": BRIEF_ARTICLES,
            "first run: items": len(first.items),
            "first run: failures": len(failed),
            "first run: degraded (not cached)": len(degraded),
            "first run: transport retries": sum(
                i.summary.meta.transport_retries for i in first.items if i.summary
            ),
            "first run: re-asks": sum(
                i.summary.meta.attempts - 1 for i in first.items if i.summary
            ),
            "second run: cached": second.counts.cached,
            "second run: summarized anew": len(again),
            "second run: failures": len(second.failures),
        }
    )
    report("soak: briefing, then a re-run after the endpoint recovers", counts)
    reasons = Counter(re.sub(r"\d+", "N", f.reason.split(":")[0]) for f in first.failures)
    report("first run: failure reasons", reasons)
    assert failed and counts["first run: transport retries"] > 0
