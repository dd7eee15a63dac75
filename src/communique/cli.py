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
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from . import inputs, schema
from .article import Article, decode_article, read_article_file
from .briefing import Tally, brief
from .cache import FILENAME
from .errors import CommuniqueError, UsageError
from .render import briefing_json, render_html, write_atomic
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
        description="Summarize one article (a text file, or - for stdin). "
        "The file may start with title:/date:/source: header lines.",
    )
    p.add_argument("path", help="article text file, or - to read stdin")
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
        description="Generate the JSON Schemas from the Pydantic models.",
    )
    s.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if the files on disk are stale instead of writing them",
    )
    s.add_argument("--dir", type=Path, default=Path("schemas"), help="default: ./schemas")
    s.set_defaults(func=_cmd_schema)
    _add_brief(sub)
    _add_eval(sub)
    _add_rules(sub)
    return parser


def _cmd_summarize(args: argparse.Namespace) -> int:
    settings = load_settings(model=args.model, base_url=args.base_url)
    article: Article
    if args.path == "-":
        article = decode_article(sys.stdin.buffer.read(), id="stdin")
    else:
        article = read_article_file(Path(args.path))
    result = summarize(article, settings=settings)
    indent = None if args.compact else 2
    print(json.dumps(result.model_dump(mode="json"), indent=indent, ensure_ascii=False))
    if result.meta.dropped:
        print(
            f"communique: {len(result.meta.dropped)} item(s) not kept as the model gave them "
            "(see meta.dropped)",
            file=sys.stderr,
        )
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    if args.check:
        stale = schema.stale(args.dir)
        if stale:
            print(
                f"communique: stale schema(s) in {args.dir}: {', '.join(stale)}; "
                "run `communique schema` and commit",
                file=sys.stderr,
            )
            return 1
        print(f"communique: schemas in {args.dir} are up to date", file=sys.stderr)
        return 0
    for path in schema.write(args.dir):
        print(f"wrote {path}", file=sys.stderr)
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
    b.add_argument("inputs", nargs="+", metavar="INPUTS", help="files, directories, or -")
    b.add_argument("--date", required=True, type=_iso_date, help="briefing date, YYYY-MM-DD")
    b.add_argument("-o", "--output", required=True, type=Path, help="briefing JSON file")
    b.add_argument("--html", type=Path, help="also write the briefing as an HTML page")
    b.add_argument(
        "--concurrency",
        type=_positive,
        help="model calls at once (default 1 for the embedded model, else 4)",
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
    settings = load_settings(model=args.model, base_url=args.base_url)
    found = inputs.collect(args.inputs, sys.stdin.buffer if "-" in args.inputs else None)
    if not found:
        raise UsageError(f"no articles found in {' '.join(args.inputs)}")
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
    )
    result = evaluate(config)
    summary = {name: run.aggregate for name, run in result.runs.items()}
    print(json.dumps({"aggregate": summary, "passed": not result.failures}, indent=2))
    for failure in result.failures:
        print(f"communique: eval: FAIL {failure.message}", file=sys.stderr)
    where = ", ".join(str(p) for p in result.written)
    verdict = "failed" if result.failures else "passed"
    print(f"communique: eval {verdict}; reports: {where}", file=sys.stderr)
    return 1 if result.failures else 0


def _cmd_ablate(args: argparse.Namespace) -> int:
    from .evaluation.ablation import ablate
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
    print(json.dumps(result.report(), indent=2))
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
    except KeyboardInterrupt:
        print("communique: interrupted", file=sys.stderr)
        return 130


def run() -> None:  # pragma: no cover - console entry
    # SIGTERM exits like Ctrl-C, so atexit hooks stop the embedded model server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())


__all__ = ["UsageError", "main", "run"]
