"""Who speaks or acts in a sentence, by wording alone: the actor a per-actor call may ask
about (pipeline/per_actor.py). A name written before a verb of saying or acting
("Ana Ruiz said", "the union, which represents 3,000 dockers, rejected"), or after
"said" / "according to", speaks or acts; one written after a preposition ("talks in
Geneva"), as the object of "challenged", "urged", "told", or in a dateline
("HALVERGATE (communique) —") does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ...ingest.sentences import Sentence
from ...text.folding import cut_at_word, fold_name
from ...text.lexicon import LEADING_ARTICLES, unaccented
from ..context import GroundingContext
from ..participants import kind_of
from .actors import news_agency
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
# A name written after "of", "in", "at" or "from" (a few lowercase words between) is an
# employer, a place or a thing: "of the ferry firm Osland Lines", "the suburb of Marrow
# Heights", "the deployment of the Skyguard system", "at the Osland Institute"
_OF_OR_IN = re.compile(r"\b(?:of|in|at|from)(?: (?-i:[a-z'’-]+)){0,3} $")


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


# Right after a subject: a verb of saying or acting, maybe after an apposition ("Jan Berg,
# the union's head, said") or a co-subject ("Greece and Turkey will")
_SUBJECT_VERB = re.compile(
    r"(?:\s*\([^()]{1,20}\))?"  # its acronym: "The Deutsche Umwelthilfe (DUH) sprach"
    r"(?:,(?:[^,;:\"“”«»]|(?<=\d),(?=\d)){1,100},|\s+(?:and|et|y|und)\s+[\w'’. -]{1,40}?)?\s+"
    rf"(?:(?:also|later|earlier|again|then)\s+)?(?:{unaccented(ACTS.pattern)})",
    re.IGNORECASE,
)


def acts_as_subject(forms: Sequence[str], sentence: Sentence) -> bool:
    """Is the actor (one of its forms) written in the sentence as the subject right before
    a verb of saying or acting ("the Lib Dems said", "La FNTR a dénoncé", "China opposes",
    "Greece and Turkey will"), not after a preposition or as an object? Stricter than
    `speaks`: the verb follows the name (an apposition or a co-subject between), and a
    name after "said" ("said the river was") is no subject."""
    text = unaccented(_plain(sentence))
    for form in (f for f in forms if f.strip()):
        for m in re.finditer(rf"(?<!\w){re.escape(unaccented(form))}(?!\w)", text, re.IGNORECASE):
            if _NOT_SUBJECT.search(fold_name(text[: m.start()]).rstrip()):
                continue
            if _SUBJECT_VERB.match(text, m.end()):
                return True
    return False


# Right after a subject (or its unit: "X's cyber unit"), an English verb in the past or
# the perfect: "the Department received", "X's unit has opened", "X had been warned"
_DID = re.compile(
    r"(?:'s?(?:\s+(?-i:[a-z]+)){1,3})?\s+(?:(?:has|have|had)\s+(?:been\s+)?)?(?-i:[a-z]+ed)\b",
    re.IGNORECASE,
)


def did_as_subject(forms: Sequence[str], sentence: Sentence) -> bool:
    """Is the actor (one of its forms) the subject of an English verb in the past or the
    perfect ("the Department of Health received", "X's cyber unit has opened"), not
    written after a preposition or as an object? Wider than `acts_as_subject`: any verb
    in -ed, not only one of saying or acting."""
    text = _plain(sentence)
    return any(
        not _NOT_SUBJECT.search(fold_name(text[: m.start()]).rstrip()) and _DID.match(text, m.end())
        for m in mentions(forms, text)
    )


def mentions(forms: Sequence[str], text: str) -> Iterator[re.Match[str]]:
    """Each place `text` writes one of the (non-blank) forms as whole words, form by form."""
    for form in (f for f in forms if f.strip()):
        yield from re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text)


# Verbs that tell what the speaker did with the words after them ("called for talks",
# "rejected the plan"), unlike "said": a statement keeps them
_REACTIONS = (
    r"called (?:for|on)|calls (?:for|on)|urged|warned|welcomed|praised|hailed|"
    r"critici[sz]ed|condemned|rejected|denounced|endorsed|opposed"
)
_REACTION = re.compile(rf"\b(?:{_REACTIONS})$", re.IGNORECASE)
# Verbs of saying, and of reacting in public ("welcomed", "criticised": a stance stated).
# Written after the speaker ("Jan Berg said", "Jan Berg, the union's
# head, told reporters") or before it ("said Jan Berg", "said a union leader, Jan Berg",
# "according to Jan Berg"); "told", "urged", "warned" before a name take an object
# ("Starmer told Putin"), not a speaker.
_SAYING = (
    r"said|says|told|tells|added|insisted|argued|stated|noted|explained|wrote|"
    rf"indicated|stressed|acknowledged|conceded|predicted|cautioned|{_REACTIONS}|"
    r"a (?:dit|déclaré|indiqué|expliqué|affirmé|estimé|souligné)|dijo|afirmó|declaró|"
    r"señaló|explicó|aseguró|indicó|sagte|erklärte|betonte"
)
_SAYS_AFTER = re.compile(
    rf"(?:,[^,;:\"“”«»]{{1,100}},)?\s+(?:(?:also|later|earlier|again)\s+)?(?:{_SAYING})\b",
    re.IGNORECASE,
)
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|added|according to|selon|según|laut|dijo|a dit|a déclaré|sagte|erklärte)"
    r"(?P<between>(?:\s+[\w'’.-]+){1,6},|(?:\s+(?-i:[a-z'’.-]+)){1,4}|"
    # "said Osland Bank's analyst", "said Marlow Partners' chief economist"
    r"(?:\s+(?-i:[A-Z][\w&.-]*)){1,4}'s?(?:\s+(?-i:[a-z'.-]+)){1,3})?\s+$",
    re.IGNORECASE,
)
# Words between "said" and the name that make the name no speaker: "said Rome would sign"
_NOT_BETWEEN = re.compile(r"\b(?:that|que|qu|dass|to|of|in|on|at|with|for|by|and)\b")


def quoted_person(name: str, sentences: Sequence[Sentence], ctx: GroundingContext) -> bool:
    """A person's name (`person_name`) that the article quotes as a speaker (`quoted`)."""
    return person_name(name, ctx) and quoted(name, sentences)


def only_after_of_or_in(forms: Sequence[str], text: str) -> bool:
    """Is every mention of the forms in `text` written after 'of', 'in', 'at' or 'from'
    (a few lowercase words between)? False when no form is written as it is in `text`."""
    at = [m.start() for m in mentions(forms, text)]
    return bool(at) and all(_OF_OR_IN.search(text[:i]) for i in at)


def person_name(name: str, ctx: GroundingContext) -> bool:
    """A person's name by its shape: two to four words, no 'of' or 'for', no leading
    article, not a body's or a wire agency's (not 'Syrian Observatory for Human Rights',
    'La Dépêche', 'Reuters'), a person by `participants.kind_of`."""
    words = name.split()
    if not 2 <= len(words) <= 4 or any(w in ("of", "for", "the") for w in words):
        return False
    if words[0].casefold() in LEADING_ARTICLES or news_agency(name):  # "La Dépêche"
        return False
    return kind_of(name, ctx.article.text) == "person"


def quoted(name: str, sentences: Sequence[Sentence]) -> bool:
    """Is the name, as written, the speaker of a verb of saying in one of the sentences
    ("Jan Berg said", "said a senior figure, Jan Berg", "according to Jan Berg")?"""
    return any(next(_as_speaker(name, _plain(s)), None) for s in sentences)


def _plain(sentence: Sentence) -> str:
    return sentence.text.replace("’", "'")


def _as_speaker(name: str, text: str) -> Iterator[tuple[re.Match[str], re.Match[str], bool]]:
    """Each place `text` writes `name` as the speaker of a verb of saying: the name's match,
    the verb's, and whether the verb comes after the name ("Jan Berg said") or before it
    ("said Jan Berg", "according to Jan Berg")."""
    for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
        if verb := _SAYS_AFTER.match(text, m.end()):
            yield m, verb, True
            continue
        before = _SAID_BEFORE.search(text[: m.start()])
        if before and not _NOT_BETWEEN.search(before.group("between") or ""):
            yield m, before, False


# What a speaker says, around the verb of saying: the object of "told" ("told reporters",
# "told Reuters") and a leading "that" are not part of it.
_TOLD_WHOM = re.compile(r"^\s*(?:the\s+)?[\w.'’-]+(?:\s+(?-i:[A-Z])[\w.'’-]*)*\s+", re.IGNORECASE)
_THAT = re.compile(r"^\s*(?:that|que|qu'|dass)\s*", re.IGNORECASE)
_EDGE_MARKS = " \t,;:.-–—"
_ACCORDING = re.compile(r"\b(?:according to|selon|según|laut)\b", re.IGNORECASE)
STATEMENT_MIN = 12  # characters: a shorter "statement" is no statement ("said on Friday")
STATEMENT_MAX = 120  # characters of a summary in a speaker's words ("…" marks a cut)


def in_own_words(name: str, said: str) -> str:
    """A position's summary made of what `name` is quoted saying: "X: <words>", cut at
    STATEMENT_MAX characters."""
    return cut_at_word(f"{name}: {said}", STATEMENT_MAX)


# Words after the verb that make it no statement: "wrote to leaders", "said on Friday"
_NOT_SAID = re.compile(r"^(?:to|on|in|at|with|for|about|of|from|after|before)\b", re.IGNORECASE)


def statement(name: str, sentence: Sentence) -> str | None:
    """What `name` says in `sentence` when it is written there as the speaker of a verb
    of saying (`quoted`): the words after "Jan Berg said (that)" / "Jan Berg told
    reporters", or the words before "..., said Jan Berg" / "..., according to Jan Berg";
    None when the sentence does not quote it."""
    text = _plain(sentence)
    for m, verb, after in _as_speaker(name, text):
        if after:
            said = text[verb.end() :]
            if verb.group(0).rstrip().casefold().endswith(("told", "tells")):
                said = _TOLD_WHOM.sub("", said, count=1)
            # nothing after the verb: the words before the name ("“It works,” Jan Berg said")
            ahead = text[: m.start()].rstrip()
            quote_ahead = _clean(ahead) if ahead.endswith(('"', "”", "»", ",")) else None
            said = _THAT.sub("", said, count=1)
            if reaction := _REACTION.search(verb.group(0)):  # what they did is part of it
                said = f"{reaction.group(0)} {said.lstrip()}"
            return _clean(said) or quote_ahead
        if _ACCORDING.search(verb.group(0)) and not text[: verb.start()].strip(_EDGE_MARKS):
            return _clean(text[m.end() :])  # "According to Jan Berg, the deal ..."
        return _clean(text[: verb.start()])
    return None


def _clean(said: str) -> str | None:
    said = " ".join(said.split()).strip(_EDGE_MARKS)
    if said.count('"') % 2:  # the quotation opened or closed outside the words kept
        said = said.strip('"').strip(_EDGE_MARKS) if said[0] == '"' or said[-1] == '"' else said
    for opening, closing in ('""', "“”", "«»"):
        inner = said[1:-1]
        wrapped = said[:1] == opening and said[-1:] == closing and closing not in inner
        if wrapped or said.count(opening) != said.count(closing):
            said = said.strip(opening + closing + " ").strip(_EDGE_MARKS)
    if len(said) < STATEMENT_MIN or _NOT_SAID.match(said):
        return None
    return said
