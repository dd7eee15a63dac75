"""Stage 3 — the LLM client: openai + instructor over any OpenAI-compatible endpoint.

Transport failures (429 honouring Retry-After, 5xx, timeouts, connection resets, also
mid-body) have one owner: the retrying HTTP transport below, driven by tenacity. The
openai SDK's own retries are switched off, and instructor only re-asks on validation
errors. Each summarize call runs in a `call_scope`: the transport counts that call's
retries there and stops retrying (and caps request timeouts) at the call's deadline, so
both work per article even when many articles share one client (a briefing).
"""

from __future__ import annotations

import email.utils
import functools
import random
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx2
import instructor
import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
)
from tenacity.stop import stop_base

from ..clock import Clock, SystemClock
from ..settings import Settings
from .redaction import NO_KEY, AsyncRedactingTransport, RedactingTransport
from .transport_errors import retry_reason

T = TypeVar("T")
RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
BASE_BACKOFF_S = 0.5  # first backoff; doubles per retry (+ up to 25 % jitter)
MAX_BACKOFF_S = 30.0
MAX_RETRY_AFTER_S = 120.0  # a longer Retry-After is cut to this
MODE = instructor.Mode.JSON_SCHEMA
# (retry number, retries allowed, seconds before it, why): told before each backoff sleep
OnRetry = Callable[[int, int, float, str], None]


@dataclass
class RetryStats:
    """How many transport retries happened (reported in Summary.meta)."""

    retries: int = 0
    waits: list[float] = field(default_factory=list)


@dataclass
class CallScope:
    """One summarize call, as the transport sees it: its deadline and its retries."""

    clock: Clock
    deadline_s: float | None = None
    started: float = 0.0
    stats: RetryStats = field(default_factory=RetryStats)
    expired: bool = False  # the deadline stopped a retry or a request
    on_retry: OnRetry | None = None  # told of each retry of this call (progress)

    def remaining(self) -> float | None:
        if self.deadline_s is None:
            return None
        return self.deadline_s - (self.clock.monotonic() - self.started)


_SCOPE: ContextVar[CallScope | None] = ContextVar("communique_call_scope", default=None)


@contextmanager
def call_scope(
    clock: Clock,
    deadline_s: float | None,
    started: float | None = None,
    on_retry: OnRetry | None = None,
) -> Iterator[CallScope]:
    """Scope the transport's per-call bookkeeping to the code inside (a task or thread)."""
    scope = CallScope(clock, deadline_s, clock.monotonic() if started is None else started)
    scope.on_retry = on_retry
    token = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(token)


class DeadlineExceeded(httpx2.TimeoutException):
    """The call's deadline passed before this request could be sent (not retried)."""


def _before_send(request: httpx2.Request) -> None:
    """Refuse to send past the call's deadline; cap the request's timeouts to what is left."""
    scope = _SCOPE.get()
    left = scope.remaining() if scope is not None else None
    if scope is None or left is None:
        return
    if left <= 0:
        scope.expired = True
        raise DeadlineExceeded("the per-article deadline has passed", request=request)
    timeouts = request.extensions.get("timeout", {})
    request.extensions = {
        **request.extensions,
        "timeout": {k: left if v is None else min(v, left) for k, v in timeouts.items()},
    }


def retry_after_seconds(response: httpx2.Response, now: float | None = None) -> float | None:
    """Parse Retry-After (seconds or HTTP date); None when absent or unparsable."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    import time

    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class _Policy:
    def __init__(self, retries: int, stats: RetryStats, rng: random.Random) -> None:
        self.retries = retries
        self.stats = stats
        self.rng = rng

    def wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        hinted = None
        if outcome is not None and not outcome.failed:
            hinted = retry_after_seconds(outcome.result())
        backoff = min(MAX_BACKOFF_S, BASE_BACKOFF_S * 2 ** (state.attempt_number - 1))
        delay = min(hinted, MAX_RETRY_AFTER_S) if hinted is not None else backoff
        return delay + self.rng.uniform(0, 0.25 * max(delay, 0.2))  # jitter

    def count(self, state: RetryCallState) -> None:
        """Called just before each backoff sleep: one more retry, for the call too."""
        scope = _SCOPE.get()
        for stats in [self.stats] + ([scope.stats] if scope is not None else []):
            stats.retries += 1
            stats.waits.append(state.upcoming_sleep)
        if scope is not None and scope.on_retry is not None:
            retry = state.attempt_number  # of this request
            scope.on_retry(retry, self.retries, state.upcoming_sleep, retry_reason(state))

    def kwargs(self) -> dict[str, Any]:
        return {
            "stop": stop_after_attempt(self.retries + 1) | _PastDeadline(),
            "wait": self.wait,
            "retry": retry_if_exception(_transient)
            | retry_if_result(lambda r: r.status_code in RETRY_STATUS),
            "before_sleep": self.count,
            "retry_error_callback": _last_result_or_raise,
        }


class _PastDeadline(stop_base):
    """Stop when sleeping before the next try would pass the call's deadline."""

    def __call__(self, state: RetryCallState) -> bool:
        scope = _SCOPE.get()
        left = scope.remaining() if scope is not None else None
        if scope is None or left is None or state.upcoming_sleep < left:
            return False
        scope.expired = True
        return True


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, httpx2.TransportError) and not isinstance(exc, DeadlineExceeded)


@contextmanager
def _naming(request: httpx2.Request) -> Iterator[None]:
    """Attach the request to a transport error raised without it, so a retry notice can
    name the timeout that ran out."""
    try:
        yield
    except httpx2.RequestError as exc:
        try:
            exc.request  # noqa: B018 - raises RuntimeError when unset
        except RuntimeError:
            exc.request = request
        raise


def _last_result_or_raise(state: RetryCallState) -> Any:
    assert state.outcome is not None
    return state.outcome.result()  # the last response (e.g. 503) or re-raise its error


class _RetryingTransport(Generic[T]):
    """Shared set-up of the sync and async retrying transports below."""

    def __init__(
        self,
        inner: T,
        *,
        retries: int,
        clock: Clock,
        stats: RetryStats | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.inner = inner
        self.stats = stats or RetryStats()
        self.policy = _Policy(retries, self.stats, rng or random.Random())
        self.clock = clock


class RetryTransport(_RetryingTransport[httpx2.BaseTransport], httpx2.BaseTransport):
    """Wraps a transport; retries transient failures with backoff + jitter."""

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        def send() -> httpx2.Response:
            _before_send(request)
            with _naming(request):
                response = self.inner.handle_request(request)
            try:
                response.read()  # in here, so a connection reset mid-body is retried too
            finally:
                response.close()
            return response

        retrying = Retrying(sleep=self.clock.sleep, **self.policy.kwargs())
        result: httpx2.Response = retrying(send)
        return result

    def close(self) -> None:
        self.inner.close()


class AsyncRetryTransport(_RetryingTransport[httpx2.AsyncBaseTransport], httpx2.AsyncBaseTransport):
    """The async twin of RetryTransport."""

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        async def send() -> httpx2.Response:
            _before_send(request)
            with _naming(request):
                response = await self.inner.handle_async_request(request)
            try:
                await response.aread()  # a connection reset mid-body is retried too
            finally:
                await response.aclose()
            return response

        retrying = AsyncRetrying(sleep=self.clock.asleep, **self.policy.kwargs())
        result: httpx2.Response = await retrying(send)
        return result

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class Connection:
    """An openai client plus what the summary's metadata needs to say about it."""

    raw: openai.OpenAI | openai.AsyncOpenAI
    endpoint: str
    stats: RetryStats

    @functools.cached_property
    def instructor(self) -> Any:
        """The connection's instructor client, made once (0.16 ms each). Calls bring
        their own hooks (`create(hooks=...)`), so none pile up on it."""
        return instructor.from_openai(self.raw, mode=MODE)


Transport = TypeVar("Transport", httpx2.BaseTransport, httpx2.AsyncBaseTransport)


@dataclass(frozen=True)
class Connector(Generic[Transport]):
    """The classes a sync or an async Connection is made of; its connect() is `connect`
    (sync) or `aconnect` (async)."""

    http: Callable[[], Transport]  # the bare HTTP transport
    redacting: Callable[[Transport, str | None], Transport]
    retrying: Callable[..., Transport]
    client: Callable[..., httpx2.Client | httpx2.AsyncClient]
    openai: Callable[..., openai.OpenAI | openai.AsyncOpenAI]

    def connect(
        self,
        settings: Settings,
        base_url: str,
        *,
        clock: Clock | None = None,
        transport: Transport | None = None,
    ) -> Connection:
        """An openai client whose HTTP transport owns transient-error retries."""
        stats = RetryStats()
        retrying = self.retrying(
            self.redacting(
                transport or self.http(),
                settings.api_key,
            ),
            retries=settings.transport_retries,
            clock=clock or SystemClock(),
            stats=stats,
        )
        http = self.client(transport=retrying, timeout=settings.timeout_s)
        raw = self.openai(http_client=http, **_client_options(settings, base_url))
        return Connection(raw, base_url, stats)


def _http() -> httpx2.BaseTransport:
    return httpx2.HTTPTransport(verify=_ssl_context(), limits=_LIMITS)


def _async_http() -> httpx2.AsyncBaseTransport:
    return httpx2.AsyncHTTPTransport(verify=_ssl_context(), limits=_LIMITS)


SYNC = Connector[httpx2.BaseTransport](
    _http, RedactingTransport, RetryTransport, httpx2.Client, openai.OpenAI
)
ASYNC = Connector[httpx2.AsyncBaseTransport](
    _async_http,
    AsyncRedactingTransport,
    AsyncRetryTransport,
    httpx2.AsyncClient,
    openai.AsyncOpenAI,
)
connect = SYNC.connect
aconnect = ASYNC.connect


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for every client: loading the CA store takes ~30 ms."""
    return httpx2.create_ssl_context()


# The openai SDK's own pool limits (100 kept alive; a bare httpx transport keeps 20, so a
# briefing at --concurrency 64 reconnected for most requests).
_LIMITS = openai.DEFAULT_CONNECTION_LIMITS


def _client_options(settings: Settings, base_url: str) -> dict[str, Any]:
    # max_retries=0: the transport above is the one owner of transport retries.
    return {
        "base_url": base_url,
        "api_key": settings.api_key or NO_KEY,
        "max_retries": 0,
        "timeout": settings.timeout_s,
    }


def wrap_client(client: Any) -> Connection:
    """Use a caller's openai client as is (its own transport and retry settings)."""
    if isinstance(client, (openai.OpenAI, openai.AsyncOpenAI)):
        return Connection(client, str(client.base_url), RetryStats())
    raise TypeError(f"client must be an openai.OpenAI or openai.AsyncOpenAI, not {type(client)}")
