"""The word lists the grounding rules read names with, in one place.

Link words (the lower-case words inside a name), title and office words, organisation
and company words, thing and document words, news agencies. Each list is written once;
a list that is another one plus or minus a few words is derived from it, so a word
added to the base list reaches every rule that reads it. Lower case throughout (compare
folded or casefolded words).
"""

from __future__ import annotations

import unicodedata


def unaccented(word: str) -> str:
    """'comité' -> 'comite'."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


# --- Link words ---------------------------------------------------------------------

# Lower-case words inside a name ("Committee of the Red Cross", "Amis de la Baie").
NAME_LINKS = frozenset("of the and for de du des la le el del".split())
# ... also the Spanish and French "and" ("Asociación de Vecinos y Comerciantes").
NAME_GLUE = NAME_LINKS | {"y", "et"}
# What joins capitalised words into one candidate name ("Bank of England", "Las Palmas").
CONNECTORS = (NAME_LINKS - {"and"}) | {"los", "las"}
# Articles that may open a name ("La Dépêche du Midi", "Le Parisien").
LEADING_ARTICLES = frozenset("la le les el los las".split())
# A link after which a name's words are another name's end: "Bank of Marlow" does not
# widen "Marlow", "White Paper on Public Health" ends with "Public Health".
PART_LINKS = frozenset("of on for de du des del".split())
# Link words that make no initials ("European Union" -> "eu", "Bank of England" -> "be").
NOT_INITIALS = NAME_LINKS - {"for", "el", "del"}
# Link words two names may share without being related (an alias shares another word).
SHARED_LINKS = NAME_LINKS - {"for", "del"}


# --- Titles and offices ---------------------------------------------------------------

# What a person does for an organisation, written next to the name: "Liberal Party leader
# X", "a spokeswoman for the Union" (affiliation.py, roles.py, cues.py).
OFFICE_WORDS = frozenset(
    """leader chief head spokesman spokeswoman spokesperson president chairman chairwoman
    chair secretary minister director negotiator envoy ambassador member official lawmaker
    senator deputy boss founder commissioner executive economist analyst""".split()
)
# A title written before a name ("Russian President Vladimir Putin"), cut off candidates.
TITLE_WORDS = frozenset(
    """president prime minister chancellor king queen prince princess secretary general
    foreign interior defence defense finance trade economy health minister's senator sen
    rep representative governor mayor chairman chairwoman chair chief executive ceo
    councillor councilor alderman ambassador envoy special director commissioner spokesman
    spokeswoman spokesperson
    judge justice speaker leader deputy vice head mr mrs ms dr prof sir lord lady
    premier ministre préfète préfet présidente président presidente ministra ministro
    alcaldesa alcalde consejera consejero señor señora madame monsieur taoiseach tánaiste
    emir sheikh sultan pope cardinal archbishop imam ayatollah colonel admiral lieutenant
    sergeant commander attorney treasurer chairperson comptroller""".split()
)
# A title word, also in the plural: "Presidents Barack Obama and Vladimir Putin".
TITLE_FORMS = TITLE_WORDS | {f"{w}s" for w in TITLE_WORDS}
HONORIFICS = frozenset("mr mrs ms dr prof sir lord lady señor señora madame monsieur".split())
# The words a person's role is made of (roles.py): titles and offices, not honorifics;
# "member" links a person to an organisation (affiliation.py) but is no role alone.
ROLE_WORDS = (
    TITLE_WORDS
    | (OFFICE_WORDS - {"member"})
    | frozenset(
        "representative manager owner officer adviser advisor coordinator governor mayor".split()
    )
) - HONORIFICS
# Abbreviated titles a text may end on ('... said he believed Mr.'), as written.
ABBREVIATED_TITLES = frozenset(
    "Mr. Mrs. Ms. Dr. Prof. St. Gen. Sen. Rep. Gov. Lt. Col. Sgt.".split()
)
# Titles and link words that are not a name's significant last word when a name is
# looked for by that word (grounding.name_in_text).
NOT_A_NAMES_LAST_WORD = frozenset(
    "president prime minister chancellor king queen prince secretary general mr mrs ms dr "
    "sen senator rep governor mayor foreign defence defense state the of and de la le el "
    "premier ministre presidente ministro".split()
)


# --- Organisations and companies ------------------------------------------------------

_ORG_WORDS_WRITTEN = """union association bank council party alliance committee engineering
    organization organisation court federation service ministry government commission league
    chamber police department company corp inc ltd group cooperative front agency authority
    assembly parliament congress senate board institute foundation fund asociación partido
    gobierno comité collectif conseil société unión international club network coalition
    army movement militia brigade brigades forces""".split()
# Words that head an organisation's name (also used to guess a name's kind), as written
# and without accents: the kind checks compare folded names ("comite", "societe").
ORG_WORDS = frozenset(_ORG_WORDS_WRITTEN) | frozenset(map(unaccented, _ORG_WORDS_WRITTEN))
# A company's legal suffix: "Sears Holdings Corp" is "Sears Holdings" (cues, actors).
COMPANY_SUFFIXES = frozenset(
    "corp corporation inc incorporated ltd limited co plc llc sa ag".split()
)
# Words after which "of the" joins a longer name ("Committee of the Red Cross").
ORG_HEADS = ORG_WORDS | frozenset(
    "friends amis amigos cámara chambre ministère office university society movement "
    "coalition".split()
)
# A name's last word that a title word before it belongs to ("World Health
# Organization", "Meridian Health Accord"): no title is cut off before it.
NAMED_HEADS = ORG_HEADS | frozenset(
    "accord act agreement treaty pact bill fund report plan strategy programme program".split()
)
# Words after a name that make another body than the one the name alone is.
OWN_BODY_WORDS = ORG_WORDS | frozenset("holding holdings foundation trust institute".split())
# Words a company's full legal name adds to its short name: "Wal-Mart Stores Inc". Not
# "Holdings": a holding company may be another actor than the company it holds ("Sears").
CORPORATE_WORDS = frozenset("stores group brands companies industries".split())
# A group's last word, left out in its short name ("Nusra Front" and "Nusra").
GROUP_TAILS = frozenset({"front", "party", "movement", "group"})
# Agencies a story is sourced to ("(Reuters)", "told AFP"), folded.
NEWS_AGENCIES = frozenset(
    {
        "reuters",
        "thomson reuters",
        "ap",
        "associated press",
        "the associated press",
        "afp",
        "agence france-presse",
        "agence france presse",
        "bloomberg",
        "bloomberg news",
        "dpa",
        "ansa",
        "efe",
        "xinhua",
        "kyodo",
        "kyodo news",
        "tass",
        "interfax",
        "press association",
        "pa media",
        "upi",
        "united press international",
    }
)


# --- Things, places and texts ---------------------------------------------------------

# Words that make a capitalised span a thing or a place, not an actor ("Kelvar River").
THING_WORDS = frozenset(
    """river valley sea dam framework accord agreement plan bay lake mountain island street
    hall city port bridge road square centre center convention""".split()
)
# ... and the texts a story is about ("the Clean Air Act"), for names asked about.
THING_AND_LAW_WORDS = THING_WORDS | {"treaty", "deal", "law", "bill", "act"}
# A name ending in one of these is a text or a deal, not an actor ('Good Friday Agreement').
DOCUMENT_WORDS = frozenset(
    """agreement accord accords treaty deal pact plan paper bill law act framework protocol
    resolution charter directive regulation declaration memorandum""".split()
)
# The head of a longer name another one may end ('White Paper on Public Health', 'Bank of
# England').
LONGER_NAME_HEADS = (
    DOCUMENT_WORDS | ORG_WORDS | THING_WORDS | {"university", "school", "office", "bureau"}
)
