"""Child-process entry point: `python -m communique.embedded_server --model F --port N`.

Runs llama.cpp's OpenAI-compatible server (xllamacpp) in this process until terminated.
"""

from __future__ import annotations

import argparse
import os
import signal
import threading


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="communique-embedded-server")
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--alias", required=True)
    parser.add_argument("--ctx", type=int, default=8192)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args(argv)

    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.model_alias = {args.alias}
    params.hostnames = ["127.0.0.1"]
    params.port = args.port
    params.n_ctx = args.ctx
    params.n_parallel = 1
    threads = args.threads or os.cpu_count() or 2
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.ui = False

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=_exit_with_parent, args=(os.getppid(), stop), daemon=True).start()
    server = xllamacpp.Server(params)
    print(f"ready on {server.listening_address}", flush=True)
    stop.wait()


def _exit_with_parent(parent: int, stop: threading.Event) -> None:
    """Stop when the parent process is gone (killed without running its atexit hooks)."""
    while not stop.wait(1.0):
        if os.getppid() != parent:
            stop.set()


if __name__ == "__main__":
    main()
