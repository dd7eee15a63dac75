"""`communique brief`: many articles (files, stdin, feeds, page URLs) into one briefing
(JSON, optionally HTML and Markdown), with a progress bar on stderr."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..briefing.brief import Tally, brief
from ..briefing.cache import FILENAME
from ..briefing.markdown import render_markdown
from ..briefing.outputs import check_outputs, remove_stale_temps, write_briefing_files
from ..briefing.render import briefing_json, render_html
from ..clock import SystemClock
from ..errors import UsageError
from ..ingest import inputs
from ..settings import load_settings
from .arguments import add_briefing_outputs, add_endpoint_options, positive
from .commands import Subparsers, add_command


def add_brief(sub: Subparsers) -> None:
    b = add_command(sub, "brief", _cmd_brief)
    b.add_argument("inputs", nargs="*", metavar="INPUTS", help="files, directories, or -")
    b.add_argument(
        "--feed",
        action="append",
        default=[],
        metavar="URL_OR_FILE",
        help="an RSS or Atom feed: its linked pages are fetched (repeatable)",
    )
    b.add_argument(
        "--urls",
        action="append",
        default=[],
        metavar="FILE",
        help="a file of page URLs, one a line, to fetch (repeatable)",
    )
    b.add_argument(
        "--fetch-timeout",
        type=positive,
        default=20,
        metavar="SECONDS",
        help="per page or feed (default 20)",
    )
    b.add_argument(
        "--allow-private-urls",
        action="store_true",
        help="also fetch links to loopback, private and link-local addresses (an intranet)",
    )
    add_briefing_outputs(b)
    b.add_argument("--md", type=Path, help="also write the briefing as Markdown")
    b.add_argument(
        "--concurrency",
        type=positive,
        help="model calls at once (default: the embedded server's slots, 2; else 4)",
    )
    b.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    b.add_argument(
        "--cache-dir",
        type=Path,
        help="folder of summaries.sqlite3 (default: the settings' cache dir)",
    )
    add_endpoint_options(b)
    b.add_argument(
        "--stop-after-failures",
        type=int,
        metavar="N",
        help="stop after N consecutive identical endpoint failures, 0 = never "
        "(env COMMUNIQUE_STOP_AFTER_FAILURES, default 3)",
    )


def _cmd_brief(args: argparse.Namespace) -> int:
    settings = load_settings(
        model=args.model, base_url=args.base_url, stop_after_failures=args.stop_after_failures
    )
    sources = [*args.inputs, *args.feed, *args.urls]
    if not sources:
        raise UsageError("give INPUTS, --feed or --urls")
    outputs = [args.output, *(p for p in (args.html, args.md) if p is not None)]
    check_outputs(outputs)  # before fetching pages and the first model call, not after
    for path in outputs:
        remove_stale_temps(path, time.time())
    found = inputs.collect(args.inputs, sys.stdin.buffer if "-" in args.inputs else None)
    if args.feed or args.urls:
        found += _from_web(args)
    if not found:
        raise UsageError(f"no articles found in {' '.join(sources)}")
    cache: Path | bool = not args.no_cache
    if args.cache_dir is not None and not args.no_cache:
        cache = args.cache_dir / FILENAME
    console = Console(stderr=True)
    columns = (
        TextColumn("briefing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeRemainingColumn(),
    )
    # On a terminal a live bar; in a log (stderr not a terminal) one line per article done.
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("brief", total=len(found), detail="")
        logged = 0

        def show(t: Tally) -> None:
            nonlocal logged
            done = t.summarized + t.cached + t.failed + t.duplicates
            detail = f"done {t.summarized} · cached {t.cached} · failed {t.failed}"
            bar.update(task, completed=done, detail=detail)
            if not console.is_terminal and done > logged:
                logged = done
                print(f"communique: {done}/{len(found)} articles; {detail}", file=sys.stderr)

        try:
            result = brief(
                found,
                date=args.date,
                settings=settings,
                cache=cache,
                concurrency=args.concurrency,
                on_progress=show,
            )
        except KeyboardInterrupt:
            console.print("communique: finished summaries are cached; re-run to resume")
            raise
    files = [(args.output, briefing_json(result))]
    if args.html is not None:
        files.append((args.html, render_html(result)))
    if args.md is not None:
        files.append((args.md, render_markdown(result)))
    cached_in = cache if isinstance(cache, Path) else settings.cache_dir / FILENAME
    write_briefing_files(
        files,
        summaries=result.counts.summarized - result.counts.degraded,  # degraded: not cached
        cache=cached_in if cache else None,
    )
    for item in result.items:
        if item.summary is not None and item.summary.meta.degraded and not item.duplicate_of:
            print(
                f"communique: degraded: {item.id}: {item.summary.meta.degraded}; the first "
                "answer is kept, not cached (a re-run tries again)",
                file=sys.stderr,
            )
    for f in result.failures:
        if f.attempted:
            print(f"communique: failed: {f.id}: {f.reason}", file=sys.stderr)
    if result.stopped is not None:
        print(
            f"communique: error: {result.stopped}; {result.counts.not_attempted} article(s) "
            "not attempted (listed under failures): fix the endpoint and re-run",
            file=sys.stderr,
        )
    status = {
        "output": str(args.output),
        "html": str(args.html) if args.html else None,
        "md": str(args.md) if args.md else None,
        "stories": len(result.stories),
        **result.counts.model_dump(),
    }
    print(json.dumps(status))
    return 1 if result.failures else 0


def _from_web(args: argparse.Namespace) -> list[inputs.Input]:
    """The pages of --feed and --urls, fetched (progress on stderr)."""
    from ..ingest import feeds  # trafilatura and feedparser take ~0.2 s to import: only when used
    from ..ingest.fetch import FetchOptions

    def show(done: int, total: int) -> None:
        if done == total or done % 10 == 0:
            print(f"communique: fetched {done}/{total} pages", file=sys.stderr)

    clock = SystemClock()
    return feeds.collect_links(
        args.feed,
        args.urls,
        today=clock.now().date(),
        clock=clock,
        options=FetchOptions(
            timeout_s=float(args.fetch_timeout), allow_private=args.allow_private_urls
        ),
        on_fetched=show,
    )
