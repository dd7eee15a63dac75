"""A fake batch runner: turns a batch input file into a batch output file, the way
OpenAI's Batch API and vLLM's `run_batch` do, answering from recorded model answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from communique.evaluation.recordings import Recording
from communique.pipeline.batch import key

Answerer = Callable[[dict[str, Any]], dict[str, Any] | None]

RECORDINGS = Path(__file__).resolve().parents[1] / "evals" / "recordings" / "pipeline"


def recorded_answers(folder: Path = RECORDINGS) -> dict[str, dict[str, Any]]:
    """request body key -> the recorded answer, over every seed's recording."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")):
        for exchange in Recording.load(path).exchanges:
            out[key(exchange.request)] = exchange.response
    return out


def from_recordings(folder: Path = RECORDINGS) -> Answerer:
    answers = recorded_answers(folder)
    return lambda body: answers.get(key(body))


def run_batch(
    requests: Path,
    results: Path,
    answer: Answerer,
    *,
    failed: dict[str, int] | None = None,
    dropped: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """One output line per input line, in the OpenAI Batch output format. `failed`:
    custom_id -> HTTP status to answer with instead; `dropped`: custom_ids left out of
    the output (as a batch that expired before reaching them)."""
    out = []
    lines = [json.loads(x) for x in requests.read_text(encoding="utf-8").splitlines() if x]
    for n, line in enumerate(lines, start=1):
        cid = line["custom_id"]
        if cid in dropped:
            continue
        assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
        status = (failed or {}).get(cid)
        body = answer(line["body"]) if status is None else None
        if status is None and body is None:
            raise AssertionError(f"no recorded answer for {cid}")
        if body is None:
            body = {"error": {"message": "the server had an error", "type": "server_error"}}
        out.append(
            {
                "id": f"batch_req_{n}",
                "custom_id": cid,
                "response": {
                    "status_code": status or 200,
                    "request_id": f"req_{n}",
                    "body": body,
                },
                "error": None,
            }
        )
    results.write_text("".join(json.dumps(x) + "\n" for x in out), encoding="utf-8")
    return out
