"""A loopback OpenAI-compatible fake model: canned chat completions after a fixed latency.

It runs in a child process (so its CPU time is not the client's) on asyncio: any number of
requests wait out their latency at once, over HTTP/1.1 keep-alive connections. The canned
answer grounds cleanly on the seed article (and on the bench's numbered copies of it), so
communique accepts it on the first attempt.

    python bench/fakeserver.py --latency 0.1     # prints the port, serves until killed

GET /stats returns {"requests", "connections", "max_in_flight"}; POST /reset zeroes them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

# The seed article's answer: sentence numbers and names that exist in it.
ANSWER: dict[str, Any] = {
    "headline": "Macron outlines coalition plan for Ukraine",
    "gist": "Macron described a French-British plan. Starmer urged Putin to accept a ceasefire.",
    "proposal": {
        "statement": "A coalition force for Ukraine after a ceasefire.",
        "status": "proposed",
        "evidence": [1],
    },
    "actors": [
        {
            "name": "Emmanuel Macron",
            "kind": "person",
            "role": "French President",
            "aliases": ["Macron"],
            "summary": "Backs the plan.",
            "stance": "support",
            "evidence": [2],
        },
        {
            "name": "Starmer",
            "kind": "person",
            "role": "UK Prime Minister",
            "aliases": [],
            "summary": None,
            "stance": "none",
            "evidence": [],
        },
        {
            "name": "Vladimir Putin",
            "kind": "person",
            "role": "Russian President",
            "aliases": [],
            "summary": None,
            "stance": "none",
            "evidence": [],
        },
        {
            "name": "Ukraine",
            "kind": "country",
            "role": None,
            "aliases": [],
            "summary": None,
            "stance": "none",
            "evidence": [],
        },
    ],
    "next_steps": [
        {
            "action": "Military planners meet in the U.K.",
            "actor": None,
            "when": "on Thursday",
            "evidence": [14],
        }
    ],
}


def completion(content: str) -> bytes:
    body = {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 0,
        "model": "bench-fake",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {"prompt_tokens": 1300, "completion_tokens": 300, "total_tokens": 1600},
    }
    return json.dumps(body).encode()


class _State:
    def __init__(self, latency_s: float) -> None:
        self.latency_s = latency_s
        self.answer = completion(json.dumps(ANSWER))
        self.requests = 0
        self.connections = 0
        self.in_flight = 0
        self.max_in_flight = 0

    def stats(self) -> bytes:
        keys = ("requests", "connections", "max_in_flight")
        return json.dumps({k: getattr(self, k) for k in keys}).encode()


def _response(body: bytes, status: str = "200 OK") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _serve_connection(
    state: _State, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    counted = False  # a connection counts once it carries a chat request
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path = lines[0].split(" ")[:2]
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            if method == "POST" and path.endswith("/chat/completions"):
                state.requests += 1
                state.connections += not counted
                counted = True
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
                if state.latency_s:
                    await asyncio.sleep(state.latency_s)
                state.in_flight -= 1
                writer.write(_response(state.answer))
            elif path == "/stats":
                writer.write(_response(state.stats()))
            elif path == "/reset":
                state.requests = state.connections = state.max_in_flight = 0
                writer.write(_response(b"{}"))
            else:
                writer.write(_response(b'{"error": "not found"}', "404 Not Found"))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _main(latency_s: float) -> None:
    state = _State(latency_s)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _serve_connection(state, reader, writer)

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    async with server:
        await server.serve_forever()


class FakeServer:
    """Start the fake in a child process: `with FakeServer(0.1) as fake: fake.base_url`."""

    def __init__(self, latency_s: float = 0.0) -> None:
        self.latency_s = latency_s
        self._proc: subprocess.Popen[str] | None = None
        self.port = 0

    def __enter__(self) -> FakeServer:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--latency", str(self.latency_s)]
        self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line.strip().isdigit():
            self._proc.kill()
            raise RuntimeError("the fake server did not start")
        self.port = int(line)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(timeout=10)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _get(self, path: str, method: str = "GET") -> dict[str, int]:
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method)
        with urllib.request.urlopen(req, timeout=10) as resp:
            data: dict[str, int] = json.loads(resp.read())
        return data

    def stats(self) -> dict[str, int]:
        return self._get("/stats")

    def reset(self) -> None:
        self._get("/reset", method="POST")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per completion")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(parser.parse_args().latency))
