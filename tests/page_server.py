"""A loopback web server for the feed tests: it serves the pages and feeds a test writes.

    with PageServer({"/feed.xml": Resource(rss, "application/rss+xml")}) as site:
        fetch(site.url + "/feed.xml", FetchOptions())

A path it does not know is a 404. A Resource with `hang=True` answers only when the server
stops (to test the client's timeout without the test sleeping). Every request is recorded.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Resource:
    body: bytes | str
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    hang: bool = False
    redirect: str | None = None  # a 302 to this path
    announce_length: bool = True  # False: no Content-Length, the body ends when it closes


class PageServer:
    def __init__(self, resources: dict[str, Resource]) -> None:
        self.resources = resources
        self.requests: list[tuple[str, str]] = []  # (path, user agent)
        self.released = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("User-Agent", "")))
                res = server.resources.get(self.path)
                if res is None:
                    self._send(404, b"<html><body>Not found</body></html>", "text/html")
                    return
                if res.hang:
                    server.released.wait()
                    return
                if res.redirect is not None:
                    self.send_response(302)
                    self.send_header("Location", res.redirect)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = res.body.encode("utf-8") if isinstance(res.body, str) else res.body
                self._send(res.status, body, res.content_type, res.announce_length)

            def _send(
                self, status: int, body: bytes, content_type: str, length: bool = True
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                if length:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> PageServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def paths(self) -> list[str]:
        return [path for path, _agent in self.requests]
