"""The article body split into numbered sentences with exact character offsets: the
unit the model cites as evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    """One sentence of the article body, numbered from 1, with its character span."""

    number: int
    start: int
    end: int
    text: str


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st sen rep gov gen col lt sgt capt jr sr inc corp ltd co no vs etc "
    "jan feb mar apr jun jul aug sep sept oct nov dec mme mlle sr sra dña".split()
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+|\n\s*\n")
# A German date's day ("am 3. Juni", "Dienstag, 3. Juni"): its dot ends no sentence
_GERMAN_DAY = re.compile(
    r"(?:\b(?:am|vom|zum|bis|ab|dem|den|seit|spätestens|und)|,)\s+(?:[1-9]|[12]\d|3[01])\.$",
    re.IGNORECASE,
)
_GERMAN_MONTH = re.compile(
    r"(?:Januar|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|"
    r"Dezember)\b"
)


def split_sentences(text: str) -> list[Sentence]:
    """Split the body into sentences with exact offsets (text[start:end] == sentence)."""
    sentences: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        candidate = text[start:end]
        if "\n" not in m.group(0) and _is_abbreviation(candidate.rstrip()):
            continue
        if "\n" not in m.group(0) and _german_day(candidate.rstrip(), text, end):
            continue
        nxt = text[end : end + 1]
        if "\n" not in m.group(0) and nxt and nxt.islower():
            continue
        _append(sentences, text, start, end)
        start = end
    _append(sentences, text, start, len(text))
    return sentences


def _german_day(candidate: str, text: str, end: int) -> bool:
    return _GERMAN_DAY.search(candidate) is not None and _GERMAN_MONTH.match(text, end) is not None


def _is_abbreviation(candidate: str) -> bool:
    if not candidate.endswith("."):
        return False
    last = candidate.split()[-1].rstrip(".").lower() if candidate.split() else ""
    # "U.S." / "U.K." / single initials ("J.") are not sentence ends.
    return last in _ABBREVIATIONS or bool(re.fullmatch(r"([a-z]\.)*[a-z]", last))


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    s = start + (len(chunk) - len(chunk.lstrip()))
    e = s + len(stripped)
    out.append(Sentence(number=len(out) + 1, start=s, end=e, text=text[s:e]))
