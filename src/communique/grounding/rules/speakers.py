"""Who speaks or acts in a sentence, by wording alone: the actor a per-actor call may ask
about (pipeline/per_actor.py). A name written before a verb of saying or acting
("Ana Ruiz said", "the union, which represents 3,000 dockers, rejected"), or after
"said" / "according to", speaks or acts; one written after a preposition ("talks in
Geneva"), as the object of "challenged", "urged", "told", or in a dateline
("HALVERGATE (communique) —") does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...ingest.sentences import Sentence
from ...text.folding import fold_name
from ...text.lexicon import unaccented
from .cues import ACTS, company_form

# What a name written just before it does not do itself: it is where something happens
# ("talks in Geneva"), whom one acts on ("Starmer challenged Putin"), or part of a list
# ("Iran and Iraq"), also with an article between ("in the U.K."); in folded text ("à" ->
# "a", "für" -> "fur"). An article alone opens a subject ("The Dock Union rejected").
_NOT_SUBJECT = re.compile(
    r"\b(?:in|at|to|from|near|with|against|of|on|by|for|into|over|about|and|a|en|dans|de|"
    r"du|des|del|challenged|urged|asked|told|met|meet|meets|von|mit|gegen|fur|im|am|zu|zum|"
    r"zur)(?:\s+(?:the|an|la|le|les|el|los|las|den|dem|der|die|das))?\s*$"
)
# A speaker named after the verb: "said Ana Ruiz", "according to the ministry".
_SAID_BY = re.compile(
    r"(?:said|says|according to|selon|segun|laut|dijo|added|declare|declaro|a dit|afirmo|"
    r"senalo|explico|sagte|erklarte)\s+(?:[a-z.'-]+\s+){0,5}$"
)
_ACTS_FOLDED = re.compile(unaccented(ACTS.pattern), re.IGNORECASE)
# A wire story's dateline: "HALVERGATE (communique) — ", "BRUSSELS, "
_DATELINE = re.compile(r"^\s*(?:[A-Z][A-Z.'’/\-]+,? )+(?:\([^)]*\)\s*)?(?:[—–-]\s*)?")
SPEAKER_REACH = 90  # characters from a name to the verb it is the subject of


def speaks(forms: Sequence[str], sentences: Sequence[Sentence]) -> bool:
    """Does the actor (one of its forms) speak or act in one of the sentences: written
    before a verb of saying or acting, within SPEAKER_REACH characters and not after a
    preposition or as the object of "challenged", "urged" ...; or after "said",
    "according to". A dateline is not the actor acting."""
    folded = {company_form(fold_name(f)) for f in forms if f.strip()}
    return any(_speaks(f, s) for s in sentences for f in folded)


def _speaks(name: str, sentence: Sentence) -> bool:
    text = fold_name(_DATELINE.sub(" ", sentence.text, count=1))
    at = text.find(name)
    while at >= 0:
        before, after = text[: at + 1], text[at + len(name) - 1 :]
        if _SAID_BY.search(before.rstrip() + " "):
            return True
        if not _NOT_SUBJECT.search(before.rstrip()) and _ACTS_FOLDED.search(after[:SPEAKER_REACH]):
            return True
        at = text.find(name, at + 1)
    return False
