"""Stage 4 — grounding: the code, not the model, ties every claim to the article text.

The model cites sentence numbers; this module checks them, copies the exact sentence
text with its character offsets, checks that every participant is named in the article
and that every actor is a listed participant. In strict mode problems are raised (and
fed back to the model by instructor); in lenient mode offending items are dropped and
reported, never silently kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..ingest.sentences import Sentence
from ..models import Dropped, Evidence
from .lexicon import NOT_A_NAMES_LAST_WORD, NOT_INITIALS

_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
    }
)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space and map typographic quotes to ASCII.

    Returns the normalised text and, for each of its characters, the index of the
    original character it came from.
    """
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space and out:
                out.append(" ")
                index.append(i)
            in_space = True
            continue
        in_space = False
        out.append(ch.translate(_QUOTES))
        index.append(i)
    if out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


def normalize(text: str) -> str:
    return normalize_with_map(text)[0]


def locate_quote(quote: str, text: str) -> tuple[int, int] | None:
    """Find a quote verbatim (modulo whitespace and quote style); return original offsets."""
    needle = normalize(quote).strip(" \"'")
    if not needle:
        return None
    hay, index = normalize_with_map(text)
    pos = hay.find(needle)
    if pos < 0:
        return None
    return index[pos], index[pos + len(needle) - 1] + 1


def fold_name(text: str) -> str:
    """Fold a name or text for name matching: accents, case, dots, quotes, whitespace, a
    possessive 's ("France's minister" names France)."""
    # Names and sentences are folded again and again (grounding, story merging): remember
    # the short ones; a whole article is folded once and not kept.
    return _fold_short(text) if len(text) <= 400 else _fold(text)


@lru_cache(maxsize=8192)
def _fold_short(text: str) -> str:
    return _fold(text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _drop_combining(m: re.Match[str]) -> str:
    return "" if unicodedata.combining(m.group()) else m.group()


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    if not plain.isascii():  # drop the accents; only non-ASCII characters are looked at
        plain = _NON_ASCII.sub(_drop_combining, plain)
    plain = plain.translate(_QUOTES).replace(".", "").casefold()
    plain = _POSSESSIVE.sub("", re.sub(r"[^\w'\- ]+", " ", plain))  # "france's" -> "france"
    return " " + re.sub(r"\s+", " ", plain).strip() + " "


_POSSESSIVE = re.compile(r"(?<=\w)'s\b")


def initials(name: str) -> str:
    """'European Union' -> 'eu', 'Bank of England' -> 'be' (connectors skipped)."""
    return "".join(w[0] for w in fold_name(name).split() if w not in NOT_INITIALS)


def name_in_text(name: str, folded_text: str) -> bool:
    """Is this name written in the article? (Full name, or its last significant word.)"""
    folded = fold_name(name)
    if folded.strip() and folded in folded_text:
        return True
    words = [w for w in folded.split() if w not in NOT_A_NAMES_LAST_WORD and len(w) >= 3]
    return bool(words) and f" {words[-1]} " in folded_text


@dataclass
class Grounded:
    """The result of grounding one extraction."""

    evidence_for: dict[str, list[Evidence]] = field(default_factory=dict)
    problems: list[Dropped] = field(default_factory=list)


def evidence_from_sentences(
    cited: Sequence[int], sentences: Sequence[Sentence]
) -> tuple[list[Evidence], list[int]]:
    """Turn cited sentence numbers into Evidence; also return the numbers that don't exist."""
    evidence: list[Evidence] = []
    bad: list[int] = []
    seen: set[int] = set()
    for n in cited:
        if n in seen:
            continue
        seen.add(n)
        if 1 <= n <= len(sentences):
            s = sentences[n - 1]
            evidence.append(Evidence(quote=s.text, start=s.start, end=s.end, sentence=n))
        else:
            bad.append(n)
    return evidence, bad


def cut_at_word(text: str, limit: int) -> str:
    """`text` in at most `limit` characters: cut after a whole word, "…" marking the cut."""
    if len(text) <= limit:
        return text
    end = text.rfind(" ", 0, limit)
    return text[: end if end > 0 else limit - 1].rstrip(" ,;:") + "…"
