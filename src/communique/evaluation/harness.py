"""`communique eval`: run each variant over the labelled seeds (replaying recorded model
responses, or recording fresh ones), score, gate on thresholds, write the reports."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..clock import Clock, SystemClock
from ..errors import CommuniqueError, UsageError
from ..llm import embedded
from ..settings import EMBEDDED, Settings, load_settings
from . import gates
from .external import aggregate_external, score_external, seed_as_external
from .external_run import ExternalRun, check_recordings_dir, default_recordings, run_external
from .labels import Seed, load_seeds
from .metrics import DocScore, aggregate, score_document
from .output import Output
from .recordings import (
    RERECORD,
    Recording,
    ReplayMiss,
    recording_client,
    recording_path,
    replayed,
)
from .report import build, load_baseline, write
from .variants import RUNNERS, VARIANTS, prompt_refs

REPLAY_URL = "http://replay.invalid/v1"


@dataclass
class EvalConfig:
    seeds: Path = Path("seeds")
    recordings: Path = Path("evals/recordings")
    report_dir: Path = Path("reports")
    thresholds: Path = Path("evals/thresholds.toml")
    baseline: Path | None = None
    variants: tuple[str, ...] = VARIANTS
    record: bool = False
    reuse_recorded: bool = False  # record mode: replay what the recordings already answer
    docs: tuple[str, ...] = ()  # only seeds whose names start with one of these
    disabled_rules: frozenset[str] = frozenset()  # replay with these rules switched off
    settings: Settings | None = None  # record mode; default: load_settings()
    transport: Callable[[], httpx2.BaseTransport] = httpx2.HTTPTransport  # record mode
    clock: Clock = field(default_factory=SystemClock)
    # `--labels DIR`: an external labelled set, scored beside the seeds (record mode then
    # records this set only; the seeds are replayed); its recordings live outside the repo
    external: Path | None = None
    external_recordings: Path | None = None


@dataclass
class VariantRun:
    name: str
    model: str
    endpoint: str
    outputs: dict[str, Output] = field(default_factory=dict)
    scores: dict[str, DocScore] = field(default_factory=dict)

    @property
    def aggregate(self) -> dict[str, object]:
        return aggregate(list(self.scores.values()))


@dataclass
class EvalResult:
    runs: dict[str, VariantRun]
    failures: list[gates.Failure]
    data: dict[str, object]
    written: list[Path]


def replay_settings(rec: Recording, disabled_rules: frozenset[str] = frozenset()) -> Settings:
    """The code's defaults (not the environment), so a changed default is a replay miss."""
    return dataclasses.replace(
        Settings(),
        model=rec.model,
        base_url=EMBEDDED if rec.embedded else REPLAY_URL,
        disabled_rules=disabled_rules,
    )


def _check_recordings(config: EvalConfig, variant: str) -> None:
    folder = config.recordings / variant
    if not folder.is_dir() or not any(folder.glob("*.json")):
        raise CommuniqueError(
            f"no recordings for {variant} in {folder}: record with communique eval --record"
        )


def replay_one(config: EvalConfig, variant: str, seed: Seed) -> tuple[Output, Recording]:
    """One variant's output for one seed from its recording (a ReplayMiss when the
    recording does not answer a request the code makes)."""
    path = recording_path(config.recordings, variant, seed.name)
    if not path.is_file():
        raise ReplayMiss(f"no {variant} recording for {seed.name} ({path}): {RERECORD}")
    return replayed(
        path,
        lambda rec: replay_settings(rec, config.disabled_rules),
        REPLAY_URL,
        config.clock,
        lambda client, settings: RUNNERS[variant](seed.article, client, settings, config.clock),
    )


def _record_one(
    config: EvalConfig, variant: str, seed: Seed, settings: Settings, base: str
) -> tuple[Output, Recording]:
    path = recording_path(config.recordings, variant, seed.name)
    inner = config.transport()
    with recording_client(path, inner, settings, base, config.clock, config.reuse_recorded) as (
        client,
        recorder,
    ):
        out = RUNNERS[variant](seed.article, client, settings, config.clock)
    rec = Recording(seed.name, variant, settings.model, settings.embedded, recorder.exchanges)
    rec.save(path)
    return out, rec


def selected_seeds(config: EvalConfig) -> list[Seed]:
    """The labelled seeds, only those `config.docs` names when it names any."""
    seeds = load_seeds(config.seeds)
    if config.docs:
        seeds = [s for s in seeds if s.name.startswith(config.docs)]
        if not seeds:
            raise UsageError(f"no seed name starts with {', '.join(config.docs)}")
    return seeds


def evaluate(config: EvalConfig, console: Console | None = None) -> EvalResult:
    unknown = [v for v in config.variants if v not in RUNNERS]
    if unknown or not config.variants:
        raise UsageError(f"unknown variant(s) {unknown}; choose from {', '.join(VARIANTS)}")
    thresholds = gates.load_thresholds(config.thresholds)
    baseline = load_baseline(config.baseline, thresholds.variant)
    seeds = selected_seeds(config)
    if config.external is not None:  # before any work: where its recordings may go
        check_recordings_dir(external_recordings(config, Settings()))
    settings, base = Settings(), REPLAY_URL
    seeds_record = config.record and config.external is None
    if config.record:
        settings = config.settings or load_settings()
        base = embedded.model_url(settings)
    if not seeds_record:
        for variant in config.variants:
            _check_recordings(config, variant)
    console = console or Console(stderr=True)
    quiet = logging.getLogger("instructor")  # it logs every exhausted re-ask as an ERROR
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        runs = _run_all(config, seeds, settings, base, console, seeds_record)
        external = _run_external(config, settings, base, console) if config.external else None
    finally:
        quiet.setLevel(level)
    return _finish(config, runs, thresholds, baseline, seeds, external)


def external_recordings(config: EvalConfig, settings: Settings) -> Path:
    assert config.external is not None
    return config.external_recordings or default_recordings(config.external, settings.cache_dir)


def _run_external(
    config: EvalConfig, settings: Settings, base: str, console: Console
) -> ExternalRun:
    assert config.external is not None
    recordings = external_recordings(config, settings)
    console.print(f"communique: eval: {config.external} (recordings: {recordings})")
    return run_external(
        config.external,
        recordings,
        record=config.record,
        reuse_recorded=config.reuse_recorded,
        settings=settings,
        base=base,
        replay_settings=replay_settings,
        replay_url=REPLAY_URL,
        transport=config.transport,
        clock=config.clock,
        docs=config.docs,
        on_doc=lambda name: console.print(f"communique: eval: {name}"),
    )


def _run_all(
    config: EvalConfig,
    seeds: list[Seed],
    settings: Settings,
    base: str,
    console: Console,
    record: bool,
) -> dict[str, VariantRun]:
    runs: dict[str, VariantRun] = {}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("eval", total=len(seeds) * len(config.variants))
        for variant in config.variants:
            run = runs[variant] = VariantRun(variant, "", "")
            for seed in seeds:
                bar.update(task, description=f"{variant} {seed.name}")
                if record:
                    out, rec = _record_one(config, variant, seed, settings, base)
                else:
                    out, rec = replay_one(config, variant, seed)
                out.latency_s = rec.elapsed_s  # the model's time, also when replayed
                run.model = rec.model
                run.endpoint = "embedded" if rec.embedded else "openai-compatible"
                run.outputs[seed.name] = out
                run.scores[seed.name] = score_document(seed.label, seed.article, out)
                bar.advance(task)
    return runs


def _finish(
    config: EvalConfig,
    runs: dict[str, VariantRun],
    thresholds: gates.Thresholds,
    baseline: tuple[Mapping[str, Any], Mapping[str, Mapping[str, Any]]] | None,
    seeds: list[Seed],
    external: ExternalRun | None = None,
) -> EvalResult:
    failures: list[gates.Failure] = []
    gated = runs.get(thresholds.variant)
    if gated is not None:
        docs = {d: s.values() for d, s in gated.scores.items()}
        failures = gates.check(gated.aggregate, docs, thresholds, baseline)
    data = build(config, runs, thresholds, failures, {v: prompt_refs(v) for v in runs})
    if external is not None:
        data["external"] = external_section(external, runs.get("pipeline"), seeds)
    written = write(config.report_dir, data, seeds, config.baseline)
    return EvalResult(runs, failures, data, written)


def external_section(
    external: ExternalRun, pipeline: VariantRun | None, seeds: list[Seed]
) -> dict[str, Any]:
    """The external set and the own seeds, both scored by the external set's scorer."""
    own = []
    for seed in seeds:
        out = pipeline.outputs.get(seed.name) if pipeline else None
        if out is not None:
            doc = seed_as_external(seed.name, seed.article, seed.label)
            score = score_external(doc, out.model_dump(mode="json"))
            score.latency_s = out.latency_s
            own.append(score)
    return {
        "name": external.name,
        "aggregate": external.aggregate,
        "seeds_aggregate": aggregate_external(own),
        "failures": external.failures,
        "documents": {d: dataclasses.asdict(s) for d, s in external.scores.items()},
    }
