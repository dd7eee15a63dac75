"""The model's own words, tidied where it stopped mid-phrase.

Asked for "at most 12 words", a small model copies a sentence's first twelve words and
stops: "Trump expressed impatience with the pace of the talks, so". A next step's action
or a position's summary that ends on a word that cannot end a phrase loses those words
and the punctuation before them, and ends with "…" to show it was cut; the change is
reported in `meta.dropped`.

The small model also slips into another language mid-sentence ("the plan is 'a临时'").
Text in a script the article never uses is cut off at that word, the same way.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TypeVar

from pydantic import BaseModel

from ...ingest.article import Article
from ...models import NoteAction
from ...pipeline.followup import SHORT_TEXT_MAX
from ...prompt.language import detect_language
from ...text.folding import cut_at_word
from ...text.lexicon import ABBREVIATED_TITLES
from ..answer import GIST_MAX, HEADLINE_MAX, ROLE_MAX, STATEMENT_MAX, TEXT_MAX
from ..context import GroundedParts
from .rule import Rule

M = TypeVar("M", bound=BaseModel)

_DANGLING = frozenset(
    """a an the and or but so nor yet of to with from by for as than that which who whose
    whom while if because although though when where its their his her our your my these
    those will would can could might must shall should is are was were be been has have
    had""".split()
)
# ... and, in a text that was cut off (at a length cap, or at the follow-up's 12 words),
# a last preposition: 'will convene again in the U.K. on' ('the deal they agreed on' is
# whole)
_DANGLING_WHEN_CUT = _DANGLING | frozenset(
    """on in at into onto about after before over under between against toward towards
    until via per upon within without during through across among amid including such
    de du des le la les et en au aux pour par sur avec que qui el los las del con por para
    y""".split()
)
WORDS_ASKED = 12  # the follow-up asks for an action "in at most 12 words"
_ENDED = (".", "!", "?", '"', "”", "'", "’", "»", ")")

ARTICLE_PREAMBLE = Rule(
    "text.article_preamble",
    "finish",
    "A next step's action or a position's summary that opens by speaking of the article "
    "('The article states that talks resume') loses that opening.",
)
DANGLING_END = Rule(
    "text.dangling_end",
    "finish",
    "Model text that stops mid-phrase ('..., so'), or mid-word at a length cap of the "
    "schema, loses its dangling words and ends with '…' (actions, summaries, headline, "
    "proposal, roles).",
)
FOREIGN_SCRIPT = Rule(
    "text.foreign_script",
    "finish",
    "Model text that switches to a script the article does not use ('the plan is "
    "'a临时'') is cut before that word; a headline, summary or statement left empty "
    "falls back to the title, '<actor>: <stance>' or the evidence; an action left empty "
    "drops its step.",
)
HEADLINE_IN_ENGLISH = Rule(
    "headline.in_english",
    "finish",
    "A headline left in the article's (French, Spanish, German) language while the gist "
    "is English becomes the gist's first sentence, cut to the headline's cap.",
)


# The schema's length caps (main call, follow-up call): a text exactly this long was cut
# off, maybe mid-word.
_ITEM_CAPS = frozenset({TEXT_MAX, SHORT_TEXT_MAX})
_HEADLINE_CAP = frozenset({HEADLINE_MAX})
_STATEMENT_CAP = frozenset({STATEMENT_MAX})
_ROLE_CAP = frozenset({ROLE_MAX})
_GIST_CAP = frozenset({GIST_MAX})


def cut_dangling(text: str, source: str = "", caps: frozenset[int] = frozenset()) -> str:
    """`text` without the words that leave it hanging ('..., so' -> '…'; at a length cap
    in `caps`, its last word: the cap may have fallen inside it, 'begin an info'), else as
    is."""
    words = text.rstrip().split()
    cut = len(words)
    # at the cap the model was cut off; just under it (a stripped space), when the last
    # word is not one the sentences copied write whole
    at_cap = any(len(text) == cap for cap in caps) or any(
        source and cap - 2 <= len(text) < cap and not _whole(words[-1], source) for cap in caps
    )
    if at_cap and text.rstrip()[-1:].isalnum() and cut > 2:
        cut -= 1  # 'meant "difficult deci', 'remove 140 parking': the cap fell in a phrase
    while cut > 1 and words[cut - 1] in ABBREVIATED_TITLES:  # '... said he believed Mr.'
        cut -= 1
    if cut == len(words) and text.rstrip().endswith(_ENDED):
        return text
    dangling = _DANGLING_WHEN_CUT if at_cap or len(words) >= WORDS_ASKED else _DANGLING
    while cut > 1 and words[cut - 1].strip(",;:-–—(“‘") in dangling:  # 'May' is a month
        cut -= 1
    if cut == len(words) or cut <= 1:
        return text
    return " ".join(words[:cut]).rstrip(",;:-–—( “‘") + "…"


# The model talking about the article instead of the story: "The article states that ...".
_PREAMBLE = re.compile(
    r"^(?:the|this) (?:article|text|report|story) (?:states|says|reports|mentions|notes|"
    r"explains|indicates|suggests)(?: that)?,? ",
    re.IGNORECASE,
)


def drop_preamble(text: str) -> str:
    """'The article states that talks resume' -> 'Talks resume'; else as is."""
    rest = _PREAMBLE.sub("", text, count=1)
    return rest[:1].upper() + rest[1:] if rest != text and len(rest.split()) > 1 else text


def _whole(word: str, source: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", source) is not None


def tidy_cut_phrases(parts: GroundedParts) -> None:
    """Cut a preamble about the article and dangling endings off next-step actions and
    position summaries, and a word cut by the length cap off the headline, the proposal
    and the roles, in place."""
    cut = _Cutter(parts)
    parts.headline = cut(parts.headline, "headline", caps=_HEADLINE_CAP)
    parts.gist = cut(parts.gist, "gist", caps=_GIST_CAP)
    for i, p in enumerate(parts.participants):
        if p.role and (role := cut(p.role, parts.path(p, "role"), caps=_ROLE_CAP)):
            parts.participants[i] = p if role == p.role else parts.copy(p, role=role)
    if (proposal := parts.proposal) is not None:
        source = " ".join(e.quote for e in proposal.evidence)
        tidy = cut(proposal.statement, "proposal.statement", source, _STATEMENT_CAP)
        if tidy != proposal.statement:
            parts.proposal = parts.copy(proposal, statement=tidy)
    parts.next_steps = cut.items(parts.next_steps, "action")
    parts.positions = cut.items(parts.positions, "summary")


class _Cutter:
    """`cut_dangling` and `drop_preamble` with a note for each cut, each rule only when
    it is switched on."""

    def __init__(self, parts: GroundedParts) -> None:
        self.parts = parts
        self.dangling, self.preamble = parts.on(DANGLING_END), parts.on(ARTICLE_PREAMBLE)

    def __call__(
        self, text: str, item: str, source: str = "", caps: frozenset[int] = frozenset()
    ) -> str:
        """`cut_dangling(text, source, caps)`, with a note when it cut anything."""
        if self.dangling and (tidy := cut_dangling(text, source, caps)) != text:
            self.parts.corrected.append(DANGLING_END.note(item, _reason(text), "corrected"))
            return tidy
        return text

    def items(self, items: list[M], field: str) -> list[M]:
        """`items` with the text `field` of each cut where it dangles; each cut reported."""
        out = []
        for item in items:
            text, path = getattr(item, field), self.parts.path(item, field)
            plain = drop_preamble(text) if self.preamble else text
            if plain != text:
                reason = f"'{text}' speaks of the article, not the story; its opening is cut"
                self.parts.corrected.append(ARTICLE_PREAMBLE.note(path, reason, "corrected"))
            source = " ".join(e.quote for e in getattr(item, "evidence", []))
            tidy = self(plain, path, source, _ITEM_CAPS)
            out.append(item if tidy == text else self.parts.copy(item, **{field: tidy}))
        return out


def _reason(text: str) -> str:
    return f"'{text}' stops mid-phrase; its dangling last words are cut"


def article_scripts(text: str) -> frozenset[str]:
    """The scripts the article's letters are written in ('LATIN', 'CYRILLIC', 'CJK')."""
    return frozenset({"LATIN"} | {_script(c) for c in set(text) if not c.isascii() and c.isalpha()})


def _script(char: str) -> str:
    return unicodedata.name(char, "?").split(" ", 1)[0]


def cut_foreign(text: str, scripts: frozenset[str]) -> str:
    """`text` cut before the first word in a script not in `scripts` ('is 'a临时'' -> '…'),
    else as is; "" when nothing comes before it."""
    if text.isascii():
        return text
    at = next(
        (
            i
            for i, c in enumerate(text)
            if not c.isascii() and c.isalpha() and _script(c) not in scripts
        ),
        None,
    )
    if at is None:
        return text
    words = text[:at].split()
    if words and not text[at - 1].isspace():
        words.pop()  # the part of the word written before the foreign letters
    head = " ".join(words).rstrip(" ,;:'\"‘“(-–—")
    if not head:
        return ""
    if head.endswith(_ENDED):
        return head
    head = cut_dangling(head)
    return head if head.endswith("…") else head + "…"


def tidy_foreign_script(parts: GroundedParts, article: Article) -> None:
    """Cut the model's text where it switches to a script the article does not use."""
    if not parts.on(FOREIGN_SCRIPT):
        return
    scripts = article_scripts(article.text)

    def cut(text: str, item: str, empty_drops: bool = False) -> str:
        if (tidy := cut_foreign(text, scripts)) != text:
            reason = f"'{text}' switches to a script the article does not use; cut there"
            action: NoteAction = "dropped" if empty_drops and not tidy else "corrected"
            parts.corrected.append(FOREIGN_SCRIPT.note(item, reason, action))
        return tidy

    parts.headline = cut(parts.headline, "headline") or article.title or ""
    parts.gist = cut(parts.gist, "gist")
    if parts.proposal is not None:
        statement = cut(parts.proposal.statement, "proposal.statement")
        if statement != parts.proposal.statement:
            statement = statement or parts.proposal.evidence[0].quote
            parts.proposal = parts.copy(parts.proposal, statement=statement)
    for i, p in enumerate(parts.positions):
        if (summary := cut(p.summary, parts.path(p, "summary"))) != p.summary:
            summary = summary or f"{p.actor}: {p.stance}"
            parts.positions[i] = parts.copy(p, summary=summary)
    for i, r in enumerate(parts.participants):
        if r.role and (role := cut(r.role, parts.path(r, "role"))) != r.role:
            parts.participants[i] = parts.copy(r, role=role or None)
    steps = [
        (s, cut(s.action, parts.path(s, "action"), empty_drops=True)) for s in parts.next_steps
    ]
    parts.next_steps = [
        s if action == s.action else parts.copy(s, action=action) for s, action in steps if action
    ]


def headline_in_english(parts: GroundedParts, article: Article) -> None:
    """A headline left in the article's language (a small model often copies a French
    title) becomes the English gist's first sentence, cut to the headline's cap."""
    if not parts.on(HEADLINE_IN_ENGLISH):
        return
    language = detect_language(parts.headline)  # the short text first: mostly English
    if language == "English" or detect_language(article.text) != language:
        return
    first = re.split(r"(?<=[.!?])\s", parts.gist.strip(), maxsplit=1)[0].rstrip(".")
    if not first or detect_language(parts.gist) != "English":
        return
    reason = f"the headline '{parts.headline}' is in {language}; the gist's opening is used"
    parts.corrected.append(HEADLINE_IN_ENGLISH.note("headline", reason, "corrected"))
    parts.headline = cut_at_word(first, HEADLINE_MAX)
