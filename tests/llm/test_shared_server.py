"""One embedded server per machine (issue 17): separate `communique` processes share the
server another one started, through `<cache_dir>/server/`; a dead server or a killed
lock holder is recovered; the server stops itself once no client is left.

The model is a fake (tests/fake_shared_server.py: the real server lifecycle around a
canned-answer HTTP server); no llama.cpp process is ever started.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from communique import brief
from communique.errors import ConfigError, EndpointError
from communique.llm import embedded
from communique.llm.server_share import IdleWatch, ServerDir, ServerInfo, pid_alive
from communique.settings import load_settings, speculative_parts
from tests.fakes import GOOD_ANSWER, FakeClock, completion

CLIENT = str(Path(__file__).parents[1] / "shared_client.py")
SHA = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"  # QWEN_1_5B

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


def _client(cache: Path, text: str, idle_s: float = 120.0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, CLIENT, str(cache), str(idle_s), text],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _result(proc: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-2000:]
    result: dict[str, Any] = json.loads(out)
    return result


def _loads(cache: Path) -> list[int]:
    path = cache / "m.gguf.loads"
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _wait_gone(pid: int) -> bool:
    """Wait (up to 60 s; not a speed check) for a process to exit."""
    deadline = time.monotonic() + 60
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not pid_alive(pid)


def _stop(*pids: int) -> None:
    for pid in pids:
        if pid_alive(pid):
            os.kill(pid, signal.SIGTERM)
        _wait_gone(pid)


def test_two_processes_share_one_server(tmp_path: Path) -> None:
    a, b = _client(tmp_path, "First article text."), _client(tmp_path, "Second article.")
    ra, rb = _result(a), _result(b)
    try:
        assert ra["pid"] == rb["pid"] and ra["url"] == rb["url"]
        assert _loads(tmp_path) == [ra["pid"]]  # the model was loaded once
        # both clients have exited; the server outlives them for the next one
        assert pid_alive(ra["pid"])
        rc = _result(_client(tmp_path, "Third article."))
        assert rc["pid"] == ra["pid"] and _loads(tmp_path) == [ra["pid"]]
        info = ServerDir(tmp_path / "server").read()
        assert info is not None and info.pid == ra["pid"] and info.sha256 == SHA
        assert ra["url"] == info.base_url and Path(info.log).is_file()
    finally:
        _stop(ra["pid"])


def test_a_killed_server_is_replaced_and_each_server_has_its_own_log(tmp_path: Path) -> None:
    first = _result(_client(tmp_path, "First article text."))["pid"]
    os.kill(first, signal.SIGKILL)  # server.json still names it
    assert _wait_gone(first)
    state = ServerDir(tmp_path / "server")
    stale = state.read()
    assert stale is not None and stale.pid == first
    second = _result(_client(tmp_path, "Second article."))["pid"]
    try:
        assert second != first and _loads(tmp_path) == [first, second]
        info = state.read()
        assert info is not None and info.pid == second
        assert info.log != stale.log and Path(stale.log).is_file() and Path(info.log).is_file()
    finally:
        _stop(second)


def test_a_server_with_another_model_is_not_reused(tmp_path: Path) -> None:
    first = _result(_client(tmp_path, "First article text."))["pid"]
    state = ServerDir(tmp_path / "server")
    info = state.read()
    assert info is not None
    state.write(ServerInfo(**{**info.__dict__, "sha256": "0" * 64}))
    second = _result(_client(tmp_path, "Second article."))["pid"]
    _stop(first, second)
    assert second != first and _loads(tmp_path) == [first, second]


def test_a_killed_lock_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from communique.llm.server_share import ServerDir\n"
            "with ServerDir(Path(sys.argv[1])).locked(10):\n"
            "    print('locked', flush=True); time.sleep(600)",
            str(tmp_path / "server"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    busy = ServerDir(tmp_path / "server", FakeClock())
    with pytest.raises(EndpointError, match="held"), busy.locked(5):
        pass  # the lock is really held
    holder.kill()
    holder.wait()
    holder.stdout.close()
    with ServerDir(tmp_path / "server", FakeClock()).locked(5):
        pass  # the kernel released the dead holder's lock
    result = _result(_client(tmp_path, "An article."))
    _stop(result["pid"])
    assert _loads(tmp_path) == [result["pid"]]


def test_the_server_stops_itself_once_no_client_is_left(tmp_path: Path) -> None:
    pid = _result(_client(tmp_path, "An article.", idle_s=0.5))["pid"]
    assert _wait_gone(pid)  # its only client exited; it stopped by itself
    assert ServerDir(tmp_path / "server").read() is None  # and withdrew server.json


def test_idle_watch_counts_live_leases_only(tmp_path: Path) -> None:
    clock = FakeClock()
    state = ServerDir(tmp_path, clock)
    state.write(ServerInfo(pid=4242, port=1, sha256=SHA, started_at="t", log="l"))
    watch = IdleWatch(state, idle_s=60, pid=4242)
    state.lease(os.getpid())  # a live client
    state.lease(2**22 + 1)  # a dead one (beyond pid_max): pruned
    clock.sleep(3600)
    assert not watch.idle()
    assert state.live_leases() == [os.getpid()]
    assert sorted(p.name for p in state.leases.iterdir()) == [str(os.getpid())]
    state.release(os.getpid())
    assert not watch.idle()  # idle for less than idle_s
    clock.sleep(60)
    assert watch.idle()
    state.lease(os.getpid())  # a client arrived before the server took the lock
    assert not watch.retire() and state.read() is not None
    state.release(os.getpid())
    assert watch.retire() and state.read() is None


def test_a_server_nobody_can_find_stops_after_a_grace_period(tmp_path: Path) -> None:
    """Its starter died before writing server.json, or it was replaced as unresponsive:
    the live leases are other servers' clients and do not keep it up."""
    clock = FakeClock()
    state = ServerDir(tmp_path, clock)
    state.write(ServerInfo(pid=1111, port=1, sha256=SHA, started_at="t", log="l"))
    state.lease(os.getpid())
    watch = IdleWatch(state, idle_s=600, pid=2222, grace_s=30)
    assert not watch.idle()  # still within the grace period (its starter may publish it)
    clock.sleep(30)
    assert watch.idle() and watch.retire()
    info = state.read()
    assert info is not None and info.pid == 1111  # the other server's file is left alone


class _SlowModel(ThreadingHTTPServer):
    """Answers every chat request with the seed's answer after 1 s; counts the most
    requests in flight."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SlowHandler)
        self.lock = threading.Lock()
        self.in_flight = self.max_in_flight = self.requests = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _SlowHandler(BaseHTTPRequestHandler):
    server: _SlowModel

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        with self.server.lock:
            self.server.requests += 1
            self.server.in_flight += 1
            self.server.max_in_flight = max(self.server.max_in_flight, self.server.in_flight)
        time.sleep(1.0)
        with self.server.lock:
            self.server.in_flight -= 1
        body = json.dumps(completion(GOOD_ANSWER)).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_brief_on_the_embedded_default_fills_the_servers_slots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`brief` without --concurrency sends as many requests at once as the shared server
    has slots (llama.cpp decodes them together), no more."""
    from bench.common import DAY, copies

    model = _SlowModel()
    threading.Thread(target=model.serve_forever, daemon=True).start()
    monkeypatch.setattr(embedded, "ensure_server", lambda settings: model.base_url)
    settings = load_settings({}, cache_dir=tmp_path, server_slots=3, strategy="single")
    try:
        result = brief(copies(6), date=DAY, settings=settings, cache=False)
    finally:
        model.shutdown()
        model.server_close()
    assert result.counts.summarized == 6 and model.requests == 6
    assert model.max_in_flight == 3


def test_serve_holds_the_shared_server_and_prints_where_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from communique.cli import app as cli
    from communique.llm import serve

    held: list[int] = []

    def ensure(settings: Any) -> str:
        ServerDir(tmp_path / "server").write(
            ServerInfo(pid=4242, port=8088, sha256=SHA, started_at="t", log="server.log")
        )
        held.append(1)
        return "http://127.0.0.1:8088/v1"

    clock = FakeClock()
    monkeypatch.setattr(embedded, "ensure_server", ensure)
    monkeypatch.setattr(serve, "CLOCK", clock)
    for var in ("COMMUNIQUE_BASE_URL", "OPENAI_BASE_URL", "COMMUNIQUE_MODEL"):
        monkeypatch.delenv(var, raising=False)
    assert cli.main(["serve", "--hours", "2", "--cache-dir", str(tmp_path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"base_url": "http://127.0.0.1:8088/v1", "pid": 4242, "log": "server.log"}
    assert held == [1] and clock.sleeps == [7200]


def test_serve_refuses_an_external_endpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from communique.cli import app as cli

    monkeypatch.setenv("COMMUNIQUE_BASE_URL", "http://localhost:8000/v1")
    monkeypatch.setenv("COMMUNIQUE_MODEL", "m")
    assert cli.main(["serve", "--cache-dir", str(tmp_path)]) == 2
    assert "unset COMMUNIQUE_BASE_URL" in capsys.readouterr().err


def test_one_server_uses_every_core_and_decodes_its_slots_together() -> None:
    pytest.importorskip("xllamacpp")  # the [local] extra; nothing is loaded
    from communique.llm.embedded_server import params, parse

    p = params(parse(["--model", "m.gguf", "--port", "1", "--alias", "a", "--slots", "3"]))
    assert p.n_parallel == 3 and p.n_ctx == 3 * 8192  # each slot gets the whole context
    assert p.cpuparams.n_threads == p.cpuparams_batch.n_threads == (os.cpu_count() or 2)


def test_the_launch_command_carries_the_sharing_settings(tmp_path: Path) -> None:
    settings = load_settings({}, cache_dir=tmp_path, server_slots=3, server_idle_s=60)
    command = embedded.server_command(tmp_path / "m.gguf", 1234, settings)
    assert command[1:3] == ["-m", "communique.llm.embedded_server"]
    flags = dict(zip(command[3::2], command[4::2], strict=True))
    assert flags["--slots"] == "3" and float(flags["--idle"]) == 60 and flags["--port"] == "1234"
    assert flags["--state-dir"] == str(tmp_path / "server")


def test_the_speed_levers_reach_llama_cpp() -> None:
    pytest.importorskip("xllamacpp")  # the [local] extra; nothing is loaded
    import xllamacpp

    from communique.llm.embedded_server import params, parse

    base = ["--model", "m.gguf", "--port", "1", "--alias", "a"]
    p = params(parse([*base, "--speculative", "ngram-simple:3:8", "--flash-attn", "on"]))
    kinds = xllamacpp.common_speculative_type
    assert list(p.speculative.types) == [kinds.COMMON_SPECULATIVE_TYPE_NGRAM_SIMPLE]
    assert (p.speculative.ngram_simple.size_n, p.speculative.ngram_simple.size_m) == (3, 8)
    assert p.flash_attn_type == xllamacpp.llama_flash_attn_type.LLAMA_FLASH_ATTN_TYPE_ENABLED
    p = params(parse([*base, "--speculative", "ngram-map-k:4:6", "--flash-attn", "off"]))
    assert list(p.speculative.types) == [kinds.COMMON_SPECULATIVE_TYPE_NGRAM_MAP_K]
    assert (p.speculative.ngram_map_k.size_n, p.speculative.ngram_map_k.size_m) == (4, 6)
    assert p.flash_attn_type == xllamacpp.llama_flash_attn_type.LLAMA_FLASH_ATTN_TYPE_DISABLED
    p = params(parse([*base, "--speculative", "off"]))
    assert list(p.speculative.types) == [kinds.COMMON_SPECULATIVE_TYPE_NONE]


def test_the_launch_command_carries_the_speed_levers(tmp_path: Path) -> None:
    settings = load_settings(
        {"COMMUNIQUE_SPECULATIVE": "ngram-map-k:4:6", "COMMUNIQUE_FLASH_ATTN": "off"},
        cache_dir=tmp_path,
    )
    command = embedded.server_command(tmp_path / "m.gguf", 1234, settings)
    flags = dict(zip(command[3::2], command[4::2], strict=True))
    assert flags["--speculative"] == "ngram-map-k:4:6" and flags["--flash-attn"] == "off"
    default = embedded.server_command(tmp_path / "m.gguf", 1234, load_settings({}))
    assert dict(zip(default[3::2], default[4::2], strict=True))["--speculative"] == "off"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("COMMUNIQUE_SPECULATIVE", "ngram-simple"),
        ("COMMUNIQUE_SPECULATIVE", "ngram-simple:0:8"),
        ("COMMUNIQUE_SPECULATIVE", "draft:3:8"),
        ("COMMUNIQUE_SPECULATIVE", "ngram-simple:3:x"),
        ("COMMUNIQUE_FLASH_ATTN", "yes"),
    ],
)
def test_a_malformed_speed_lever_is_one_config_error(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        load_settings({variable: value})


def test_speculative_off_is_accepted() -> None:
    assert load_settings({"COMMUNIQUE_SPECULATIVE": "off"}).speculative == "off"
    assert speculative_parts("OFF") is None
    assert speculative_parts("ngram-simple:3:8") == ("ngram-simple", 3, 8)
