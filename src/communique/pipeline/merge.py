"""A long article's chunk summaries merged into one summary of the full article.

Merging keeps the guarantees of a single summary: every evidence span is mapped back to
the full article (text[start:end] == quote, sentence numbers of the full article),
participants are deduplicated by name and alias, one position per actor, next steps
deduplicated by the sentence they cite. What merging leaves out is reported in
`meta.dropped` by the `merge` rules below.
"""

from __future__ import annotations

from ..grounding.context import Paths
from ..grounding.rules.rule import Rule
from ..ingest.article import Article
from ..ingest.chunking import Chunk
from ..ingest.sentences import Sentence, split_sentences
from ..models import Dropped, Evidence, NextStep, Participant, Position, Summary
from ..text.folding import fold_name

SAME_ACTOR_POSITION = Rule(
    "merge.same_actor_position",
    "merge",
    "A long article's chunks are merged with one position per actor: a later chunk's "
    "position for an actor that already has one is dropped.",
    fixed=True,
)
SAME_SENTENCE_STEP = Rule(
    "merge.same_sentence_step",
    "merge",
    "A later chunk's next step citing the same sentence as an earlier one (chunks overlap "
    "by a paragraph) is dropped.",
    fixed=True,
)
LATER_PROPOSAL = Rule(
    "merge.later_proposal",
    "merge",
    "The merged summary keeps the first chunk's proposal that has one; a later chunk's "
    "proposal is dropped.",
    fixed=True,
)


def merge_summaries(
    full: Article, chunks: list[Chunk], summaries: list[Summary], paths: list[Paths]
) -> Summary:
    """The summary of the full article: its one chunk's, or the chunks' merged."""
    return summaries[0] if len(summaries) == 1 else merge(full, chunks, summaries, paths)


def merge(
    article: Article, chunks: list[Chunk], parts: list[Summary], paths: list[Paths]
) -> Summary:
    """One summary of the full article from the summaries of its chunks; `paths` are where
    each chunk's positions and next steps came from (a note names a dropped one by it,
    after its chunk: `chunk 2: actors[3].stance`)."""
    sentences = split_sentences(article.text)
    by_start = {s.start: s for s in sentences}

    def moved(ev: Evidence, offset: int) -> Evidence:
        start, end = ev.start + offset, ev.end + offset
        sentence = _sentence_at(start, by_start, sentences)
        return Evidence(quote=article.text[start:end], start=start, end=end, sentence=sentence)

    participants: list[Participant] = []
    forms: dict[str, int] = {}  # folded name or alias -> index in participants
    positions: dict[int, Position] = {}  # one per participant, the first one found
    steps: dict[int, tuple[NextStep, int | None]] = {}  # by cited offset
    proposal = None
    dropped: list[Dropped] = []
    for n, (chunk, summary, came) in enumerate(zip(chunks, parts, paths, strict=True), start=1):
        index = {p.name: _merge_participant(p, participants, forms) for p in summary.participants}
        dropped += [
            d.model_copy(update={"item": f"chunk {n}: {d.item}"}) for d in summary.meta.dropped
        ]
        for j, pos in enumerate(summary.positions):
            evidence = [moved(e, chunk.start) for e in pos.evidence]
            i = index.get(pos.actor)
            if i is not None and i not in positions:
                positions[i] = pos.model_copy(update={"evidence": evidence})
            elif i is not None:
                reason = f"'{pos.actor}' already has a position from an earlier chunk; kept that"
                item = f"chunk {n}: {came.positions[j]}"
                dropped.append(SAME_ACTOR_POSITION.note(item, reason, "dropped"))
        if summary.proposal is not None:
            if proposal is None:
                evidence = [moved(e, chunk.start) for e in summary.proposal.evidence]
                proposal = summary.proposal.model_copy(update={"evidence": evidence})
            else:
                reason = "an earlier chunk's proposal is kept"
                dropped.append(LATER_PROPOSAL.note(f"chunk {n}: proposal", reason, "dropped"))
        for j, step in enumerate(summary.next_steps):
            evidence = [moved(e, chunk.start) for e in step.evidence]
            key = evidence[0].start if evidence else -len(steps) - 1
            actor = index.get(step.actor) if step.actor else None
            if key in steps:
                reason = f"an earlier chunk's step cites the same sentence ({evidence[0].sentence})"
                item = f"chunk {n}: {came.next_steps[j]}"
                dropped.append(SAME_SENTENCE_STEP.note(item, reason, "dropped"))
                continue
            steps[key] = (step.model_copy(update={"evidence": evidence}), actor)
    merged_positions = [
        pos.model_copy(update={"actor": participants[i].name}) for i, pos in positions.items()
    ]
    merged_steps = [
        step.model_copy(update={"actor": participants[i].name if i is not None else None})
        for step, i in (steps[k] for k in sorted(steps))
    ]
    first = parts[0]
    meta = first.meta.model_copy(
        update={
            "article_id": article.label,
            "article_sha256": article.sha256,
            "prompt_tokens": sum(p.meta.prompt_tokens for p in parts),
            "completion_tokens": sum(p.meta.completion_tokens for p in parts),
            "latency_s": round(sum(p.meta.latency_s for p in parts), 3),
            "attempts": max(p.meta.attempts for p in parts),
            "calls": sum(p.meta.calls for p in parts),
            "transport_retries": sum(p.meta.transport_retries for p in parts),
            "chunks": len(parts),
            "dropped": dropped,
            "degraded": next((p.meta.degraded for p in parts if p.meta.degraded), None),
        }
    )
    return first.model_copy(  # the first chunk's headline and gist
        update={
            "proposal": proposal,
            "participants": participants,
            "positions": merged_positions,
            "next_steps": merged_steps,
            "meta": meta,
        }
    )


def _merge_participant(
    p: Participant, participants: list[Participant], forms: dict[str, int]
) -> int:
    keys = [fold_name(f) for f in (p.name, *p.aliases)]
    found = next((forms[k] for k in keys if k in forms), None)
    if found is None:
        participants.append(p)
        found = len(participants) - 1
    else:
        old = participants[found]
        names = [old.name, *old.aliases]
        extra = [f for f in (p.name, *p.aliases) if f not in names]
        # the fuller form becomes the name ("Macron" seen first, "Emmanuel Macron" later)
        if len(p.name.split()) > len(old.name.split()):
            new_name, aliases = p.name, [f for f in (*names, *extra) if f != p.name]
        else:
            new_name, aliases = old.name, [*old.aliases, *extra]
        participants[found] = old.model_copy(update={"name": new_name, "aliases": aliases})
    for k in keys:
        forms.setdefault(k, found)
    return found


def _sentence_at(
    start: int, by_start: dict[int, Sentence], sentences: list[Sentence]
) -> int | None:
    if start in by_start:
        return by_start[start].number
    inside = [s for s in sentences if s.start <= start < s.end]
    return inside[0].number if inside else None
