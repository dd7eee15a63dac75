"""`communique eval`: the summarizer scored on the labelled seeds (and `--without`, the
same replay with grounding rules switched off)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import UsageError
from ..settings import load_settings
from .commands import Subparsers, add_command


def add_eval(sub: Subparsers) -> None:
    e = add_command(sub, "eval", _cmd_eval)
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


def _cmd_eval(args: argparse.Namespace) -> int:
    from ..evaluation.external_run import default_recordings
    from ..evaluation.harness import EvalConfig, evaluate

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
        config.external_recordings = default_recordings(args.labels, load_settings().cache_dir)
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
    from ..evaluation.ablation import ablate, ablate_external
    from ..evaluation.external_run import default_recordings
    from ..evaluation.harness import EvalConfig

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
        recordings = args.external_recordings or default_recordings(
            args.labels, load_settings().cache_dir
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
