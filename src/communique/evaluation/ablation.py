"""`communique eval --without RULE`: what one grounding rule (or several) is worth.

The pipeline's recordings are replayed twice on the same seeds: with every rule on, and
with the named rules switched off (`Settings.disabled_rules`). The metrics of both runs
and their differences are reported. A rule of the `ground` phase can change the
follow-up call's request (it asks about the names and steps the first answer left out);
a seed whose recordings do not answer that request is left out of both runs and
listed, so the two runs always score the same seeds.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..clock import SystemClock
from ..errors import UsageError
from ..grounding.rules.registry import RULES
from .external import ExternalScore, aggregate_external, load_external, score_external
from .external_run import check_recordings_dir, replay_doc
from .harness import REPLAY_URL, EvalConfig, replay_one, replay_settings, selected_seeds
from .metrics import DocScore, aggregate, score_document
from .recordings import ReplayMiss, recording_path

VARIANT = "pipeline"


@dataclass
class Ablation:
    without: tuple[str, ...]
    seeds: list[str]  # scored in both runs
    excluded: list[str]  # the ablated run's requests are not in their recordings
    full: dict[str, Any]
    ablated: dict[str, Any]
    notes: int  # notes the switched-off rules wrote in the full run

    def deltas(self) -> dict[str, float | None]:
        """ablated - full, per metric (None where either is undefined)."""
        out: dict[str, float | None] = {}
        for name, value in self.full.items():
            other = self.ablated.get(name)
            if isinstance(value, int | float) and isinstance(other, int | float):
                out[name] = round(other - value, 4)
            elif name != "macro":
                out[name] = None
        return out

    def report(self) -> dict[str, Any]:
        def rounded(agg: dict[str, Any]) -> dict[str, Any]:
            return {
                k: round(v, 4) if isinstance(v, float) else v
                for k, v in agg.items()
                if k != "macro"
            }

        return {
            "without": list(self.without),
            "seeds": len(self.seeds),
            "excluded": self.excluded,
            "notes_in_full_run": self.notes,
            "full": rounded(self.full),
            "without_rules": rounded(self.ablated),
            "delta": self.deltas(),
        }


def check_rules(ids: tuple[str, ...]) -> None:
    unknown = [i for i in ids if i not in RULES]
    if unknown:
        raise UsageError(f"unknown rule(s) {', '.join(unknown)}: `communique rules` lists them")
    fixed = [i for i in ids if RULES[i].fixed]
    if fixed:
        raise UsageError(
            f"rule(s) {', '.join(fixed)} enforce a guarantee of the output and cannot be "
            "switched off"
        )
    if not ids:
        raise UsageError("--without needs a rule id (`communique rules` lists them)")


def ablate(config: EvalConfig, without: tuple[str, ...]) -> Ablation:
    """Replay the pipeline's recordings with every rule on and with `without` off."""
    check_rules(without)
    full_config = dataclasses.replace(config, disabled_rules=frozenset())
    off_config = dataclasses.replace(config, disabled_rules=frozenset(without))
    full: list[DocScore] = []
    ablated: list[DocScore] = []
    compared: list[str] = []
    excluded: list[str] = []
    notes = 0
    for seed in selected_seeds(config):
        try:
            off, rec = replay_one(off_config, VARIANT, seed)
        except ReplayMiss:
            excluded.append(seed.name)
            continue
        out, _ = replay_one(full_config, VARIANT, seed)
        out.latency_s = off.latency_s = rec.elapsed_s  # the model's time, as recorded
        notes += sum(rule in without for rule in out.rules)
        compared.append(seed.name)
        full.append(score_document(seed.label, seed.article, out))
        ablated.append(score_document(seed.label, seed.article, off))
    return Ablation(without, compared, excluded, aggregate(full), aggregate(ablated), notes)


def ablate_external(
    directory: Path, recordings: Path, without: tuple[str, ...], docs: tuple[str, ...] = ()
) -> Ablation:
    """The same comparison on an external labelled set (`eval --labels DIR --without`),
    scored by that set's definitions (evaluation/external.py)."""
    check_rules(without)
    check_recordings_dir(recordings)
    off_rules = frozenset(without)
    full: list[ExternalScore] = []
    ablated: list[ExternalScore] = []
    compared: list[str] = []
    excluded: list[str] = []
    notes = 0
    clock = SystemClock()
    for doc in load_external(directory):
        if docs and not doc.name.startswith(docs):
            continue
        path = recording_path(recordings, VARIANT, doc.name)
        try:
            off, _ = replay_doc(
                doc, path, lambda rec: replay_settings(rec, off_rules), REPLAY_URL, clock
            )
            out, _ = replay_doc(doc, path, replay_settings, REPLAY_URL, clock)
        except ReplayMiss:
            excluded.append(doc.name)
            continue
        notes += sum(n.get("rule") in without for n in out["meta"]["dropped"])
        compared.append(doc.name)
        full.append(score_external(doc, out))
        ablated.append(score_external(doc, off))
    return Ablation(
        without, compared, excluded, aggregate_external(full), aggregate_external(ablated), notes
    )
