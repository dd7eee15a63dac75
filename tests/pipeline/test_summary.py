"""Fast tier: summarize() end to end through openai + instructor, with a scripted model."""

from __future__ import annotations

import asyncio
import gc
import json

import httpx2
import openai
import pytest

from communique import Article, asummarize, summarize
from communique.errors import EndpointError, ModelOutputError
from communique.llm.client import connect
from communique.settings import load_settings

from ..fakes import FakeClock, FakeModel, actor, answer, completion

# One call per summary here; the follow-up pass is tested in test_followup.py.
SETTINGS = load_settings({}, max_reasks=1, strategy="single")


def test_summary_is_grounded_and_metadata_is_complete(seed: Article) -> None:
    fake = FakeModel([completion(answer())])
    s = summarize(seed, client=fake.client(), settings=SETTINGS, clock=FakeClock())
    assert s.proposal is not None and s.proposal.status == "proposed"
    assert [p.name for p in s.participants] == [
        "Emmanuel Macron",
        "Starmer",
        "Vladimir Putin",
        "Ukraine",
        # added by participants.person_takes_part: the article has them take part
        "Giorgia Meloni",
        "Volodymyr Zelensky",
        "Donald Trump",
    ]
    for ev in [e for item in [s.proposal, *s.positions, *s.next_steps] for e in item.evidence]:
        assert seed.text[ev.start : ev.end] == ev.quote
    m = s.meta
    assert (m.attempts, m.prompt_tokens, m.completion_tokens) == (1, 100, 20)
    assert m.article_sha256 == seed.sha256 and m.article_id == seed.id
    assert [p.name for p in m.prompts] == ["summarize.system.j2", "summarize.user.j2"]
    assert m.latency_s == 0.5 and m.created_at.isoformat() == "2025-03-16T12:00:00+00:00"
    sent = fake.requests[0]
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["temperature"] == 0 and sent["seed"] == SETTINGS.seed


def test_invented_participant_is_fed_back_then_fixed(seed: Article) -> None:
    bad = answer()
    bad["actors"].append(actor("Boris Johnson"))
    fake = FakeModel([completion(bad), completion(answer())])
    s = summarize(seed, client=fake.client(), settings=SETTINGS, clock=FakeClock())
    # nothing dropped; the people the article has take part are added (taking_part.py)
    assert s.meta.attempts == 2
    assert {d.rule for d in s.meta.dropped} == {"participants.person_takes_part"}
    reask = fake.requests[1]["messages"]
    assert "Boris Johnson" in json.dumps(reask) and "Input should be" in json.dumps(reask)
    assert s.meta.prompt_tokens == 200  # usage summed over both attempts


def test_what_still_fails_after_reasks_is_dropped_and_reported(seed: Article) -> None:
    bad = answer()
    bad["actors"].append(actor("Olaf Scholz", "oppose", [2]))
    fake = FakeModel([completion(bad), completion(bad)])
    s = summarize(seed, client=fake.client(), settings=SETTINGS, clock=FakeClock())
    assert s.meta.attempts == 2
    assert [p.actor for p in s.positions] == ["Emmanuel Macron"]
    assert "Olaf Scholz" not in [p.name for p in s.participants]
    assert s.meta.dropped[0].item == "actors[4]"
    assert "'Olaf Scholz' is not named in the article" in s.meta.dropped[0].reason


def test_no_proposal_is_kept_as_null(seed: Article) -> None:
    none = {"statement": "", "status": "no proposal", "evidence": []}
    fake = FakeModel([completion(answer(proposal=none))])
    assert summarize(seed, client=fake.client(), settings=SETTINGS).proposal is None


def test_truncated_output_is_a_clear_error(seed: Article) -> None:
    fake = FakeModel([completion('{"headline": "cut', finish="length")])
    with pytest.raises(ModelOutputError, match="cut off at max_tokens"):
        summarize(seed, client=fake.client(), settings=SETTINGS)


def test_unparsable_output_after_reasks_is_a_model_error_with_context(seed: Article) -> None:
    fake = FakeModel([completion("not json"), completion("still not json")])
    with pytest.raises(ModelOutputError, match="after 2 attempt") as info:
        summarize(seed, client=fake.client(), settings=SETTINGS)
    assert info.value.attempts == 2 and info.value.article_id == seed.id


def test_transport_retries_honour_retry_after_then_succeed(seed: Article) -> None:
    fake = FakeModel(
        [
            httpx2.Response(429, headers={"retry-after": "7"}, json={"error": "slow down"}),
            httpx2.Response(503, json={"error": "busy"}),
            completion(answer()),
        ]
    )
    clock = FakeClock()
    settings = load_settings(
        {"COMMUNIQUE_BASE_URL": "http://x/v1", "COMMUNIQUE_MODEL": "m"}, strategy="single"
    )
    conn = connect(settings, "http://x/v1", clock=clock, transport=fake.transport())
    s = summarize(seed, client=conn.raw, settings=settings, clock=clock)
    assert len(fake.requests) == 3 and s.meta.attempts == 1
    assert 7 <= clock.sleeps[0] <= 7 * 1.25 + 0.01  # Retry-After honoured, plus jitter
    assert conn.stats.retries == 2


def test_endpoint_down_is_an_endpoint_error_after_bounded_retries(seed: Article) -> None:
    refused = httpx2.ConnectError("connection refused")
    fake = FakeModel([refused] * 5)
    clock = FakeClock()
    settings = load_settings(
        {
            "COMMUNIQUE_BASE_URL": "http://x/v1",
            "COMMUNIQUE_MODEL": "m",
            "COMMUNIQUE_TRANSPORT_RETRIES": "4",
        }
    )
    conn = connect(settings, "http://x/v1", clock=clock, transport=fake.transport())
    with pytest.raises(EndpointError, match="cannot connect"):
        summarize(seed, client=conn.raw, settings=settings, clock=clock)
    assert len(fake.requests) == 5 and len(clock.sleeps) == 4
    assert clock.sleeps == sorted(clock.sleeps)  # exponential backoff


def test_http_error_that_is_not_transient_is_not_retried(seed: Article) -> None:
    fake = FakeModel([httpx2.Response(400, json={"error": {"message": "bad schema"}})])
    clock = FakeClock()
    settings = load_settings({"COMMUNIQUE_BASE_URL": "http://x/v1", "COMMUNIQUE_MODEL": "m"})
    conn = connect(settings, "http://x/v1", clock=clock, transport=fake.transport())
    with pytest.raises(EndpointError, match="HTTP 400"):
        summarize(seed, client=conn.raw, settings=settings, clock=clock)
    assert clock.sleeps == []


def test_async_twin(seed: Article) -> None:
    fake = FakeModel([completion(answer())])
    s = asyncio.run(asummarize(seed, client=fake.async_client(), settings=SETTINGS))
    assert s.positions[0].actor == "Emmanuel Macron" and s.meta.attempts == 1


def test_a_cancelled_call_leaves_no_article_behind(seed: Article) -> None:
    """Cancelling a briefing's task mid-call unwinds the per-call state in that task (a
    later gc would reset it from another context: an unraisable error, failing here)."""
    from communique.prompt.response_model import _ASK

    async def stalled(request: httpx2.Request) -> httpx2.Response:
        await asyncio.sleep(60)
        raise AssertionError("not reached")

    http = httpx2.AsyncClient(transport=httpx2.MockTransport(stalled))
    client = openai.AsyncOpenAI(base_url="http://fake.test/v1", api_key="k", http_client=http)

    async def cancel_mid_call() -> None:
        task = asyncio.create_task(asummarize(seed, client=client, settings=SETTINGS))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert _ASK.get() is None

    asyncio.run(cancel_mid_call())
    gc.collect()


def test_too_long_article_fails_before_any_model_call() -> None:
    fake = FakeModel([])
    settings = load_settings({}, max_article_chars=50)
    with pytest.raises(Exception, match="limit is 50"):
        summarize("word " * 40, client=fake.client(), settings=settings)
    assert fake.requests == []


def test_article_text_reaches_the_model_verbatim_never_as_a_template(seed: Article) -> None:
    """instructor renders messages as Jinja templates when given a validation context;
    communique gives none, so '{{ 7*7 }}' in an article is sent as written."""
    text = seed.text.replace("Macron said", "Macron said {{ 7*7 }} {# hidden #} {{ here.", 1)
    article = seed.model_copy(update={"text": text})
    fake = FakeModel([completion(answer())])
    summarize(article, client=fake.client(), settings=SETTINGS, clock=FakeClock())
    sent = fake.requests[0]["messages"][1]["content"]
    assert "{{ 7*7 }} {# hidden #} {{ here." in sent


def test_one_connection_serves_many_articles_each_with_its_own_count(seed: Article) -> None:
    """A briefing shares one connection (one instructor client) between calls in flight
    at once: each call's hooks go with that call, so attempts and usage never mix."""
    from communique.llm.client import wrap_client
    from communique.pipeline.summarize import asummarize_on

    bad = answer()
    bad["actors"].append(actor("Boris Johnson"))
    fake = FakeModel([completion(answer()), completion(bad), completion(answer())])
    fake.replies.append(completion(answer()))  # the second article's re-ask

    async def slow(request: httpx2.Request) -> httpx2.Response:
        reply = fake.handler(request)
        await asyncio.sleep(0.05)  # all three calls are in flight together
        return reply

    http = httpx2.AsyncClient(transport=httpx2.MockTransport(slow))
    conn = wrap_client(
        openai.AsyncOpenAI(base_url="http://fake.test/v1", api_key="k", http_client=http)
    )

    async def three() -> list[tuple[int, int]]:
        jobs = (asummarize_on(conn, seed, settings=SETTINGS, clock=FakeClock()) for _ in "abc")
        return [(s.meta.attempts, s.meta.prompt_tokens) for s in await asyncio.gather(*jobs)]

    assert asyncio.run(three()) == [(1, 100), (2, 200), (1, 100)]
    assert conn.instructor is conn.instructor
