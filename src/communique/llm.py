"""Stage 3 — the LLM client: openai + instructor over any OpenAI-compatible endpoint.

Transport failures (429 honouring Retry-After, 5xx, timeouts, connection resets) have one
owner: the retrying HTTP transport below, driven by tenacity. The openai SDK's own
retries are switched off, and instructor only re-asks on validation errors.
"""

from __future__ import annotations

import email.utils
import functools
import random
import ssl
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx2
import instructor
import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    retry_if_result,
    stop_after_attempt,
)

from .clock import Clock, SystemClock
from .settings import Settings

T = TypeVar("T")
RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER_S = 120.0
MODE = instructor.Mode.JSON_SCHEMA


@dataclass
class RetryStats:
    """How many transport retries happened (reported in Summary.meta)."""

    retries: int = 0
    waits: list[float] = field(default_factory=list)


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
        backoff = min(30.0, 0.5 * 2 ** (state.attempt_number - 1))
        delay = min(hinted, MAX_RETRY_AFTER_S) if hinted is not None else backoff
        delay += self.rng.uniform(0, 0.25 * max(delay, 0.2))  # jitter
        self.stats.retries += 1
        self.stats.waits.append(delay)
        return delay

    def kwargs(self) -> dict[str, Any]:
        return {
            "stop": stop_after_attempt(self.retries + 1),
            "wait": self.wait,
            "retry": retry_if_exception_type(httpx2.TransportError)
            | retry_if_result(lambda r: r.status_code in RETRY_STATUS),
            "retry_error_callback": _last_result_or_raise,
        }


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
            response = self.inner.handle_request(request)
            if response.status_code in RETRY_STATUS:
                response.read()
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
            response = await self.inner.handle_async_request(request)
            if response.status_code in RETRY_STATUS:
                await response.aread()
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

    def instructor(self) -> Any:
        """A fresh instructor client (hooks are per call, so they never pile up)."""
        return instructor.from_openai(self.raw, mode=MODE)


def connect(
    settings: Settings,
    base_url: str,
    *,
    clock: Clock | None = None,
    transport: httpx2.BaseTransport | None = None,
) -> Connection:
    """A sync openai client whose HTTP transport owns transient-error retries."""
    stats = RetryStats()
    retrying = RetryTransport(
        transport or httpx2.HTTPTransport(verify=_tls(), limits=_LIMITS),
        retries=settings.transport_retries,
        clock=clock or SystemClock(),
        stats=stats,
    )
    http = httpx2.Client(transport=retrying, timeout=settings.timeout_s)
    raw = openai.OpenAI(http_client=http, **_client_options(settings, base_url))
    return Connection(raw, base_url, stats)


def aconnect(
    settings: Settings,
    base_url: str,
    *,
    clock: Clock | None = None,
    transport: httpx2.AsyncBaseTransport | None = None,
) -> Connection:
    """The async twin of connect()."""
    stats = RetryStats()
    retrying = AsyncRetryTransport(
        transport or httpx2.AsyncHTTPTransport(verify=_tls(), limits=_LIMITS),
        retries=settings.transport_retries,
        clock=clock or SystemClock(),
        stats=stats,
    )
    http = httpx2.AsyncClient(transport=retrying, timeout=settings.timeout_s)
    raw = openai.AsyncOpenAI(http_client=http, **_client_options(settings, base_url))
    return Connection(raw, base_url, stats)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client: loading the CA certificates takes ~20 ms, which
    summarize() paid on every call without a client of its own."""
    return httpx2.create_ssl_context()


# The openai SDK's own pool limits (100 kept alive; a bare httpx transport keeps 20, so a
# briefing at --concurrency 64 reconnected for most requests).
_LIMITS = openai.DEFAULT_CONNECTION_LIMITS


def _client_options(settings: Settings, base_url: str) -> dict[str, Any]:
    # max_retries=0: the transport above is the one owner of transport retries.
    return {
        "base_url": base_url,
        "api_key": settings.api_key or "not-needed",
        "max_retries": 0,
        "timeout": settings.timeout_s,
    }


def wrap_client(client: Any) -> Connection:
    """Use a caller's openai client as is (its own transport and retry settings)."""
    if isinstance(client, (openai.OpenAI, openai.AsyncOpenAI)):
        return Connection(client, str(client.base_url), RetryStats())
    raise TypeError(f"client must be an openai.OpenAI or openai.AsyncOpenAI, not {type(client)}")
