"""`communique batch prepare|collect`: the OpenAI Batch workflow on the command line.

    communique batch prepare INPUTS -o requests.jsonl
    (run requests.jsonl on OpenAI's Batch API or vLLM's run_batch -> results.jsonl;
     or: communique batch submit requests.jsonl -o results.jsonl)
    communique batch prepare requests.jsonl --round 2 --from results.jsonl -o requests2.jsonl
    (run requests2.jsonl -> results2.jsonl; two-pass strategy only)
    communique batch collect requests.jsonl results.jsonl [requests2.jsonl results2.jsonl]
        --date YYYY-MM-DD -o briefing.json

Results (paths, counts) go to stdout as one JSON line; messages to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..briefing.render import briefing_json, render_html, write_atomic
from ..errors import UsageError
from ..ingest import inputs
from ..pipeline import batch, batch_submit
from ..settings import load_settings
from .arguments import add_briefing_outputs, add_endpoint_options, positive
from .commands import Subparsers, add_command

BATCH_ENDPOINT = "the endpoint the batch runs on, as `brief` would call it"


def add_batch(sub: Subparsers) -> None:
    steps = add_command(sub, "batch").add_subparsers(
        dest="batch_command", required=True, metavar="STEP"
    )
    p = add_command(steps, "batch prepare", _cmd_prepare)
    p.add_argument("inputs", nargs="+", metavar="INPUTS")
    p.add_argument("-o", "--output", required=True, type=Path, help="request file (JSONL)")
    p.add_argument("--round", type=int, default=1, choices=(1, 2), help="default: 1")
    p.add_argument("--from", dest="results", type=Path, help="round 1's results (round 2)")
    add_endpoint_options(p, BATCH_ENDPOINT)

    r = add_command(steps, "batch submit", _cmd_submit)
    r.add_argument("requests", type=Path, metavar="REQUESTS")
    r.add_argument("-o", "--output", required=True, type=Path, help="results file (JSONL)")
    r.add_argument("--poll", type=float, default=30.0, help="seconds between polls (30)")
    add_endpoint_options(r, BATCH_ENDPOINT)

    c = add_command(steps, "batch collect", _cmd_collect)
    c.add_argument("files", nargs="+", type=Path, metavar="FILES")
    add_briefing_outputs(c)
    c.add_argument("--concurrency", type=positive, help="articles grounded at once")
    add_endpoint_options(c, BATCH_ENDPOINT)


def _cmd_prepare(args: argparse.Namespace) -> int:
    settings = load_settings(model=args.model, base_url=args.base_url)
    if settings.embedded:
        print(
            "communique: note: these requests are for the embedded model (llama.cpp's "
            "repeat_penalty included); set COMMUNIQUE_BASE_URL and COMMUNIQUE_MODEL to the "
            "endpoint that runs the batch",
            file=sys.stderr,
        )
    if args.round == 1:
        if args.results is not None:
            raise UsageError("--from is for --round 2")
        found = inputs.collect(args.inputs, sys.stdin.buffer if "-" in args.inputs else None)
        if not found:
            raise UsageError(f"no articles found in {' '.join(args.inputs)}")
        lines = batch.prepare(found, settings=settings)
        articles = batch.articles_path(args.output)
        write_lines(articles, batch.article_lines(found))
    else:
        if args.results is None or len(args.inputs) != 1:
            raise UsageError("--round 2 takes round 1's request file and --from its results")
        if not settings.follow_up:
            raise UsageError(f"the {settings.strategy!r} strategy has no second round")
        first_requests = Path(args.inputs[0])
        articles = batch.articles_path(first_requests)
        found = batch.read_articles(articles)
        first = batch.Round(batch.read_requests(first_requests), batch.read_results(args.results))
        lines = batch.prepare(found, settings=settings, round=2, first=first)
    count = write_lines(args.output, lines)
    status = {
        "output": str(args.output),
        "articles": str(articles),
        "round": args.round,
        "requests": count,
    }
    print(json.dumps(status))
    return 0


def _cmd_submit(args: argparse.Namespace) -> int:
    settings = load_settings(model=args.model, base_url=args.base_url)

    def show(s: batch_submit.Status) -> None:
        counts = " ".join(f"{k} {v}" for k, v in s.counts.items())
        print(f"communique: batch {s.batch_id}: {s.status} {counts}".rstrip(), file=sys.stderr)

    done = batch_submit.submit(
        args.requests, args.output, settings=settings, poll_s=args.poll, on_status=show
    )
    status = {"output": str(args.output), "batch_id": done.batch_id, "status": done.status}
    print(json.dumps({**status, **done.counts}))
    return 0


def write_lines(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write JSON lines as they come, through a temporary file: all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def _cmd_collect(args: argparse.Namespace) -> int:
    files: list[Path] = args.files
    if len(files) not in (2, 4):
        raise UsageError("collect takes REQUESTS RESULTS, then round 2's REQUESTS RESULTS")
    settings = load_settings(model=args.model, base_url=args.base_url)
    found = batch.read_articles(batch.articles_path(files[0]))
    rounds = [
        batch.Round(batch.read_requests(files[i]), batch.read_results(files[i + 1]))
        for i in range(0, len(files), 2)
    ]
    result = batch.collect(
        found, rounds, date=args.date, settings=settings, concurrency=args.concurrency
    )
    write_atomic(args.output, briefing_json(result))
    if args.html is not None:
        write_atomic(args.html, render_html(result))
    for f in result.failures:
        print(f"communique: failed: {f.id}: {f.reason}", file=sys.stderr)
    status = {
        "output": str(args.output),
        "html": str(args.html) if args.html else None,
        "stories": len(result.stories),
        **result.counts.model_dump(),
    }
    print(json.dumps(status))
    return 1 if result.failures else 0
