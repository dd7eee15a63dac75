"""A stand-in for `python -m communique.llm.embedded_server`: the real server lifecycle
(idle timeout on client leases, server.json withdrawn on exit) around a fake model.

Takes the same arguments as the real entry point. Every "model load" appends this
process's pid to `<--model>.loads`, so a test counts how many servers were started.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

from fake_server import Handler  # this script's folder is on sys.path

from communique.llm.embedded_server import main


def fake_model(args: argparse.Namespace) -> ThreadingHTTPServer:
    with Path(args.model + ".loads").open("a") as f:
        f.write(f"{os.getpid()}\n")
    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


if __name__ == "__main__":
    main(sys.argv[1:], backend=fake_model)
