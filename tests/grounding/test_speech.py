"""Reported speech (speech.py): who speaks in which sentence, as a table of cases."""

from __future__ import annotations

import pytest

from communique.grounding.rules.speech import quotation, speakers
from communique.ingest.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "candidates", "expected"),
    [
        ("Anna Berg said the plan was flawed.", ["Anna Berg"], {"Anna Berg": [1]}),
        ('"It is a bad plan," said Tom Ruiz.', ["Tom Ruiz"], {"Tom Ruiz": [1]}),
        (  # titles between the verb and the name
            '"We need more time," said Foreign Minister Lea Varga.',
            ["Lea Varga"],
            {"Lea Varga": [1]},
        ),
        (  # a description and a comma before the name
            '"It will fail," said a senior union figure, Piet Horn.',
            ["Piet Horn"],
            {"Piet Horn": [1]},
        ),
        (  # an appositive between the name and the verb
            "Mr Adams, the party's president, said he was hopeful.",
            ["Adams"],
            {"Adams": [1]},
        ),
        ("According to Olsen Bank, the deal is dead.", ["Olsen Bank"], {"Olsen Bank": [1]}),
        (  # French, with a parenthesis and an adverbial
            "Marc Dupin (CGT) a quant à lui évoqué « un compromis acceptable ».",
            ["Marc Dupin"],
            {"Marc Dupin": [1]},
        ),
        ("Pour l'Unostra, l'accord est mauvais.", ["Unostra"], {"Unostra": [1]}),
        ("El senador Luis Vega anunció el martes que votará.", ["Luis Vega"], {"Luis Vega": [1]}),
        ("Laut Karl Brenner ist der Plan gut.", ["Karl Brenner"], {"Karl Brenner": [1]}),
        ("Karl Brenner sagte, der Plan sei gut.", ["Karl Brenner"], {"Karl Brenner": [1]}),
        (  # "he said" speaks for the last speaker
            "Anna Berg said the plan was flawed. He said it would fail. Rain fell.",
            ["Anna Berg"],
            {"Anna Berg": [1, 2]},
        ),
        (  # the listener of "told" is not a speaker, nor is a news agency
            "Jan Holm told Reuters the talks would go on.",
            ["Jan Holm", "Reuters"],
            {"Jan Holm": [1]},
        ),
        (  # "said X must" without a quotation or a comma: X is spoken about
            "The minister said Anna Berg must resign.",
            ["Anna Berg"],
            {},
        ),
        (  # "said a company's analyst X": the company is not the speaker
            '"Prices will rise," said Olsen Bank\'s analyst Tom Ruiz.',
            ["Olsen Bank", "Tom Ruiz"],
            {"Tom Ruiz": [1]},
        ),
        (  # a surname joins the full name; "State" is the end of an office
            "Secretary of State John Kerry said talks would resume. Kerry added a warning.",
            ["State John Kerry", "Kerry"],
            {"John Kerry": [1, 2]},
        ),
        (  # a newspaper is the story's source, not a speaker
            "According to Le Courrier du Nord, Anna Berg said she would resign.",
            ["Le Courrier du Nord", "Anna Berg"],
            {"Anna Berg": [1]},
        ),
        ("The river rose in the night.", ["Anna Berg"], {}),
    ],
)
def test_speakers(text: str, candidates: list[str], expected: dict[str, list[int]]) -> None:
    found = speakers(split_sentences(text), candidates)
    assert {name: [s.number for s in said] for name, said in found.items()} == expected


def test_a_quotation_is_the_speakers_own_words_cut_at_a_word() -> None:
    assert quotation('"We will not sign this deal," she said.') == "We will not sign this deal"
    assert quotation("No quotation here.") is None
    long = quotation('"' + "word " * 40 + '"')
    assert long is not None and long.endswith("…") and len(long) <= 101
