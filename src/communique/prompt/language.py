"""A small stop-word vote for the article's language, so the prompt can insist on English
output for articles in French, Spanish or German (a small model otherwise answers in the
article's language). Evidence stays in the original language: it is copied by code."""

from __future__ import annotations

import re
from collections import Counter

_STOPWORDS = {
    "English": frozenset("the and of to in is that for on with was said has are".split()),
    "French": frozenset("le la les des et est une du dans que pour sur pas qui au aux".split()),
    "Spanish": frozenset("el los las del y es una que por con para sus como más al".split()),
    "German": frozenset("der die das und ist nicht mit von den dem ein eine sich auf für".split()),
}


def detect_language(text: str) -> str:
    counts = Counter(re.findall(r"[^\W\d_]+", text.casefold())[:2000])
    votes = {lang: sum(counts[w] for w in stop) for lang, stop in _STOPWORDS.items()}
    return max(votes, key=lambda lang: (votes[lang], lang == "English"))


def language_note(text: str) -> str:
    """'' for English; otherwise a sentence appended to the prompt's last line."""
    language = detect_language(text)
    if language == "English":
        return ""
    return (
        f" The article is in {language}: write the headline, gist, statement, roles, "
        "summaries and actions in English."
    )
