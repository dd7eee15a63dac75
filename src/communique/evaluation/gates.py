"""Thresholds (evals/thresholds.toml) and baseline regressions: what fails an eval.

version = 1            # bump when the metric definitions change
variant = "pipeline"   # whose aggregates are gated
tolerance = 0.05       # largest allowed drop of a gated metric vs --baseline
[min]                  # aggregate >= value (rates, micro averages)
participants_f1 = 0.6
[max]                  # aggregate <= value (violation counts, costs)
must_not_include_violations = 0
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import ConfigError, UsageError
from .metrics import COSTS, COUNTS, HIGHER_IS_BETTER, RATES

KNOWN = frozenset({*RATES, *COUNTS, *COSTS, "participants_f1"})
QUALITY = HIGHER_IS_BETTER | frozenset(COUNTS)  # compared with the baseline; costs are not
SHOWN_DOCS = 3


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    variant: str = "pipeline"
    tolerance: float = Field(default=0.05, ge=0)
    min: dict[str, float] = Field(default_factory=dict)
    max: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known(self) -> Thresholds:
        unknown = sorted((set(self.min) | set(self.max)) - KNOWN)
        if unknown:
            raise ValueError(
                f"unknown metric(s) {', '.join(unknown)}; known: {', '.join(sorted(KNOWN))}"
            )
        return self

    def bound(self, metric: str) -> str:
        if metric in self.min:
            return f">= {self.min[metric]:g}"
        return f"<= {self.max[metric]:g}" if metric in self.max else ""


def load_thresholds(path: Path) -> Thresholds:
    if not path.is_file():
        raise UsageError(f"no thresholds file at {path}")
    try:
        return Thresholds.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise ConfigError(f"invalid thresholds file {path}: {exc}") from exc


@dataclass(frozen=True)
class Failure:
    metric: str
    value: float | None
    message: str


def _fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:g}" if float(value).is_integer() else f"{value:.3f}"


def _worst(docs: Mapping[str, Mapping[str, Any]], metric: str, higher: bool) -> str:
    """The documents responsible: lowest per-document values (highest for counts)."""
    values = [(d, m[metric]) for d, m in docs.items() if m.get(metric) is not None]
    values.sort(key=lambda t: (t[1] if higher else -t[1], t[0]))
    if not higher:
        values = [t for t in values if t[1] > 0]
    shown = ", ".join(f"{d} ({_fmt(v)})" for d, v in values[:SHOWN_DOCS])
    return f"; documents: {shown}" if shown else ""


def check(
    aggregate: Mapping[str, Any],
    docs: Mapping[str, Mapping[str, Any]],
    thresholds: Thresholds,
    baseline: tuple[Mapping[str, Any], Mapping[str, Mapping[str, Any]]] | None = None,
) -> list[Failure]:
    """docs: per-document metric values; baseline: (aggregate, docs) of the same variant."""
    failures = []
    for metric, limit in thresholds.min.items():
        value = aggregate.get(metric)
        if value is not None and value < limit:  # None: nothing to measure (no quotes...)
            failures.append(
                Failure(
                    metric,
                    value,
                    f"{metric} = {_fmt(value)} is below the threshold {limit:g}"
                    + _worst(docs, metric, higher=True),
                )
            )
    for metric, limit in thresholds.max.items():
        value = aggregate.get(metric)
        if value is not None and value > limit:
            failures.append(
                Failure(
                    metric,
                    value,
                    f"{metric} = {_fmt(value)} is above the maximum {limit:g}"
                    + _worst(docs, metric, higher=False),
                )
            )
    if baseline is not None:
        failures += _regressions(aggregate, docs, thresholds.tolerance, *baseline)
    return failures


def _regressions(
    aggregate: Mapping[str, Any],
    docs: Mapping[str, Mapping[str, Any]],
    tolerance: float,
    base: Mapping[str, Any],
    base_docs: Mapping[str, Mapping[str, Any]],
) -> list[Failure]:
    failures = []
    for metric in sorted(QUALITY):
        now, before = aggregate.get(metric), base.get(metric)
        if now is None or before is None:
            continue
        higher = metric in HIGHER_IS_BETTER
        drop = (before - now) if higher else (now - before)
        if drop > tolerance + 1e-9:
            sign = 1 if higher else -1
            drops = {  # per document, how much worse than in the baseline
                d: {metric: sign * ((base_docs[d].get(metric) or 0) - (m.get(metric) or 0))}
                for d, m in docs.items()
                if d in base_docs
            }
            failures.append(
                Failure(
                    metric,
                    now,
                    f"{metric} = {_fmt(now)} regressed from the baseline's {_fmt(before)} "
                    f"(tolerance {tolerance:g})" + _worst(drops, metric, higher=False),
                )
            )
    return failures
