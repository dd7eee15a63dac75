"""Who speaks or acts in a sentence (grounding/rules/speakers.py). Invented sentences."""

from __future__ import annotations

import pytest

from communique.grounding.context import GroundingContext
from communique.grounding.rules.speakers import (
    acts_as_subject,
    only_after_of_or_in,
    quoted_person,
    speaks,
    statement,
)
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Ana Ruiz", "Ana Ruiz said the offer falls short."),
        ("Ana Ruiz", '"It falls short," said union leader Ana Ruiz.'),
        ("Dock Union", "The Dock Union, which represents 3,000 workers, rejected the offer."),
        ("ministry", "According to the ministry, the levy will pass."),
        ("Tom Berg", "Tom Berg a déclaré que le projet était prêt."),  # accents folded
        ("Mia Lund", "Mia Lund sagte, der Plan sei gut."),
    ],
)
def test_a_name_that_speaks_or_acts(name: str, text: str) -> None:
    assert speaks([name], split_sentences(text))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Geneva", "Talks in Geneva will resume on Monday."),
        ("Ivo Kamp", "Mayor Lena Holt challenged Ivo Kamp to sign the deal."),
        ("Halvergate", "HALVERGATE (communique) — Dockers rejected the offer on Friday."),
        ("Norvik", "Prices rose sharply."),
    ],
)
def test_a_name_that_neither_speaks_nor_acts(name: str, text: str) -> None:
    assert not speaks([name], split_sentences(text))


def test_an_alias_counts() -> None:
    text = "The minister met reporters. Berg said the levy was fair."
    assert speaks(["Tom Berg", "Berg"], split_sentences(text))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Ana Ruiz", "Ana Ruiz said the offer falls short."),
        ("Ana Ruiz", "Ana Ruiz, head of the dockers' union in the port, told reporters: no."),
        ("Ana Ruiz", '"It falls short," said a senior union figure, Ana Ruiz.'),
        ("Ana Ruiz", '"It holds off the pain," said its director Ana Ruiz.'),
        ("Ana Ruiz", "According to Ana Ruiz, the levy will pass."),
        ("Tom Berg", "« Le projet est prêt », a déclaré Tom Berg."),
        ("Mia Lund", "„Der Plan ist gut“, sagte Mia Lund."),
        ("Ana Ruiz", "Port chief Ana Ruiz welcomed the council's vote."),  # a reaction
        ("Ana Ruiz", "Ana Ruiz, the union's head, also criticised the levy."),
        ("Ana Ruiz", 'Osland\'s envoy Ana Ruiz called for talks, saying: "Now is the time."'),
    ],
)
def test_a_person_quoted_as_a_speaker(name: str, text: str) -> None:
    assert _quoted_person(name, text)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Ivo Kamp", "Mayor Lena Holt told Ivo Kamp to sign the deal."),  # the object
        ("Ivo Kamp", "Lena Holt said that Ivo Kamp would sign."),  # in what is said
        ("Ivo Kamp", "Ivo Kamp met the mayor on Monday."),  # acts, says nothing
        ("Marlow Observatory for Tides", "The Marlow Observatory for Tides said so."),  # a body
        ("Kamp", "Kamp said no."),  # one word: not shaped as a person's name
        ("La Gazette", "« Le projet est prêt », selon La Gazette."),  # a paper
        ("Marlow Steel Corp", "Marlow Steel Corp said it would bid."),  # a company
    ],
)
def test_not_a_person_quoted_as_a_speaker(name: str, text: str) -> None:
    assert not _quoted_person(name, text)


def _quoted_person(name: str, text: str) -> bool:
    sentences = split_sentences(text)
    return quoted_person(name, sentences, GroundingContext(Article(text=text), sentences, [name]))


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "Port Minister Ana Ruiz said the fee was fair and she hoped others would follow.",
            "the fee was fair and she hoped others would follow",
        ),
        (
            "Ana Ruiz, the union's head, told reporters that the strike would go on.",
            "the strike would go on",
        ),
        ('Deputy head Ana Ruiz told Osland Radio she was "not worried".', 'she was "not worried"'),
        (
            '"Compliance may be an issue," said Osland Bank\'s analyst Ana Ruiz.',
            "Compliance may be an issue",
        ),
        (
            "Ana Ruiz also indicated the port would not agree to the cap.",
            "the port would not agree to the cap",
        ),
        ("“It is a start for the port,” Ana Ruiz said.", "It is a start for the port"),
        (
            "According to Ana Ruiz, the levy will be cut next year.",
            "the levy will be cut next year",
        ),
        ("« C'est un marché de dupes », a déclaré Ana Ruiz.", "C'est un marché de dupes"),
        # a reaction keeps its verb: what she did with the words after it
        ("Ana Ruiz welcomed the council's vote.", "welcomed the council's vote"),
        ("Ana Ruiz called for a return to the talks.", "called for a return to the talks"),
        ("Ana Ruiz rejected the draft's port quotas.", "rejected the draft's port quotas"),
    ],
)
def test_what_a_quoted_speaker_says(text: str, said: str) -> None:
    assert statement("Ana Ruiz", split_sentences(text)[0]) == said


@pytest.mark.parametrize(
    "text",
    [
        "Ana Ruiz said on Friday.",  # a time, nothing said
        "Ana Ruiz wrote to the ministers inviting them to the talks.",  # "wrote to"
        "Harbour chairman Ana Ruiz said.",  # the words before are her title
        "Lena Holt said that Ana Ruiz would sign the deal.",  # she is in what is said
        "Ana Ruiz met the mayor and signed the deal.",  # acts, says nothing
    ],
)
def test_no_statement_where_the_name_is_not_the_speaker(text: str) -> None:
    assert statement("Ana Ruiz", split_sentences(text)[0]) is None


@pytest.mark.parametrize(
    ("text", "forms", "acts"),
    [
        ("But the Lib Dems said the plans were built on sand.", ["Lib Dems"], True),
        ("La FNTV a dénoncé un accord bâclé.", ["La FNTV"], True),
        ("Greece and Turkey will have to change the law.", ["Greece"], True),
        ("Ana Ruiz, the union's head, said it would sign.", ["Ana Ruiz"], True),
        ("Die Velsker Umwelthilfe (VUH) sprach sich dafür aus.", ["Velsker Umwelthilfe"], True),
        ("The Dock Union (DU), which has 3,000 members, welcomed it.", ["Dock Union"], True),
        # after "said", after a preposition, or before no verb of acting
        ("Ana Ruiz said the Kelvar was a river we are.", ["Kelvar"], False),
        ("Talks in Velsk went on.", ["Velsk"], False),
        ("Ana Ruiz challenged Osland to sign.", ["Osland"], False),
    ],
)
def test_acts_as_subject(text: str, forms: list[str], acts: bool) -> None:
    [sentence] = split_sentences(text)
    assert acts_as_subject(forms, sentence) is acts


@pytest.mark.parametrize(
    ("text", "forms", "after"),
    [
        ("Members of the Osland alliance would serve.", ["Osland"], True),
        ("It opposes the deployment of the Skyguard system.", ["Skyguard"], True),
        ("Ana Ruiz, an analyst at Osland Bank, said so.", ["Osland Bank"], True),
        ("Talks in Velsk and talks from Velsk", ["Velsk"], True),
        # once written elsewhere, or as the subject
        ("Osland said no to the talks in Osland.", ["Osland"], False),
        ("The Osland alliance will meet.", ["Osland"], False),
        ("Members of Osland Lines and Dorne Shipping will meet.", ["Dorne Shipping"], False),
        # a form not written as it is: not known to be only after "of"
        ("Members of the OSLAND alliance would serve.", ["Osland"], False),
    ],
)
def test_only_after_of_or_in(text: str, forms: list[str], after: bool) -> None:
    assert only_after_of_or_in(forms, text) is after
