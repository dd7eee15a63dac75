"""The `communique` command: results as JSON on stdout, messages on stderr.

Exit codes: 0 success, 1 failure (bad article, model or endpoint error), 2 usage or
configuration error. `brief` exits 0 when every input was summarized, 1 when any input
failed (the briefing is still written, failures listed in it), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import schema
from ..errors import CommuniqueError, UsageError
from ..ingest.article import Article, decode_article, read_article_file
from ..llm.serve import cmd_serve
from ..notes import describe_counts
from ..pipeline.summarize import summarize
from ..progress import StderrProgress
from ..settings import load_settings
from .arguments import add_endpoint_options
from .batch import add_batch
from .brief import add_brief
from .commands import add_command
from .evaluate import add_eval
from .rules import add_rules


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="communique",
        description="Turn news articles into typed, evidence-grounded structured summaries.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = add_command(sub, "summarize", _cmd_summarize)
    p.add_argument("path", help="article file (text, .html or .htm), or - to read stdin")
    add_endpoint_options(p)
    p.add_argument("--compact", action="store_true", help="one-line JSON")

    s = add_command(sub, "schema", _cmd_schema)
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
    add_brief(sub)
    add_eval(sub)
    add_batch(sub)
    v = add_command(sub, "serve", cmd_serve)
    v.add_argument("--hours", type=float, default=12.0, help="how long to hold it (default 12)")
    v.add_argument("--cache-dir", type=Path, help="env COMMUNIQUE_CACHE_DIR")
    add_rules(sub)
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
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `communique rules | head`: the reader went away, no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 141  # as a shell reports a process ended by SIGPIPE
    sys.exit(code)


__all__ = ["UsageError", "main", "run"]
