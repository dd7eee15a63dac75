"""Stopping a briefing early when the endpoint itself is failing, not the articles.

A wrong API key (401), a model the endpoint does not serve (404) or an endpoint that is
not listening fails every article the same way: asking 300 times only prints 300
identical lines (and, with nothing listening, spends every retry's backoff on each).
After `limit` consecutive endpoint failures of the same kind, the briefing stops asking;
the articles not yet started are listed as failures, "not attempted", with that reason.
An answer from the model (a summary, or an output it could not use) ends the streak.
"""

from __future__ import annotations

from dataclasses import dataclass

import openai

from ..errors import CommuniqueError, EndpointError


def failure_kind(error: CommuniqueError) -> str | None:
    """What kind of endpoint failure this is ('http_error 401', 'connection'), or None
    when it is not the endpoint's (the article or the model's answer)."""
    if not isinstance(error, EndpointError):
        return None
    reason = str(error.context.get("reason") or "endpoint")
    seen: BaseException | None = error
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        if isinstance(seen, openai.APIStatusError):
            return f"{reason} {seen.status_code}"
        visited.add(id(seen))
        seen = seen.__cause__ or seen.__context__
    return reason


@dataclass
class Streak:
    """Consecutive endpoint failures of one kind; `stopped` says why once the limit is
    reached (limit 0: never)."""

    limit: int
    kind: str | None = None
    count: int = 0
    stopped: str | None = None

    def success(self) -> None:
        self.kind, self.count = None, 0

    def failure(self, error: CommuniqueError) -> None:
        kind = failure_kind(error)
        if kind is None:
            self.success()  # the endpoint answered: the article's problem, not the endpoint's
            return
        self.count = self.count + 1 if kind == self.kind else 1
        self.kind = kind
        if self.limit and self.count >= self.limit and self.stopped is None:
            self.stopped = (
                f"stopped after {self.count} consecutive identical endpoint failures "
                f"({kind}): {' '.join(error.message.split())}"
            )
