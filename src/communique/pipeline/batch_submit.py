"""`communique batch submit`: run a request file on an endpoint's Batch API.

Uploads the file (`POST /v1/files`, purpose "batch"), creates the batch (`POST
/v1/batches`, endpoint /v1/chat/completions, 24 h window), polls it (`GET
/v1/batches/ID`) until it ends, and writes its output and error files, one after the
other, as the results file `collect` reads. The batch id is kept next to the request file
(`NAME.batch.json`) from the moment the batch exists, so an interrupted run resumes
polling the same batch instead of paying for a second one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai

from ..briefing.render import write_atomic
from ..clock import Clock, SystemClock
from ..errors import EndpointError, UsageError
from ..llm.client import connect
from ..settings import Settings

ENDED = frozenset({"completed", "failed", "expired", "cancelled"})


@dataclass(frozen=True)
class Status:
    """What a poll found: the batch's id, status and request counts."""

    batch_id: str
    status: str
    counts: dict[str, int]


def state_path(requests: Path) -> Path:
    stem = requests.name[: -len(".jsonl")] if requests.name.endswith(".jsonl") else requests.name
    return requests.with_name(stem + ".batch.json")


def submit(
    requests: Path,
    results: Path,
    *,
    settings: Settings,
    clock: Clock | None = None,
    poll_s: float = 30.0,
    on_status: Callable[[Status], None] | None = None,
) -> Status:
    """Run `requests` as one batch (or resume the one already made for it); write the
    results file; return the batch's last status."""
    if settings.embedded:
        raise UsageError("the embedded model has no Batch API: set COMMUNIQUE_BASE_URL")
    clock = clock or SystemClock()
    data = _read(requests)
    digest = hashlib.sha256(data).hexdigest()
    state = state_path(requests)
    client = connect(settings, settings.base_url, clock=clock).raw
    assert isinstance(client, openai.OpenAI)
    with client:
        batch_id = _resumed(state, digest)
        if batch_id is None:
            uploaded = client.files.create(file=(requests.name, data), purpose="batch")
            made = client.batches.create(
                input_file_id=uploaded.id,
                endpoint="/v1/chat/completions",  # batch.URL
                completion_window="24h",
            )
            batch_id = made.id
            record = {"batch_id": batch_id, "input_file_id": uploaded.id, "sha256": digest}
            write_atomic(state, json.dumps(record, indent=1) + "\n")
        while True:
            batch = client.batches.retrieve(batch_id)
            status = Status(batch_id, batch.status, _counts(batch))
            if on_status is not None:
                on_status(status)
            if batch.status in ENDED:
                break
            clock.sleep(poll_s)
        files = [f for f in (batch.output_file_id, batch.error_file_id) if f]
        if not files:
            raise EndpointError(f"batch {batch_id} ended {batch.status}: {_errors(batch)}")
        text = "".join(_with_newline(client.files.content(f).text) for f in files)
    write_atomic(results, text)
    return status


def _read(requests: Path) -> bytes:
    try:
        return requests.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {requests}: {exc.strerror or exc}") from exc


def _resumed(state: Path, digest: str) -> str | None:
    """The batch already made for this very request file, if any."""
    try:
        record: Any = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(record, dict) and record.get("sha256") == digest:
        batch_id = record.get("batch_id")
        return batch_id if isinstance(batch_id, str) else None
    return None


def _counts(batch: Any) -> dict[str, int]:
    counts = getattr(batch, "request_counts", None)
    if counts is None:
        return {}
    return {k: int(getattr(counts, k, 0) or 0) for k in ("total", "completed", "failed")}


def _errors(batch: Any) -> str:
    errors = getattr(getattr(batch, "errors", None), "data", None) or []
    return "; ".join(f"{e.code}: {e.message}" for e in errors) or "no output file"


def _with_newline(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"
