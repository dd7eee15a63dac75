"""Test doubles: an openai client whose HTTP transport is a scripted fake model."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx2
import openai

from bench.fakeserver import ANSWER


def completion(content: str | dict[str, Any], *, finish: str = "stop") -> dict[str, Any]:
    text = content if isinstance(content, str) else json.dumps(content)
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": "fake-model",
        "choices": [
            {"index": 0, "finish_reason": finish, "message": {"role": "assistant", "content": text}}
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


Reply = dict[str, Any] | httpx2.Response | Exception


@dataclass
class FakeModel:
    """Answers each chat request with the next scripted reply; records the requests."""

    replies: list[Reply]
    requests: list[dict[str, Any]] = field(default_factory=list)

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(json.loads(request.content))
        if not self.replies:
            raise AssertionError("the fake model got more requests than scripted")
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, httpx2.Response):
            return reply
        return httpx2.Response(200, json=reply)

    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self.handler)

    def client(self) -> openai.OpenAI:
        http = httpx2.Client(transport=self.transport())
        return openai.OpenAI(
            base_url="http://fake.test/v1", api_key="sk-fake", max_retries=0, http_client=http
        )

    def async_client(self) -> openai.AsyncOpenAI:
        async def handle(request: httpx2.Request) -> httpx2.Response:
            return self.handler(request)

        http = httpx2.AsyncClient(transport=httpx2.MockTransport(handle))
        return openai.AsyncOpenAI(
            base_url="http://fake.test/v1", api_key="sk-fake", max_retries=0, http_client=http
        )


@dataclass
class FakeClock:
    """Time that only moves when the code sleeps; records every sleep."""

    t: float = 1000.0
    sleeps: list[float] = field(default_factory=list)
    fixed_now: datetime = datetime(2025, 3, 16, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.fixed_now

    def monotonic(self) -> float:
        self.t += 0.5
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


# The seed article's answer (sentence numbers and names that exist in it): the same canned
# answer the bench's fake server sends.
GOOD_ANSWER: dict[str, Any] = ANSWER


def actor(name: str, stance: str = "none", evidence: list[int] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "kind": "person",
        "role": None,
        "aliases": [],
        "stance": stance,
        "summary": None,
        "evidence": evidence or [],
    }


def answer(**changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(GOOD_ANSWER))
    data.update(changes)
    return data


Handler = Callable[[httpx2.Request], httpx2.Response]


def is_followup(body: dict[str, Any]) -> bool:
    """A follow-up pass request (see communique.pipeline.followup), told by its schema's keys."""
    schema = body.get("response_format", {}).get("json_schema", {}).get("schema", {})
    return set(schema.get("properties", {})) <= {"names", "steps"} and bool(
        schema.get("properties")
    )


def followup_reply(
    body: dict[str, Any],
    names: dict[str, dict[str, Any]] | None = None,
    steps: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A valid follow-up answer: every name 'not involved' and every step not planned,
    except the replies given by key ('a1', 's14')."""
    schema = body["response_format"]["json_schema"]["schema"]
    defs = schema.get("$defs", {})

    def keys(part: str) -> list[str]:
        ref = schema["properties"].get(part, {}).get("$ref", "")
        return list(defs.get(ref.split("/")[-1], {}).get("properties", {}))

    reply: dict[str, Any] = {}
    if "names" in schema["properties"]:
        reply["names"] = {
            k: (names or {}).get(k)
            or {
                "what": "not involved",
                "kind": "person",
                "summary": None,
                "stance": "none",
                "evidence": _first_allowed(defs, schema, k),
            }
            for k in keys("names")
        }
    if "steps" in schema["properties"]:
        reply["steps"] = {
            k: (steps or {}).get(k) or {"planned": False, "action": "", "actor": None}
            for k in keys("steps")
        }
    return reply


def _first_allowed(defs: dict[str, Any], schema: dict[str, Any], key: str) -> int:
    names_ref = schema["properties"]["names"]["$ref"].split("/")[-1]
    ref = defs[names_ref]["properties"][key]["$ref"].split("/")[-1]
    evidence = defs[ref]["properties"]["evidence"]
    return int(evidence.get("enum", [evidence.get("const", 1)])[0])


@dataclass
class TwoPassModel(FakeModel):
    """A fake model for both calls of a summary: `main(body)` answers the main call; the
    follow-up is answered by followup_reply with these replies, names given by name."""

    main: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda body: answer())
    names: dict[str, dict[str, Any]] = field(default_factory=dict)
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    # per-actor calls (strategy per-actor), by actor name: a reply, or an HTTP response
    actors: dict[str, dict[str, Any] | httpx2.Response] = field(default_factory=dict)

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        self.requests.append(body)
        if is_actor_call(body):
            return self._actor_reply(body)
        if not is_followup(body):
            return httpx2.Response(200, json=completion(self.main(body)))
        text = body["messages"][1]["content"]
        keys = {name: key for key, name in re.findall(r"^\((a\d+)\) (.+)$", text, re.M)}
        names = {keys[name]: reply for name, reply in self.names.items()}
        return httpx2.Response(200, json=completion(followup_reply(body, names, self.steps)))

    def _actor_reply(self, body: dict[str, Any]) -> httpx2.Response:
        """The reply given for the actor asked about, else one that says nothing new."""
        name = actor_asked(body)
        reply = self.actors.get(name)
        if isinstance(reply, httpx2.Response):
            return reply
        evidence = body["response_format"]["json_schema"]["schema"]["properties"]["evidence"]
        shown = int(evidence.get("enum", [evidence.get("const", 1)])[0])
        unclear = {"summary": f"{name} met the others.", "stance": "unclear", "evidence": shown}
        return httpx2.Response(200, json=completion(reply or unclear))

    @property
    def followups(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if is_followup(r)]

    @property
    def actor_calls(self) -> list[str]:
        """The actors asked about in per-actor calls, in order."""
        return [actor_asked(r) for r in self.requests if is_actor_call(r)]


def is_actor_call(body: dict[str, Any]) -> bool:
    """A per-actor call (communique.pipeline.per_actor), told by its schema's keys."""
    schema = body.get("response_format", {}).get("json_schema", {}).get("schema", {})
    return set(schema.get("properties", {})) == {"summary", "stance", "evidence"}


def actor_asked(body: dict[str, Any]) -> str:
    found = re.search(r"^The actor: (.+)$", body["messages"][1]["content"], re.M)
    assert found, "a per-actor call names its actor"
    return found.group(1)
