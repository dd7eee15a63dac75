"""Run the pipeline over an external labelled set (`communique eval --labels DIR`): live
(recording the model's answers) or replaying recordings kept outside any git work tree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from ..clock import Clock
from ..errors import CommuniqueError, UsageError
from ..pipeline import summarize as summary
from ..settings import Settings
from .external import (
    ExternalDoc,
    ExternalScore,
    aggregate_external,
    inside_work_tree,
    load_external,
    score_external,
)
from .recordings import (
    Exchange,
    Recording,
    ReplayMiss,
    recording_client,
    recording_path,
    replayed,
)

VARIANT = "pipeline"


@dataclass
class ExternalRun:
    """Each document's score, or why it failed (the summaries are scored, not kept)."""

    name: str
    scores: dict[str, ExternalScore] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)

    @property
    def aggregate(self) -> dict[str, Any]:
        return aggregate_external(list(self.scores.values()), failed=len(self.failures))


def default_recordings(labels: Path, cache_dir: Path) -> Path:
    """Where an external set's recordings go unless told: <cache_dir>/eval-recordings/NAME."""
    return cache_dir / "eval-recordings" / labels.resolve().name


def check_recordings_dir(recordings: Path) -> None:
    tree = inside_work_tree(recordings)
    if tree is not None:
        raise UsageError(
            f"recordings of an external set hold its articles' text: keep them outside the "
            f"git work tree {tree} (--external-recordings DIR)"
        )


def run_external(
    directory: Path,
    recordings: Path,
    *,
    record: bool,
    reuse_recorded: bool,
    settings: Settings,
    base: str,
    replay_settings: Callable[[Recording], Settings],
    replay_url: str,
    transport: Callable[[], httpx2.BaseTransport],
    clock: Clock,
    docs: tuple[str, ...] = (),
    on_doc: Callable[[str], None] | None = None,
) -> ExternalRun:
    check_recordings_dir(recordings)
    items = load_external(directory)
    if docs:
        items = [d for d in items if d.name.startswith(docs)]
    run = ExternalRun(directory.name)
    for doc in items:
        if on_doc:
            on_doc(doc.name)
        path = recording_path(recordings, VARIANT, doc.name)
        try:
            if record:
                out, rec = _record(doc, path, reuse_recorded, settings, base, transport, clock)
            else:
                out, rec = replay_doc(doc, path, replay_settings, replay_url, clock)
        except ReplayMiss:
            raise
        except CommuniqueError as exc:
            run.failures[doc.name] = str(exc)
            continue
        score = score_external(doc, out)
        score.latency_s = rec.elapsed_s
        run.scores[doc.name] = score
    return run


def _summarize(doc: ExternalDoc, client: Any, settings: Settings, clock: Clock) -> dict[str, Any]:
    result = summary.summarize(doc.article, client=client, settings=settings, clock=clock)
    return result.model_dump(mode="json")


def _record(
    doc: ExternalDoc,
    path: Path,
    reuse_recorded: bool,
    settings: Settings,
    base: str,
    transport: Callable[[], httpx2.BaseTransport],
    clock: Clock,
) -> tuple[dict[str, Any], Recording]:
    exchanges: list[Exchange] = []
    try:  # what was answered is kept also when the summary fails
        with recording_client(path, transport(), settings, base, clock, reuse_recorded) as (
            client,
            recorder,
        ):
            exchanges = recorder.exchanges
            out = _summarize(doc, client, settings, clock)
    finally:
        rec = Recording(doc.name, VARIANT, settings.model, settings.embedded, exchanges)
        rec.save(path)
    return out, rec


def replay_doc(
    doc: ExternalDoc,
    path: Path,
    replay_settings: Callable[[Recording], Settings],
    replay_url: str,
    clock: Clock,
) -> tuple[dict[str, Any], Recording]:
    if not path.is_file():
        raise ReplayMiss(f"no recording for {doc.name} ({path}): record with --record-missing")
    return replayed(
        path,
        replay_settings,
        replay_url,
        clock,
        lambda client, settings: _summarize(doc, client, settings, clock),
    )
