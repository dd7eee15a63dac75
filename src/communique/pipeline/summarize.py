"""Stage 5 — summarize(): article → prompt → model → grounding → Summary.

call.py prepares the calls (one per chunk), this module drives them (sync and async,
one exchange generator for both) and finishes the Summary; failures.py maps what fails."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Unpack, cast

import openai

from .. import progress
from ..clock import Clock
from ..grounding.answer import ExtractionBase
from ..grounding.context import GroundedParts
from ..grounding.rules import registry
from ..ingest import chunking
from ..ingest.article import Article
from ..llm import embedded
from ..llm.client import Connection, aconnect, call_scope, connect, wrap_client
from ..llm.redaction import public_url
from ..models import Meta, Summary
from ..prompt.response_model import asking, parts_of
from ..settings import Settings
from . import followup_answer, per_actor
from .call import Call, Options, prepare, strategy_name
from .failures import recover
from .merge import merge_summaries


def summarize(
    article: str | Path | Article,
    *,
    client: openai.OpenAI | None = None,
    **options: Unpack[Options],
) -> Summary:
    """Summarize one article (text, path to a text file, or Article) into a Summary.

    client: an OpenAI client for the model's endpoint (default: the embedded model, or
    the endpoint the settings name). The other options (model, settings, clock,
    on_progress) are `call.Options`."""
    full, chunks, calls = prepare(article, **options)
    call = calls[0]
    if client is not None:
        return _summarize_calls(full, chunks, calls, wrap_client(client))
    conn = connect(call.settings, embedded.model_url(call.settings), clock=call.clock)
    with cast(openai.OpenAI, conn.raw):  # our own client: close its connections when done
        return _summarize_calls(full, chunks, calls, conn)


def _summarize_calls(
    full: Article, chunks: list[chunking.Chunk], calls: list[Call], conn: Connection
) -> Summary:
    summaries = [run_call(c, conn) for c in calls]
    return merge_summaries(full, chunks, summaries, [c.paths for c in calls])


_Exchange = Generator[dict[str, Any], Any, Summary]


def _exchange(call: Call, conn: Connection) -> _Exchange:
    """The model calls of one summary, written once for the sync and the async driver:
    each `yield` hands the driver the arguments of one instructor `create()` and receives
    its result (or has its exception thrown in here)."""
    try:
        with asking(call.context):
            extraction = yield call.create_kwargs()
    except Exception as exc:  # mapped to one CommuniqueError subclass below
        extraction = recover(call, exc, conn)
    call.first_pass_attempts = call.attempts
    parts = parts_of(extraction, call.context)
    if request := call.followup_request(parts):
        plan, kwargs = request
        call.phase, call.phase_attempts = progress.FOLLOW_UP, 0
        try:
            followup_answer.merge((yield kwargs), plan, call.context, parts)
        except Exception as exc:  # a failed follow-up keeps the first answer
            call.followup_failed(exc)
    for question, kwargs in call.actor_requests(parts):
        call.phase, call.phase_attempts = progress.PER_ACTOR, 0
        try:
            per_actor.merge((yield kwargs), question, call.context, parts)
        except Exception as exc:  # that actor stays without a position
            if call.actor_call_failed(exc, question):
                break  # the endpoint failed: ask no more
    return finish(call, conn, extraction, parts)


@contextmanager
def _driving(call: Call, conn: Connection) -> Iterator[tuple[Any, _Exchange]]:
    """What the sync and async drivers share: the call's scope, its instructor client
    and its exchange, closed in this task's context even when the call is cancelled
    (else `asking` would be unwound later, by the garbage collector, elsewhere)."""
    call.started = call.clock.monotonic()
    on_retry = call.retried if call.on_progress is not None else None
    with call_scope(call.clock, call.settings.deadline_s, call.started, on_retry) as call.scope:
        steps = _exchange(call, conn)
        try:
            yield conn.instructor, steps
        finally:
            steps.close()


def _advance(
    steps: _Exchange, result: Any = None, error: Exception | None = None
) -> dict[str, Any] | Summary:
    """Hand the exchange one create() outcome: the next create() arguments, or the end."""
    try:
        return steps.throw(error) if error is not None else steps.send(result)
    except StopIteration as done:
        return cast(Summary, done.value)


def run_call(call: Call, conn: Connection) -> Summary:
    with _driving(call, conn) as (client, steps):
        step: dict[str, Any] | Summary = next(steps)
        while not isinstance(step, Summary):
            try:
                result = client.create(**step)
            except Exception as exc:
                step = _advance(steps, error=exc)
            else:
                step = _advance(steps, result)
        return step


async def asummarize(
    article: str | Path | Article,
    *,
    client: openai.AsyncOpenAI | None = None,
    **options: Unpack[Options],
) -> Summary:
    """The async twin of summarize() (`client`: an AsyncOpenAI client)."""
    full, chunks, calls = prepare(article, **options)
    call = calls[0]
    if client is not None:
        return await _asummarize_calls(full, chunks, calls, wrap_client(client))
    conn = aconnect(call.settings, await embedded.amodel_url(call.settings), clock=call.clock)
    async with cast(openai.AsyncOpenAI, conn.raw):
        return await _asummarize_calls(full, chunks, calls, conn)


async def asummarize_on(
    conn: Connection, article: Article, *, settings: Settings, clock: Clock
) -> Summary:
    """asummarize() over a connection the caller keeps: a briefing opens one (and one
    instructor client) for all its articles."""
    return await _asummarize_calls(*prepare(article, settings=settings, clock=clock), conn)


async def _asummarize_calls(
    full: Article, chunks: list[chunking.Chunk], calls: list[Call], conn: Connection
) -> Summary:
    summaries = [await arun_call(c, conn) for c in calls]
    return merge_summaries(full, chunks, summaries, [c.paths for c in calls])


async def arun_call(call: Call, conn: Connection) -> Summary:
    """The async twin of `run_call`."""
    with _driving(call, conn) as (client, steps):
        step: dict[str, Any] | Summary = next(steps)
        while not isinstance(step, Summary):
            try:
                result = await client.create(**step)
            except Exception as exc:
                step = _advance(steps, error=exc)
            else:
                step = _advance(steps, result)
        return step


def finish(
    call: Call, conn: Connection, extraction: ExtractionBase, parts: GroundedParts
) -> Summary:
    registry.finish(parts, call.context)  # the finish phase's rules, in order
    call.paths = parts.paths()  # where its items came from, for a long article's merge
    usage = call.usage()
    meta = Meta(
        model=call.settings.model,
        endpoint="embedded"
        if call.settings.embedded and conn.endpoint.startswith("http://127.0.0.1")
        else public_url(conn.endpoint),
        strategy=strategy_name(call.settings),
        prompts=[t.ref for t in call.templates],
        article_id=call.article.label,  # a text's label, as its errors name it
        article_sha256=call.article.sha256,
        prompt_tokens=usage["prompt_tokens"],
        completion_tokens=usage["completion_tokens"],
        latency_s=round(call.clock.monotonic() - call.started, 3),
        attempts=max(1, call.first_pass_attempts),
        calls=max(1, call.attempts),
        transport_retries=call.scope.stats.retries,
        dropped=parts.dropped + parts.corrected + call.notes,
        degraded=call.degraded,
        created_at=call.clock.now(),
    )
    return parts.summary(meta)
