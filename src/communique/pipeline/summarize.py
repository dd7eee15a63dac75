"""Stage 5 — summarize(): article → prompt → model → grounding → Summary."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import logging
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import httpx2
import openai
from instructor.core.exceptions import (
    IncompleteOutputException,
    InstructorError,
    InstructorRetryException,
)
from instructor.core.hooks import Hooks
from pydantic import ValidationError

from .. import progress
from ..clock import Clock, SystemClock
from ..errors import CommuniqueError, EndpointError, ModelOutputError
from ..grounding.answer import ExtractionBase
from ..grounding.context import GroundedParts, GroundingContext
from ..grounding.rules import registry
from ..grounding.rules.rule import Switches
from ..ingest import chunking
from ..ingest.article import Article, Sentence, check_article, coerce_article, split_sentences
from ..llm import embedded
from ..llm.client import CallScope, Connection, aconnect, call_scope, connect, wrap_client
from ..llm.redaction import public_url, redact
from ..llm.transport_errors import transport_problem
from ..models import Dropped, Meta, Summary
from ..progress import OnProgress
from ..prompt import limits
from ..prompt.candidates import find_candidates
from ..prompt.language import language_note
from ..prompt.response_model import Extraction, LooseExtraction, asking, names_left_out, parts_of
from ..prompt.templates import Template, load_template
from ..settings import Settings, load_settings
from . import followup

STRATEGY = "sentence-cited+candidate-names"
SYSTEM_TEMPLATE = "summarize.system.j2"
USER_TEMPLATE = "summarize.user.j2"
log = logging.getLogger("communique")


def strategy_name(settings: Settings) -> str:
    return STRATEGY + ("+follow-up" if settings.strategy == "two-pass" else "")


def template_names(settings: Settings) -> list[str]:
    """Every prompt template a summary under these settings is made with."""
    names = [SYSTEM_TEMPLATE, USER_TEMPLATE]
    if settings.strategy == "two-pass":
        names += [followup.SYSTEM_TEMPLATE, followup.USER_TEMPLATE]
    return names


@dataclass
class _Call:
    """Everything one summarize call prepares before talking to the model."""

    article: Article
    settings: Settings
    clock: Clock
    sentences: list[Sentence]
    templates: list[Template]
    messages: list[dict[str, str]]
    context: GroundingContext
    responses: list[tuple[int, int]] = field(default_factory=list)  # per response usage
    started: float = 0.0
    scope: CallScope = field(init=False)  # set when the model call starts
    no_choices: bool = False  # an answer came back with an empty `choices` list
    not_completion: str | None = None  # the start of a body that is no JSON completion
    attempts: int = 0  # model requests instructor made (first + re-asks + re-sends)
    first_pass_attempts: int = 0  # of the main extraction; the follow-up pass not counted
    notes: list[Dropped] = field(default_factory=list)
    on_progress: OnProgress | None = None  # told of each request, answer and retry
    phase: str = progress.MAIN  # the phase whose request is running, for progress
    phase_attempts: int = 0
    request_sent: float = 0.0
    degraded: str | None = None  # why the summary is incomplete (Meta.degraded)

    def sampling(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "model": self.settings.model,
            "max_retries": self.settings.max_reasks,
            "temperature": self.settings.temperature,
            "seed": self.settings.seed,
            "max_tokens": self.settings.max_tokens,
            "hooks": self.hooks,
        }
        if self.settings.embedded:
            # llama.cpp sampling extras: a small model loops without a repeat penalty.
            kwargs["extra_body"] = {"repeat_penalty": 1.1}
        return kwargs

    def create_kwargs(self) -> dict[str, Any]:
        return {
            **self.sampling(),
            "messages": self.messages,
            "response_model": Extraction,  # this article's model inside `asking(context)`
        }

    def followup_request(self, parts: GroundedParts) -> tuple[followup.Plan, dict[str, Any]] | None:
        if self.settings.strategy != "two-pass":
            return None
        plan = followup.plan(self.context, parts)
        if plan.empty:
            return None
        templates, messages = followup.render(plan, self.context, parts)
        self.templates = [*self.templates, *templates]
        model = followup.response_model(plan, self.context.candidates)
        left_out = followup.names_left_out(plan, self.context.candidates)
        self.notes += limits.notes("followup", left_out)
        return plan, {**self.sampling(), "messages": messages, "response_model": model}

    def followup_failed(self, exc: Exception) -> None:
        """The first answer stands when the follow-up call fails; the reason is kept."""
        if (cause := _cause(exc, openai.APIError)) is not None:
            reason = f"the follow-up call failed: {_describe(cause)}"
        elif isinstance(exc, IncompleteOutputException):
            reason = f"the follow-up answer was cut off at max_tokens={self.settings.max_tokens}"
        elif isinstance(exc, InstructorError | ValidationError | json.JSONDecodeError):
            reason = "the follow-up answer did not match its schema"
        else:
            raise exc
        self.degraded = reason
        self.notes.append(
            followup.CALL_FAILED.note("followup", reason + "; first answer kept", "dropped")
        )

    @functools.cached_property
    def hooks(self) -> Hooks:
        """This call's instructor hooks: they count its attempts and record its usage."""
        hooks = Hooks()
        hooks.on("completion:kwargs", self._attempt)
        hooks.on("completion:response", self._record)
        return hooks

    def _attempt(self, *args: Any, **kwargs: Any) -> None:
        self.attempts += 1
        self.phase_attempts += 1
        if self.on_progress is not None:
            self.request_sent = self.clock.monotonic()
            self.on_progress(progress.Request(self.article.label, self.phase, self.phase_attempts))

    def retried(self, retry: int, retries: int, wait_s: float, reason: str) -> None:
        """The transport's notice of a retry, passed on as a progress event."""
        if self.on_progress is not None:
            event = progress.Retry(self.article.label, self.phase, retry, retries, wait_s, reason)
            self.on_progress(event)

    def _record(self, response: Any) -> None:
        # Copied now: instructor later folds the running total into the same object.
        usage = getattr(response, "usage", None)
        if isinstance(response, str | bytes):  # the SDK hands over a non-JSON body as is
            text = response.decode("utf-8", "replace") if isinstance(response, bytes) else response
            self.not_completion = " ".join(text.split())[:60]
        else:
            self.no_choices = self.no_choices or not getattr(response, "choices", None)
        self.responses.append(
            (
                int(getattr(usage, "prompt_tokens", 0) or 0),
                int(getattr(usage, "completion_tokens", 0) or 0),
            )
        )
        if self.on_progress is not None:
            seconds = self.clock.monotonic() - self.request_sent
            answer = progress.Answer(self.article.label, self.phase, *self.responses[-1], seconds)
            self.on_progress(answer)


def render_messages(
    article: Article, sentences: list[Sentence], candidates: list[str]
) -> tuple[list[Template], list[dict[str, str]]]:
    system = load_template(SYSTEM_TEMPLATE)
    user = load_template(USER_TEMPLATE)
    numbered = "\n".join(
        f"[{s.number}] " + " ".join(s.text.split()).replace("</article", "</ article")
        for s in sentences
    )
    user_text = user.render(
        article_id=article.label,
        title=article.title or "(none)",
        date=article.date.isoformat() if article.date else "(unknown)",
        source=article.source or "(unknown)",
        numbered_sentences=numbered,
        candidates="; ".join(candidates) or "(none found)",
        language_note=language_note(article.text),
    )
    return [system, user], [
        {"role": "system", "content": system.render()},
        {"role": "user", "content": user_text},
    ]


def _prepare(
    article: str | Path | Article,
    model: str | None,
    settings: Settings | None,
    clock: Clock | None,
    on_progress: OnProgress | None = None,
) -> tuple[Article, list[chunking.Chunk], list[_Call]]:
    """One call per chunk: a single one unless the article exceeds one call's context."""
    art = coerce_article(article)
    if settings is None:
        settings = load_settings(model=model)
    elif model is not None:
        settings = settings.with_overrides(model=model)
    check_article(art, max_chars=settings.max_article_chars)
    clock = clock or SystemClock()
    _warn_if_future(art, clock)
    chunks = chunking.split(art, chunking.chunk_chars(settings))
    calls = [_prepare_one(c.article, settings, clock) for c in chunks]
    for call in calls:
        call.on_progress = on_progress
    return art, chunks, calls


def _prepare_one(art: Article, settings: Settings, clock: Clock) -> _Call:
    sentences = split_sentences(art.text)
    candidates = find_candidates(art.text, sentences)
    templates, messages = render_messages(art, sentences, candidates)
    context = GroundingContext(art, sentences, candidates, Switches(settings.disabled_rules))
    return _Call(
        article=art,
        settings=settings,
        clock=clock,
        sentences=sentences,
        templates=templates,
        messages=messages,
        context=context,
        notes=limits.notes("request", names_left_out(candidates)),
    )


def _merged(full: Article, chunks: list[chunking.Chunk], summaries: list[Summary]) -> Summary:
    return summaries[0] if len(summaries) == 1 else chunking.merge(full, chunks, summaries)


def _warn_if_future(article: Article, clock: Clock) -> None:
    """A date after tomorrow (UTC) is kept, with a warning: 'on Thursday' is resolved
    from it, so a wrong date gives wrong next-step dates."""
    today = clock.now().date()
    if article.date is not None and article.date > today + dt.timedelta(days=1):
        log.warning(
            "[%s] the article's date %s is in the future (today is %s); next-step dates "
            "are resolved from it",
            article.label,
            article.date.isoformat(),
            today.isoformat(),
        )


def summarize(
    article: str | Path | Article,
    *,
    client: openai.OpenAI | None = None,
    model: str | None = None,
    settings: Settings | None = None,
    clock: Clock | None = None,
    on_progress: OnProgress | None = None,
) -> Summary:
    """Summarize one article (text, path to a text file, or Article) into a Summary.

    on_progress, if given, is called with a `progress.Request`, `Answer` or `Retry` as
    each model request is sent, answered or retried (from the calling thread)."""
    full, chunks, calls = _prepare(article, model, settings, clock, on_progress)
    call = calls[0]
    if client is not None:
        conn = wrap_client(client)
        return _merged(full, chunks, [_run(c, conn) for c in calls])
    base = embedded.ensure_server(call.settings) if call.settings.embedded else None
    conn = connect(call.settings, base or call.settings.base_url, clock=call.clock)
    with cast(openai.OpenAI, conn.raw):  # our own client: close its connections when done
        return _merged(full, chunks, [_run(c, conn) for c in calls])


_Exchange = Generator[dict[str, Any], Any, Summary]


def _exchange(call: _Call, conn: Connection) -> _Exchange:
    """The model calls of one summary, written once for the sync and the async driver:
    each `yield` hands the driver the arguments of one instructor `create()` and receives
    its result (or has its exception thrown in here)."""
    try:
        with asking(call.context):
            extraction = yield call.create_kwargs()
    except Exception as exc:  # mapped to one CommuniqueError subclass below
        extraction = _recover(call, exc, conn)
    call.first_pass_attempts = call.attempts
    parts = parts_of(extraction, call.context)
    if request := call.followup_request(parts):
        plan, kwargs = request
        call.phase, call.phase_attempts = progress.FOLLOW_UP, 0
        try:
            followup.merge((yield kwargs), plan, call.context, parts)
        except Exception as exc:  # a failed follow-up keeps the first answer
            call.followup_failed(exc)
    return _finish(call, conn, extraction, parts)


@contextmanager
def _driving(call: _Call, conn: Connection) -> Iterator[tuple[Any, _Exchange]]:
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


def _run(call: _Call, conn: Connection) -> Summary:
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
    model: str | None = None,
    settings: Settings | None = None,
    clock: Clock | None = None,
    on_progress: OnProgress | None = None,
) -> Summary:
    """The async twin of summarize()."""
    full, chunks, calls = _prepare(article, model, settings, clock, on_progress)
    call = calls[0]
    if client is not None:
        return await _asummarize_calls(full, chunks, calls, wrap_client(client))
    base = None
    if call.settings.embedded:
        base = await asyncio.to_thread(embedded.ensure_server, call.settings)
    conn = aconnect(call.settings, base or call.settings.base_url, clock=call.clock)
    async with cast(openai.AsyncOpenAI, conn.raw):
        return await _asummarize_calls(full, chunks, calls, conn)


async def asummarize_on(
    conn: Connection, article: Article, *, settings: Settings, clock: Clock
) -> Summary:
    """asummarize() over a connection the caller keeps: a briefing opens one (and one
    instructor client) for all its articles."""
    return await _asummarize_calls(*_prepare(article, None, settings, clock), conn)


async def _asummarize_calls(
    full: Article, chunks: list[chunking.Chunk], calls: list[_Call], conn: Connection
) -> Summary:
    return _merged(full, chunks, [await _arun(c, conn) for c in calls])


async def _arun(call: _Call, conn: Connection) -> Summary:
    """The async twin of `_run`."""
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


def _usage(call: _Call) -> dict[str, int]:
    return {
        "prompt_tokens": sum(p for p, _ in call.responses),
        "completion_tokens": sum(c for _, c in call.responses),
    }


def _recover(call: _Call, exc: Exception, conn: Connection) -> ExtractionBase:
    """Map failures to CommuniqueError (the API key redacted from the message: an
    endpoint may echo it); after exhausted re-asks, keep what grounds."""
    try:
        return _map_failure(call, exc)
    except CommuniqueError as error:
        keys = (call.settings.api_key, getattr(conn.raw, "api_key", None))
        error.message = redact(error.message, *keys)
        error.args = (error.message,)
        raise


def _map_failure(call: _Call, exc: Exception) -> ExtractionBase:
    """Every error carries `attempts` (model requests made by instructor: the first one
    plus re-asks), and in its context a `reason` code and the call's `transport_retries`.
    """
    attempts = call.attempts
    retries = call.scope.stats.retries
    ctx: dict[str, Any] = {
        "article_id": call.article.label,
        "attempts": attempts,
        "usage": _usage(call),
        "transport_retries": retries,
    }
    api_error = _cause(exc, openai.APIError)
    if api_error is not None:
        reason, text = _endpoint_failure(api_error, call.scope)
        after = f" after {retries} retr{'y' if retries == 1 else 'ies'}" if retries else ""
        raise EndpointError(f"model endpoint failed{after}: {text}", reason=reason, **ctx) from exc
    if isinstance(exc, IncompleteOutputException):
        raise ModelOutputError(
            f"the model's answer was cut off at max_tokens={call.settings.max_tokens} "
            "(raise COMMUNIQUE_MAX_TOKENS)",
            reason="truncated",
            **ctx,
        ) from exc
    if call.not_completion is not None:
        raise EndpointError(
            "the endpoint's response is not JSON (it starts with "
            f"{call.not_completion!r}): is the base URL the API, usually ending in /v1?",
            reason="bad_response",
            **ctx,
        ) from exc
    if call.no_choices:
        raise ModelOutputError(
            "the endpoint's answer has no choices (an empty 'choices' list)",
            reason="no_choices",
            **ctx,
        ) from exc
    last = exc.last_completion if isinstance(exc, InstructorRetryException) else None
    bad_body = _cause(exc, json.JSONDecodeError)
    if last is None and bad_body is not None:
        raise EndpointError(
            f"the endpoint's response is not valid JSON ({bad_body})", reason="bad_response", **ctx
        ) from exc
    if last is not None:
        try:
            return LooseExtraction.model_validate_json(_content(last))  # no context: lenient
        except ValidationError as invalid:
            raise ModelOutputError(
                f"the model's answer did not match the schema after {attempts} attempt(s): "
                f"{_first_error(invalid)}",
                reason="invalid_output",
                **ctx,
            ) from exc
    if isinstance(exc, CommuniqueError):
        raise exc
    raise ModelOutputError(f"summarizing failed: {exc}", reason="failed", **ctx) from exc


E = TypeVar("E", bound=BaseException)


def _cause(exc: BaseException, kind: type[E]) -> E | None:
    """The first exception of this kind in the chain of causes, starting with exc."""
    seen: BaseException | None = exc
    while seen is not None and not isinstance(seen, kind):
        seen = seen.__cause__
    return seen


def _endpoint_failure(error: openai.APIError, scope: CallScope) -> tuple[str, str]:
    """(reason code, description) of an endpoint failure."""
    text = _describe(error)
    if scope.expired:
        deadline = f"{scope.deadline_s:g} s" if scope.deadline_s is not None else "?"
        return "deadline", f"the per-article deadline ({deadline}) ran out; {text}"
    if isinstance(error, openai.APIStatusError):
        code = error.status_code
        kind = "rate_limited" if code == 429 else "server_error" if code >= 500 else "http_error"
        return kind, text
    if isinstance(error, openai.APITimeoutError):
        return "timeout", text
    if isinstance(error, openai.APIConnectionError):
        return "connection", text
    return "bad_response", text


def _finish(
    call: _Call, conn: Connection, extraction: ExtractionBase, parts: GroundedParts
) -> Summary:
    registry.finish(parts, call.context)  # the finish phase's rules, in order
    usage = _usage(call)
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
    return Summary(
        headline=parts.headline,
        gist=parts.gist,
        proposal=parts.proposal,
        participants=parts.participants,
        positions=parts.positions,
        next_steps=parts.next_steps,
        meta=meta,
    )


def _content(completion: Any) -> str:
    try:
        return str(completion.choices[0].message.content or "")
    except (AttributeError, IndexError):
        return json.dumps(completion) if isinstance(completion, dict) else str(completion)


def _first_error(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, openai.APIStatusError):
        url = public_url(str(exc.request.url))
        return f"HTTP {exc.status_code} from {url}: {str(exc.message)[:200]}"
    # One wording per failure, whichever HTTP stack (sync or async) saw it.
    if isinstance(exc, openai.APITimeoutError):
        url = public_url(str(exc.request.url))
        return f"no answer from {url} in time ({transport_problem(exc.__cause__ or exc)})"
    if isinstance(exc, openai.APIConnectionError):
        url = public_url(str(exc.request.url))
        if isinstance(exc.__cause__, httpx2.ConnectError):
            return f"cannot connect to {url} ({transport_problem(exc.__cause__)})"
        return f"the connection to {url} failed ({transport_problem(exc.__cause__ or exc)})"
    return str(exc)
