"""Candidate actor names, found by code in the article text.

The response schema only admits these strings as participant names, aliases and actors,
so the model cannot emit a name the article does not contain (grounded by construction).
A candidate is a run of capitalised words ("Vladimir Putin", "La Dépêche du Midi",
"NATO"), with leading titles removed ("Russian President Vladimir Putin" -> "Vladimir
Putin") and sentence-initial words that are only ever capitalised at a sentence start
dropped ("Speaking", "Following").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..grounding.rules.capitals import is_country
from ..ingest.sentences import Sentence
from ..text.lexicon import (
    CONNECTORS,
    LEADING_ARTICLES,
    NAMED_HEADS,
    ORG_HEADS,
    TITLE_FORMS,
    TITLE_WORDS,
)
from . import german as de
from .language import detect_language

MAX_CANDIDATES = 80
_WORD = re.compile(r"[^\W\d_][\w.'’\-]*")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")  # "U.S.", "U.N."
_PARTICLE = re.compile(r"(?:al|el|ad|as|ash|at|az|bin|ibn|abu)-[A-Z]")  # "Ali al-Naimi"
_ENDS_SENTENCE = re.compile(r"[.!?\"“”«]\s*$")
_SPACES = re.compile(r"[ \t\u00a0]+")


# An all-caps place opening a wire story with no separator: "BRUSSELS Leaders of the EU".
_OPENING_DATELINE = re.compile(r"\s*(?:[A-Z][A-Z.'’/\-]+ )+(?=[A-Z][a-z])")  # "WASHINGTON/BEIRUT"
_NOT_NAMES = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december lundi mardi mercredi jeudi
    vendredi samedi dimanche lunes martes miércoles jueves viernes sábado domingo
    montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag januar februar märz
    juni juli oktober dezember
    i we you he she it they this that these those the a an but and or if when while after
    before during following according speaking around many more most some several their
    his her its our my your there here what who why how in on at by with from to as under
    over about into since co corp inc ltd plc llc""".split()
)


def find_candidates(text: str, sentences: list[Sentence]) -> list[str]:
    """Names as written in the article, in order of first appearance."""
    german = detect_language(text) == "German"
    starts = {s.start for s in sentences}
    if dateline := _OPENING_DATELINE.match(text):
        starts.add(dateline.end())  # "BRUSSELS Leaders of ...": a new sentence begins
    words = list(_WORD.finditer(text))
    tokens = [w.group(0) for w in words]
    # one more: "the next word" at the end; "al-Naimi" is a capitalised name word
    caps = [t[0].isupper() or ("-" in t and bool(_PARTICLE.match(t))) for t in tokens] + [False]
    mid_sentence: set[str] = set()
    runs: list[list[re.Match[str]]] = []
    run: list[re.Match[str]] = []
    for i, w in enumerate(words):
        token = tokens[i]
        if caps[i]:
            if not _at_sentence_start(w.start(), text, starts):
                mid_sentence.add(_clean(token).casefold())
            if run and (w.start() in starts or not _adjacent(text, w, run)):
                runs.append(run)
                run = []
            run.append(w)
            if _possessive(token):
                runs.append(run)
                run = []
            continue
        # "Bank of England"; through two connectors only after an organisation's head
        # word: "Committee of the Red Cross", "Amis de la Baie", but "Stefan Olbrecht" and
        # "the Liberal Party" in "Stefan Olbrecht of the Liberal Party"
        joins = caps[i + 1] or (
            i + 2 < len(words)
            and caps[i + 2]
            and _connector(tokens[i + 1], german)
            and bool(run)
            and _clean(run[-1].group(0)).casefold() in ORG_HEADS
        )
        if run and joins and _connector(token, german) and _adjacent(text, w, run):
            run.append(w)
            continue
        if run:
            runs.append(run)
        run = []
    if run:
        runs.append(run)

    found = [n for r in runs for n in _names_in_run(r, text, starts, mid_sentence, german)]
    if german:  # every German noun is capitalised: drop the ordinary ones (german.py)
        nouns = de.ordinary_nouns(found, text)
        found = [n for n in found if n not in nouns]
    opening = text.lstrip()
    found = [
        n
        for n in found
        if len(n) > 1  # a letter alone ("S" and "P" of "S&P 500") names nothing
        and not demonym(n)
        and not _NUMBERED.fullmatch(n)
        and not _dateline(n, opening)
        and not _heading(n)
        and not _shouted_word(n, text)
    ]
    return _by_salience(found)[:MAX_CANDIDATES]


_NUMBERED = re.compile(r"No\.? ?\d+")  # "the world's No.2 producer"


def _by_salience(found: list[str]) -> list[str]:
    """Most-mentioned first (a surname mention counts for the full name), then by order."""
    counts: dict[str, int] = {}
    for n in found:
        counts[n] = counts.get(n, 0) + 1
    score = dict(counts)
    for n in counts:
        parts = n.split()
        if len(parts) > 1:
            score[n] += counts.get(parts[-1], 0)
    first = {n: i for i, n in reversed(list(enumerate(found)))}
    return sorted(counts, key=lambda n: (-score[n], len(n.split()) == 1, first[n]))


_DEMONYM = re.compile(
    r"(?:(?:North|South|East|West|Central|Northern|Southern|Eastern|Western|Latin|Costa|Sri|"
    r"Puerto|Saudi|New) )?(?:(?!Vatican|Republican)[A-Z]\w*icans?|Lankans?|Zealanders?|"
    r"(?!Republican)[A-Z]\w+(?:ians?|eans?|ese|ish|iots?|ans)|French|Dutch|Swiss|Allied|Western|"
    r"Sunni|Shi'?ite|Shia|(?:Greek|Thai|Arab|Afghan|Saudi|Iraqi|Qatari|Israeli|Kuwaiti|Yemeni|"
    r"Omani|Emirati|Bahraini|Pakistani|Bangladeshi|Somali|Nepali|Azerbaijani|Kazakh|Uzbek|"
    r"Catholic|Protestant|Muslim|Hindu|Buddhist)s?)"
)


@lru_cache(maxsize=4096)
def demonym(word: str) -> bool:
    """A nationality or faith word, singular or plural ('Ukrainian', 'French', 'Syrians',
    'North Korean', 'Costa Rican', 'Venezuelan', 'Catholic'): it describes, it names no
    actor on its own."""
    if _DEMONYM.fullmatch(word) is not None:
        return True
    single = word[:-1] if word.endswith("ns") else word
    return single.endswith("n") and is_country(single[:-1])  # 'Venezuelan', 'Cubans'


def _shouted_word(name: str, text: str) -> bool:
    """One all-caps word the article also writes in lower case is a heading ('TALKS'),
    not an acronym ('NATO'); short ones are left alone ('US' and 'us')."""
    if " " in name or not name.isupper() or len(name) <= 3:
        return False
    return in_lower_case(name, text)


def in_lower_case(word: str, text: str) -> bool:
    """Is this word also written in lower case in the text ('Smoking' / 'smoking')?"""
    folded = word.casefold()
    if folded not in text:  # a substring test first: most words are not there at all
        return False
    return re.search(rf"\b{re.escape(folded)}\b", text) is not None


def _heading(name: str) -> bool:
    """An all-caps run of long words is a heading or a dateline ('RUSSIAN BUDGET',
    'UNITED NATIONS'), not a name as the story writes it; acronyms are one word."""
    words = name.split()
    return len(words) > 1 and all(w.isupper() and len(w) > 2 for w in words)


def _dateline(name: str, opening: str) -> bool:
    """The all-caps place name that opens a wire story ('PARIS'); `opening` is the
    article text without leading whitespace."""
    return name.isupper() and len(name) > 3 and opening.startswith(name)


def _names_in_run(
    run: list[re.Match[str]], text: str, starts: set[int], mid: set[str], german: bool = False
) -> list[str]:
    words = list(run)
    if german:  # "Die Bundesregierung", "Nach Angaben ...": the article is not the name's
        while words and de.lead(_head(words[0])):
            words = words[1:]
    while words and _clean(words[-1].group(0)).casefold() in CONNECTORS:
        words.pop()
    # Cut after the last title word: "Italian Prime Minister Giorgia Meloni" -> "Giorgia Meloni"
    cut = max(
        (i + 1 for i, m in enumerate(words[:-1]) if _title(_head(m), german)),
        default=0,
    )
    if not words or cut < len(words) - 1 or _head(words[-1]) not in NAMED_HEADS:
        words = words[cut:]  # not "World Health Organization" -> "Organization"
        if cut:  # "Secretary of State John Kerry": the office the title names goes too
            words = _without_office(words)
    # "North Korean U.N. mission", "Irish Sunday newspapers": the demonym describes the
    # acronym or the day after it and makes no one name with it
    if len(words) > 1:
        tokens = [_clean(m.group(0)) for m in words]
        cut = max(
            (i + 1 for i, t in enumerate(tokens[:-1]) if demonym(t) and _described(tokens[i + 1])),
            default=0,
        )
        words = words[cut:]
    # "Leaders of the European Union" opening a sentence: a word only ever capitalised at a
    # sentence start is not part of the name that follows its connector.
    if (
        len(words) > 2
        and _connector(words[1].group(0))
        and _clean(words[0].group(0)).casefold() not in mid
        and _at_sentence_start(words[0].start(), text, starts)
    ):
        words = words[1:]
    while words and _droppable_lead(_clean(words[0].group(0)).casefold(), len(words)):
        if _surname_first(words, text, starts):
            break
        words = words[1:]
    if not words:
        return []
    tokens = [_clean(m.group(0)) for m in words]
    if len(tokens) == 1:
        t = tokens[0].casefold()
        if t in TITLE_WORDS or t in _NOT_NAMES or re.fullmatch(r"i['’]\w+", t):
            return []
        if german and de.title(t):  # "Eine Sprecherin", "Der Fraktionschef"
            return []
        if t not in mid and not tokens[0].isupper() and not german:
            return []  # only ever capitalised at a sentence start: an ordinary word
            # (German capitalises every noun: german.ordinary_nouns decides instead)
    if all(t.casefold() in _NOT_NAMES for t in tokens):
        return []
    # The name exactly as written (keeps "Workers’ Union"), minus a final possessive.
    span = text[words[0].start() : words[-1].start() + len(tokens[-1])]
    return [span if "\n" not in span else " ".join(tokens)]


# What a title is "of" or "for" ("Secretary of State", "Minister for Foreign Affairs",
# "Chancellor of the Exchequer"): part of the title, not of the name that follows it.
_OFFICES = frozenset(
    """state defence defense foreign affairs interior home finance health trade justice
    labor labour energy education transport homeland security treasury commerce
    agriculture environment economy culture war exchequer""".split()
)


def _without_office(words: list[re.Match[str]]) -> list[re.Match[str]]:
    """Drop the office a title is "of" from the words after that title ("of State John
    Kerry" -> "John Kerry", "Affairs Ana Gil" after "Minister for Foreign") when a name
    of two words or more still follows it."""
    tokens = [_head(m) for m in words]
    start = end = 1 if tokens and tokens[0] in ("of", "for") else 0
    while end < len(tokens) and (tokens[end] in _OFFICES or tokens[end] in ("the", "and")):
        end += 1
    return words[end:] if end > start and len(words) - end >= 2 else words


def _head(word: re.Match[str]) -> str:
    return _clean(word.group(0)).casefold()


def _title(word: str, german: bool = False) -> bool:
    """A title word, also hyphenated ('secretary-general', 'vice-president'); in a German
    article also a German one ('Verkehrsministerin', 'ADAC-Präsident')."""
    if german and de.title(word):
        return True
    return word in TITLE_FORMS or ("-" in word and all(p in TITLE_WORDS for p in word.split("-")))


def _described(token: str) -> bool:
    """An acronym ('U.N.', 'BBC'), a day or month word, or a country ('Shi'ite Iran'),
    which a demonym may describe."""
    return acronym(token) or token.casefold() in _NOT_NAMES or is_country(token)


def acronym(word: str) -> bool:
    """'U.N.', 'NATO', 'EU': capitals only, dots aside."""
    return word.replace(".", "").isupper()


def _connector(token: str, german: bool = False) -> bool:
    """'of', 'de', 'des' ... inside a name; in German 'des' is an article ('Angaben des
    Ministeriums'), not the French 'des' of 'Amis des Oiseaux'."""
    folded = token.casefold()
    return folded in CONNECTORS and not (german and folded == "des")


def _droppable_lead(word: str, n_words: int) -> bool:
    if word in _NOT_NAMES or word in CONNECTORS - LEADING_ARTICLES:
        return True
    return word in LEADING_ARTICLES and n_words == 1


# Pronouns that are also surnames written first ("vice foreign minister He Yafei")
_PRONOUN_SURNAMES = frozenset({"he", "she", "it", "we", "you"})


def _surname_first(words: list[re.Match[str]], text: str, starts: set[int]) -> bool:
    """A capitalised pronoun inside a sentence, before another capitalised word, is a
    surname written first ("minister He Yafei"), not the pronoun (that starts a sentence
    or a quotation)."""
    word = words[0].group(0)
    if len(words) < 2 or word.casefold() not in _PRONOUN_SURNAMES or not word[:1].isupper():
        return False
    before = text[max(0, words[0].start() - 2) : words[0].start()]
    opens_quote = any(q in before for q in "\"“«‘'(")
    return not opens_quote and not _at_sentence_start(words[0].start(), text, starts)


def _possessive(token: str) -> bool:
    return token.endswith(("'s", "’s"))


@lru_cache(maxsize=4096)
def _clean(token: str) -> str:
    for suffix in ("'s", "’s"):
        if token.endswith(suffix):
            token = token[: -len(suffix)]
    token = token.rstrip("-'’")
    if token.endswith(".") and not _INITIALS.fullmatch(token):
        token = token[:-1]
    return token


def _at_sentence_start(pos: int, text: str, starts: set[int]) -> bool:
    if pos in starts:
        return True
    before = text[max(0, pos - 3) : pos]
    return bool(_ENDS_SENTENCE.search(before)) or "\n" in before


def _adjacent(text: str, w: re.Match[str], run: list[re.Match[str]]) -> bool:
    """Same name only if separated by plain spaces and the previous word ends no sentence."""
    gap = text[run[-1].end() : w.start()]
    previous = run[-1].group(0)
    if previous.endswith(".") and not _INITIALS.fullmatch(previous):
        return False
    return bool(_SPACES.fullmatch(gap))
