"""Every subcommand's help, description and epilog, in one table, and the one function
that adds a subcommand's parser from it (`communique COMMAND --help` shows them)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

EXIT_CODES = (
    "exit codes: 0 every input summarized; 1 some inputs failed (the briefing is still "
    "written{where}); 2 usage or configuration error"
)


@dataclass(frozen=True)
class Command:
    help: str
    description: str
    epilog: str | None = None


COMMANDS: dict[str, Command] = {
    "summarize": Command(
        "summarize one article; prints Summary JSON",
        "Summarize one article (a text file, an .html/.htm page, or - for stdin). A text "
        "file may start with title:/date:/source: header lines. Progress (each model call, "
        "its tokens/s, retries) goes to stderr; only the JSON to stdout.",
    ),
    "schema": Command(
        "write or check schemas/*.json",
        "Generate the JSON Schemas from the installed package's Pydantic models into the "
        "schemas/ folder of the communique checkout you are in (found from the current "
        "folder up), or into --dir.",
    ),
    "brief": Command(
        "summarize many articles into one briefing (JSON, optionally HTML)",
        "Summarize many articles and group those about the same proposal into stories. "
        "INPUTS are text files, directories (searched recursively for .txt, .md, .html, "
        ".htm) or - for JSON lines on stdin ({id, title, date, source, text}). Summaries "
        "are cached, so a re-run (or a resumed, interrupted run) only asks the model about "
        "new articles. Prints a short JSON status on stdout.",
        EXIT_CODES.format(where=" and lists them under failures"),
    ),
    "eval": Command(
        "score the summarizer on the labelled seeds; gate on evals/thresholds.toml",
        "Run the pipeline and the naive baseline over the labelled seeds, replaying "
        "recorded model responses (default) or recording fresh ones, write "
        "report.json/.md/.html and exit 1 when a gated metric is below its threshold or "
        "regressed against --baseline. See evals/README.md.",
    ),
    "batch": Command(
        "the OpenAI Batch format: prepare request files, collect answers into a briefing",
        "Summarize many articles through a batch runner (OpenAI's Batch API, vLLM's "
        "run_batch): `prepare` writes the requests, `collect` grounds the answers with the "
        "same code as `brief` and writes the briefing.",
    ),
    "batch prepare": Command(
        "write one batch request per model call (JSONL)",
        "Round 1: INPUTS are files, directories or - (as for `brief`); writes OUTPUT and, "
        "next to it, OUTPUT's articles (NAME.articles.jsonl), which `collect` reads. Round "
        "2 (two-pass strategy): INPUTS is round 1's request file, --from its results; "
        "writes the follow-up requests.",
    ),
    "batch submit": Command(
        "run a request file on the endpoint's Batch API and write its results",
        "Upload REQUESTS (POST /v1/files), create a batch (POST /v1/batches), poll it "
        "until it ends and write its output and error lines to OUTPUT. The batch id is "
        "kept in NAME.batch.json: run the same command again to resume an interrupted run "
        "without a second batch.",
    ),
    "batch collect": Command(
        "ground the batch answers and write the briefing",
        "FILES: round 1's request and result files, then (two-pass) round 2's. Every "
        "answer is grounded by the same code as `brief`; a failed or missing answer makes "
        "its article a failure (a missing follow-up answer keeps the first answer).",
        EXIT_CODES.format(where=""),
    ),
    "serve": Command(
        "keep the embedded model server up for other communique runs",
        "Start (or reuse) the machine's embedded model server and hold it for HOURS; "
        "other communique runs with the same cache dir use it. Prints "
        '{"base_url", "pid", "log"} on stdout.',
    ),
    "rules": Command(
        "list the grounding rules (the `rule` of a note in meta.dropped)",
        "List every grounding rule in the order it runs: its id, phase, whether it can be "
        "switched off (COMMUNIQUE_DISABLED_RULES, eval --without) and what it does.",
    ),
}


def add_command(
    sub: Subparsers, name: str, func: Callable[[argparse.Namespace], int] | None = None
) -> argparse.ArgumentParser:
    """The parser of COMMANDS[name] (a step's name is "command step"), which runs func
    (none for a command whose steps each run their own)."""
    texts = COMMANDS[name]
    parser = sub.add_parser(
        name.split()[-1], help=texts.help, description=texts.description, epilog=texts.epilog
    )
    if func is not None:
        parser.set_defaults(func=func)
    return parser
