"""Briefing output: JSON, one self-contained HTML page, and the all-or-nothing file write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..models import Evidence, Summary
from ..prompt.templates import prompts_dir
from .brief import Briefing
from .outputs import write_files
from .stories import Story, StoryPosition

HTML_TEMPLATE = "briefing.html.j2"
# A story with more articles than this gets one row per actor (its stances, each with
# links to its articles) instead of an actor x article table: 2,000 articles made a
# 2,002 x 2,000 table, a 95 MB page. bench/html.py measures the page at that scale.
MATRIX_MAX_ARTICLES = 12
LINKS_PER_STANCE = 20  # links shown per actor and stance; the rest are counted


@dataclass
class _Row:
    """One actor of a large story: per stance, the positions linked and how many more."""

    actor: str
    stances: list[tuple[str, list[StoryPosition], int]]


@dataclass
class _Table:
    """A story's stances: an actor x article table, or one row per actor when large."""

    actors: list[str]
    cells: dict[tuple[str, str], list[StoryPosition]]
    disagreeing: set[str]
    rows: list[_Row] | None = None  # set instead of the table for a large story


def _table(story: Story) -> _Table:
    cells: dict[tuple[str, str], list[StoryPosition]] = {}
    for p in story.positions:
        cells.setdefault((p.actor, p.article_id), []).append(p)
    actors = list(dict.fromkeys(p.actor for p in story.positions))
    table = _Table(actors, cells, {d.actor for d in story.disagreements})
    if len(story.article_ids) > MATRIX_MAX_ARTICLES:
        table.rows = _rows(story)
        table.cells = {}
    return table


def _rows(story: Story) -> list[_Row]:
    by_actor: dict[str, dict[str, list[StoryPosition]]] = {}
    for p in story.positions:
        by_actor.setdefault(p.actor, {}).setdefault(p.stance, []).append(p)
    return [
        _Row(
            actor,
            [
                (stance, found[:LINKS_PER_STANCE], max(0, len(found) - LINKS_PER_STANCE))
                for stance, found in stances.items()
            ],
        )
        for actor, stances in by_actor.items()
    ]


def _quotes(summary: Summary | None) -> list[Evidence]:
    """An article's cited evidence, once each, in text order."""
    if summary is None:
        return []
    cited = [*(summary.proposal.evidence if summary.proposal else [])]
    cited += [e for p in summary.positions for e in p.evidence]
    cited += [e for n in summary.next_steps for e in n.evidence]
    return sorted({e.start: e for e in cited}.values(), key=lambda e: e.start)


def render_html(briefing: Briefing) -> str:
    """The briefing as one self-contained HTML page (autoescaped, inline CSS only)."""
    env = Environment(
        loader=FileSystemLoader(prompts_dir()),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    number = {item.id: n for n, item in enumerate(briefing.items, start=1)}
    return env.get_template(HTML_TEMPLATE).render(
        b=briefing,
        items={item.id: item for item in briefing.items},
        number=number,
        anchor={aid: f"article-{n}" for aid, n in number.items()},
        quotes={item.id: _quotes(item.summary) for item in briefing.items},
        tables={story.id: _table(story) for story in briefing.stories},
    )


def briefing_json(briefing: Briefing) -> str:
    return briefing.model_dump_json(indent=2) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then os.replace: all or nothing
    (see outputs.write_files, which writes several files that way)."""
    write_files([(path, text)])
