"""An external labelled set (e.g. a newsroom's own real articles): DIR/articles/NAME.txt
and DIR/labels/NAME.json in the real-news dev set's format, scored the way that set's
scorer scores it, so numbers here and there agree.

Label format: `proposal` (a string; "No proposal ..." for none), `participants[]` (name,
aliases, kind, role, affiliation), `positions[]` (actor, stance, summary, evidence: one
verbatim string), `next_steps[]` (action, actor, when, evidence), `must_not_include[]`.

Metrics (micro over documents where stated):
- participants precision / recall / F1 (mean over documents): a predicted participant
  matches a labelled one by name or alias: exact, token-set ratio >= 90, or the same
  surname (one of the two a single word);
- positions found: labelled positions whose actor has at least one predicted position;
- right stance among found: ... one of whose predicted positions has the labelled stance;
- next-step recall (mean over documents with steps): a labelled step is found when a
  predicted action has token-set ratio >= 60 with it, or the predicted step's evidence
  overlaps the labelled evidence (partial ratio >= 80);
- quotes verbatim, invented participants (a name not written in the article), proposal
  right (none for a no-proposal article, present otherwise).

The articles of such a set are usually someone else's copyrighted text, so recordings of
the model's answers (which contain it) are refused inside a git work tree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from ..errors import UsageError
from ..ingest.article import Article, read_article_file
from .labels import label_files

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").translate(_QUOTES)).strip().lower()


@dataclass(frozen=True)
class ExternalDoc:
    name: str
    article: Article
    label: Mapping[str, Any]

    @property
    def body(self) -> str:
        return self.article.text


def load_external(directory: Path) -> list[ExternalDoc]:
    """DIR/labels/*.json with DIR/articles/<same stem>.txt, sorted by name."""
    docs = []
    for path in label_files(directory):
        article_path = directory / "articles" / f"{path.stem}.txt"
        if not article_path.is_file():
            raise UsageError(f"label {path.name} has no article {article_path}")
        label = json.loads(path.read_text(encoding="utf-8"))
        docs.append(ExternalDoc(path.stem, read_article_file(article_path), label))
    return docs


def inside_work_tree(path: Path) -> Path | None:
    """The git work tree holding `path` (or where it would be created), if any."""
    here = path.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _names(p: Mapping[str, Any]) -> list[str]:
    return [n for n in [p.get("name") or "", *(p.get("aliases") or [])] if n]


def same_name(a: str, b: str) -> bool:
    a, b = norm(a), norm(b)
    if not a or not b:
        return False
    if a == b or fuzz.token_set_ratio(a, b) >= 90:
        return True
    last_a, last_b = a.split()[-1], b.split()[-1]
    return len(last_a) > 3 and last_a == last_b and (len(a.split()) == 1 or len(b.split()) == 1)


def _match(wanted: Mapping[str, Any], preds: Sequence[Mapping[str, Any]]) -> int | None:
    for i, p in enumerate(preds):  # the same primary name first, then any name or alias
        if norm(p.get("name")) == norm(wanted.get("name")):
            return i
    for i, p in enumerate(preds):
        if any(same_name(x, y) for x in _names(wanted) for y in _names(p)):
            return i
    return None


def _quotes(item: Any) -> list[str]:
    if isinstance(item, dict):
        out = []
        for key, value in item.items():
            if key in ("quote", "evidence") and isinstance(value, str):
                out.append(value)
            else:
                out += _quotes(value)
        return out
    if isinstance(item, list):
        return [q for v in item for q in _quotes(v)]
    return []


@dataclass
class ExternalScore:
    doc: str
    proposal_right: bool
    precision: float
    recall: float
    f1: float
    invented: list[str]
    positions_total: int
    positions_found: int
    stance_right: int
    steps_total: int
    steps_found: int
    quotes: int
    verbatim: int
    latency_s: float | None = None
    missed_participants: list[str] = field(default_factory=list)
    missed_positions: list[str] = field(default_factory=list)
    missed_steps: list[str] = field(default_factory=list)


def score_external(doc: ExternalDoc, summary: Mapping[str, Any]) -> ExternalScore:
    label = doc.label
    text = norm(doc.body)
    wanted, got = list(label["participants"]), list(summary.get("participants") or [])
    matched = {i: j for i, p in enumerate(wanted) if (j := _match(p, got)) is not None}
    recall = len(matched) / len(wanted) if wanted else 1.0
    hit = set(matched.values())
    right = sum(1 for j, p in enumerate(got) if j in hit or _match(p, wanted) is not None)
    precision = right / len(got) if got else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    invented = [
        str(p.get("name"))
        for p in got
        if not any(
            norm(n) in text or any(len(t) > 3 and t in text for t in norm(n).split())
            for n in _names(p)
        )
    ]
    by_name = {wanted[i]["name"]: got[j] for i, j in matched.items()}
    found = stance_ok = 0
    missed_positions = []
    positions = list(summary.get("positions") or [])
    for pos in label["positions"]:
        who = by_name.get(pos["actor"])
        preds = (
            [q for q in positions if any(same_name(q.get("actor", ""), n) for n in _names(who))]
            if who
            else []
        )
        found += bool(preds)
        good = any((q.get("stance") or "").lower() == pos["stance"] for q in preds)
        stance_ok += good
        if not good:
            had = sorted({str(q.get("stance")) for q in preds}) or ["no position"]
            missed_positions.append(f"{pos['actor']} {pos['stance']} (got {', '.join(had)})")
    steps_found = 0
    missed_steps = []
    steps = list(summary.get("next_steps") or [])
    for step in label["next_steps"]:
        evidence = norm(step["evidence"])
        if any(_step_matches(step, evidence, q) for q in steps):
            steps_found += 1
        else:
            missed_steps.append(str(step["action"]))
    quotes = _quotes({k: summary.get(k) for k in ("proposal", "positions", "next_steps")})
    no_proposal = str(label["proposal"]).lower().startswith("no proposal")
    has_proposal = summary.get("proposal") is not None
    return ExternalScore(
        doc=doc.name,
        proposal_right=(not has_proposal) if no_proposal else has_proposal,
        precision=precision,
        recall=recall,
        f1=f1,
        invented=invented,
        positions_total=len(label["positions"]),
        positions_found=found,
        stance_right=stance_ok,
        steps_total=len(label["next_steps"]),
        steps_found=steps_found,
        quotes=len(quotes),
        verbatim=sum(1 for q in quotes if norm(q) and norm(q) in text),
        missed_participants=[p["name"] for i, p in enumerate(wanted) if i not in matched],
        missed_positions=missed_positions,
        missed_steps=missed_steps,
    )


def _step_matches(step: Mapping[str, Any], evidence: str, pred: Mapping[str, Any]) -> bool:
    action = norm(pred.get("action", ""))
    cited = " ".join(norm(q) for q in _quotes(pred))
    if fuzz.token_set_ratio(action, norm(step["action"])) >= 60:
        return True
    return bool(cited) and fuzz.partial_ratio(cited, evidence) >= 80


def _mean(values: Iterable[float]) -> float:
    got = list(values)
    return round(sum(got) / len(got), 3) if got else 0.0


def aggregate_external(scores: Sequence[ExternalScore], failed: int = 0) -> dict[str, Any]:
    """The set's headline numbers (the scorer's: per-document means for participants and
    next steps, micro counts for positions and stance)."""
    found = sum(s.positions_found for s in scores)
    total = sum(s.positions_total for s in scores)
    right = sum(s.stance_right for s in scores)
    latencies = sorted(s.latency_s for s in scores if s.latency_s is not None)
    return {
        "documents": len(scores),
        "failed": failed,
        "participants_precision": _mean(s.precision for s in scores),
        "participants_recall": _mean(s.recall for s in scores),
        "participants_f1": _mean(s.f1 for s in scores),
        "positions_found": round(found / total, 3) if total else 0.0,
        "positions_found_n": f"{found}/{total}",
        "stance_among_found": round(right / found, 3) if found else 0.0,
        "stance_among_found_n": f"{right}/{found}",
        "next_steps_recall": _mean(s.steps_found / s.steps_total for s in scores if s.steps_total),
        "quotes_verbatim_n": f"{sum(s.verbatim for s in scores)}/{sum(s.quotes for s in scores)}",
        "invented_participants": sum(len(s.invented) for s in scores),
        "proposal_right_n": f"{sum(s.proposal_right for s in scores)}/{len(scores)}",
        "latency_s_median": latencies[len(latencies) // 2] if latencies else None,
    }


def seed_as_external(name: str, article: Article, label: Any) -> ExternalDoc:
    """One of the project's own seeds in the external format, so both sets are scored by
    the same definitions side by side."""
    data = label.model_dump(mode="json")
    return ExternalDoc(
        name,
        article,
        {
            "proposal": data["proposal"]["statement"] if data["proposal"] else "No proposal",
            "participants": data["participants"],
            "positions": [{**p, "evidence": " ".join(p["evidence"])} for p in data["positions"]],
            "next_steps": [{**s, "evidence": " ".join(s["evidence"])} for s in data["next_steps"]],
        },
    )
