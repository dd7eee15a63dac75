"""A loopback fake of OpenAI's files and batches endpoints: POST /v1/files (multipart),
POST /v1/batches, GET /v1/batches/ID, GET /v1/files/ID/content. A batch is answered by
the fake batch runner (recorded answers); it reports "in_progress" on its first poll,
then "completed"."""

from __future__ import annotations

import email.parser
import json
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .fake_batch import Answerer, run_batch


@dataclass
class BatchAPI:
    answer: Answerer
    files: dict[str, bytes] = field(default_factory=dict)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    polls: dict[str, int] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def upload(self, data: bytes) -> dict[str, Any]:
        fid = f"file-{len(self.files) + 1}"
        self.files[fid] = data
        return {
            "id": fid,
            "object": "file",
            "bytes": len(data),
            "created_at": 0,
            "filename": "requests.jsonl",
            "purpose": "batch",
            "status": "processed",
        }

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        bid = f"batch_{len(self.batches) + 1}"
        with tempfile.TemporaryDirectory() as tmp:
            requests, results = Path(tmp, "in.jsonl"), Path(tmp, "out.jsonl")
            requests.write_bytes(self.files[body["input_file_id"]])
            lines = run_batch(requests, results, self.answer)
            output = self.upload(results.read_bytes())["id"]
        self.batches[bid] = {
            "id": bid,
            "object": "batch",
            "endpoint": body["endpoint"],
            "input_file_id": body["input_file_id"],
            "completion_window": body["completion_window"],
            "created_at": 0,
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
            "_output": output,
        }
        return self.view(bid)

    def retrieve(self, bid: str) -> dict[str, Any]:
        self.polls[bid] = self.polls.get(bid, 0) + 1
        batch = self.batches[bid]
        if self.polls[bid] == 1:
            batch["status"] = "in_progress"
        else:
            batch["status"] = "completed"
            batch["output_file_id"] = batch["_output"]
            counts = batch["request_counts"]
            counts["completed"] = counts["total"]
        return self.view(bid)

    def view(self, bid: str) -> dict[str, Any]:
        return {k: v for k, v in self.batches[bid].items() if not k.startswith("_")}


def _handler(api: BatchAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, code: int, body: dict[str, Any] | bytes) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(code)
            kind = "application/octet-stream" if isinstance(body, bytes) else "application/json"
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            api.calls.append(f"POST {self.path}")
            raw = self.rfile.read(int(self.headers.get("content-length", 0)))
            if self.path == "/v1/files":
                head = f"content-type: {self.headers['content-type']}\r\n\r\n".encode()
                message = email.parser.BytesParser().parsebytes(head + raw)
                parts = [p for p in message.get_payload() if p.get_filename()]  # type: ignore[union-attr]
                self._send(200, api.upload(parts[0].get_payload(decode=True)))
            elif self.path == "/v1/batches":
                self._send(200, api.create(json.loads(raw)))
            else:
                self._send(404, {"error": {"message": "no such route"}})

        def do_GET(self) -> None:
            api.calls.append(f"GET {self.path}")
            parts = self.path.strip("/").split("/")
            if parts[:2] == ["v1", "batches"] and len(parts) == 3:
                self._send(200, api.retrieve(parts[2]))
            elif parts[:2] == ["v1", "files"] and parts[3:] == ["content"]:
                self._send(200, api.files[parts[2]])
            else:
                self._send(404, {"error": {"message": "no such route"}})

    return Handler


@contextmanager
def serving(api: BatchAPI) -> Iterator[str]:
    """Serve `api` on a free loopback port; yields the base URL (…/v1)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
