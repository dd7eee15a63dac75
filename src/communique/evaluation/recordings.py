"""Recorded HTTP exchanges with the model, one JSON file per variant and document:
evals/recordings/<variant>/<doc>.json = {doc, variant, model, embedded, exchanges: [
{request: JSON body, response: JSON body, elapsed_s}]}.

Replay answers each request by looking up its canonical body (json.dumps sort_keys), so
any change to a prompt, the schema or the sampling settings is a clear miss rather than
a silently stale answer. Recording keeps bodies only: no headers (so no secrets), and
local paths in the response bodies are replaced.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx2
import openai

from ..clock import Clock
from ..errors import CommuniqueError
from ..llm.client import connect
from ..settings import Settings

T = TypeVar("T")

RERECORD = "re-record with communique eval --record"


class ReplayMiss(CommuniqueError):
    """A request that no recording answers (the prompt, schema or settings changed)."""


def canonical(body: Any) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Exchange:
    request: Any
    response: Any
    elapsed_s: float = 0.0


@dataclass
class Recording:
    doc: str
    variant: str
    model: str
    embedded: bool
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def elapsed_s(self) -> float:
        return round(sum(e.elapsed_s for e in self.exchanges), 3)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(self), indent=1, sort_keys=True, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Recording:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["exchanges"] = [Exchange(**e) for e in data["exchanges"]]
        return cls(**data)


def recording_path(root: Path, variant: str, doc: str) -> Path:
    return root / variant / f"{doc}.json"


class Replay:
    """An httpx2.MockTransport that serves one recording's responses by request body."""

    def __init__(self, recording: Recording, where: Path) -> None:
        self.recording = recording
        self.where = where
        self.answers: dict[str, deque[Any]] = defaultdict(deque)
        for e in recording.exchanges:
            self.answers[canonical(e.request)].append(e.response)
        self.misses: list[str] = []

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        key = canonical(json.loads(request.content or b"null"))
        queue = self.answers.get(key)
        if not queue:
            self.misses.append(key)
            raise ReplayMiss(self.miss_message())
        return httpx2.Response(200, json=queue.popleft())

    def miss_message(self) -> str:
        r = self.recording
        return (
            f"a {r.variant} request for {r.doc} is not in its recording {self.where} "
            f"(prompt, schema or settings changed?): {RERECORD}"
        )

    def unplayed(self) -> int:
        return sum(len(q) for q in self.answers.values())

    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self.handler)


class Recorder(httpx2.BaseTransport):
    """Wraps the real transport; keeps the JSON bodies of every successful exchange.

    `known` exchanges (an earlier recording) answer the requests they match, keeping
    their recorded timing, so only new requests reach the model."""

    def __init__(
        self,
        inner: httpx2.BaseTransport,
        scrub: dict[str, str] | None = None,
        known: list[Exchange] | None = None,
    ) -> None:
        self.inner = inner
        self.scrub = {k: v for k, v in (scrub or {}).items() if k}
        self.exchanges: list[Exchange] = []
        self.known: dict[str, deque[Exchange]] = defaultdict(deque)
        for e in known or []:
            self.known[canonical(e.request)].append(e)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        queue = self.known.get(canonical(json.loads(request.content or b"null")))
        if queue:
            reused = queue.popleft()
            self.exchanges.append(reused)
            return httpx2.Response(200, json=reused.response)
        started = time.monotonic()
        response = self.inner.handle_request(request)
        response.read()
        if response.status_code == 200:  # transient failures are retried, not recorded
            self.exchanges.append(
                Exchange(
                    request=json.loads(request.content or b"null"),
                    response=self._scrubbed(json.loads(response.content)),
                    elapsed_s=round(time.monotonic() - started, 3),
                )
            )
        return response

    def _scrubbed(self, value: Any) -> Any:
        if isinstance(value, str):
            for old, new in self.scrub.items():
                value = value.replace(old, new)
            return value
        if isinstance(value, list):
            return [self._scrubbed(v) for v in value]
        if isinstance(value, dict):
            return {k: self._scrubbed(v) for k, v in value.items()}
        return value

    def close(self) -> None:
        self.inner.close()


@contextmanager
def recording_client(
    path: Path,
    inner: httpx2.BaseTransport,
    settings: Settings,
    base: str,
    clock: Clock,
    reuse_recorded: bool,
) -> Iterator[tuple[openai.OpenAI, Recorder]]:
    """A client whose every successful exchange is kept by the Recorder it comes with
    (the exchanges of the recording at `path` answered first when `reuse_recorded`);
    the caller saves them as a Recording."""
    scrub = {str(settings.cache_dir): "<cache>", str(Path.home()): "~"}
    known = Recording.load(path).exchanges if reuse_recorded and path.is_file() else []
    recorder = Recorder(inner, scrub=scrub, known=known)
    conn = connect(settings, base, clock=clock, transport=recorder)
    assert isinstance(conn.raw, openai.OpenAI)  # connect() makes a sync client
    try:
        yield conn.raw, recorder
    finally:
        conn.raw.close()


def replayed(
    path: Path,
    settings_for: Callable[[Recording], Settings],
    url: str,
    clock: Clock,
    run: Callable[[openai.OpenAI, Settings], T],
) -> tuple[T, Recording]:
    """`run` on a client that only the recording at `path` answers: a ReplayMiss when the
    code makes a request it does not hold, also when the run survived it (a failed
    follow-up call is kept)."""
    rec = Recording.load(path)
    replay = Replay(rec, path)
    settings = settings_for(rec)
    conn = connect(settings, url, clock=clock, transport=replay.transport())
    assert isinstance(conn.raw, openai.OpenAI)  # connect() makes a sync client
    try:
        out = run(conn.raw, settings)
    except CommuniqueError as exc:
        if replay.misses:
            raise ReplayMiss(replay.miss_message()) from exc
        raise
    if replay.misses:
        raise ReplayMiss(replay.miss_message())
    return out, rec
