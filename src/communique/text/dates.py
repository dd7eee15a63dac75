"""Resolve a stated time expression ('on Thursday', 'by March 31') to an ISO date.

Wording rules for English, French, Spanish and German ('am 3. Juni 2027', 'nächste Woche',
'morgen'); German forms are tested on invented sentences only."""

from __future__ import annotations

import datetime as dt
import re

_WEEKDAYS = {
    name: i
    for i, names in enumerate(
        [
            ("monday", "lundi", "lunes", "montag"),
            ("tuesday", "mardi", "martes", "dienstag"),
            ("wednesday", "mercredi", "miercoles", "miércoles", "mittwoch"),
            ("thursday", "jeudi", "jueves", "donnerstag"),
            ("friday", "vendredi", "viernes", "freitag"),
            ("saturday", "samedi", "sabado", "sábado", "samstag", "sonnabend"),
            ("sunday", "dimanche", "domingo", "sonntag"),
        ]
    )
    for name in names
}
_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan", "janvier", "enero", "januar"),
            ("february", "feb", "fevrier", "février", "febrero", "februar"),
            ("march", "mar", "mars", "marzo", "märz", "maerz"),
            ("april", "apr", "avril", "abril"),
            ("may", "mai", "mayo"),
            ("june", "jun", "juin", "junio", "juni"),
            ("july", "jul", "juillet", "julio", "juli"),
            ("august", "aug", "aout", "août", "agosto"),
            ("september", "sep", "sept", "septembre", "septiembre"),
            ("october", "oct", "octobre", "octubre", "oktober"),
            ("november", "nov", "novembre", "noviembre"),
            ("december", "dec", "decembre", "décembre", "diciembre", "dezember"),
        ]
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b")
_DAY_MONTH = re.compile(  # "3 June", "1er juin", "3 de junio", German "3. Juni"
    rf"\b(\d{{1,2}})(?:er|st|nd|rd|th|\.)?\s+(?:de\s+)?({_MONTH_RE})\b"
    rf"(?:\.?,?\s+(?:de\s+)?(\d{{4}}))?"
)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_RELATIVE = {
    "today": 0,
    "tomorrow": 1,
    "yesterday": -1,
    "aujourd'hui": 0,
    "demain": 1,
    "hier": -1,
    "hoy": 0,
    "mañana": 1,
    "ayer": -1,
    "heute": 0,
    "gestern": -1,
}
# German "morgen" (tomorrow) only in lower case and not after "heute"/"gestern" (old
# spelling of "this/yesterday morning"); "Morgen", "am Morgen" are the morning.
_TOMORROW_DE = r"(?<!eute )(?<!estern )(?-i:\bmorgen\b)"
# "am Dienstagabend": a weekday with a German time of day is that day
_DAYTIME_DE = "(?:abend|morgen|vormittag|nachmittag|mittag|nacht)?"


def resolve_when(when: str | None, article_date: dt.date | None) -> dt.date | None:
    """Return the date a time expression names, or None when it is not one exact day."""
    if not when or article_date is None:
        return None
    text = when.casefold()
    if m := _ISO.search(text):
        return _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _MONTH_DAY.search(text):
        return _with_year(_MONTHS[m.group(1)], int(m.group(2)), m.group(3), article_date)
    if m := _DAY_MONTH.search(text):
        return _with_year(_MONTHS[m.group(2)], int(m.group(1)), m.group(3), article_date)
    for word, offset in _RELATIVE.items():
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text):
            return article_date + dt.timedelta(days=offset)
    if re.search(_TOMORROW_DE, when):
        return article_date + dt.timedelta(days=1)
    if re.search(
        r"\b(next|last|this|every|later|each|prochain|próximo|nächste[nmrs]?|letzte[nmrs]?|"
        r"vergangene[nmrs]?|diese[nmrs]?|jede[nmrs]?)\b",
        text,
    ):
        return None
    for word, weekday in _WEEKDAYS.items():
        if re.search(rf"\b{word}{_DAYTIME_DE}\b", text):
            ahead = (weekday - article_date.weekday()) % 7 or 7
            return article_date + dt.timedelta(days=ahead)
    return None


def _with_year(month: int, day: int, year: str | None, ref: dt.date) -> dt.date | None:
    if year:
        return _safe(int(year), month, day)
    candidate = _safe(ref.year, month, day)
    if candidate is None:
        return None
    # A date stated without a year that is well before the article means next year.
    if (ref - candidate).days > 180:
        return _safe(ref.year + 1, month, day)
    return candidate


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_WEEKDAY_RE = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_DE_WEEKDAY = "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag"
# German forms, tried first: "am Montag", "bis zum 3. Juni 2027", "Dienstag, 3. Juni",
# "nächste Woche", "heute", "morgen" ("seit" is left out: a past time, plans._PAST_BEFORE)
_DE_PREP = r"(?:am|vom|zum|bis(?:\s+zum)?|ab(?:\s+dem)?|spätestens(?:\s+am)?)"
_DE_DATE = rf"\d{{1,2}}\.\s+(?:{_MONTH_RE})(?:\s+\d{{4}})?"
_GERMAN = (
    rf"(?:{_DE_PREP}\s+)?(?:(?:nächsten|kommenden|diesen)\s+)?(?:{_DE_WEEKDAY}){_DAYTIME_DE}"
    rf"(?:,?\s+(?:de[nm]\s+)?{_DE_DATE})?"
    rf"|(?:{_DE_PREP}\s+)?{_DE_DATE}"
    r"|(?:nächste[nmrs]?|kommende[nmrs]?)\s+(?:Woche|Monat|Jahr)"
    r"|innerhalb\s+(?:von\s+)?\d+\s+(?:Tagen|Wochen|Monaten)"
    rf"|heute|{_TOMORROW_DE}"
)
_EXPRESSION = re.compile(
    rf"\b(?:{_GERMAN}|"
    rf"(?:(?:on|by|until|before|after|from|next|this|le|el|d'ici|dès)\s+)?"
    rf"(?:(?:{_WEEKDAY_RE})(?:,?\s+(?:{_MONTH_RE})\s+\d{{1,2}}|\s+\d{{1,2}}\s+(?:de\s+)?(?:{_MONTH_RE}))?"
    rf"|(?:{_MONTH_RE})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:er)?\s+(?:de\s+)?(?:{_MONTH_RE})(?:\s+(?:de\s+)?\d{{4}})?"
    rf"|(?:next|this)\s+(?:week|month|year)|within\s+\d+\s+(?:days|weeks|months)"
    rf"|tomorrow|today))\b",
    re.IGNORECASE,
)


_TIME_WORD = re.compile(
    rf"\d|^(?:before|after|ahead of|until|till|following|once|pending|avant|après|antes|"
    rf"después|bis|vor|nach|seit|sobald)\b|\b(?:{_WEEKDAY_RE}|{_MONTH_RE}|days?|weeks?|weekend|"
    r"months?|years?|hours?|night|"
    r"morning|evening|afternoon|spring|summer|autumn|fall|winter|christmas|easter|today|"
    r"tomorrow|tonight|yesterday|last|soon|later|shortly|now|immediately|end|early|late|session|"
    r"quarter|hier|ayer|"
    r"deadline|semaines?|mois|ann[ée]es?|ans|demain|soir|matin|prochaine?|bient[ôo]t|"
    r"semanas?|mes(?:es)?|años?|mañana|pronto|noche|"
    r"wochen?|monat(?:e|en)?|jahr(?:e|es|en)?|tage|tagen|bald|demnächst|später|ende|anfang|"
    r"mitte|frühjahr|frühling|sommer|herbst|abends?|heute|morgen|gestern|nächste[nmrs]?)\b",
    re.IGNORECASE,
)


def says_a_time(text: str) -> bool:
    """Does this phrase name a time at all ('next year', 'by March 31', 'soon', 'before
    the debate'), unlike 'London for an unprecedented meeting with'?"""
    return _TIME_WORD.search(text) is not None


# A year, not a clock time ("1900 GMT", "2100 hours").
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b(?!\s*(?:GMT|UTC|[ECP][SD]?T|BST|CET|hrs?\b|hours|h\b))")


def year_phrase(when: str, text: str) -> str | None:
    """The phrase of `text` that states the year `when` names ('2006-12-31' -> 'by the end
    of 2006'), or None."""
    year = _YEAR.search(when)
    if year is None:
        return None
    m = re.search(
        rf"\b(?:(?:by|in|until|before|from|during|bis|ab|im|vor)\s+)?(?:the\s+(?:end|start|"
        rf"beginning|middle)\s+of\s+|early\s+|late\s+|mid-|(?:Anfang|Mitte|Ende|Jahr)\s+)?"
        rf"{year.group(0)}\b(?!\s*(?:GMT|UTC|hrs?\b|hours))",
        text,
        re.IGNORECASE,
    )
    return m.group(0) if m else None


def month_phrase(when: str, text: str) -> str | None:
    """The phrase of `text` that writes the month `when` names, in the text's own language
    ('May' -> 'im Mai', 'June 2031' -> 'en juin 2031'): a model translates the time it
    copies. None when `when` names no month or the text does not write it."""
    named = {
        _MONTHS[w] for w in re.findall(r"[^\W\d_]+", when.casefold()) if len(w) > 2 and w in _MONTHS
    }
    if len(named) != 1:
        return None
    month = named.pop()
    written = (n for n, i in _MONTHS.items() if i == month and (len(n) > 3 or n == "mai"))
    forms = "|".join(sorted(written, key=len, reverse=True))  # not "mar", nor the verb "may"
    m = re.search(
        rf"\b(?:(?:in|im|en|ab|bis|by|until|from|since|desde|hasta|dès|d'ici|à partir de|"
        rf"fin|finales de|principios de|début|Anfang|Mitte|Ende)\s+)?(?:de\s+)?"
        rf"(?:{forms})\b(?:\s+(?:de\s+)?(?:19|20)\d{{2}}\b)?",
        text,
        re.IGNORECASE,
    )
    return m.group(0) if m else None


# A verb of saying right before a time: the time dates the saying, not a plan ("said on
# Tuesday that ...", "sagte am Dienstag", "a déclaré mardi", "dijo el martes")
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|told\s+\w+|announced|added|stated|sagte|sagten|erklärte|erklärten|"
    r"teilte\s+\w+\s+mit|a\s+(?:dit|déclaré|annoncé|indiqué)|dijo|declaró|anunció|afirmó)"
    r"(?:\s+(?:on|el|le))?\s*,?\s*$",
    re.IGNORECASE,
)


def dates_the_saying(text: str, start: int) -> bool:
    """Is the time written at `start` of `text` right after a verb of saying, so that it
    dates the saying ("said on Tuesday that talks will resume next week")?"""
    before = text[max(0, start - 40) : start]
    return _SAID_BEFORE.search(before) is not None


def time_expressions(text: str) -> list[re.Match[str]]:
    """Every time expression written in a text, in order."""
    return list(_EXPRESSION.finditer(text))


def find_time_expression(text: str) -> str | None:
    """The first time expression written in a text ('on Thursday', 'by March 31')."""
    m = _EXPRESSION.search(text)
    return m.group(0) if m else None
