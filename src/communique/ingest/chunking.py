"""Long articles: split on paragraph boundaries into overlapping chunks that fit the
model's context window. Each chunk is summarized on its own; pipeline/merge.py merges
the summaries into one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..settings import Settings
from .article import Article
from .sentences import split_sentences

CHARS_PER_TOKEN = 3.2  # conservative for news text (English, French, Spanish)
PROMPT_OVERHEAD_TOKENS = 1600  # instructions + the candidate name list
OVERLAP_PARAGRAPHS = 1
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\S)")


@dataclass(frozen=True)
class Chunk:
    start: int  # offset of the chunk's text in the full article
    article: Article


def chunk_chars(settings: Settings) -> int:
    """How many characters of article one call can take: the context window minus the
    answer (max_tokens) and the prompt's own text."""
    if settings.chunk_chars:
        return settings.chunk_chars
    budget = settings.context_tokens - settings.max_tokens - PROMPT_OVERHEAD_TOKENS
    return max(2000, int(budget * CHARS_PER_TOKEN))


def split(article: Article, limit: int) -> list[Chunk]:
    """One chunk when the article fits; else paragraph-aligned chunks of at most `limit`
    characters, each starting with the last paragraph of the previous one."""
    if len(article.text) <= limit:
        return [Chunk(0, article)]
    spans = _pieces(article.text, limit)
    chunks: list[Chunk] = []
    i = 0
    while i < len(spans):
        j = i
        while j + 1 < len(spans) and spans[j + 1][1] - spans[i][0] <= limit:
            j += 1
        start, end = spans[i][0], spans[j][1]
        n = len(chunks) + 1
        text = article.text[start:end]
        part = article.model_copy(update={"text": text, "id": f"{article.label}#{n}"})
        chunks.append(Chunk(start, part))
        if j + 1 >= len(spans):
            break
        i = max(j + 1 - OVERLAP_PARAGRAPHS, i + 1)
    return chunks


def _pieces(text: str, limit: int) -> list[tuple[int, int]]:
    """Paragraph spans (start, end) with surrounding whitespace trimmed; a paragraph longer
    than the limit is cut at sentence ends (a sentence longer than that, at the limit)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in [*_PARAGRAPH.finditer(text), None]:
        end = m.start() if m else len(text)
        _add_trimmed(text, pos, end, spans, limit)
        pos = m.end() if m else len(text)
    return spans


def _add_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]], limit: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    if end - start <= limit:
        spans.append((start, end))
        return
    piece_start = start
    for s in split_sentences(text[start:end]):
        s_end = start + s.end
        if s_end - piece_start > limit and start + s.start > piece_start:
            spans.append(
                (piece_start, len(text[piece_start : start + s.start].rstrip()) + piece_start)
            )
            piece_start = start + s.start
        while s_end - piece_start > limit:  # one sentence over the limit
            spans.append((piece_start, piece_start + limit))
            piece_start += limit
    if piece_start < end:
        spans.append((piece_start, end))
