"""News with nothing at stake: a match report, an accident, an obituary has no proposal.

Asked for "the proposal at stake", a small model answers one for any article: a match
report's proposal becomes "Harbour City won the match" (status 'agreed', its evidence the
result), and every player who scored 'supports' it. A proposal is something proposed,
planned, negotiated or decided: a plan, a deal, a law, a tax, talks, sanctions, an offer.
When neither the proposal's statement nor a sentence it cites names one (English, French,
Spanish, German) nor states a plan (cues.states_a_plan: will, is to, plans to ...), the
article reports what happened, not what is at stake: the proposal is dropped, and so are
the positions, whose stance is toward it. Participants and next steps stand. A long
article is checked chunk by chunk, as each chunk's answer has its own proposal; the merged
summary keeps the first chunk's proposal still there (merge.later_proposal).

The words are kinds of proposals, not topics: words a sports or crime report uses in
another sense ('strike', 'cuts inside', 'caps', 'charges', 'signed', 'decision',
'committed', 'withdrawn') are left out, so such a report keeps no proposal through them.
"""

from __future__ import annotations

import re

from ...models import Position
from ...text.folding import cut_at_word
from ..context import GroundedParts
from .cues import states_a_plan
from .rule import Rule

NOTHING_AT_STAKE = Rule(
    "proposal.nothing_at_stake",
    "finish",
    "A proposal whose statement and cited sentences name nothing proposed, planned, "
    "negotiated or decided (plan, deal, law, tax, talks, sanctions, offer ... in English, "
    "French, Spanish or German) and state no plan (will, is to, plans to ...) is what "
    "happened, not a proposal ('Harbour City won the match'): it is dropped, and so are "
    "the positions, whose stance is toward it.",
)

_AT_STAKE = re.compile(
    r"\b(?:"
    # English
    r"propos\w*|plans?|planned|planning|deals?|agree\w*|accords?|treat(?:y|ies)|pacts?|"
    r"laws?|bills?|(?-i:Act)|legislat\w*|regulat\w*|bans?|banned|banning|tax\w*|lev(?:y|ies)|"
    r"tariffs?|sanctions?|cease-?fire|cessation|truce|peace|merg(?:er|e|ed|ing)|"
    r"acqui(?:re|res|red|ring|sition)|takeover|offer\w*|budget\w*|reforms?|measures?|"
    r"polic(?:y|ies)|schemes?|programm?e?s?|projects?|initiatives?|strateg(?:y|ies)|"
    r"frameworks?|draft\w*|resolutions?|motions?|referend\w*|vot(?:e|es|ed|ing)|talks|"
    r"negotiat\w*|settlements?|package|freeze|subsid\w*|funds?|funding|missions?|"
    r"deploy\w*|coalition|summit|approv\w*|adopt\w*|impos\w*|invest\w*|loans?|relief|"
    r"pledg\w*|demands?|compromise|dialogue|alliance|interest rates?|"
    r"rates? (?:hike|cut|rise|increase|decision)s?|hik(?:e|es|ed|ing)|stimulus|bail-?outs?|"
    r"rulings?|verdicts?|lawsuits?|"
    # French
    r"projet|lois?|réformes?|mesures?|taxes?|impôts?|grèves?|négociations?|traités?|décrets?|"
    # Spanish
    r"propuestas?|proyectos?|ley(?:es)?|acuerdos?|reformas?|medidas?|tasas?|impuestos?|"
    r"huelgas?|negociaci\w+|votaci\w+|sanci\w+|presupuestos?|fondos?|decretos?|"
    # German
    r"vorschlag\w*|gesetz\w*|abkommen|vereinbarung\w*|reform|maßnahmen?|steuer\w*|abgaben?|"
    r"zoll|zölle\w*|streik\w*|verhandlung\w*|vertrag|verträge|sanktion\w*|haushalt\w*|"
    r"koalition\w*|abstimmung\w*"
    r")\b",
    re.IGNORECASE,
)


def at_stake(text: str) -> bool:
    """Does the text name something proposed, planned, negotiated or decided, or state a
    plan?"""
    return _AT_STAKE.search(text) is not None or states_a_plan(text)


def drop_proposal_without_stake(parts: GroundedParts) -> None:
    """Drop (and report) a proposal that names nothing at stake, with the positions."""
    proposal = parts.proposal
    if proposal is None or not parts.on(NOTHING_AT_STAKE):
        return
    if at_stake(" ".join([proposal.statement, *(e.quote for e in proposal.evidence)])):
        return
    said = f"'{cut_at_word(proposal.statement, 80)}'"
    parts.corrected.append(
        NOTHING_AT_STAKE.note(
            parts.path(proposal),
            f"{said} and the sentences it cites name no plan, deal, law or talks: what "
            "happened, not a proposal",
            "dropped",
        )
    )
    parts.proposal = None

    def toward_it(position: Position) -> tuple[Rule, str]:
        return NOTHING_AT_STAKE, f"its stance is toward the dropped proposal {said}"

    parts.positions = parts.without(parts.positions, toward_it)
