"""Who speaks or acts in a sentence (grounding/rules/speakers.py). Invented sentences."""

from __future__ import annotations

import pytest

from communique.grounding.rules.speakers import speaks
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
