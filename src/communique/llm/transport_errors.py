"""One wording per transport failure, shared by the retry notices and the final error.

The sync and async HTTP stacks word the same failure differently ("[Errno 111]
Connection refused" against "All connection attempts failed"); both carry the operating
system's error number somewhere in their chain of causes, which names it once.
"""

from __future__ import annotations

import os

import httpx2
from tenacity import RetryCallState


def transport_problem(exc: BaseException) -> str:
    """A short, stable description of a transport failure: 'connection refused',
    'no answer within 600 s', 'connection reset by peer'."""
    if isinstance(exc, httpx2.TimeoutException):
        limit = _timeout_of(exc)
        return f"no answer within {limit:g} s" if limit is not None else "timed out"
    seen: BaseException | None = exc
    while seen is not None:
        number = getattr(seen, "errno", None)
        if isinstance(seen, OSError) and isinstance(number, int):
            return os.strerror(number).lower()
        seen = seen.__cause__ or seen.__context__
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _timeout_of(exc: httpx2.TimeoutException) -> float | None:
    try:
        timeouts = exc.request.extensions.get("timeout", {})
    except RuntimeError:  # an exception raised without its request
        return None
    kind = {
        httpx2.ConnectTimeout: "connect",
        httpx2.ReadTimeout: "read",
        httpx2.WriteTimeout: "write",
        httpx2.PoolTimeout: "pool",
    }.get(type(exc))
    value = timeouts.get(kind) if kind else None
    return float(value) if isinstance(value, int | float) else None


def retry_reason(state: RetryCallState) -> str:
    """Why the transport is about to retry: the failure of the try that just ended."""
    outcome = state.outcome
    if outcome is None:
        return "unknown"
    if outcome.failed:
        exc = outcome.exception()
        return transport_problem(exc) if exc is not None else "unknown"
    response: httpx2.Response = outcome.result()
    hint = response.headers.get("retry-after")
    after = f", Retry-After: {hint}" if hint else ""
    return f"HTTP {response.status_code}{after}"
