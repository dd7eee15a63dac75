"""`communique serve`: keep the machine's embedded model server up for a day's jobs.

The server is the shared one (server_share.py): `serve` starts it if none answers, holds
a client lease on it for --hours (or until Ctrl-C), and prints where it is on stdout.
Every `communique` run using the same cache dir meanwhile uses it without loading the
model again. When `serve` ends, the server stops after its idle timeout once no other
client holds a lease.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys

from ..clock import Clock, SystemClock
from ..errors import UsageError
from ..settings import load_settings
from . import embedded
from .redaction import public_url

CLOCK: Clock = SystemClock()


def cmd_serve(args: argparse.Namespace) -> int:
    if args.hours <= 0:
        raise UsageError(f"--hours must be positive, not {args.hours:g}")
    settings = load_settings(cache_dir=args.cache_dir)
    if not settings.embedded:
        raise UsageError(
            f"communique serve runs the embedded model, but an endpoint is set "
            f"({public_url(settings.base_url)}): unset COMMUNIQUE_BASE_URL / OPENAI_BASE_URL"
        )
    url = embedded.ensure_server(settings)
    info = embedded.server_dir(settings).read()
    print(
        json.dumps(
            {
                "base_url": url,
                "pid": info.pid if info else None,
                "log": info.log if info else None,
            }
        ),
        flush=True,
    )
    print(
        f"communique: holding the embedded model for {args.hours:g} h (Ctrl-C ends sooner)",
        file=sys.stderr,
    )
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: stop holding it, exit 0
        CLOCK.sleep(args.hours * 3600)
    return 0
