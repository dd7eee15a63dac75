"""Briefing output: JSON, one self-contained HTML page, and the all-or-nothing file write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .briefing import Briefing
from .models import Evidence, Summary
from .outputs import write_files
from .prompt import prompts_dir
from .stories import Story, StoryPosition

HTML_TEMPLATE = "briefing.html.j2"


@dataclass
class _Table:
    """A story's actor x article stance table."""

    actors: list[str]
    cells: dict[tuple[str, str], list[StoryPosition]]
    disagreeing: set[str]


def _table(story: Story) -> _Table:
    cells: dict[tuple[str, str], list[StoryPosition]] = {}
    for p in story.positions:
        cells.setdefault((p.actor, p.article_id), []).append(p)
    actors = list(dict.fromkeys(p.actor for p in story.positions))
    return _Table(actors, cells, {d.actor for d in story.disagreements})


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
