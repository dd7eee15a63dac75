"""The `communique` command: results as JSON on stdout, messages on stderr.

Exit codes: 0 success, 1 failure (bad article, model or endpoint error), 2 usage or
configuration error. `brief` exits 0 when every input was summarized, 1 when any input
failed (the briefing is still written, failures listed in it), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import signal
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from . import inputs, schema
from .article import Article, decode_article, read_article_file
from .batch_cli import add_batch
from .briefing import Tally, brief
from .cache import FILENAME
from .clock import SystemClock
from .errors import CommuniqueError, UsageError
from .markdown import render_markdown
from .notes import describe_counts
from .outputs import check_outputs, remove_stale_temps, write_briefing_files
from .progress import StderrProgress
from .render import briefing_json, render_html
from .serve import add_serve
from .settings import load_settings
from .summary import summarize


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="communique",
        description="Turn news articles into typed, evidence-grounded structured summaries.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "summarize",
        help="summarize one article; prints Summary JSON",
        description="Summarize one article (a text file, an .html/.htm page, or - for "
        "stdin). A text file may start with title:/date:/source: header lines. Progress "
        "(each model call, its tokens/s, retries) goes to stderr; only the JSON to stdout.",
    )
    p.add_argument("path", help="article file (text, .html or .htm), or - to read stdin")
    p.add_argument("--model", help="model name (env COMMUNIQUE_MODEL)")
    p.add_argument(
        "--base-url",
        help="OpenAI-compatible endpoint, or 'embedded' "
        "(env COMMUNIQUE_BASE_URL / OPENAI_BASE_URL)",
    )
    p.add_argument("--compact", action="store_true", help="one-line JSON")
    p.set_defaults(func=_cmd_summarize)

    s = sub.add_parser(
        "schema",
        help="write or check schemas/*.json",
        description="Generate the JSON Schemas from the installed package's Pydantic models "
        "into the schemas/ folder of the communique checkout you are in (found from the "
        "current folder up), or into --dir.",
    )
    s.add_argument(
        "--check",
        action="store_true",
        help="write nothing; compare the files in the folder with the schemas the installed "
        "package generates, and exit 1 if any is missing or differs",
    )
    s.add_argument(
        "--dir",
        type=Path,
        help="folder of the schema files (default: schemas/ of the checkout you are in; "
        "required outside a checkout)",
    )
    s.set_defaults(func=_cmd_schema)
    _add_brief(sub)
    _add_eval(sub)
    add_batch(sub)
    add_serve(sub)
    _add_rules(sub)
    return parser


def _cmd_summarize(args: argparse.Namespace) -> int:
    settings = load_settings(model=args.model, base_url=args.base_url)
    article: Article
    if args.path == "-":
        article = decode_article(sys.stdin.buffer.read(), id="stdin")
    else:
        article = read_article_file(Path(args.path))
    with StderrProgress() as shown:
        result = summarize(article, settings=settings, on_progress=shown)
    indent = None if args.compact else 2
    print(json.dumps(result.model_dump(mode="json"), indent=indent, ensure_ascii=False))
    if result.meta.degraded:
        print(f"communique: degraded: {result.meta.degraded}; first answer kept", file=sys.stderr)
    if result.meta.dropped:
        print(
            "communique: done; the code checked the model's answer against the article: "
            f"{describe_counts(result.meta.dropped)} (each with its reason in meta.dropped)",
            file=sys.stderr,
        )
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    folder: Path | None = args.dir or schema.project_schemas(Path.cwd())
    if folder is None:
        raise UsageError(
            f"{Path.cwd()} is not inside a communique checkout (no pyproject.toml of "
            "communique here or above): pass --dir FOLDER to say where the schemas go"
        )
    if args.check:
        missing, differ = schema.compare(folder)
        problems = [f"missing: {', '.join(missing)}"] * bool(missing)
        problems += [f"differ from the models: {', '.join(differ)}"] * bool(differ)
        if problems:
            print(
                f"communique: schemas in {folder} against the installed package's models: "
                f"{'; '.join(problems)}; run `communique schema` to write them",
                file=sys.stderr,
            )
            return 1
        print(f"communique: schemas in {folder} match the models", file=sys.stderr)
        return 0
    for path in schema.write(folder):
        print(f"communique: wrote {path}", file=sys.stderr)
    return 0


def _add_brief(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = sub.add_parser(
        "brief",
        help="summarize many articles into one briefing (JSON, optionally HTML)",
        description="Summarize many articles and group those about the same proposal into "
        "stories. INPUTS are text files, directories (searched recursively for .txt, .md, "
        ".html, .htm) or - for JSON lines on stdin ({id, title, date, source, text}). "
        "Summaries are cached, so a re-run (or a resumed, interrupted run) only asks the "
        "model about new articles. Prints a short JSON status on stdout.",
        epilog="exit codes: 0 every input summarized; 1 some inputs failed (the briefing "
        "is still written and lists them under failures); 2 usage or configuration error",
    )
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
        type=_positive,
        default=20,
        metavar="SECONDS",
        help="per page or feed (default 20)",
    )
    b.add_argument(
        "--allow-private-urls",
        action="store_true",
        help="also fetch links to loopback, private and link-local addresses (an intranet)",
    )
    b.add_argument("--date", required=True, type=_iso_date, help="briefing date, YYYY-MM-DD")
    b.add_argument("-o", "--output", required=True, type=Path, help="briefing JSON file")
    b.add_argument("--html", type=Path, help="also write the briefing as an HTML page")
    b.add_argument("--md", type=Path, help="also write the briefing as Markdown")
    b.add_argument(
        "--concurrency",
        type=_positive,
        help="model calls at once (default: the embedded server's slots, 2; else 4)",
    )
    b.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    b.add_argument(
        "--cache-dir",
        type=Path,
        help="folder of summaries.sqlite3 (default: the settings' cache dir)",
    )
    b.add_argument("--model", help="model name (env COMMUNIQUE_MODEL)")
    b.add_argument(
        "--base-url",
        help="OpenAI-compatible endpoint, or 'embedded' "
        "(env COMMUNIQUE_BASE_URL / OPENAI_BASE_URL)",
    )
    b.add_argument(
        "--stop-after-failures",
        type=int,
        metavar="N",
        help="stop after N consecutive identical endpoint failures, 0 = never "
        "(env COMMUNIQUE_STOP_AFTER_FAILURES, default 3)",
    )
    b.set_defaults(func=_cmd_brief)


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive integer")
    return int(value)


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
    from . import feeds  # trafilatura and feedparser take ~0.2 s to import: only when used
    from .fetch import FetchOptions

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


def _add_eval(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    e = sub.add_parser(
        "eval",
        help="score the summarizer on the labelled seeds; gate on evals/thresholds.toml",
        description="Run the pipeline and the naive baseline over the labelled seeds, "
        "replaying recorded model responses (default) or recording fresh ones, write "
        "report.json/.md/.html and exit 1 when a gated metric is below its threshold or "
        "regressed against --baseline. See evals/README.md.",
    )
    mode = e.add_mutually_exclusive_group()
    mode.add_argument(
        "--replay", action="store_true", help="recorded responses, no model (default)"
    )
    mode.add_argument(
        "--record",
        action="store_true",
        help="run the live model (embedded, or COMMUNIQUE_BASE_URL) and rewrite the recordings",
    )
    mode.add_argument(
        "--record-missing",
        action="store_true",
        help="like --record, but requests the recordings already answer are replayed "
        "(with their recorded timings); only new requests reach the model",
    )
    e.add_argument("--seeds", type=Path, default=Path("seeds"), help="default: ./seeds")
    e.add_argument(
        "--recordings",
        type=Path,
        default=Path("evals/recordings"),
        help="default: evals/recordings",
    )
    e.add_argument("--report-dir", type=Path, default=Path("reports"), help="default: ./reports")
    e.add_argument("--baseline", type=Path, help="a previous report.json to compare against")
    e.add_argument(
        "--thresholds",
        type=Path,
        default=Path("evals/thresholds.toml"),
        help="default: evals/thresholds.toml",
    )
    e.add_argument("--variants", default="pipeline,naive", help="default: pipeline,naive")
    e.add_argument(
        "--docs", default="", help="only the seeds whose names start with these (comma-separated)"
    )
    e.add_argument(
        "--labels",
        type=Path,
        help="also score an external labelled set (DIR/articles/*.txt + DIR/labels/*.json, "
        "the real-news dev set's format) beside the seeds; with --record/--record-missing "
        "only this set is recorded. The gate stays on the seeds",
    )
    e.add_argument(
        "--external-recordings",
        type=Path,
        help="where the --labels set's recordings are kept (they contain its articles' "
        "text, so never inside a git work tree); default: <cache_dir>/eval-recordings/NAME",
    )
    e.add_argument(
        "--without",
        default="",
        metavar="RULE[,RULE]",
        help="replay the pipeline with these grounding rules switched off and with every "
        "rule on, and print both runs' metrics and their differences (`communique rules`)",
    )
    e.set_defaults(func=_cmd_eval)


def _cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation.harness import EvalConfig, evaluate

    if args.without:
        return _cmd_ablate(args)

    config = EvalConfig(
        seeds=args.seeds,
        recordings=args.recordings,
        report_dir=args.report_dir,
        thresholds=args.thresholds,
        baseline=args.baseline,
        variants=tuple(v.strip() for v in args.variants.split(",") if v.strip()),
        record=args.record or args.record_missing,
        reuse_recorded=args.record_missing,
        docs=tuple(d.strip() for d in args.docs.split(",") if d.strip()),
        external=args.labels,
        external_recordings=args.external_recordings,
    )
    if args.labels is not None and args.external_recordings is None:
        name = args.labels.resolve().name
        config.external_recordings = load_settings().cache_dir / "eval-recordings" / name
    result = evaluate(config)
    summary: dict[str, object] = {name: run.aggregate for name, run in result.runs.items()}
    if "external" in result.data:
        ext = result.data["external"]
        summary["external:" + str(ext["name"])] = ext["aggregate"]  # type: ignore[index]
    print(json.dumps({"aggregate": summary, "passed": not result.failures}, indent=2))
    for failure in result.failures:
        print(f"communique: eval: FAIL {failure.message}", file=sys.stderr)
    where = ", ".join(str(p) for p in result.written)
    verdict = "failed" if result.failures else "passed"
    print(f"communique: eval {verdict}; reports: {where}", file=sys.stderr)
    return 1 if result.failures else 0


def _cmd_ablate(args: argparse.Namespace) -> int:
    from .evaluation.ablation import ablate, ablate_external
    from .evaluation.harness import EvalConfig

    if args.record or args.record_missing:
        raise UsageError("--without replays the recordings; it does not record")
    config = EvalConfig(
        seeds=args.seeds,
        recordings=args.recordings,
        docs=tuple(d.strip() for d in args.docs.split(",") if d.strip()),
    )
    without = tuple(r.strip() for r in args.without.split(",") if r.strip())
    result = ablate(config, without)
    report = result.report()
    if args.labels is not None:
        recordings = args.external_recordings or (
            load_settings().cache_dir / "eval-recordings" / args.labels.resolve().name
        )
        external = ablate_external(args.labels, recordings, without, config.docs)
        report["external"] = {"name": args.labels.resolve().name, **external.report()}
    print(json.dumps(report, indent=2))
    if result.excluded:
        print(
            f"communique: eval: {len(result.excluded)} seed(s) left out of both runs, their "
            f"recordings do not answer the requests made without the rule(s): "
            f"{', '.join(result.excluded)}",
            file=sys.stderr,
        )
    return 0


def _add_rules(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    r = sub.add_parser(
        "rules",
        help="list the grounding rules (the `rule` of a note in meta.dropped)",
        description="List every grounding rule in the order it runs: its id, phase, "
        "whether it can be switched off (COMMUNIQUE_DISABLED_RULES, eval --without) and "
        "what it does.",
    )
    r.add_argument("--json", action="store_true", help="one JSON list instead of text")
    r.set_defaults(func=_cmd_rules)


def _cmd_rules(args: argparse.Namespace) -> int:
    from .registry import ORDERED

    if args.json:
        rules = [
            {"id": r.id, "phase": r.phase, "switchable": not r.fixed, "doc": r.doc} for r in ORDERED
        ]
        print(json.dumps(rules, indent=2, ensure_ascii=False))
        return 0
    for r in ORDERED:
        fixed = "fixed: enforces a guarantee, cannot be switched off" if r.fixed else "switchable"
        print(f"{r.id}  [{r.phase}; {fixed}]")
        print(textwrap.fill(r.doc, width=88, initial_indent="    ", subsequent_indent="    "))
    return 0


class _StderrLog(logging.Handler):
    """communique's warnings, one line each on the stderr of the moment."""

    def emit(self, record: logging.LogRecord) -> None:
        line = " ".join(record.getMessage().split())
        print(f"communique: {record.levelname.lower()}: {line}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    own = logging.getLogger("communique")
    if not any(isinstance(h, _StderrLog) for h in own.handlers):
        own.addHandler(_StderrLog(logging.WARNING))
    # instructor logs every exhausted re-ask as a multi-line ERROR; the CLI reports each
    # failure in one line of its own (and kept items' problems in meta.dropped).
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    try:
        code: int = args.func(args)
        return code
    except CommuniqueError as exc:
        print(f"communique: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except Terminated:
        print("communique: terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("communique: interrupted", file=sys.stderr)
        return 130


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C: the same clean-up and resume hint, exit code 143."""


def _terminate(*_: object) -> None:
    raise Terminated()


def run() -> None:  # pragma: no cover - console entry
    # SIGTERM exits like Ctrl-C, so atexit hooks stop the embedded model server.
    signal.signal(signal.SIGTERM, _terminate)
    sys.exit(main())


__all__ = ["UsageError", "main", "run"]
