"""One embedded model server per machine: its discovery file, start lock and client leases.

Every process using the same cache dir shares one llama.cpp server. The state lives in
`<cache_dir>/server/`:

* `server.lock`: held (fcntl.flock) by whoever looks for, starts or retires the server,
  so two processes never both start one; the kernel releases it when its holder dies.
* `server.json`: the discovery file (pid, port, model SHA-256, slots, started_at, log),
  written atomically by the process that started the server once it answers /health.
* `leases/<pid>`: one file per client process; a client whose process is gone no longer
  counts. The server stops itself after `idle_s` seconds without a live lease.
* `logs/`: one log per server (the newest few are kept).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from ..clock import Clock, SystemClock
from ..errors import EndpointError

KEEP_LOGS = 8
HEALTH_TRIES = 3


@dataclass(frozen=True)
class ServerInfo:
    """What server.json says about the running server."""

    pid: int
    port: int
    sha256: str
    started_at: str
    log: str
    slots: int = 1
    context_tokens: int = 0
    speculative: str = "off"  # the speed levers it was started with (Settings)
    flash_attn: str = "auto"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"


def pid_alive(pid: int) -> bool:
    """True if the process exists and is not a zombie (an exited child not yet reaped)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): trust kill(0)
    return stat.rsplit(")", 1)[-1].split()[:1] != ["Z"]


def healthy(port: int, timeout_s: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=timeout_s) as r:
            return bool(r.status == 200)
    except (urllib.error.URLError, OSError):
        return False


class ServerDir:
    """The shared state of the embedded server under one cache dir."""

    def __init__(self, root: Path, clock: Clock | None = None) -> None:
        self.root = root
        self.clock = clock or SystemClock()

    @property
    def lock_path(self) -> Path:
        return self.root / "server.lock"

    @property
    def info_path(self) -> Path:
        return self.root / "server.json"

    @property
    def leases(self) -> Path:
        return self.root / "leases"

    @contextlib.contextmanager
    def locked(self, timeout_s: float) -> Iterator[None]:
        """Hold the start lock; waits while another process starts or retires a server."""
        self.root.mkdir(parents=True, exist_ok=True)
        deadline = self.clock.monotonic() + timeout_s
        with self.lock_path.open("a") as f:
            while True:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if self.clock.monotonic() >= deadline:
                        raise EndpointError(
                            f"another process held {self.lock_path} for {timeout_s:.0f}s "
                            "(starting the embedded model?)"
                        ) from None
                    self.clock.sleep(0.1)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def read(self) -> ServerInfo | None:
        try:
            raw = json.loads(self.info_path.read_text(encoding="utf-8"))
            return ServerInfo(**raw)
        except (OSError, ValueError, TypeError):
            return None

    def write(self, info: ServerInfo) -> None:
        """Atomically (temp file + rename): a reader sees the old file or the new one."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.info_path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(asdict(info), indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, self.info_path)

    def remove(self, pid: int | None = None) -> None:
        """Remove server.json (only if it names `pid`, when given)."""
        info = self.read()
        if pid is None or (info is not None and info.pid == pid):
            self.info_path.unlink(missing_ok=True)

    def usable(self, sha256: str) -> ServerInfo | None:
        """The running server, if its process lives, /health answers and the model matches."""
        info = self.read()
        if info is None or info.sha256 != sha256 or not pid_alive(info.pid):
            return None
        for attempt in range(HEALTH_TRIES):  # a busy server on 2 cores may answer late
            if healthy(info.port, timeout_s=5.0):
                return info
            if attempt + 1 < HEALTH_TRIES:
                self.clock.sleep(1.0)
        return None

    def lease(self, pid: int) -> None:
        self.leases.mkdir(parents=True, exist_ok=True)
        (self.leases / str(pid)).touch()

    def release(self, pid: int) -> None:
        (self.leases / str(pid)).unlink(missing_ok=True)

    def live_leases(self) -> list[int]:
        """Pids of the clients still alive; the leases of dead ones are removed."""
        live = []
        for path in self.leases.glob("*") if self.leases.is_dir() else []:
            pid = int(path.name) if path.name.isdigit() else -1
            if pid_alive(pid):
                live.append(pid)
            else:
                path.unlink(missing_ok=True)
        return sorted(live)

    def new_log(self, started: datetime, port: int) -> Path:
        """A log file of the server about to start; older logs beyond the newest few go."""
        logs = self.root / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        for old in sorted(logs.glob("embedded-server-*.log"))[: -(KEEP_LOGS - 1)]:
            old.unlink(missing_ok=True)
        return logs / f"embedded-server-{started:%Y%m%dT%H%M%S}-{port}.log"


class IdleWatch:
    """The server's side: stop after idle_s seconds without a live client lease, or
    grace_s after it became ready if server.json does not name it (its starter died
    before publishing it, or it was replaced as unresponsive): nobody can find it."""

    def __init__(
        self, state: ServerDir, idle_s: float, pid: int | None = None, grace_s: float = 30.0
    ) -> None:
        self.state = state
        self.idle_s = idle_s
        self.grace_s = grace_s
        self.pid = os.getpid() if pid is None else pid
        self.ready_at = self.last_used = state.clock.monotonic()

    def published(self) -> bool:
        info = self.state.read()
        return info is not None and info.pid == self.pid

    def idle(self) -> bool:
        now = self.state.clock.monotonic()
        if not self.published() and now - self.ready_at >= self.grace_s:
            return True  # a stray: other processes' leases are not on it
        if self.state.live_leases():
            self.last_used = now
            return False
        return now - self.last_used >= self.idle_s

    def retire(self) -> bool:
        """Under the lock: if still idle (or a stray), withdraw server.json and say the
        server may stop (a client that leased in the meantime keeps it up)."""
        with self.state.locked(timeout_s=60):
            if self.published() and self.state.live_leases():
                self.last_used = self.state.clock.monotonic()
                return False
            self.state.remove(self.pid)
            return True

    def wait(self, stopping: threading.Event, poll_s: float = 1.0) -> None:
        """Block until the server should stop (idle and retired, or `stopping` is set)."""
        while not stopping.wait(poll_s):
            if self.idle() and self.retire():
                return
