"""A fake OpenAI-compatible endpoint on 127.0.0.1 that injects faults, per request.

It answers POST /v1/chat/completions like a model: a valid answer is built from the
request's own response schema (names from its enum, sentence numbers within its bounds),
so it works for any article. Which fault a request gets is decided by a plan, a function
of (article id, n) where n counts that article's requests from 0; the article id is read
from the prompt's "Article id:" line. Plans are deterministic whatever the order or
concurrency of the requests: `schedule()` scripts the faults of every article,
`seeded()` draws them from a seeded generator per (article, n).

    with FaultServer(schedule("429", "503")) as server:
        summarize(text, settings=load_settings({}, base_url=server.url, model="fake"))
"""

from __future__ import annotations

import json
import random
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from communique.ingest.article import Article, parse_article

from .fakes import followup_reply

# Transport faults (the HTTP transport retries them).
HTTP_FAULTS = ("429", "429_retry_after", "500", "502", "503", "slow", "reset")
# Answers the model gets wrong (instructor re-asks; what still fails is dropped).
REASK_FAULTS = ("bad_json", "schema", "bad_ids", "bad_names")
# Answers that end the call with a typed error.
FATAL_FAULTS = ("length", "empty_choices", "bad_body")
FAULTS = ("ok", *HTTP_FAULTS, *REASK_FAULTS, *FATAL_FAULTS)
# The endpoint is wrong, not one answer: a bad key, an unknown model, a web page at the
# base URL (status 200, HTML). Scripted only (not in the seeded soak mix).
ENDPOINT_FAULTS = ("401", "404", "html")

Plan = Callable[[str, int], str]
_ARTICLE_ID = re.compile(r"^Article id: (.*)$", re.MULTILINE)


def schedule(*faults: str, then: str = "ok") -> Plan:
    """Every article gets these faults on its first requests, then `then`."""
    for fault in (*faults, then):
        if fault not in FAULTS + ENDPOINT_FAULTS:
            raise ValueError(f"unknown fault {fault!r}")
    return lambda _article, n: faults[n] if n < len(faults) else then


def seeded(seed: int, rate: float, kinds: tuple[str, ...] = FAULTS[1:]) -> Plan:
    """A fault with probability `rate` on each request, drawn from `kinds`."""

    def plan(article: str, n: int) -> str:
        rng = random.Random(f"{seed}:{article}:{n}")
        return rng.choice(kinds) if rng.random() < rate else "ok"

    return plan


def valid_answer(schema: dict[str, Any]) -> dict[str, Any]:
    """An answer that validates against the request's per-article schema (the main call's
    or the follow-up pass's: its first name is an actor, its first step planned)."""
    if schema.get("title") == "FollowUp":
        return followup_answer(schema)
    actor = schema["$defs"]["ExtractedActor"]["properties"]
    names = actor["name"].get("enum", ["Someone"])
    last = actor["evidence"]["items"].get("maximum", 1)
    actors = [
        {
            "name": name,
            "kind": "person",
            "role": None,
            "aliases": [],
            "summary": "Backs the plan." if i == 0 else None,
            "stance": "support" if i == 0 else "none",
            "evidence": [1] if i == 0 else [],
        }
        for i, name in enumerate(names[:2])
    ]
    return {
        "headline": "A plan is proposed",
        "gist": "Someone proposed a plan.",
        "proposal": {"statement": "A plan", "status": "proposed", "evidence": [1, last]},
        "actors": actors,
        "next_steps": [],
    }


def followup_answer(schema: dict[str, Any]) -> dict[str, Any]:
    body = {"response_format": {"json_schema": {"schema": schema}}}
    answer = followup_reply(body)
    for key, reply in list(answer.get("names", {}).items())[:1]:
        reply.update(what="actor", summary="Speaks about the plan.", stance="neutral")
        answer["names"][key] = reply
    for key in list(answer.get("steps", {}))[:1]:
        answer["steps"][key] = {"planned": True, "action": "A step follows.", "actor": None}
    return answer


def _break_followup(answer: dict[str, Any]) -> dict[str, Any]:
    """A follow-up answer citing a sentence that was not shown (fails its schema)."""
    for reply in answer.get("names", {}).values():
        reply["evidence"] = 999
    for reply in answer.get("steps", {}).values():
        reply["actor"] = "Boris Johnson"
    return answer


def completion(content: str, finish: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-fault",
        "object": "chat.completion",
        "created": 0,
        "model": "fake",
        "choices": [
            {
                "index": 0,
                "finish_reason": finish,
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
        prompt = "\n".join(str(m.get("content")) for m in body.get("messages", []))
        found = _ARTICLE_ID.search(prompt)
        fault = self.server.fault_server.next_fault(found.group(1) if found else "?", body)
        schema = body["response_format"]["json_schema"]["schema"]
        getattr(self, "_" + fault)(schema)

    def _send(self, code: int, payload: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)

    def _json(self, code: int, data: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self._send(code, json.dumps(data).encode(), headers)

    def _answer(self, content: str | dict[str, Any], finish: str = "stop") -> None:
        text = content if isinstance(content, str) else json.dumps(content)
        self._json(200, completion(text, finish))

    def _error(self, code: int, headers: dict[str, str] | None = None) -> None:
        self._json(code, {"error": {"message": f"injected {code}", "type": "fault"}}, headers)

    def _ok(self, schema: dict[str, Any]) -> None:
        self._answer(valid_answer(schema))

    def _429(self, schema: dict[str, Any]) -> None:
        self._error(429)

    def _429_retry_after(self, schema: dict[str, Any]) -> None:
        self._error(429, {"retry-after": str(self.server.fault_server.retry_after)})

    def _500(self, schema: dict[str, Any]) -> None:
        self._error(500)

    def _502(self, schema: dict[str, Any]) -> None:
        self._error(502)

    def _503(self, schema: dict[str, Any]) -> None:
        self._error(503)

    def _slow(self, schema: dict[str, Any]) -> None:
        """Answer only after `slow_s` (or when the server stops): past the client timeout."""
        self.server.fault_server.stopping.wait(self.server.fault_server.slow_s)
        self.close_connection = True
        self._ok(schema)

    def _reset(self, schema: dict[str, Any]) -> None:
        """Promise a body, send part of it, then reset the connection (RST)."""
        payload = json.dumps(completion(json.dumps(valid_answer(schema)))).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload[: len(payload) // 2])
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _401(self, schema: dict[str, Any]) -> None:
        message = "Incorrect API key provided"
        self._json(401, {"error": {"message": message, "type": "invalid_request_error"}})

    def _404(self, schema: dict[str, Any]) -> None:
        message = "The model `fake` does not exist"
        self._json(404, {"error": {"message": message, "type": "invalid_request_error"}})

    def _html(self, schema: dict[str, Any]) -> None:
        page = b"<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>"
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def _bad_body(self, schema: dict[str, Any]) -> None:
        self._send(200, b'{"id": "chatcmpl-fault", "choices": [{"index": 0, "mess')

    def _bad_json(self, schema: dict[str, Any]) -> None:
        self._answer('{"headline": "A plan", "gist": oops')

    def _schema(self, schema: dict[str, Any]) -> None:
        self._answer({"headline": 42, "summary": "not the requested shape"})

    def _bad_ids(self, schema: dict[str, Any]) -> None:
        answer = valid_answer(schema)
        if "proposal" not in answer:
            return self._answer(_break_followup(answer))
        answer["proposal"]["evidence"] = [1, 999]  # a sentence the article does not have
        self._answer(answer)

    def _bad_names(self, schema: dict[str, Any]) -> None:
        answer = valid_answer(schema)
        if "actors" not in answer:
            return self._answer(_break_followup(answer))
        answer["actors"].append(
            {
                "name": "Boris Johnson",  # not written in the article, not in the enum
                "kind": "person",
                "role": None,
                "aliases": [],
                "summary": "Opposes the plan.",
                "stance": "oppose",
                "evidence": [1],
            }
        )
        self._answer(answer)

    def _length(self, schema: dict[str, Any]) -> None:
        self._answer(json.dumps(valid_answer(schema))[:60], finish="length")

    def _empty_choices(self, schema: dict[str, Any]) -> None:
        data = completion("")
        data["choices"] = []
        self._json(200, data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fault_server: FaultServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that gave up (timeouts) and injected resets are expected here


class FaultServer:
    """A threaded fake endpoint; `url` is its base URL, `log` lists (article, n, fault)."""

    def __init__(self, plan: Plan, *, retry_after: float = 2, slow_s: float = 30) -> None:
        self.plan = plan
        self.retry_after = retry_after
        self.slow_s = slow_s
        self.log: list[tuple[str, int, str]] = []
        self.bodies: list[dict[str, Any]] = []
        self.stopping = threading.Event()
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fault_server = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def next_fault(self, article: str, body: dict[str, Any]) -> str:
        with self._lock:
            self.bodies.append(body)
            n = self._seen[article]
            self._seen[article] += 1
            fault = self.plan(article, n)
            self.log.append((article, n, fault))
        return fault

    def faults(self, article: str | None = None) -> list[str]:
        """The faults served so far, in order (to one article, or to all)."""
        with self._lock:
            return [f for a, _, f in self.log if article is None or a == article]

    def requests(self) -> Counter[str]:
        """Requests received per article."""
        with self._lock:
            return Counter(a for a, _, _ in self.log)

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


def articles(count: int, start: int = 0) -> list[Article]:
    """`count` distinct small articles, each naming its own people."""
    out = []
    for i in range(start, start + count):
        first, last = f"Anna{i:04d}", f"Kowal{i:04d}"
        text = (
            f"title: Plan number {i}\n"
            "date: 2025-03-16\n\n"
            f"Minister {first} {last} proposed a plan to build {i + 3} new bridges in "
            f"Riverton{i:04d}. {last} said the plan would cost {i + 10} million euros. "
            f"Mayor Piet{i:04d} Janssen opposed the plan on Monday. "
            "The council will vote on the plan next week."
        )
        out.append(parse_article(text, id=f"art-{i:04d}"))
    return out


class FastClock:
    """Real monotonic time (so request timeouts and deadlines are real), but backoff
    sleeps are only recorded, never slept."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return datetime(2025, 3, 16, 12, 0, tzinfo=UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
