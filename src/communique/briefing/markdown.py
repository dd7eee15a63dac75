"""The briefing as Markdown for an e-mail or a chat message (`communique brief --md`).

Stories first, each with its proposal and status, who stands where (one line per actor,
the stance in each article, flagged when it differs), the next steps with their dates,
and numbered links to its sources; then what was not summarized: duplicates and failures
with their reasons. Text from articles and the model is escaped, so it cannot add links,
HTML or headings; only http(s) URLs become links.
"""

from __future__ import annotations

import re

from .brief import Briefing, Item
from .stories import Story, StoryPosition

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def render_markdown(briefing: Briefing) -> str:
    items = {item.id: item for item in briefing.items}
    c = briefing.counts
    out = [
        f"# Briefing {briefing.date.isoformat()}",
        "",
        f"{_n(len(briefing.stories), 'story', 'stories')} from {_n(c.inputs, 'input')}: "
        f"{c.summarized} summarized ({c.cached} from cache), "
        f"{_n(c.duplicates, 'duplicate')}, {c.failed} failed.",
    ]
    for number, story in enumerate(briefing.stories, start=1):
        out += ["", *_story(number, story, items)]
    if not briefing.stories:
        out += ["", "No article could be summarized."]
    duplicates = [i for i in briefing.items if i.duplicate_of is not None]
    if duplicates:
        out += ["", "## Duplicates", ""]
        for i in duplicates:
            original = items.get(i.duplicate_of or "")
            same = _link(_ref(i.duplicate_of, items), original)
            out.append(f"- {_link(i.title or i.id, i)}: same text as {same}")
    if briefing.failures:
        out += ["", "## Not summarized", ""]
        for f in briefing.failures:
            where = f" (listed in {_url_or_text(f.path)})" if f.path and f.path != f.id else ""
            out.append(f"- {_url_or_text(f.id)}{where}: {_esc(f.reason)}")
    p = briefing.provenance
    out += [
        "",
        f"_Generated {briefing.generated_at.isoformat(timespec='seconds')} by "
        f"{_code(p.model)} at {_code(p.endpoint)}, schema {_esc(p.schema_version)}._",
    ]
    return "\n".join(out) + "\n"


def _story(number: int, story: Story, items: dict[str, Item]) -> list[str]:
    sources = {aid: n for n, aid in enumerate(story.article_ids, start=1)}
    lines = [f"## {number}. {_esc(story.headline)}", ""]
    if story.proposal is not None:
        status = f" ({_esc(story.status)})" if story.status else ""
        lines.append(f"**Proposal:** {_esc(story.proposal)}{status}")
    roles = {p.name: p.role for p in story.participants}
    differs = {d.actor for d in story.disagreements}
    by_actor: dict[str, list[StoryPosition]] = {}
    for position in story.positions:
        by_actor.setdefault(position.actor, []).append(position)
    if by_actor:
        lines += ["", "**Who stands where**", ""]
        for actor, positions in by_actor.items():
            known = roles.get(actor)
            role = f" ({_esc(known)})" if known else ""
            said = [f"{p.stance}: {_esc(p.summary)} [{sources[p.article_id]}]" for p in positions]
            if len(said) == 1:
                lines.append(f"- **{_esc(actor)}**{role}, {said[0]}")
                continue
            flag = ", stance differs between articles" if actor in differs else ""
            lines.append(f"- **{_esc(actor)}**{role}{flag}:")
            lines += [f"  - {line}" for line in said]
    if story.next_steps:
        lines += ["", "**Next steps**", ""]
        for step in story.next_steps:
            when = step.when_iso.isoformat() if step.when_iso else (step.when or "date unknown")
            who = f" ({_esc(step.actor)})" if step.actor else ""
            lines.append(
                f"- **{_esc(when)}**: {_esc(step.action)}{who} [{sources[step.article_id]}]"
            )
    lines += ["", "**Sources**", ""]
    for aid, n in sources.items():
        item = items.get(aid)
        about = [x for x in (item.source, item.date and item.date.isoformat()) if x] if item else []
        tail = f" ({_esc(', '.join(about))})" if about else ""
        lines.append(f"{n}. {_link(_ref(aid, items), item)}{tail}")
    return lines


def _ref(aid: str | None, items: dict[str, Item]) -> str:
    item = items.get(aid or "")
    return (item.title if item is not None and item.title else None) or (aid or "")


def _link(text: str, item: Item | None) -> str:
    """[text](url) when the item has an http(s) URL (its id or path), else the text."""
    urls = [u for u in ((item.id, item.path) if item else ()) if u and _is_url(u)]
    if not urls:
        return _esc(text)
    return f"[{_esc(text)}]({_href(urls[0])})"


def _url_or_text(value: str) -> str:
    return f"<{_href(value)}>" if _is_url(value) else _esc(value)


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://")) and not any(c.isspace() for c in value)


def _href(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def _esc(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _code(text: str) -> str:
    return "`" + " ".join(text.replace("`", "'").split()) + "`"


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"
