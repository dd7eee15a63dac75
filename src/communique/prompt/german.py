"""German candidate names: every German noun is capitalised, so capital letters alone
find "Tempolimit", "Stunde" and "Kilometern" as well as "Bundestag" and "Katrin Sommer",
and a sentence opens a name with its article ("Die Bundesregierung", "Eine Sprecherin").

For an article in German (prompt/language.py), candidates.py uses these wording rules:
- a leading article, possessive or preposition is not part of a name ("Die
  Bundesregierung" -> "Bundesregierung", "Seine Partei" -> "Partei");
- a title, also a compound one ("Verkehrsministerin", "ADAC-Präsident", "Fraktionschef"),
  is cut off the name it precedes and is no name alone;
- a single word is an ordinary noun ("Tempolimit", "Stunde", "Ausnahmen"), not a name,
  unless it is an acronym ("ADAC"), a country or capital, a body ("Bundestag",
  "Bundesregierung", "Bauernverband", "Kabinett"; not a bare "Partei" or "Verband": a
  reference, as "the party" is in English), a person's surname (the last word of a longer
  candidate, or written after a title: "Kanzler Scholz"), or it speaks or acts ("Siemens
  kündigte an", "Volkswagen will", "laut Siemens"). A one-word company the article only
  mentions is lost: a name the model may list is one that takes part.
German forms are tested on invented articles only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..grounding.rules.capitals import is_capital, is_country

# Written before a name (or opening a sentence before one), never part of it; pronouns.
LEADS = frozenset(
    """der die das den dem des ein eine einer eines einem einen kein keine sein seine seiner
    seinem seinen ihr ihre ihrer ihrem ihren unser unsere dieser diese dieses diesem diesen
    jener jene nach laut bei beim mit von vom für auf aus im am zum zur ins gegen ohne über
    unter vor auch und aber doch denn ich du er sie es wir man""".split()
)
# A title, or the end of a compound one ("Verkehrsministerin", "ADAC-Präsident").
_TITLE = re.compile(
    r"(?:^|-|\w)(?:minister|ministerin|präsident|präsidentin|kanzler|kanzlerin|chef|chefin|"
    r"sprecher|sprecherin|vorsitzende|vorsitzender|bürgermeister|bürgermeisterin|direktor|"
    r"direktorin|leiter|leiterin|senator|senatorin|botschafter|botschafterin|gouverneur|"
    r"abgeordnete|abgeordneter|sekretär|sekretärin|generalsekretär|staatssekretär|"
    r"staatssekretärin|beauftragte|beauftragter|geschäftsführer|geschäftsführerin|"
    r"vorstand|forscher|forscherin|experte|expertin|analyst|analystin|ökonom|ökonomin|"
    r"wissenschaftler|wissenschaftlerin|professor|professorin|berater|beraterin|herr|frau)$"
)
_BODY = re.compile(
    r"\w(?:regierung|bundestag|landtag|rat|kammer|ministerium|amt|gericht|verband|partei|"
    r"kommission|gewerkschaft|kabinett|opposition|parlament|polizei|bundeswehr|armee|"
    r"behörde|konzern|bank|union|fraktion|senat|verwaltung|stiftung|institut|agentur|"
    r"koalition|bündnis|vereinigung|verein)$"
    # one word alone names a body only when it is one: "Kabinett", not "Partei", "Verband"
    # ("seine Partei", "der Verband": a reference, as "the party" is in English)
    r"|^(?:kabinett|bundestag|bundesrat|landtag|senat|parlament|bundeswehr|polizei|"
    r"bundesregierung|bundesverfassungsgericht)$"
)
# Countries and capitals as German writes them (capitals.py knows the English names).
_PLACES = frozenset(
    """deutschland frankreich russland italien spanien polen österreich schweiz türkei
    griechenland niederlande belgien großbritannien england schottland irland schweden
    norwegen dänemark finnland ungarn tschechien rumänien bulgarien kroatien serbien
    ukraine weißrussland belarus litauen lettland estland portugal luxemburg slowakei
    slowenien japan indien iran irak israel syrien ägypten libyen saudi-arabien usa
    vereinigte mexiko brasilien argentinien kanada australien südafrika nordkorea
    südkorea afghanistan pakistan europa brüssel moskau peking rom wien warschau prag
    kiew kyjiw paris london washington athen lissabon madrid ankara budapest""".split()
)
# A name that speaks or acts: "Siemens kündigte an", "Volkswagen will", "laut Siemens".
_ACTS_AFTER = (
    r"\b{word}\s+(?:sagte|sagten|sagt|erklärte|erklärten|erklärt|forderte|forderten|fordert|"
    r"kritisierte|kritisiert|lehnte|lehnten|lehnt|warnte|warnt|betonte|betont|kündigte|"
    r"kündigt|stimmte|stimmten|stimmt|unterstützt|unterstützte|begrüßte|begrüßt|teilte|"
    r"teilt|meldete|meldet|will|wollen|wollte|plant|planen|bietet|bot|übernimmt|übernahm|kauft|kaufte|verkauft|"
    r"verkaufte|einigte|einigten|schlug|schlägt|drohte|droht|beschloss|beschließt|"
    # plural forms: "Die Grünen begrüßten", "Die Bauern kritisieren"
    r"begrüßten|begrüßen|kritisierten|kritisieren|warnten|warnen|betonten|kündigten|"
    r"teilten|meldeten|planten|drohten|beschlossen|fordern|lehnen|sprachen|sprach)\b"
    r"|\b(?:laut|sagte|sagten|erklärte|erklärten)\s+{word}\b"
)


def title(word: str) -> bool:
    """A German title, also a compound one ('Verkehrsministerin', 'adac-präsident');
    `word` is folded to lower case by the caller."""
    return _TITLE.search(word) is not None


def lead(word: str) -> bool:
    """An article, possessive or preposition that opens a run of capitalised words."""
    return word in LEADS


def ordinary_nouns(found: Sequence[str], text: str) -> set[str]:
    """The single-word candidates in `found` that are ordinary nouns, not names: those
    that are not kept (`_kept`) and neither speak nor act in the text."""
    longer = [n.split() for n in found if len(n.split()) > 1]
    surnames = {words[-1] for words in longer}
    return {
        name
        for name in found
        if " " not in name
        and not _kept(name, surnames, text)
        and re.search(_ACTS_AFTER.format(word=re.escape(name)), text) is None
    }


def _kept(name: str, surnames: set[str], text: str) -> bool:
    folded = name.casefold()
    return (
        name.replace(".", "").isupper()  # an acronym: "ADAC", "SPD"
        or is_country(name)
        or is_capital(name)
        or folded in _PLACES
        or _BODY.search(folded) is not None
        or name in surnames
        or _after_title(name, text)
    )


def _after_title(name: str, text: str) -> bool:
    """'Kanzler Scholz', 'Ministerin Sommer': a title before it makes it a surname."""
    before = re.finditer(rf"([^\W\d_][\w-]*)\s+{re.escape(name)}\b", text)
    return any(title(m.group(1).casefold()) for m in before)
