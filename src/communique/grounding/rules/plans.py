"""Next steps found by code: a sentence that states a plan with a time ahead of the article,
which no next step cites, is added as a step (the model often lists two or three steps and
leaves out the others the article states just as plainly).

Only wording (English, French, Spanish, German), no model: a forward-looking verb ("will",
"is expected to", "pledged to", "va", "deberá", "wird") and a time that lies ahead ("in the
next few months", "by the end of June 2031", "next April", "as soon as possible", "ce soir",
"antes de fin de año", "bis Ende Juni 2031", "nächste Woche"). A day or a
date counts only when it comes after the verb ("said on Tuesday that talks will resume" is
dated by the saying, not by the plan); a time that only the future can be ("next ...",
"soon", "tonight", "for an initial three weeks", "as early as Friday") counts anywhere in
the sentence, and with such a time "can" or a request states a plan too ("the port can
reopen very soon", "asks members to reply immediately"). Over the limit, sentences
in their own voice go first, quotes last. The action is the sentence's plan
clause (cues.plan_clause), else the sentence itself, cut at ACTION_MAX characters; the
`when` is the time as the article writes it; the actor is the one participant the sentence
names before its verb, else null.

A second rule (steps.arranged_plan) adds a sentence that states an arrangement outright, with
or without a time ("was due to meet", "is expected to speak", "will have to modify", "must
now be inspected", "there will be a consultation") in its own voice (no quotation marks: a
quote is more often rhetoric than a plan), unless it forecasts a figure ("is expected to
reach $5 billion").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from ...ingest.sentences import Sentence
from ...models import Evidence, NextStep, Participant
from ...text.dates import resolve_when, time_expressions
from ...text.folding import cut_at_word, fold_name
from ..context import GroundedParts, GroundingContext, article_sentence
from .cues import FUTURE, MONTHS_DE, plan_clause, quotes
from .rule import Rule

MAX_ADDED = 4  # code-found steps per article (chunk), in the article's order
ACTION_MAX = 120  # characters of an action made from the sentence

TIMED_PLAN = Rule(
    "steps.timed_plan",
    "finish",
    "A sentence no next step cites that states a plan (will, is expected to, pledged to, "
    "va, deberá ...) with a time ahead of the article ('in the next few months', 'by the "
    "end of June 2031', 'next April', 'as soon as possible'; with a time only the future "
    "can be, also 'can' or a request: 'the port can reopen very soon') is added as a "
    f"next step: its plan clause as action, that time as `when`; at most {MAX_ADDED} per "
    "article, quotes last.",
)

# Promises and undertakings look forward too ("pledged to cut ... over the next five years"),
# and so do short future forms the suffixes of cues.FUTURE miss ("se fera", "será").
_PLEDGE = re.compile(
    r"\b(?:pledg(?:e|es|ed|ing)|promis(?:e|es|ed|ing)|vow(?:s|ed)?|undert(?:ake|akes|ook) to|"
    r"committed to|s'engage à|se compromet(?:e|ió) a|prometi[óo]|"
    r"sera|seront|fera|feront|aura|auront|será|serán|hará|harán|habrá|wird|werden)\b",
    re.IGNORECASE,
)
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    r"novembre|décembre|decembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
    rf"septiembre|octubre|noviembre|diciembre|{MONTHS_DE}"
)
_COUNT = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|several)"
_UNIT = r"(?:days?|weeks?|months?|years?|decades?)"
# Times only the future can be: they count wherever the sentence writes them.
_ONLY_AHEAD = re.compile(
    rf"\b(?:in|over|within|during) the (?:next|coming) (?:{_COUNT} )?{_UNIT}"
    rf"|\bwithin {_COUNT} {_UNIT}"
    rf"|\bfor (?:an? |the )?(?:initial|first|further|additional|another) {_COUNT} {_UNIT}"
    r"|\bas early as (?:next (?:week|month|year)|(?:next )?(?:monday|tuesday|wednesday|"
    rf"thursday|friday|saturday|sunday)|tomorrow|{_MONTHS})\b"
    rf"|\bnext (?:{_MONTHS}|spring|summer|autumn|fall|winter|week|month|year|session)"
    r"|\blater this (?:week|month|year)|\bby the end of (?:the|this|next) (?:week|month|year)"
    r"|\bas soon as possible|\b(?:very )?soon\b|\bshortly\b|\btonight\b|\btomorrow\b"
    r"|\bce soir\b|\bdans les plus brefs délais|\bprochainement\b|\bbientôt\b"
    r"|\b(?:la semaine|le mois) prochaine?\b|\bl'(?:an|année) prochaine?\b|\bdemain\b"
    r"|\bantes de(?:l)? (?:fin|final) de(?:l)? año|\bde inmediato\b|\bpróximamente\b"
    r"|\b(?:la|el) próxim[oa] (?:semana|mes|año)\b|\ben los próximos (?:días|meses|años)\b"
    r"|\bmañana\b"
    # German ("bald" only after a word that makes it "soon": the English adjective)
    r"|\b(?:nächste|kommende)[nmrs]? (?:Woche|Monat|Jahr|Frühjahr|Sommer|Herbst|Winter|Sitzung)\b"
    r"|\bin den (?:kommenden|nächsten) (?:\d+ |zwei |drei |vier |fünf |sechs |zehn |zwölf |paar "
    r"|wenigen )?(?:Tagen|Wochen|Monaten|Jahren)\b"
    r"|\binnerhalb (?:von |der nächsten )?(?:\d+|zwei|drei|vier|fünf|sechs|zehn|zwölf|eine[sr]) "
    r"(?:Tagen|Wochen|Monaten|Jahren|Tages|Monats|Jahres|Woche)\b"
    r"|(?:(?<=\bwird )|(?<=\bsoll )|(?<=\bwerden )|(?<=\bsollen )|(?<=\bmöglichst )|(?<=\bschon )"
    r"|(?<=\bsehr ))(?-i:bald)\b|\bdemnächst\b|\bin Kürze\b|\bschnellstmöglich\b"
    r"|\bso (?:schnell|bald) wie möglich\b|\bheute (?:Abend|Nacht)\b"
    r"|(?<!eute )(?<!estern )(?-i:\bmorgen\b)"
    r"|\bbis (?:zum )?Ende (?:der|dieser|des|dieses) (?:Woche|Monats|Jahres)\b|\bbis Jahresende\b"
    r"|\bbis zum Jahresende\b|\bnoch (?:in )?(?:diese[mnr]|diesem) (?:Woche|Monat|Jahr)\b",
    re.IGNORECASE,
)
# With a time only the future can be, "can" or a request states a plan too: "the port
# can reopen very soon", "asks members to reply immediately" ("could", "may", "might"
# forecast: "could cut shipments by 40% within a year")
_CAN_OR_ASK = re.compile(
    r"\b(?:can|urg(?:e|es|ed)|ask(?:s|ed)?|pide|pidió|piden|demande|"
    r"demandent|appelle|appellent|fordert|forderte|bittet|bat)\b",
    re.IGNORECASE,
)
# A period or a year named with a preposition: "by late June", "by the end of June 2031",
# "from 2011", "in the first half of 2010".
_PERIOD = re.compile(
    r"\b(?:by|before|until|from|in|during|d'ici|avant|à partir de|antes de|a partir de|hasta)\s+"
    r"(?:the (?:end|start|beginning|middle) of |(?:early|late|mid-?)\s*|fin |finales de )?"
    rf"(?:(?P<month>{_MONTHS})(?:,?\s+(?P<myear>\d{{4}}))?|(?P<year>(?:19|20)\d\d))\b",
    re.IGNORECASE,
)
# The same in German: "bis Ende Juni 2031", "ab 2027", "im Frühjahr 2027", "Ende 2026"
_PERIOD_DE = re.compile(
    r"\b(?:(?-i:[Bb]is(?: spätestens| zum| zur)?|[Aa]b(?: dem)?|[Vv]or|[Ii]m|[Ss]pätestens)\s+"
    r"(?:(?:Anfang|Mitte|Ende)\s+|Jahr\s+)?|(?-i:Anfang|Mitte|Ende)\s+)"
    rf"(?:(?P<month>{MONTHS_DE}|Frühjahr|Frühling|Sommer|Herbst|Winter)(?:\s+(?P<myear>\d{{4}}))?"
    r"|(?P<year>(?:19|20)\d\d))\b",
    re.IGNORECASE,
)
_IN = ("in", "im")
_PAST_BEFORE = re.compile(
    r"\b(?:following|after|since|last|earlier(?: on)?|ago|seit(?: dem)?|nach(?: dem)?|"
    r"letzte[nmrs]?|vergangene[nmrs]?)\s+$",
    re.I,
)
# "today" is when the article is written, not a time ahead
_TODAY = re.compile(r"^(?:today|aujourd'hui|hoy|heute)$", re.IGNORECASE)
# A verb of saying between the plan's verb and a day: the day dates the saying ("we would,"
# he said in an address on Monday)
_SAYING = re.compile(
    r"\b(?:said|says|told|added|announced|wrote|stated|address|interview|statement|"
    r"a déclaré|a dit|dijo|afirmó|declaró|sagte|sagten|erklärte|erklärten|betonte|teilte|"
    r"kündigte|Erklärung|Pressekonferenz)\b",
    re.IGNORECASE,
)
# Where the reported plan begins after its speaker: "... said (that) ", "told reporters ",
# "According to X, "
_SAID = re.compile(
    r"\b(?:said|says|told (?:\w+ )?\w+|added|announced|warned|insisted)(?: on \w+)?,?\s+"
    r"(?:that\s+)?|\b(?:according to|selon|según) [^,]{1,60},\s+"
    # German: "X sagte (am Dienstag), (dass) ...", "Dazu sagte X, ...", "X kündigte an, ...",
    # "Laut X, ...", "Nach Angaben von X, ..."
    r"|\b(?:sagten?|erklärten?|betonten?)(?:\s[^,]{1,60})?,\s+(?:dass\s+)?"
    r"|\b(?:kündigten?|teilten?)\s(?:[^,]{1,60}\s)?(?:an|mit),\s+(?:dass\s+)?"
    r"|\b(?:laut|nach Angaben (?:von|des|der)) [^,]{1,60},\s+",
    re.IGNORECASE,
)
# A name after one of these is where something happens, not who acts ("a march in Dorne")
_PLACE_WORDS = frozenset("in at to from on into of near across im nach aus von bei zu".split())
# A German speaker written after the plan: "..., sagte Berger am Dienstag."
_SAID_AFTER = re.compile(
    r"[\"“”]?,[\"“”]?\s+(?:sagten?|erklärten?|betonten?|teilten?|kündigten?)\s[^,]{1,60}$"
)
_QUOTES = "\"'“”‘’«»„‚ "


def ahead(text: str, article_date: dt.date | None) -> str | None:
    """The time ahead of the article at which `text` states its plan, as written; None
    when it states no plan, or no time ahead after its plan's verb."""
    plain = text.replace("’", "'")
    verbs = [m.start() for m in (FUTURE.search(plain), _PLEDGE.search(plain)) if m]
    only_ahead = _ONLY_AHEAD.search(plain)
    if not verbs and only_ahead and _CAN_OR_ASK.search(plain):
        return text[only_ahead.start() : only_ahead.end()]  # "can reopen very soon"
    if not verbs:
        return None
    verb = min(verbs)
    if m := only_ahead:
        return text[m.start() : m.end()]
    periods = [*_PERIOD.finditer(plain, verb), *_PERIOD_DE.finditer(plain, verb)]
    for m in sorted(periods, key=lambda m: m.start()):
        year = m.group("myear") or m.group("year")
        if year and article_date and int(year) < article_date.year:
            continue
        if m.group("month") and not year and article_date and m.group(0)[:2].lower() in _IN:
            continue  # "in May", "im Juni": which May is not said
        return text[m.start() : m.end()]
    for m in time_expressions(plain[verb:]):
        start = verb + m.start()
        if _PAST_BEFORE.search(plain[max(0, start - 12) : start]) or _TODAY.match(m.group(0)):
            continue
        if _SAYING.search(plain, verb, start):
            continue
        day = resolve_when(m.group(0), article_date)
        if day is not None and article_date is not None and day < article_date:
            continue
        return text[start : verb + m.end()]
    return None


def _actor(text: str, participants: list[Participant]) -> str | None:
    """The one participant the sentence names before its plan's verb, if only one."""
    plain = text.replace("’", "'")
    verbs = [m.start() for m in (FUTURE.search(plain), _PLEDGE.search(plain)) if m]
    head = f" {fold_name(text[: min(verbs)])} " if verbs else ""
    named = set()
    for p in participants:
        for form in (p.name, *p.aliases):
            if not (f := fold_name(form).strip()):
                continue
            for m in re.finditer(rf"(?<!\w){re.escape(f)}(?!\w)", head):
                before = head[: m.start()].split()
                if not before or before[-1] not in _PLACE_WORDS:
                    named.add(p.name)
    return named.pop() if len(named) == 1 else None


def _action(sentence: Sentence) -> str:
    text = " ".join(sentence.text.split())
    found = plan_clause(text)
    if found:
        action = found[1]
    else:
        verb = FUTURE.search(text.replace("’", "'")) or _PLEDGE.search(text)
        said = list(_SAID.finditer(text, 0, verb.start())) if verb else []
        action = text[said[-1].end() :] if said else text
        action = _SAID_AFTER.sub("", action)
    return cut_at_word(action.strip(_QUOTES).rstrip("."), ACTION_MAX)


def add_timed_plans(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Add (and report) a next step for each sentence that states a plan with a time ahead
    and that no next step cites (at most MAX_ADDED, in the article's order)."""

    def timed(s: Sentence) -> tuple[str, str | None] | None:
        if (when := ahead(s.text, ctx.article.date)) is None:
            return None
        return f"sentence {s.number} states a plan with a time ahead ('{when}')", when

    _add_steps(parts, ctx, TIMED_PLAN, MAX_ADDED, timed)


def _add_steps(
    parts: GroundedParts,
    ctx: GroundingContext,
    rule: Rule,
    limit: int,
    found: Callable[[Sentence], tuple[str, str | None] | None],
) -> None:
    """Add a step for each sentence no step cites for which `found` gives (why, when), at
    most `limit`, in the article's order; each noted under `rule`."""
    if not parts.on(rule):
        return
    cited = {e.sentence for step in parts.next_steps for e in step.evidence}
    candidates = [
        (s, got)
        for s in ctx.sentences
        if s.number not in cited
        and s.number not in ctx.injections
        and (got := found(s)) is not None
    ]
    # Over the limit, reported speech goes last: a quote is more often rhetoric than a plan
    # (as in cues.step_sentences); the steps keep the article's order.
    for s, (why, when) in sorted(candidates, key=lambda c: quotes(c[0].text))[:limit]:
        quote = Evidence(quote=s.text, start=s.start, end=s.end, sentence=s.number)
        step = NextStep(
            action=_action(s),
            actor=_actor(s.text, parts.participants),
            when=when,
            when_iso=resolve_when(when, ctx.article.date),
            evidence=[quote],
        )
        origin = article_sentence(s.number)
        parts.corrected.append(rule.note(origin, f"{why}; no step cited it", "added"))
        parts.add(parts.next_steps, step, origin)
    parts.next_steps.sort(key=lambda st: min((e.start for e in st.evidence), default=0))


MAX_ARRANGED = 3  # code-found arrangements per article (chunk), in the article's order

ARRANGED_PLAN = Rule(
    "steps.arranged_plan",
    "finish",
    "A sentence no next step cites that states an arrangement outright, with or without a "
    "time ('is due to meet', 'was expected to speak', 'is scheduled to', 'will have to "
    "modify', 'must now be inspected', 'there will be a consultation'), and quotes no one, "
    "is added as a next step: its plan clause as action, a time ahead as `when` if it "
    f"states one; at most {MAX_ARRANGED} per article. A forecast ('is expected to reach "
    "$5 billion', 'to last three days') is not an arrangement.",
)

# An arrangement: an engagement someone is due, expected, scheduled or obliged to keep.
_ARRANGED = re.compile(
    r"\b(?:is|are|was|were)\s+(?:also\s+)?(?:due|expected|scheduled|set|slated)\s+(?:to|in|for)\b"
    r"|\bwill\s+(?:also\s+)?have\s+to\b|\bmust\s+now\b|\bthere\s+will\s+be\b"
    # French, Spanish, German: is planned for, will have to, is to
    r"|\b(?:est|sont)\s+prévue?s?\s+(?:pour|le|la|à|en)\b|\bdevr(?:a|ont)\b"
    r"|\bestá(?:n)?\s+previst[oa]s?\b|\btienen?\s+previsto\b|\bdeber(?:á|án)\b"
    r"|\bsoll(?:en)?\b|\b(?:ist|sind)\s+(?:geplant|vorgesehen)\b"
    # an institution's act to come, in the passive: "will be adopted in Wales"
    r"|\bwill\s+(?:also\s+)?be\s+(?:adopted|introduced|implemented|enacted|held|debated|"
    r"voted\s+on|signed|ratified|presented|submitted|published|launched|reviewed|"
    r"examined|considered|finali[sz]ed|phased\s+in)\b"
    r"|\b(?:sera|seront)\s+(?:adoptée?s?|présentée?s?|examinée?s?|signée?s?|votée?s?|"
    r"mise?s?\s+en\s+(?:place|œuvre))\b"
    r"|\b(?:será|serán)\s+(?:aprobad|presentad|votad|debatid|firmad|examinad)[oa]s?\b",
    re.IGNORECASE,
)
# What is expected of a figure, not of an actor: a forecast
_FORECAST = re.compile(
    r"\bexpected\s+to\s+(?:have|reach|rise|fall|grow|cost|total|remain|top|exceed|increase|"
    r"decline|drop|last|generate|save|create|be\s+worth)\b",
    re.IGNORECASE,
)


def add_arranged_plans(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Add (and report) a next step for each sentence that states an arrangement in its
    own voice and that no next step cites (at most MAX_ARRANGED, in the article's order)."""

    def arranged(s: Sentence) -> tuple[str, str | None] | None:
        text = s.text.replace("’", "'")
        found = _ARRANGED.search(text)
        if found is None or _FORECAST.search(text) or quotes(text):
            return None
        said = " ".join(s.text[found.start() : found.end()].split())
        why = f"sentence {s.number} states an arrangement ('{said}')"
        return why, ahead(s.text, ctx.article.date)

    _add_steps(parts, ctx, ARRANGED_PLAN, MAX_ARRANGED, arranged)
