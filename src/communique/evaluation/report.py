"""report.json (machine-readable, with provenance), report.md (the table a reviewer reads)
and report.html (per-document label vs output, diff against the baseline)."""

from __future__ import annotations

import json
import math
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from .. import __version__
from ..errors import UsageError
from ..models import SCHEMA_VERSION, PromptRef
from ..prompt.templates import load_template
from .gates import Failure, Thresholds
from .labels import Seed
from .metrics import COSTS, COUNTS, RATES

if TYPE_CHECKING:
    from .harness import EvalConfig, VariantRun

REPORT_VERSION = 1
TABLE = ("participants_f1", "participants_precision", *RATES[1:], *COUNTS, *COSTS)
Docs = Mapping[str, Mapping[str, Any]]


def git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def load_baseline(path: Path | None, variant: str) -> tuple[Mapping[str, Any], Docs] | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        run = data["variants"][variant]
        docs = {d: v["metrics"] for d, v in run["documents"].items()}
        return run["aggregate"], docs
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"--baseline {path} is not a report.json with a {variant!r} run") from exc


def build(
    config: EvalConfig,
    runs: Mapping[str, VariantRun],
    thresholds: Thresholds,
    failures: Sequence[Failure],
    prompts: Mapping[str, list[PromptRef]],
) -> dict[str, Any]:
    variants = {}
    for name, run in runs.items():
        variants[name] = {
            "model": run.model,
            "endpoint": run.endpoint,
            "prompts": [p.model_dump() for p in prompts[name]],
            "aggregate": run.aggregate,
            "documents": {
                doc: {
                    "metrics": score.values(),
                    "missed": score.missed,
                    "invented": score.invented,
                    "violations": score.violations,
                    "output": run.outputs[doc].model_dump(mode="json"),
                }
                for doc, score in run.scores.items()
            },
        }
    return {
        "report_version": REPORT_VERSION,
        "created_at": config.clock.now().isoformat(timespec="seconds"),
        "mode": "record" if config.record else "replay",
        "provenance": {
            "communique_version": __version__,
            "schema_version": SCHEMA_VERSION,
            "git_commit": git_commit(),
            "documents": len(next(iter(runs.values())).scores) if runs else 0,
            "thresholds_version": thresholds.version,
            "baseline": str(config.baseline) if config.baseline else None,
        },
        "gate": {
            "variant": thresholds.variant,
            "tolerance": thresholds.tolerance,
            "min": thresholds.min,
            "max": thresholds.max,
            "passed": not failures,
            "failures": [f.message for f in failures],
        },
        "variants": variants,
    }


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.3f}"
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def _rows(data: Mapping[str, Any], baseline: Mapping[str, Any] | None) -> list[list[str]]:
    gate = data["gate"]
    variants = data["variants"]
    base = (baseline or {}).get("variants", {}).get(gate["variant"], {}).get("aggregate", {})
    rows = []
    for metric in TABLE:
        bound = (
            f"≥ {gate['min'][metric]:g}"
            if metric in gate["min"]
            else f"≤ {gate['max'][metric]:g}"
            if metric in gate["max"]
            else ""
        )
        now = variants.get(gate["variant"], {}).get("aggregate", {}).get(metric)
        before = base.get(metric)
        delta = f"{now - before:+.3f}" if now is not None and before is not None else ""
        cells = [fmt(variants[v]["aggregate"].get(metric)) for v in variants]
        rows.append([metric, *cells, bound, delta])
    return rows


def suggested(aggregate: Mapping[str, Any], margin: float = 0.05) -> dict[str, float]:
    """Thresholds a bit below the current scores (rates only), rounded down to 0.05."""
    return {
        m: max(0.0, math.floor((aggregate[m] - margin) * 20) / 20)
        for m in ("participants_f1", *RATES)
        if aggregate.get(m) is not None
    }


def markdown(data: Mapping[str, Any], baseline: Mapping[str, Any] | None) -> str:
    names = list(data["variants"])
    head = ["metric", *names, "threshold", f"Δ {data['gate']['variant']} vs baseline"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in _rows(data, baseline)]
    prov = data["provenance"]
    models = ", ".join(f"{n}: {v['model']} ({v['endpoint']})" for n, v in data["variants"].items())
    out = [
        "# communique eval report",
        "",
        f"{prov['documents']} documents, {data['mode']} mode; models: {models}; "
        f"commit {prov['git_commit'] or 'unknown'}; schema {prov['schema_version']}.",
        "Rates are micro averages over all documents (see evals/README.md).",
        "",
        *lines,
        "",
    ]
    out += external_markdown(data.get("external"))
    failures = data["gate"]["failures"]
    out += ["## Gate: " + ("FAILED" if failures else "passed"), ""]
    out += [f"- {f}" for f in failures] + ([""] if failures else [])
    gated = data["variants"].get(data["gate"]["variant"])
    if gated:
        out += ["## Suggested thresholds (current - 0.05, rounded down)", "", "```toml", "[min]"]
        out += [f"{m} = {v:g}" for m, v in suggested(gated["aggregate"]).items()] + ["```", ""]
    return "\n".join(out)


EXTERNAL_ROWS = (
    ("participants F1", "participants_f1"),
    ("participants precision", "participants_precision"),
    ("participants recall", "participants_recall"),
    ("positions found", "positions_found"),
    ("positions found (n)", "positions_found_n"),
    ("right stance among found", "stance_among_found"),
    ("right stance among found (n)", "stance_among_found_n"),
    ("next-step recall", "next_steps_recall"),
    ("quotes verbatim", "quotes_verbatim_n"),
    ("invented participants", "invented_participants"),
    ("proposal right", "proposal_right_n"),
    ("failed documents", "failed"),
    ("latency per article, median (s)", "latency_s_median"),
)


def external_rows(section: Mapping[str, Any]) -> list[list[str]]:
    own, ext = section["seeds_aggregate"], section["aggregate"]
    return [[label, fmt(own.get(key)), fmt(ext.get(key))] for label, key in EXTERNAL_ROWS]


def external_markdown(section: Mapping[str, Any] | None) -> list[str]:
    """Own seeds and the external set side by side, both by the external set's scorer."""
    if not section:
        return []
    own, ext = section["seeds_aggregate"], section["aggregate"]
    head = [
        "metric (external scorer)",
        f"own seeds ({own['documents']})",
        f"{section['name']} ({ext['documents']})",
    ]
    lines = [
        f"## Real-news scorer: own seeds beside {section['name']}",
        "",
        "| " + " | ".join(head) + " |",
        "|---|---|---|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in external_rows(section)]
    lines += ["", "| document | P | R | F1 | positions found | stance | steps found |"]
    lines += ["|---|---|---|---|---|---|---|"]
    for name, d in section["documents"].items():
        lines.append(
            f"| {name} | {d['precision']:.2f} | {d['recall']:.2f} | {d['f1']:.2f} | "
            f"{d['positions_found']}/{d['positions_total']} | "
            f"{d['stance_right']}/{d['positions_found']} | {d['steps_found']}/{d['steps_total']} |"
        )
    lines += [f"- {name}: failed: {why}" for name, why in section["failures"].items()]
    return [*lines, ""]


def _diff(now: Mapping[str, Any], before: Mapping[str, Any] | None) -> list[dict[str, str]]:
    if before is None:
        return []
    out = []
    for key in ("headline", "gist", "proposal", "participants", "positions", "next_steps"):
        a, b = _show(key, before), _show(key, now)
        if a != b:
            out.append({"field": key, "before": a, "after": b})
    return out


def _show(key: str, o: Mapping[str, Any]) -> str:
    value = o.get(key)
    if key == "proposal":
        return f"{value['statement']} [{value['status']}]" if value else "(none)"
    if key == "participants":
        return "; ".join(p["name"] for p in value or [])
    if key == "positions":
        return "; ".join(f"{p['actor']}: {p['stance']}" for p in value or [])
    if key == "next_steps":
        return "; ".join(
            f"{s['action']} ({s['actor'] or '-'}, {s['when'] or '-'})" for s in value or []
        )
    return str(value or "")


def html(data: Mapping[str, Any], seeds: Sequence[Seed], baseline: Mapping[str, Any] | None) -> str:
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters["fmt"] = fmt
    template = env.from_string(load_template("eval_report.html.j2").source)
    gate_variant = data["gate"]["variant"]
    base_docs = (baseline or {}).get("variants", {}).get(gate_variant, {}).get("documents", {})
    docs = []
    for seed in seeds:
        per = {v: run["documents"][seed.name] for v, run in data["variants"].items()}
        now = per.get(gate_variant)
        before = base_docs.get(seed.name, {}).get("output")
        docs.append(
            {
                "name": seed.name,
                "label": seed.label.model_dump(mode="json"),
                "variants": per,
                "diff": _diff(now["output"], before) if now and baseline else None,
            }
        )
    names = list(data["variants"])
    external = data.get("external")
    return template.render(
        data=data,
        names=names,
        rows=_rows(data, baseline),
        docs=docs,
        has_baseline=bool(baseline),
        external=external,
        external_rows=external_rows(external) if external else [],
    )


def write(
    directory: Path, data: Mapping[str, Any], seeds: Sequence[Seed], baseline_path: Path | None
) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    baseline = json.loads(baseline_path.read_text(encoding="utf-8")) if baseline_path else None
    files = {
        "report.json": json.dumps(data, indent=2, ensure_ascii=False) + "\n",
        "report.md": markdown(data, baseline),
        "report.html": html(data, seeds, baseline),
    }
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return [directory / name for name in files]
