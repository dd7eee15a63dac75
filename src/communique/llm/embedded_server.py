"""Server-process entry point: `python -m communique.llm.embedded_server --model F --port N ...`.

Runs llama.cpp's OpenAI-compatible server (xllamacpp) in this process, detached from the
process that started it (other processes may be using it), until SIGTERM/SIGINT or until
no client has held a lease in `--state-dir` for `--idle` seconds (see server_share.py).
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import EndpointError
from ..settings import FLASH_ATTN, speculative_parts
from .server_share import IdleWatch, ServerDir

# Starts the model server in this process from the parsed arguments; returns an object
# kept alive while serving (tests pass a fake).
Backend = Callable[[argparse.Namespace], Any]


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="communique-embedded-server")
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--alias", required=True)
    parser.add_argument("--ctx", type=int, default=8192, help="tokens per slot")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--slots", type=int, default=1, help="requests served at once")
    parser.add_argument("--state-dir", type=Path, help="leases for the idle timeout")
    parser.add_argument("--idle", type=float, default=300.0, help="seconds without a client")
    parser.add_argument("--speculative", default="off", help="'off' or TYPE:N:M (settings.py)")
    parser.add_argument("--flash-attn", default="auto", choices=FLASH_ATTN)
    return parser.parse_args(argv)


def llama_cpp(args: argparse.Namespace) -> Any:
    import xllamacpp

    server = xllamacpp.Server(params(args))
    print(f"ready on {server.listening_address}", flush=True)
    return server


def params(args: argparse.Namespace) -> Any:
    """llama.cpp's server parameters: one server per machine, so all cores, and `slots`
    requests decoded together, each with `ctx` tokens of context."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.model_alias = {args.alias}
    params.hostnames = ["127.0.0.1"]
    params.port = args.port
    params.n_parallel = args.slots  # continuous batching: slots decode together
    params.n_ctx = args.ctx * args.slots  # split evenly between the slots
    threads = args.threads or os.cpu_count() or 2  # one server per machine: all cores
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.ui = False
    flash = xllamacpp.llama_flash_attn_type
    params.flash_attn_type = {
        "auto": flash.LLAMA_FLASH_ATTN_TYPE_AUTO,
        "on": flash.LLAMA_FLASH_ATTN_TYPE_ENABLED,
        "off": flash.LLAMA_FLASH_ATTN_TYPE_DISABLED,
    }[args.flash_attn]
    speculative = speculative_parts(args.speculative)
    if speculative is not None:  # drafts from the context's own n-grams, no draft model
        kind, n, m = speculative
        name = kind.replace("-", "_")  # ngram-simple -> ngram_simple
        params.speculative.types = [
            getattr(xllamacpp.common_speculative_type, f"COMMON_SPECULATIVE_TYPE_{name.upper()}")
        ]
        table = getattr(params.speculative, name)
        table.size_n, table.size_m = n, m
    return params


def main(argv: list[str] | None = None, backend: Backend = llama_cpp) -> None:
    args = parse(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    server = backend(args)
    if args.state_dir is None:
        stop.wait()
    else:
        state = ServerDir(args.state_dir)
        IdleWatch(state, args.idle).wait(stop)
        if stop.is_set():  # terminated: withdraw server.json (if it is still this one's)
            try:
                with state.locked(timeout_s=10):
                    state.remove(os.getpid())
            except EndpointError:  # a starter holds the lock: it will find this pid dead
                pass
    print("stopping", flush=True)
    del server


if __name__ == "__main__":
    main()
