"""Per-document metrics and their aggregates (see evals/README.md for worked examples).

Rates are kept as (hits, total) counts per document. The aggregate of a rate is its
micro average (sum of hits / sum of totals over all documents); the macro average (mean
of the per-document rates, skipping documents where the rate is undefined) is reported
next to it. Thresholds apply to the micro averages.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from ..ingest.article import Article
from ..text.folding import fold_name, locate_quote
from .labels import Label
from .output import OutEvidence, Output

NAME_RATIO = 90  # rapidfuzz token_set_ratio for two names to match
STEP_SIMILARITY = 60  # rapidfuzz token_set_ratio for two next-step actions to match
_TITLES = frozenset(
    "president prime minister chancellor mayor minister secretary general mr mrs ms dr "
    "sen senator governor councillor the of la le el de du".split()
)
RATES = (
    "participants_precision",
    "participants_recall",
    "central_recall",
    "positions_recall",
    "stance_accuracy",
    "proposal_accuracy",
    "next_steps_recall",
    "when_accuracy",
    "evidence_grounding",
    "schema_validity",
)
COUNTS = ("must_not_include_violations", "proposal_violations")
COSTS = ("attempts", "prompt_tokens", "completion_tokens", "latency_s")
HIGHER_IS_BETTER = frozenset({*RATES, "participants_f1"})


def name_score(a: str, b: str) -> float:
    """How well two names match: 300 exact (folded), 200 surname, 90-100 fuzzy, 0 none."""
    fa, fb = fold_name(a).strip(), fold_name(b).strip()
    if not fa or not fb:
        return 0.0
    if fa == fb:
        return 300.0
    wa = [w for w in fa.split() if w not in _TITLES]
    wb = [w for w in fb.split() if w not in _TITLES]
    for one, other in ((wa, wb), (wb, wa)):
        if len(one) == 1 and len(one[0]) >= 3 and other and other[-1] == one[0]:
            return 200.0
    ratio = float(fuzz.token_set_ratio(fa, fb))
    return ratio if ratio >= NAME_RATIO else 0.0


def forms_score(a: Sequence[str], b: Sequence[str]) -> float:
    """Best name_score between any form (name or alias) of one actor and of the other."""
    return max((name_score(x, y) for x in a for y in b), default=0.0)


def match(
    preds: Sequence[Any], labels: Sequence[Any], score: Callable[[Any, Any], float]
) -> list[tuple[int, int]]:
    """One-to-one greedy matching: best-scoring pairs first; a zero score never matches."""
    pairs = sorted(
        (
            (s, i, j)
            for i, p in enumerate(preds)
            for j, g in enumerate(labels)
            if (s := score(p, g))
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


@dataclass
class DocScore:
    """Every metric for one document of one variant."""

    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # rate: (hits, total)
    violations: list[str] = field(default_factory=list)  # must_not_include items found
    proposal_violation: bool = False
    missed: list[str] = field(default_factory=list)  # labelled participants not found
    invented: list[str] = field(default_factory=list)  # predicted, matching no label
    matched: dict[str, str] = field(default_factory=dict)  # predicted name -> label name
    costs: dict[str, float] = field(default_factory=dict)

    def values(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {k: _rate(*v) for k, v in self.counts.items()}
        out["participants_f1"] = _f1(out["participants_precision"], out["participants_recall"])
        out["must_not_include_violations"] = float(len(self.violations))
        out["proposal_violations"] = float(self.proposal_violation)
        return {**out, **self.costs}


def _rate(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _f1(p: float | None, r: float | None) -> float | None:
    if r is None:
        return None
    if p is None:  # nothing predicted: F1 is 0 (recall is 0 too)
        return 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _folded(text: str) -> str:
    return fold_name(text)


def must_not_include_hits(out: Output, items: Sequence[str]) -> list[str]:
    """Items found (folded substring, on word boundaries) in what the summary asserts."""
    fields = [out.headline, out.gist]
    if out.proposal:
        fields.append(out.proposal.statement)
    fields += [f for p in out.participants for f in (p.name, *p.aliases)]
    fields += [f for p in out.positions for f in (p.actor, p.summary)]
    fields += [f for s in out.next_steps for f in (s.action, s.actor or "")]
    hay = [_folded(f) for f in fields if f]
    return [
        item for item in items if fold_name(item).strip() and any(fold_name(item) in h for h in hay)
    ]


def _grounded(ev: OutEvidence, text: str) -> bool:
    return 0 <= ev.start < ev.end and text[ev.start : ev.end] == ev.quote


def _spans(quotes: Sequence[str], text: str) -> list[tuple[int, int]]:
    return [s for q in quotes if (s := locate_quote(q, text))]


def _overlaps(evidence: Sequence[OutEvidence], spans: Sequence[tuple[int, int]]) -> bool:
    return any(
        e.start < end and start < e.end for e in evidence if e.start >= 0 for start, end in spans
    )


def _when(value: str | None) -> str:
    words = fold_name(value or "").split()
    while words and words[0] in {"on", "by", "in", "at", "le", "el", "en", "the"}:
        words = words[1:]
    return " ".join(words)


def score_document(label: Label, article: Article, out: Output) -> DocScore:
    text = article.text
    doc = DocScore()
    preds = [[p.name, *p.aliases] for p in out.participants]
    pairs = match(preds, [g.forms for g in label.participants], forms_score)
    found = {j for _, j in pairs}
    doc.matched = {out.participants[i].name: label.participants[j].name for i, j in pairs}
    doc.missed = [g.name for j, g in enumerate(label.participants) if j not in found]
    hit = {i for i, _ in pairs}
    doc.invented = [p.name for i, p in enumerate(out.participants) if i not in hit]
    central = [j for j, g in enumerate(label.participants) if g.central]
    doc.counts["participants_precision"] = (len(pairs), len(preds))
    doc.counts["participants_recall"] = (len(pairs), len(label.participants))
    doc.counts["central_recall"] = (len(found & set(central)), len(central))

    def actor_forms(name: str) -> list[str]:
        same = [p for p in out.participants if fold_name(p.name) == fold_name(name)]
        return [name, *(same[0].aliases if same else [])]

    def label_forms(name: str) -> list[str]:
        participant = label.participant(name)
        return participant.forms if participant else [name]

    pos = match(
        [actor_forms(p.actor) for p in out.positions],
        [label_forms(g.actor) for g in label.positions],
        forms_score,
    )
    same = sum(out.positions[i].stance == label.positions[j].stance for i, j in pos)
    doc.counts["positions_recall"] = (len(pos), len(label.positions))
    doc.counts["stance_accuracy"] = (same, len(pos))

    has, expected = out.proposal is not None, label.proposal is not None
    doc.counts["proposal_accuracy"] = (int(has == expected), 1)
    doc.proposal_violation = has and not expected

    def step_score(i: int, j: int) -> float:
        s, g = out.next_steps[i], label.next_steps[j]
        if s.actor and g.actor and not forms_score(actor_forms(s.actor), label_forms(g.actor)):
            return 0.0
        similar = float(fuzz.token_set_ratio(_folded(s.action), _folded(g.action)))
        if _overlaps(s.evidence, _spans(g.evidence, text)):
            similar = 100.0
        return similar if similar >= STEP_SIMILARITY else 0.0

    steps = match(range(len(out.next_steps)), range(len(label.next_steps)), step_score)
    when_ok = 0
    for i, j in steps:
        s, g = out.next_steps[i], label.next_steps[j]
        when_ok += _when(s.when) == _when(g.when) or (
            g.when_iso is not None and s.when_iso == g.when_iso
        )
    doc.counts["next_steps_recall"] = (len(steps), len(label.next_steps))
    doc.counts["when_accuracy"] = (when_ok, len(steps))

    quotes = out.quotes()
    doc.counts["evidence_grounding"] = (sum(_grounded(e, text) for e in quotes), len(quotes))
    doc.counts["schema_validity"] = (int(out.schema_valid), 1)
    doc.violations = must_not_include_hits(out, label.must_not_include)
    doc.costs = {k: float(getattr(out, k)) for k in COSTS}
    return doc


def aggregate(docs: Sequence[DocScore]) -> dict[str, Any]:
    """Micro-averaged rates, summed violation counts, mean costs, median latency;
    plus a `macro` table of per-document means."""
    agg: dict[str, Any] = {}
    for name in RATES:
        hits = sum(d.counts[name][0] for d in docs)
        total = sum(d.counts[name][1] for d in docs)
        agg[name] = _rate(hits, total)
    agg["participants_f1"] = _f1(agg["participants_precision"], agg["participants_recall"])
    agg["must_not_include_violations"] = sum(len(d.violations) for d in docs)
    agg["proposal_violations"] = sum(d.proposal_violation for d in docs)
    for name in ("attempts", "prompt_tokens", "completion_tokens"):
        agg[name] = statistics.fmean(d.costs[name] for d in docs) if docs else None
    agg["latency_s"] = statistics.median(d.costs["latency_s"] for d in docs) if docs else None
    macro: dict[str, float | None] = {}
    for name in (*RATES, "participants_f1"):
        values = [v for d in docs if (v := d.values()[name]) is not None]
        macro[name] = statistics.fmean(values) if values else None
    agg["macro"] = macro
    return agg
