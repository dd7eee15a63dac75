"""Progress of a summary while it runs: events from the library, lines on stderr.

The library tells `summarize(..., on_progress=...)` about each model request as it is
sent (`Request`), each answer as it arrives, with its token usage and time (`Answer`),
and each transport retry with its wait and reason (`Retry`). Nothing about the request
sent to the model changes (no streaming): the recorded cassettes match on its body.

`StderrProgress` is the CLI's view of those events: on a terminal a live status line
(phase, elapsed time, the last answer's tokens/s) redrawn by rich, plus one permanent
line per answer and per retry; in a log (stderr not a terminal) plain lines, one when a
phase starts and one when its answer arrives, and one per retry.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from rich.console import Console
from rich.live import Live
from rich.text import Text

from .clock import Clock, SystemClock

MAIN = "main call"
FOLLOW_UP = "follow-up"
PER_ACTOR = "per-actor call"


@dataclass(frozen=True)
class Request:
    """A model request is about to be sent (attempt 2+ is a validation re-ask)."""

    article: str
    phase: str
    attempt: int


@dataclass(frozen=True)
class Answer:
    """An answer arrived: its usage and the seconds since its request was sent."""

    article: str
    phase: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float

    @property
    def tokens_per_s(self) -> float | None:
        return self.completion_tokens / self.seconds if self.seconds > 0 else None


@dataclass(frozen=True)
class Retry:
    """The transport retries a request after `wait_s` (retry `retry` of `retries`)."""

    article: str
    phase: str
    retry: int
    retries: int
    wait_s: float
    reason: str


Event = Request | Answer | Retry
OnProgress = Callable[[Event], None]


def describe(event: Event) -> str:
    """One line for an event (without the 'communique: ' prefix)."""
    where = f"[{event.article}] {event.phase}"
    if isinstance(event, Request):
        again = f" (re-ask {event.attempt - 1})" if event.attempt > 1 else ""
        return f"{where}{again}: sent, waiting for the model"
    if isinstance(event, Answer):
        speed = f": {event.tokens_per_s:.1f} tok/s over the request" if event.tokens_per_s else ""
        return (
            f"{where}: answered in {_duration(event.seconds)} ({event.prompt_tokens:,} prompt "
            f"tokens, {event.completion_tokens:,} generated{speed})"
        )
    return (
        f"{where}: retrying in {event.wait_s:.1f} s "
        f"(retry {event.retry} of {event.retries}): {event.reason}"
    )


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


class StderrProgress:
    """The CLI's progress on stderr; use as a context manager around the summary and pass
    the instance as `on_progress`. `live=None` = a live line only when `console` is a
    terminal."""

    def __init__(
        self,
        console: Console | None = None,
        *,
        clock: Clock | None = None,
        live: bool | None = None,
    ) -> None:
        self.console = console or Console(stderr=True)
        self.clock = clock or SystemClock()
        self.live = self.console.is_terminal if live is None else live
        self._lock = threading.Lock()
        self._started = self.clock.monotonic()
        self._phase: str | None = None
        self._phase_started = self._started
        self._last: Answer | None = None
        self._display: Live | None = None

    def __enter__(self) -> StderrProgress:
        if self.live:
            self._display = Live(
                _StatusLine(self),
                console=self.console,
                transient=True,
                refresh_per_second=2,
                redirect_stdout=False,
                redirect_stderr=True,  # other stderr lines print above the live line
            )
            self._display.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._display is not None:
            self._display.stop()
            self._display = None

    def __call__(self, event: Event) -> None:
        with self._lock:
            if isinstance(event, Request):
                self._phase = event.phase
                self._phase_started = self.clock.monotonic()
            elif isinstance(event, Answer):
                self._last = event
                self._phase = None
            if self.live and isinstance(event, Request):
                return  # the status line shows it
        self._print(describe(event))

    def status(self) -> str:
        """The live line's text: the phase running, its elapsed time, the last speed."""
        with self._lock:
            now = self.clock.monotonic()
            if self._phase is None:
                head = "working"
            else:
                waited = _duration(now - self._phase_started)
                head = f"{self._phase}: waiting for the model, {waited}"
            total = f"{_duration(now - self._started)} in all"
            last = self._last
        speed = ""
        if last is not None and last.tokens_per_s is not None:
            speed = f"; last answer {last.tokens_per_s:.1f} tok/s"
        return f"communique: {head} ({total}{speed})"

    def _print(self, line: str) -> None:
        text = Text("communique: " + line)
        if self._display is not None:
            self._display.console.print(text, soft_wrap=True)
        else:
            stream: IO[str] = self.console.file
            print(text.plain, file=stream, flush=True)


class _StatusLine:
    """A renderable that rich redraws on its own refresh thread: elapsed time moves on."""

    def __init__(self, progress: StderrProgress) -> None:
        self.progress = progress

    def __rich__(self) -> Text:
        return Text(self.progress.status())
