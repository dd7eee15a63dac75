"""The OpenAI Batch format: request files out, answer files in, a briefing at the end.

`prepare` writes one request line per model call (`custom_id`, `method`, `url`, `body`):
the body is the one summarize() sends, captured from summarize's own code on its way to
the endpoint. `collect` runs brief() with a client whose transport answers each request
with the batch answer for that body, so every answer is grounded, merged and grouped by
the same code as `communique brief`. The same files run on OpenAI's Batch API and on
vLLM's offline `run_batch`.

The two-pass strategy takes two rounds: the follow-up request depends on the grounded
first answer, so `prepare(round=2)` replays round 1's answers through summarize's code
and captures the follow-up requests it makes.

A batch has one answer per request, so there are no re-asks (max_reasks=0): an answer
that does not validate is grounded leniently, as summarize() does after its last re-ask
(what does not ground is listed in meta.dropped). A missing or failed answer makes that
article a failure; a missing follow-up answer keeps the first answer, with a note.

The articles travel next to the request file (`requests.articles.jsonl`), so `collect`
grounds quotes in exactly the text the requests were made from.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import openai

from ..briefing.brief import Briefing, Progress, brief
from ..clock import Clock, SystemClock
from ..errors import CommuniqueError, UsageError
from ..ingest.article import Article, check_article
from ..ingest.inputs import Input
from ..llm.client import wrap_client
from ..settings import Settings
from .call import prepare as prepare_calls
from .summarize import run_call

URL = "/v1/chat/completions"
# The client's base URL: it names the endpoint in Summary.meta and the briefing's
# provenance, as brief() would name it ("embedded" for a loopback URL and the local model).
EMBEDDED_BASE = "http://127.0.0.1/v1"
NOT_IN_BATCH = 404  # the status a request without a batch answer gets from the transport


class BatchFileError(CommuniqueError):
    """A request, result or articles file is not in the expected format."""


@dataclass(frozen=True)
class Answer:
    """One line of a batch output file: the HTTP status and body (JSON) the endpoint gave."""

    custom_id: str
    status: int
    content: bytes


@dataclass
class Round:
    """One round of a batch: its requests (custom_id -> digest of the body) and the
    answers to them. Digests, not bodies: 100,000 request bodies would fill the memory."""

    requests: dict[str, str]
    answers: dict[str, Answer] = field(default_factory=dict)


def batch_settings(settings: Settings) -> Settings:
    """A batch has one answer per request: no re-asks. It has two rounds, so the
    per-actor strategy runs as two-pass (its per-actor calls depend on the follow-up's
    answer: a third round)."""
    strategy = "two-pass" if settings.strategy == "per-actor" else settings.strategy
    return settings.with_overrides(max_reasks=0, strategy=strategy)


def custom_id(input_id: str, round: int, chunk: int) -> str:
    return f"{input_id}#r{round}c{chunk}"


def request_line(cid: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"custom_id": cid, "method": "POST", "url": URL, "body": body}


def articles_path(requests: Path) -> Path:
    """Where the articles of a request file are kept: requests.jsonl -> requests.articles.jsonl."""
    stem = requests.name[: -len(".jsonl")] if requests.name.endswith(".jsonl") else requests.name
    return requests.with_name(stem + ".articles.jsonl")


def prepare(
    inputs: Sequence[Input],
    *,
    settings: Settings,
    clock: Clock | None = None,
    round: int = 1,
    first: Round | None = None,
) -> Iterator[dict[str, Any]]:
    """The request lines of one round. Round 1: the main request of every model call.
    Round 2 (two-pass strategy): the follow-up requests, made from round 1's answers
    (`first`); an article whose first answer is missing or failed gets none."""
    if round not in (1, 2):
        raise UsageError(f"--round must be 1 or 2, not {round}")
    if round == 2 and first is None:
        raise UsageError("round 2 needs round 1's requests and answers (--from)")
    settings = batch_settings(settings)
    clock = clock or SystemClock()
    endpoint = BatchEndpoint([first] if first is not None else [])
    client = endpoint.client(base_url(settings))
    conn = wrap_client(client)
    try:
        for inp, article in needing_model(inputs, settings):
            for k, call in enumerate(prepare_calls(article, settings=settings, clock=clock)[2]):
                endpoint.sent.clear()
                # round 1: nothing answers; round 2: a first answer may be missing
                with contextlib.suppress(CommuniqueError):
                    run_call(call, conn)
                if round == 1:
                    yield request_line(custom_id(inp.id, 1, k), endpoint.sent[0])
                    continue
                assert first is not None
                _check_same(first, custom_id(inp.id, 1, k), endpoint.sent[0])
                if len(endpoint.sent) > 1:
                    yield request_line(custom_id(inp.id, 2, k), endpoint.sent[1])
    finally:
        client.close()


def _check_same(first: Round, cid: str, sent: dict[str, Any]) -> None:
    if first.requests.get(cid) != digest(sent):
        raise UsageError(
            f"the round-1 request {cid!r} differs from what these settings send (model, "
            "strategy, prompts or communique version changed since it was prepared)"
        )


def collect(
    inputs: Sequence[Input],
    rounds: Sequence[Round],
    *,
    date: dt.date,
    settings: Settings,
    clock: Clock | None = None,
    concurrency: int | None = None,
    on_progress: Progress | None = None,
) -> Briefing:
    """The briefing brief() makes when the endpoint gives these answers."""
    settings = batch_settings(settings)
    endpoint = BatchEndpoint(rounds)
    return brief(
        inputs,
        date=date,
        client=endpoint.async_client(base_url(settings)),
        settings=settings,
        cache=False,
        concurrency=concurrency,
        clock=clock,
        on_progress=on_progress,
    )


def needing_model(inputs: Iterable[Input], settings: Settings) -> Iterator[tuple[Input, Article]]:
    """The inputs brief() asks the model about (its `_plan` without a cache): readable,
    valid, and the first of those with the same text modulo whitespace."""
    seen: set[str] = set()
    for inp in inputs:
        if inp.article is None:
            continue
        try:
            check_article(inp.article, max_chars=settings.max_article_chars)
        except CommuniqueError:
            continue
        same = hashlib.sha256(" ".join(inp.article.text.split()).encode("utf-8")).hexdigest()
        if same not in seen:
            seen.add(same)
            yield inp, inp.article


def base_url(settings: Settings) -> str:
    return EMBEDDED_BASE if settings.embedded else settings.base_url


def key(body: Any) -> str:
    """A request body's identity: its JSON with sorted keys."""
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(body: Any) -> str:
    return hashlib.sha256(key(body).encode("utf-8")).hexdigest()


class BatchEndpoint:
    """A chat-completions endpoint that answers from batch answers, by request body.

    A request no round holds, or one without an answer, gets HTTP 404 with a message
    saying which; `sent` keeps every request body, in order."""

    def __init__(self, rounds: Sequence[Round]) -> None:
        self.by_body: dict[str, tuple[str, Answer | None]] = {}
        for r in rounds:
            for cid, sha in r.requests.items():
                self.by_body.setdefault(sha, (cid, r.answers.get(cid)))
        self.sent: list[dict[str, Any]] = []

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content or b"null")
        self.sent.append(body)
        found = self.by_body.get(digest(body))
        if found is None:
            return _error("this request is not in the batch's request files")
        cid, answer = found
        if answer is None:
            return _error(f"no answer for custom_id {cid!r} in the batch results")
        return httpx2.Response(
            answer.status, content=answer.content, headers={"content-type": "application/json"}
        )

    def client(self, base: str) -> openai.OpenAI:
        http = httpx2.Client(transport=httpx2.MockTransport(self.handle))
        return openai.OpenAI(base_url=base, api_key="batch", max_retries=0, http_client=http)

    def async_client(self, base: str) -> openai.AsyncOpenAI:
        async def handle(request: httpx2.Request) -> httpx2.Response:
            return self.handle(request)

        http = httpx2.AsyncClient(transport=httpx2.MockTransport(handle))
        return openai.AsyncOpenAI(base_url=base, api_key="batch", max_retries=0, http_client=http)


def _error(message: str) -> httpx2.Response:
    return httpx2.Response(NOT_IN_BATCH, json={"error": {"message": message, "type": "batch"}})


# --- files ---------------------------------------------------------------------------


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise BatchFileError(f"{path}:{number}: not JSON ({exc})") from exc
        if not isinstance(record, dict):
            raise BatchFileError(f"{path}:{number}: not a JSON object")
        yield number, record


def read_requests(path: Path) -> dict[str, str]:
    """custom_id -> digest of the body, of a batch input file."""
    return {cid: digest(body) for cid, body in request_bodies(path)}


def request_bodies(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(custom_id, body) of each line of a batch input file."""
    seen: set[str] = set()
    for number, r in _lines(path):
        cid, body = r.get("custom_id"), r.get("body")
        if not isinstance(cid, str) or not isinstance(body, dict) or r.get("url") != URL:
            raise BatchFileError(
                f"{path}:{number}: not a batch request line (custom_id, method, url={URL}, body)"
            )
        if cid in seen:
            raise BatchFileError(f"{path}:{number}: custom_id {cid!r} is repeated")
        seen.add(cid)
        yield cid, body


def read_results(path: Path) -> dict[str, Answer]:
    """custom_id -> answer of a batch output (or error) file: lines of
    {id, custom_id, response: {status_code, request_id, body} | null, error | null}."""
    out: dict[str, Answer] = {}
    for number, r in _lines(path):
        cid = r.get("custom_id")
        if not isinstance(cid, str):
            raise BatchFileError(f"{path}:{number}: no custom_id")
        response = r.get("response")
        error = r.get("error")
        if isinstance(response, dict) and isinstance(response.get("body"), dict):
            status = int(response.get("status_code") or 200)
            out[cid] = Answer(cid, status, _json(response["body"]))
        elif error is not None or response is None:
            message = error.get("message") if isinstance(error, dict) else None
            code = error.get("code") if isinstance(error, dict) else None
            text = f"the batch request failed: {code or 'error'}: {message or error}"
            out[cid] = Answer(cid, 500, _json({"error": {"message": text, "type": "batch"}}))
        else:
            raise BatchFileError(f"{path}:{number}: response has no JSON body")
    return out


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def article_lines(inputs: Iterable[Input]) -> Iterator[dict[str, Any]]:
    """The articles file: one input per line, {id, path, article} or {id, path, error}."""
    for inp in inputs:
        record: dict[str, Any] = {"id": inp.id, "path": inp.path}
        if inp.article is not None:
            record["article"] = inp.article.model_dump(mode="json")
        else:
            record["error"] = inp.error or "unreadable"
        yield record


def read_articles(path: Path) -> list[Input]:
    out: list[Input] = []
    for number, r in _lines(path):
        ident, where = r.get("id"), r.get("path")
        if not isinstance(ident, str):
            raise BatchFileError(f"{path}:{number}: no id")
        article = r.get("article")
        if isinstance(article, dict):
            try:
                out.append(Input(ident, where, article=Article.model_validate(article)))
            except ValueError as exc:
                raise BatchFileError(f"{path}:{number}: not an article ({exc})") from exc
        else:
            out.append(Input(ident, where, error=str(r.get("error") or "unreadable")))
    return out


def jsonl(records: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
