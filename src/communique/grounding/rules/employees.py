"""The person who speaks, not the employer written beside the name.

"Ed Berg, of the brewery Osland Ales, said the levy would help trade": the
words are Ed Berg's, and a careful reader lists him, not the company he works for. A small
model often gives the position to the organisation written in the apposition ("Osland
Ales: support"), and the person goes missing. When a position of an organisation cites
a sentence whose speaker (`speakers.statement`) is a person the article names, with the
organisation written in that person's apposition ("Ed Berg, of ... Osland Ales, said",
"said Ed Berg, economic adviser to accountants Osland Partners"), the position is the
person's:

- a person already with a position keeps theirs, and the organisation's copy is dropped;
- otherwise the position becomes the person's, and the person is added as a participant
  (kind person, the organisation as affiliation) if not listed.

The organisation, left without a position or a step, is dropped when the article writes
it only in such appositions: it is someone's employer, not an actor.
"""

from __future__ import annotations

import re

from ...ingest.sentences import Sentence
from ...models import Participant, Position
from ...text.folding import fold_name
from ..context import GroundedParts, GroundingContext, article_name
from ..participants import kind_of
from .cues import ACTS
from .rule import Rule
from .speakers import statement

EMPLOYEE_SPEAKS = Rule(
    "positions.employee_speaks",
    "finish",
    "A position of an organisation citing a sentence whose speaker is a person the article "
    "names with the organisation in the apposition ('Ed Berg, of the brewery Osland "
    "Ales, said') is the person's: it moves to the person (added as a participant if not "
    "listed), or is dropped when the person already has a position; the organisation, "
    "left without a position and only written beside such names, is dropped.",
)

APPOSITION_REACH = 90  # characters from the end of the person's name to the organisation
_CLAUSE = re.compile(r"\b(?:whose|which|who|that|dont|cuyo|cuya|dessen|deren)\b", re.IGNORECASE)
# What opens an apposition: a comma, or a preposition of belonging ("of the brewery",
# "von der Universität", "de la CFDT")
_APPOSITION = re.compile(
    r",|\s+(?:of|at|from|with|for|von|vom|bei|der|des|de|du|del|chez)\b", re.IGNORECASE
)
_SAYING = re.compile(r"\b(?:said|says|told|added|dijo|a dit|a déclaré|sagte)\b", re.IGNORECASE)


def credit_employees(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Give each organisation's position whose words are an employee's to that person."""
    if not parts.on(EMPLOYEE_SPEAKS):
        return
    people = [c for c in ctx.candidates if _person(c, ctx)]
    listed = {fold_name(p.name): p for p in parts.participants}
    out: list[Position] = []
    employers: list[Participant] = []
    for pos in parts.positions:
        org = listed.get(fold_name(pos.actor))
        speaker = _employee(org, pos, people) if org else None
        if org is None or speaker is None:
            out.append(pos)
            continue
        said = f"the cited sentence quotes {speaker}, written with '{org.name}' beside the name"
        employers.append(org)
        if any(fold_name(q.actor) == fold_name(speaker) for q in parts.positions):
            parts.corrected.append(
                EMPLOYEE_SPEAKS.note(parts.path(pos), f"{said}, who has a position", "dropped")
            )
            continue
        if fold_name(speaker) not in listed:
            person = Participant(name=speaker, kind="person", affiliation=org.name)
            parts.add(parts.participants, person, article_name(speaker))
            listed[fold_name(speaker)] = person
            note = f"{said}; added as a person"
            parts.corrected.append(EMPLOYEE_SPEAKS.note(article_name(speaker), note, "added"))
        out.append(parts.correct(EMPLOYEE_SPEAKS, "actor", said, pos, actor=speaker))
    parts.positions = out
    _drop_employers(parts, employers, people, ctx.article.text)


def _drop_employers(
    parts: GroundedParts, employers: list[Participant], people: list[str], text: str
) -> None:
    """Drop the employers left with no position or step that the article writes only in
    a person's apposition (an affiliation, not an actor)."""
    acting = parts.acting()

    def why(p: Participant) -> tuple[Rule, str] | None:
        forms = [f for f in (p.name, *p.aliases) if f.strip()]
        if p not in employers or any(fold_name(f) in acting for f in forms):
            return None
        mentions = [m for f in forms for m in re.finditer(rf"(?<!\w){re.escape(f)}(?!\w)", text)]
        if not all(any(_beside(n, forms, text[: m.end()]) for n in people) for m in mentions):
            return None
        return EMPLOYEE_SPEAKS, f"'{p.name}' is only written beside a quoted person's name"

    parts.participants = parts.without(parts.participants, why)


def _person(name: str, ctx: GroundingContext) -> bool:
    return 2 <= len(name.split()) <= 4 and kind_of(name, ctx.article.text) == "person"


def _employee(org: Participant, pos: Position, people: list[str]) -> str | None:
    """The person the cited sentence quotes with `org` written in their apposition."""
    forms = [f for f in (org.name, *org.aliases) if f.strip()]
    for evidence in pos.evidence:
        sentence = Sentence(evidence.sentence or 0, evidence.start, evidence.end, evidence.quote)
        # the person speaks, or the organisation written in their apposition seems to
        # ("Thomas Brandt von der Universität Kassel sagte": the university does not speak)
        org_speaks = any(statement(form, sentence) for form in forms)
        for name in people:
            if name in forms or not _beside(name, forms, evidence.quote):
                continue
            if org_speaks or statement(name, sentence):
                return name
    return None


def _beside(name: str, forms: list[str], text: str) -> bool:
    """Is one of `forms` written in the apposition after `name` (", of the brewery X",
    ", economic adviser to accountants X"), no verb of saying between?"""
    for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
        after = text[m.end() : m.end() + APPOSITION_REACH]
        for form in forms:
            at = re.search(rf"(?<!\w){re.escape(form)}(?!\w)", after)
            if not at or not _APPOSITION.match(after) or _SAYING.search(after[: at.start()]):
                continue
            # a noun phrase, not a clause where the organisation acts ("whose party backed");
            # after a preposition ("von der Universität Kassel sagte") the verb is the person's
            rest = after[at.end() :].split(",", 1)[0] if after.startswith(",") else ""
            if not _CLAUSE.search(after[: at.start()]) and not ACTS.search(rest):
                return True
    return False
