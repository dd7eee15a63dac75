"""What the bench sections share: the seed article and its copies, machine facts, rows."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from communique.ingest.article import Article, read_article_file
from communique.ingest.sentences import split_sentences
from communique.prompt.candidates import find_candidates
from communique.prompt.messages import render_messages
from communique.prompt.response_model import request_schema
from communique.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "articles" / "00_ap_macron_coalition.txt"
DAY = dt.date(2025, 3, 17)
FAKE_MODEL = "bench-fake"

Row = dict[str, Any]


def seed() -> Article:
    return read_article_file(SEED)


def seed_request() -> tuple[list[dict[str, str]], dict[str, Any]]:
    """The messages and the JSON schema the pipeline sends for the seed article."""
    article = seed()
    sentences = split_sentences(article.text)
    candidates = find_candidates(article.text, sentences)
    _, messages = render_messages(article, sentences, candidates)
    return messages, request_schema(len(sentences), candidates)


def copies(n: int) -> list[Article]:
    """n distinct articles (a briefing summarizes identical texts once): the seed with a
    closing sentence that adds no name, so the fake's canned answer grounds on each."""
    base = seed()
    return [
        base.model_copy(
            update={"id": f"copy-{i:04d}", "text": f"{base.text}\n\nThis is copy number {i}."}
        )
        for i in range(n)
    ]


def write_copies(n: int, folder: Path) -> Path:
    """The copies as text files with header lines, as `communique brief` reads them."""
    folder.mkdir(parents=True, exist_ok=True)
    for a in copies(n):
        head = f"title: {a.title}\ndate: {a.date}\nsource: {a.source}\n\n"
        (folder / f"{a.id}.txt").write_text(head + a.text, encoding="utf-8")
    return folder


def fake_settings(base_url: str, **changes: Any) -> Settings:
    """Settings for the fake endpoint, ignoring the caller's environment. One model call
    per summary (strategy "single"), so the ratios compare one request with one request;
    the default "two-pass" strategy makes a second, shorter call (see README)."""
    changes.setdefault("strategy", "single")
    return load_settings({}, base_url=base_url, model=FAKE_MODEL, **changes)


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def load() -> list[float]:
    """The 1/5/15-minute load averages (other processes share the cores)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def row(
    measure: str,
    value: float,
    unit: str,
    *,
    baseline: float | None = None,
    ratio: float | None = None,
    target: str = "",
    met: bool | None = None,
) -> Row:
    """One line of the table: a value, its baseline in the same run and the ratio."""
    if ratio is None and baseline:
        ratio = value / baseline
    return {
        "measure": measure,
        "value": round(value, 4),
        "unit": unit,
        "baseline": None if baseline is None else round(baseline, 4),
        "ratio": None if ratio is None else round(ratio, 4),
        "target": target,
        "met": met,
    }
