"""A backing with a reservation the article states in another sentence than the one cited.

A small model reads the sentence it cites and gives the actor 'support' (or, for a person
no answer places, 'neutral'); a careful reader who also reads the rest of the article
calls the actor 'conditional' when the article states, elsewhere, that the actor backs it
only on a condition or with a reservation (the labelling guide: "backs it only if
conditions are met, or accepts parts and rejects others"):

- the actor, as the subject, sets a condition on its own act: "X would reduce supply only
  if the others agreed", "the army would observe the truce as long as ...", "X said its
  backing was contingent on ...";
- the actor, as the subject, wants something in exchange or voices a reservation: "X
  wants concessions in return", "X has also cautioned that ...", "X reiterated its
  concerns", "she would walk away from a deal she found unfair";
- the sentence right after the cited one opens with "But" or "However" and has the actor
  (or someone written with it: "Y, head of ethics at X"; for a person, "he" or "she") as
  its subject: "X welcomed the plan. But Y, of X, was disappointed not to see a ban.";
- for a person, the sentence right after the cited one goes on with their words ("He said
  ...", '"...," he said.') and states a condition with "if".

A condition set on something else than the actor's act ("X stressed that only if the deal
helps the talks could it succeed") does not count; nor does a sentence where the actor is
only an object or a place.
"""

from __future__ import annotations

import re

from ...ingest.sentences import Sentence
from ...models import Participant, Position
from ...text.folding import fold_name
from ..context import GroundedParts, GroundingContext
from .clauses import actor_forms
from .rule import Rule
from .speakers import acts_as_subject, did_as_subject, mentions

RESERVATION_ELSEWHERE = Rule(
    "positions.reservation_elsewhere",
    "finish",
    "A 'support' or 'neutral' position whose actor, as the subject of a sentence, sets a "
    "condition on its own act ('X would cut output only if others agreed', 'the deal was "
    "contingent on ...'), wants something in return or voices a reservation ('X has "
    "cautioned that', 'would walk away'), or whose cited sentence is followed by one that "
    "opens with 'But' or 'However' with the actor (a person: 'he') as its subject, or that "
    "goes on with a person's words and states a condition ('\"... if the raids go on, the "
    "truce will fail,\" he said'), becomes 'conditional'.",
)

_TURNED = frozenset({"support", "neutral"})
# A condition on an act the clause states with a modal: "would observe the truce as long
# as", "would reduce supply only if", "pagaría ... siempre que", "würde ... nur wenn"
_CONDITIONED_ACT = re.compile(
    r"\b(?:would|will|could|can|ready to|willing to|prepared to|"
    r"pourrait|pourraient|serait|seraient|ferait|"
    r"podría|podrían|haría|harían|estaría|estarían|"
    r"würde|würden|wird|werden)\b[^.;:!?]{1,80}?"
    r"\b(?:only if|as long as|so long as|provided(?: that)?|on condition|unless|"
    r"once (?:the|its|our|their)|"
    r"seulement si|à condition|sous réserve|pourvu que|"
    r"sólo si|solo si|siempre que|siempre y cuando|a condición|"
    r"nur wenn|sofern|vorausgesetzt|unter der bedingung)\b",
    re.IGNORECASE,
)
# The act or the backing made to depend on something: "said its backing was contingent on"
_DEPENDS = re.compile(
    r"\b(?:(?:is|was|were|are|be|remains?)\s+(?:contingent|conditional|dependent)\s+(?:up)?on|"
    r"(?:would|will)\s+depend\s+on)\b",
    re.IGNORECASE,
)
# Something wanted in exchange: "wants concessions for its allies in return"
_IN_RETURN = re.compile(
    r"\b(?:wants?|wanted|seeks?|sought|demands?|demanded|asks? for|asked for|expects?|"
    r"expected)\b[^.;:!?]{1,80}?\b(?:in return|in exchange)\b",
    re.IGNORECASE,
)
# A reservation voiced: "has also cautioned that", "reiterated its concerns", "would walk
# away from a deal she found unfair"
_RESERVED = re.compile(
    r"\b(?:caution(?:s|ed)?(?: that)?|"
    r"(?:expressed|voiced|raised|reiterated|has|have|had)\s+"
    r"(?:(?:its|his|her|their|some|serious)\s+)?(?:concerns?|reservations|doubts)|"
    r"(?:would|will|could)\s+walk away)\b",
    re.IGNORECASE,
)
_CUES = (_CONDITIONED_ACT, _DEPENDS, _IN_RETURN, _RESERVED)
# Between a subject and the words above: nothing, an apposition, "has also"
_RIGHT_AFTER = re.compile(
    r"^(?:\s*,[^,;]{1,100},)?\s*(?:(?:has|have|had|is|was)\s+)?"
    r"(?:(?:also|still|now|again)\s+)?$",
    re.IGNORECASE,
)
# A sentence that opens with a contrast: "But ...", "However, ..."
_CONTRAST = re.compile(r"^\W*(?:But|However|Yet|Mais|Cependant|Pero|Sin embargo|Aber|Doch)\b")
# A person's pronoun as the subject after it: "However, he reiterated ..."
_PRONOUN = re.compile(r"\W*(?:he|she)\b", re.IGNORECASE)
# A person's words going on: "He said the cessation ...", '"...," he said.'
_HE_SAID = re.compile(r"^\W*(?:he|she) (?:said|added|says|told)\b", re.IGNORECASE)
_SAID_HE = re.compile(r"[,\"”’]\s*(?:he|she) (?:said|added)\W*$", re.IGNORECASE)
# A condition ("if the raids go on, the truce will fail"); not "even if", "as if"
_IF = re.compile(r"(?<!even )(?<!as )(?<!what )\bif\b[^.;:!?]{1,120}", re.IGNORECASE)
# The words before a subject's verb: a name there, even in an apposition, is the subject's
_FIRST_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|said|says|will|would|(?-i:[a-z]+ed))\b", re.IGNORECASE
)


def reservations_elsewhere(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Turn 'support' or 'neutral' to 'conditional' where a sentence states the actor's
    reservation."""
    if not parts.on(RESERVATION_ELSEWHERE):
        return
    people = {fold_name(p.name): p for p in parts.participants}
    out: list[Position] = []
    for pos in parts.positions:
        if pos.stance in _TURNED and (
            found := _reservation(pos, people.get(fold_name(pos.actor)), ctx.sentences)
        ):
            n, words = found
            reason = (
                f"sentence {n} states its reservation ('{words}'): '{pos.stance}' -> 'conditional'"
            )
            # a summary that only restated the stance ('X: support') restates the new one
            placeholder = pos.summary == f"{pos.actor}: {pos.stance}"
            summary = f"{pos.actor}: conditional" if placeholder else pos.summary
            pos = parts.correct(
                RESERVATION_ELSEWHERE, "stance", reason, pos, stance="conditional", summary=summary
            )
        out.append(pos)
    parts.positions = out


def _reservation(
    pos: Position, actor: Participant | None, sentences: list[Sentence]
) -> tuple[int, str] | None:
    """The number of a sentence stating the actor's reservation, with its words; None when
    the article states none."""
    forms = actor_forms(pos.actor, actor)
    for n, sentence in enumerate(sentences, start=1):
        if words := _stated_by_subject(forms, sentence):
            return n, words
    person = actor is not None and actor.kind == "person"
    cited = {e.sentence for e in pos.evidence if e.sentence}
    for n in sorted(cited):
        if n + 1 in cited or n >= len(sentences):
            continue
        text = sentences[n].text  # the sentence after sentence n (1-based)
        if (opening := _CONTRAST.match(text)) and (
            _subject_names(forms, text) or (person and _PRONOUN.match(text, opening.end()))
        ):
            return n + 1, opening.group(0).strip()
        if person and (_HE_SAID.match(text) or _SAID_HE.search(text)) and (c := _IF.search(text)):
            return n + 1, c.group(0)
    return None


def _stated_by_subject(forms: list[str], sentence: Sentence) -> str | None:
    """The words of a condition or reservation `sentence` states with the actor as its
    subject, else None."""
    text = sentence.text
    subject: bool | None = None  # read once, and only where a cue follows the name
    for m in mentions(forms, text):
        for cue in _CUES:
            if not (c := cue.search(text, m.end())):
                continue
            if _RIGHT_AFTER.match(text[m.end() : c.start()]):
                return c.group(0)
            if subject is None:
                both = [*forms, *_co_subjects(forms, text)]
                subject = acts_as_subject(both, sentence) or did_as_subject(both, sentence)
            if subject:
                return c.group(0)
    return None


def _co_subjects(forms: list[str], text: str) -> list[str]:
    """'X and <form>' as written before a form ("Russia and Saudi Arabia agreed"): the pair
    is the subject of the verb after it, as the first name alone would be."""
    return [
        f"{m.group(1)} and {form}"
        for form in forms
        for m in re.finditer(
            rf"\b((?-i:[A-Z])[\w.'’-]*(?: (?-i:[A-Z])[\w.'’-]*)*) and {re.escape(form)}\b", text
        )
    ]


def _subject_names(forms: list[str], text: str) -> bool:
    """Is one of the forms written before the sentence's first verb (its subject, or an
    apposition of it: "But Y, head of ethics at X, was")?"""
    verb = _FIRST_VERB.search(text)
    end = verb.start() if verb else len(text)
    return any(m.start() < end for m in mentions(forms, text))
