"""Cues found by code that point the follow-up pass at what a small model leaves out:
sentences that announce a planned step, and names that speak or act in the article.

Plain wording rules (English, French, Spanish, German), no model: they decide what the model is
asked about, never what ends up in the summary.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ...ingest.sentences import Sentence
from ...prompt.candidates import demonym, in_lower_case
from ...text.dates import find_time_expression, resolve_when
from ...text.folding import fold_name
from ...text.lexicon import (
    COMPANY_SUFFIXES,
    DOCUMENT_WORDS,
    LONGER_NAME_HEADS,
    NAME_GLUE,
    OFFICE_WORDS,
    ORG_WORDS,
    PART_LINKS,
    THING_AND_LAW_WORDS,
)

MAX_STEP_SENTENCES = 8
MAX_NAMES = 8
SENTENCES_PER_NAME = 2

# German months for the plan and period cues here and in plans.py
MONTHS_DE = (
    r"januar|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember"
)
# A forward-looking verb form or phrase: will, is to, expected to, scheduled, by <date>...
FUTURE = re.compile(
    r"\b(?:will|won't|would|shall|is to|are to|(?:is|are) due|expects? to|expected to|"
    r"scheduled|set to|plans? to|planned|intends? to|aims? to|must|has until|have until|"
    r"deadline|target|invited to|asked to|calls? for|calls? on|next (?:week|month|year)|"
    r"later this (?:week|month|year)|by the end of|within \d+|in the coming|upcoming|by "
    r"(?:mid-|the end of )?(?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december)|until|va|vont|devra|devront|doit|doivent|prévue?s?|"
    r"prochaine?|d'ici|jusqu'(?:au|à|en)|appelle à|van? a|deberán?|previst[oa]s?|"
    r"próxim[oa]|antes de|en un plazo|a partir de|"
    # German: future and reported-future verbs, plans, wishes, deadlines ("plant" only
    # before what is planned: the English noun is written the same)
    r"wird|werden|werde|würden?|soll|sollen|solle|sollten?|wollen|muss|müssen|müsse|"
    r"plant(?=,?\s+(?:eine?[nmrs]?|die|den|das|bis|ab|im|noch|nun|zudem)\s)|planen|geplant|"
    r"vorgesehen|beabsichtigt|angesetzt|bis (?:Ende|zum|zur|spätestens)|"
    r"(?:nächste|kommende)[nmrs]? (?:Woche|Monat|Jahr)|in den (?:kommenden|nächsten)|"
    rf"(?-i:[Aa]b) (?:{MONTHS_DE}|dem|\d))\b"
    r"|\b\w{3,}(?:era|ira|eront|iront|erait|eraient|irait|erá|erán|ería|erían|irá|irán|ará|arán|"
    r"aría|arían)\b",
    re.IGNORECASE,
)
# A time that is not one day: a month, a quarter, a year, the end of a period.
_PERIOD = re.compile(
    r"\b(?:in|en|by|from|de|d'ici)\s+(?:(?:early|late|mid-?)\s*)?(?:january|february|march|"
    r"april|may|june|july|august|september|october|november|december|janvier|février|mars|"
    r"avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|"
    r"abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|\d{4})\b"
    r"|\b(?:first|second|third|fourth) (?:quarter|half)\b|\bend of (?:the )?(?:year|month|week)"
    r"|\bfin de l\b|\bplazo de\b|\bsemaine prochaine\b|\bmois prochain\b|\bjusqu"
    # German: "im Juni", "bis Ende 2026", "Mitte Juni", "Ende des Jahres", "im Herbst"
    r"|\b(?-i:[Ii]m|[Aa]b|[Bb]is|[Vv]or|Anfang|Mitte|Ende)\s+(?:(?:Anfang|Mitte|Ende)\s+)?"
    rf"(?:{MONTHS_DE}|(?:19|20)\d\d)\b"
    r"|\b(?:Anfang|Mitte|Ende) (?:des|der|dieses|dieser) (?:Jahres|Monats|Woche)\b"
    r"|\bim (?:Frühjahr|Frühling|Sommer|Herbst|Winter)\b|\bJahresende\b"
    r"|\bin den (?:kommenden|nächsten) (?:\w+ )?(?:Tagen|Wochen|Monaten|Jahren)\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[\"“”«»„]")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# A verb of saying or acting next to a name: the name takes part, it is not only a place.
ACT_VERBS = (
    r"said|says|told|tells|warned|warns|urged|urges|called|calls|backed|backs|rejected|"
    r"rejects|opposed|opposes|argued|argues|insisted|announced|voted|votes|signed|accused|"
    r"proposed|proposes|welcomed|critici[sz]ed|demanded|demands|threatened|pledged|agreed|"
    r"refused|asked|added|wrote|stated|supports?|supported|filed|will|would|"
    r"a déclaré|déclare|estime|affirme|dénonce|réclame|demande|propose|soutient|s'oppose|"
    r"rejette|dijo|afirma|afirmó|defiende|critica|criticó|rechaza|reclama|pide|apoya|"
    r"propone|anunció|advierte|advirtió|sostiene|considera|"
    # perfect and other tenses of saying, voting, backing (French, Spanish, German)
    r"a (?:dit|indiqué|expliqué|affirmé|annoncé|estimé|souligné|réclamé|dénoncé|signé|"
    r"rejeté|approuvé|voté)|ont (?:dit|indiqué|annoncé|signé|rejeté|approuvé|voté)|"
    r"selon|"
    r"(?:ha|han) (?:dicho|declarado|expresado|anunciado|afirmado|señalado|votado|"
    r"apoyado|rechazado|criticado)|declaró|expresó|aseguró|señaló|indicó|explicó|"
    r"confió|votará|votarán|votó|votaron|apoyó|apoyaron|rechazó|rechazaron|respaldó|"
    r"respaldará|respaldarán|según|"
    r"sagte|sagten|erklärte|erklärten|forderte|forderten|kritisierte|lehnte|lehnten|"
    r"warnte|betonte|kündigte|stimmte|stimmten|unterstützt|unterstützte|laut|"
    r"begrüßte|begrüßten|kritisierten|warnten|betonten|kündigten|sprach|sprachen"
)
ACTS = re.compile(rf"\b(?:{ACT_VERBS})\b", re.IGNORECASE)
# Wider: also the verbs of taking part without saying ("is expected to", "was due to",
# "drafted", "is pushing", "was involved", "was disappointed", "hopes", "spoke"), for
# who is a participant (participants.passing_mention, participants.person_takes_part),
# not for whom the follow-up call asks about.
TAKES_PART = re.compile(
    rf"\b(?:{ACT_VERBS}|(?:is|are|was|were)\s+(?:also\s+)?(?:expected|due|set|scheduled)\s+to|"
    r"disappointed|drafted|described|involved|pushing|pushed|hopes|hoped|believes|believed|"
    r"spoke|speaks)\b",
    re.IGNORECASE,
)


def _plain(text: str) -> str:
    return text.replace("’", "'")


def step_sentences(
    sentences: Sequence[Sentence], article_date: dt.date | None, limit: int = MAX_STEP_SENTENCES
) -> list[Sentence]:
    """Sentences that may announce a step after the article: a forward-looking verb and a
    time (a day, a date, a period) that is not before the article's date."""
    found: list[Sentence] = []
    for s in sentences:
        text = _plain(s.text)
        if not FUTURE.search(text):
            continue
        when = find_time_expression(text)
        if when is None and not _PERIOD.search(text):
            continue
        day = resolve_when(when, article_date) if when else None
        if day is not None and article_date is not None and day < article_date:
            continue
        if article_date and not when and _only_past_years(text, article_date):
            continue
        found.append(s)
    # Over the limit, reported speech goes last: a quote is more often rhetoric than a plan.
    keep = sorted(found, key=lambda s: quotes(s.text))[:limit]
    return sorted(keep, key=lambda s: s.number)


# "X is an organization", "X is president of ...", "X is led by ...", "X is located in":
# says who or what a name is, not what it said or did
_DEFINITION = re.compile(
    r"^[^,;:]{0,60}?\b(?:is|are|was|were)\s+(?:an?|the|led|headed|owned|based|located|"
    rf"one|part|{'|'.join(sorted(OFFICE_WORDS))})\b",
    re.IGNORECASE,
)


# "John Coequyt, senior Washington representative for the Sierra Club": a name and its
# title or office, nothing said
_APPOSITION = re.compile(
    rf"^[^,;:]{{1,60}}, (?:(?:an?|the) )?(?:[\w'’.-]+ ){{0,6}}?"
    rf"(?:{'|'.join(sorted(OFFICE_WORDS))}|representative|delegate)s?\b[^,;:]*$",
    re.IGNORECASE,
)
# "The Aldavian Property Owners' Association, which represents about 30,000": a name and a
# relative clause that ends the summary
_RELATIVE = re.compile(
    r"^[^;:]{1,80}?, (?:who|which) (?:[^,;:]|,(?=\d))*$", re.IGNORECASE
)  # "30,000" is one number
# ... unless that clause takes a stand ("Greece, which opposes the plan")
_STAND = re.compile(
    r"\b(?:support|back|oppos|reject|welcom|critici[sz]|condemn|prais|urg|call|warn|sa(?:y|id)|"
    r"argu|want|favou?r|agree|accept|refus|demand|propos|told|tell|vow|pledg|promis|threat)",
    re.IGNORECASE,
)


def defines(summary: str) -> bool:
    """Does the summary only say who or what its subject is ("X is president of Y")?"""
    return _DEFINITION.match(summary) is not None


def describes(summary: str) -> bool:
    """Does the summary only say who or what its subject is, also as a name with its
    title ("X, senior representative for Y") or with a relative clause ("X, which
    represents 30,000 owners")? Such a position's stance may still be right: its summary
    is replaced (attribution.py), while the follow-up drops a position for `defines`."""
    if defines(summary):
        return True
    text = summary.strip().rstrip(".…").rstrip()
    shaped = _APPOSITION.match(text) or _RELATIVE.match(text)
    return shaped is not None and _named_first(text) and _STAND.search(text) is None


def _named_first(text: str) -> bool:
    """Is what comes before the first comma a name ("The International Committee of the
    Red Cross", "The Clean Air Marlow coalition"), not a clause ("Santelmo and Drenland
    were represented by ...")?"""
    words = text.split(",", 1)[0].split()
    return bool(words) and all(
        w[0].isupper() or w in NAME_GLUE or w.casefold() in ORG_WORDS for w in words
    )


# Where a new statement begins: after a semicolon or colon, or at "saying"/"adding" (not
# at a comma, which also separates the items of a list).
_CLAUSE = re.compile(r"[;:]\s+|,?\s(?=(?:saying|adding)\s)")
_CLAUSE_OPENER = re.compile(r"(?:saying|adding|that|and|but|while)\s+", re.IGNORECASE)


def plan_clause(text: str) -> tuple[int, str] | None:
    """The clause of a sentence that states its plan, after other clauses ("Earlier,
    Trump expressed impatience with the talks, saying his plan to raise tariffs on 1 June
    was set" -> (its offset, "his plan to raise tariffs on 1 June was set")); None when
    the plan is in the sentence's first clause or there is none."""
    plain = _plain(text)
    if (m := FUTURE.search(plain)) is None:
        return None
    starts = [c.end() for c in _CLAUSE.finditer(plain, 0, m.start())]
    if not starts:
        return None
    clause = text[starts[-1] :].strip().rstrip(".")
    opener = _CLAUSE_OPENER.match(clause)
    return starts[-1], clause[opener.end() :] if opener else clause


def states_a_plan(text: str) -> bool:
    """A forward-looking verb or phrase in the text (will, is to, plans to, next week...)."""
    return FUTURE.search(_plain(text)) is not None


def quotes(text: str) -> bool:
    """Does the text hold a quotation mark (reported speech, often rhetoric, not a plan)?"""
    return _QUOTE.search(text) is not None


def _only_past_years(text: str, article_date: dt.date) -> bool:
    years = [int(y) for y in _YEAR.findall(text)]
    return bool(years) and max(years) < article_date.year


# A hyphenated description ending a name: "New York-based", "U.N.-sponsored",
# "Greek-speaking"; not a hyphenated given name ("Ban Ki-moon", "Kim Jong-un").
_DESCRIBED = re.compile(
    r"-(?:[a-z]+(?:ed|ing)|born|run|built|made|style|era|wide|friendly|owned|led)\b"
)


def acting_names(
    candidates: Sequence[str],
    sentences: Sequence[Sentence],
    known: Sequence[str],
    limit: int = MAX_NAMES,
    verbs: re.Pattern[str] | None = None,
) -> dict[str, list[Sentence]]:
    """Candidate names not yet among `known` forms, each with the first sentences that
    name it next to a verb of saying or acting (`verbs`, ACTS by default; most mentioned
    names first)."""
    known_folded = {company_form(fold_name(k)) for k in known}
    lowercase_text = " ".join(s.text for s in sentences)
    known_words = {w for k in known_folded for w in k.split()}
    picked: dict[str, list[Sentence]] = {}
    for name in candidates:
        folded = company_form(fold_name(name))
        words = folded.split()
        if "-" in name and all(demonym(part) for part in name.split("-")):
            continue  # "French-British": a description, not an actor
        if _DESCRIBED.search(name):
            continue  # "New York-based": a description, not an actor ("Ban Ki-moon" is one)
        if folded in known_folded or (len(words) == 1 and words[0] in known_words):
            continue
        if len(words) > 1 and words[-1] in known_words and _is_person_like(name):
            continue
        if any(folded != fold_name(p) and folded.strip() in fold_name(p).split() for p in picked):
            continue  # a surname of a name already picked
        mentions = [s for s in sentences if _names(folded, s)]
        if _not_an_actor(name, mentions, lowercase_text):
            continue
        if acting := speaking_sentences([name], mentions, verbs=verbs):
            picked[name] = acting
        if len(picked) >= limit:
            break
    return picked


def speaking_sentences(
    forms: Sequence[str],
    sentences: Sequence[Sentence],
    limit: int = SENTENCES_PER_NAME,
    verbs: re.Pattern[str] | None = None,
) -> list[Sentence]:
    """The first sentences that name one of an actor's forms (name, aliases, a person's
    surname) next to a verb of saying or acting (`verbs`, ACTS by default): where it says
    or does something."""
    folded = {company_form(fold_name(f)) for f in forms if f.strip()}
    verbs = verbs or ACTS
    found = [
        s for s in sentences if any(_names(f, s) for f in folded) and verbs.search(_plain(s.text))
    ]
    return found[:limit]


_LOCATIVE = re.compile(
    r"\b(?:in|at|(?<!according )to|from|near|outside|across|into|via|à|en|dans|desde|hacia)"
    r"\s+(?:the\s+|la\s+|le\s+|el\s+)?$",
    re.IGNORECASE,
)


def _not_an_actor(name: str, mentions: Sequence[Sentence], text: str) -> bool:
    """Names code can tell are not actors: things ('Kelvar River', 'City Hall'), a word
    that is written in lower case elsewhere ('Striking' at a sentence start), a place
    every mention of which follows 'in', 'at', 'to', 'from' ('talks in Geneva')."""
    words = name.split()
    if THING_AND_LAW_WORDS & {w.casefold() for w in words} or not_a_name(name, text):
        return True
    if len(words) == 1 and in_lower_case(name, text):
        return True
    return only_a_place(name, mentions)


_CLOCK = frozenset("gmt utc est edt cet cest pst pdt bst".split())


def not_a_name(name: str, text: str) -> bool:
    """Capitalised words that name no actor: a demonym ('Syrians', 'Cypriot'), a time zone
    ('GMT'), a dateline glued to a word ('BRUSSELS Leaders'), words written in lower case
    elsewhere in the article ('Leaders' / 'leaders', 'Public Health' / 'public health')."""
    words = name.split()
    if demonym(name) or (len(words) == 1 and name.casefold() in _CLOCK):
        return True
    if (
        len(words) > 1
        and words[0].isupper()
        and len(words[0]) > 3
        and text.lstrip().startswith(words[0])
    ):
        return True
    if len(words) > 1 and not any(w.isupper() for w in words):
        return in_lower_case(name, text)  # 'Public Health' / 'public health'
    return len(words) == 1 and not name.isupper() and in_lower_case(name, text)


def names_a_document(name: str) -> bool:
    """'Good Friday Agreement', 'White Paper', 'Clean Air Act': the thing at stake, not
    an actor ('ACT', all capitals, may be a party)."""
    last = name.split()[-1] if name.split() else ""
    return not last.isupper() and last.casefold() in DOCUMENT_WORDS


_INSIDE = re.compile(rf"([A-Z][\w'’-]+) (?:{'|'.join(sorted(PART_LINKS))}) (?:the |la |le |el )?$")


def only_inside_a_name(name: str, text: str) -> bool:
    """Every mention of the name ends a longer one headed by a document or a body ('White
    Paper on Public Health', 'Bank of England'): a part of that name, not an actor."""
    seen = False
    at = text.find(name)
    while at != -1:  # str.find, not a regex compiled per name
        end = at + len(name)
        if not (at and _word_char(text[at - 1])) and not (
            end < len(text) and _word_char(text[end])
        ):
            if not _headed(text[max(0, at - 40) : at]):
                return False
            seen = True
        at = text.find(name, at + 1)
    return seen


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _headed(before: str) -> bool:
    m = _INSIDE.search(before)
    return m is not None and m.group(1).casefold() in LONGER_NAME_HEADS


def only_a_place(name: str, sentences: Sequence[Sentence], lists: bool = False) -> bool:
    """Every mention of the name follows 'in', 'at', 'to', 'from' ('talks in Geneva');
    with `lists`, also as a later item of a list after one ('in Velsk, Dorne and Ostmark')."""
    at = [(s, m.start()) for s in sentences for m in re.finditer(rf"\b{re.escape(name)}\b", s.text)]

    def placed(text: str, i: int) -> bool:
        before = text[max(0, i - 80) : i]
        if lists:
            if text[i + len(name) : i + len(name) + 2] in ("'s", "’s"):
                return False  # "Marrow's council said": who acts, not where
            before = _LIST_ITEMS.sub("", before)
        return _LOCATIVE.search(before[-24:]) is not None

    return bool(at) and all(placed(s.text, i) for s, i in at)


# The items of a list before a name: "in Velsk, Dorne and " -> "in "
_LIST_ITEMS = re.compile(
    r"(?:(?-i:[A-Z])[\w.'’-]*(?: (?-i:[A-Z])[\w.'’-]*){0,3}(?:, | and | et | y | und |, and ))+$"
)


_SUFFIXES = "|".join(sorted(COMPANY_SUFFIXES | {"group"}))
_COMPANY_SUFFIX = re.compile(rf"(?: (?:{_SUFFIXES}))+ $")


def company_form(folded: str) -> str:
    """' sears holdings corp ' -> ' sears holdings ': the same company, however written."""
    return _COMPANY_SUFFIX.sub(" ", folded)


def _names(folded_name: str, sentence: Sentence) -> bool:
    return folded_name in fold_name(sentence.text)  # both padded with spaces


def _is_person_like(name: str) -> bool:
    return len(name.split()) == 2 and all(w[:1].isupper() for w in name.split())
