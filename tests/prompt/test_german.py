"""German candidate names (prompt/german.py): every German noun is capitalised. All texts
are invented."""

from __future__ import annotations

from communique.ingest.sentences import split_sentences
from communique.prompt.candidates import find_candidates
from communique.prompt.german import ordinary_nouns, title

SPEED_LIMIT = (
    "BERLIN (communique) - Die Bundesregierung will ein Tempolimit von 130 Kilometern pro "
    "Stunde auf Autobahnen einführen. Verkehrsministerin Katrin Sommer stellte den "
    "Gesetzentwurf am Dienstag in Berlin vor.\n\n"
    "Der Bundestag soll im Januar über den Entwurf abstimmen. Das Kabinett hatte den Plan "
    "bereits gebilligt.\n\n"
    'Die Opposition lehnte den Vorschlag ab. "Ein Tempolimit ist eine Bevormundung", sagte '
    "der Fraktionschef der Liberalen, Jens Hartwig.\n\n"
    "Der Automobilclub ARK forderte aber Ausnahmen für gut ausgebaute Strecken, sagte "
    "ARK-Präsident Michael Brandt. Eine Sprecherin sagte, man werde den Entwurf prüfen. "
    "Nach Angaben des Ministeriums soll das Gesetz im Frühjahr 2027 in Kraft treten."
)
JOBS = (
    "Siemens kündigte am Montag an, 2.000 Stellen zu streichen. Die IG Metall kritisierte "
    "den Plan. Laut Siemens soll der Umbau bis 2027 dauern. Kanzler Scholz sagte, er "
    "verstehe die Sorgen. Die Türkei und Frankreich schwiegen. In Hamburg demonstrierten "
    "Beschäftigte."
)


def candidates(text: str) -> list[str]:
    return find_candidates(text, split_sentences(text))


def test_articles_titles_and_ordinary_nouns_are_not_names() -> None:
    found = candidates(SPEED_LIMIT)
    for name in [
        "Katrin Sommer",  # not "Verkehrsministerin Katrin Sommer"
        "Michael Brandt",  # not "ARK-Präsident Michael Brandt"
        "Jens Hartwig",
        "Bundesregierung",  # not "Die Bundesregierung"
        "Bundestag",
        "Kabinett",
        "Opposition",
        "Automobilclub ARK",
        "Berlin",
    ]:
        assert name in found, name
    for noun in [
        "Tempolimit",
        "Ein Tempolimit",
        "Kilometern",
        "Stunde",
        "Autobahnen",
        "Entwurf",
        "Ausnahmen",
        "Strecken",
        "Kraft",
        "Eine Sprecherin",
        "Sprecherin",
        "Fraktionschef",
        "Angaben des Ministeriums",
        "Die Bundesregierung",
    ]:
        assert noun not in found, noun


def test_a_word_that_acts_a_country_and_a_surname_after_a_title_are_names() -> None:
    found = candidates(JOBS)
    assert {"Siemens", "IG Metall", "Scholz", "Türkei", "Frankreich"} <= set(found)
    assert "Hamburg" not in found and "Beschäftigte" not in found  # a place, a noun


def test_compound_titles() -> None:
    assert all(title(w) for w in ["verkehrsministerin", "adac-präsident", "fraktionschef"])
    assert not any(title(w) for w in ["bundesregierung", "sommer", "tempolimit"])


def test_ordinary_nouns_keep_acronyms_bodies_and_surnames() -> None:
    text = "Der ADAC und der Bundesrat lehnten ab. Katrin Sommer sagte, Sommer bleibe dabei."
    found = ["ADAC", "Bundesrat", "Katrin Sommer", "Sommer", "Regelung"]
    assert ordinary_nouns(found, text) == {"Regelung"}


def test_english_articles_are_left_alone() -> None:
    text = "Reporters met in Geneva. Talks resumed. Ann Reid said the talks would go on."
    # only capitalised at a sentence start: an ordinary word in English
    assert candidates(text) == ["Ann Reid", "Geneva"]


def test_a_bare_reference_is_no_name_and_a_plural_that_acts_is_one() -> None:
    text = (
        "Die Grünen begrüßten den Vorschlag. Ihr Fraktionschef Jens Hartwig sagte, seine "
        "Partei werde zustimmen. Der Bauernverband schwieg. Verkehrsforscher Tom Keller "
        "sagte, das Limit helfe."
    )
    found = candidates(text)
    assert "Grünen" in found  # "Die Grünen begrüßten": a plural verb, a party that acts
    assert "Bauernverband" in found  # a compound body word names a body
    assert "Tom Keller" in found and "Verkehrsforscher Tom Keller" not in found
    assert "Partei" not in found  # "seine Partei": a reference, as "the party" is
