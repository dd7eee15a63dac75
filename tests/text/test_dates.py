"""Time expressions: which phrases name a time, and the ISO date they resolve to."""

from __future__ import annotations

import datetime as dt

import pytest

from communique.text.dates import resolve_when, says_a_time, year_phrase


@pytest.mark.parametrize(
    ("phrase", "timed"),
    [
        ("next year", True),
        ("by March 31", True),
        ("before the debate", True),
        ("soon", True),
        ("yesterday", True),
        ("dans deux ans", True),
        ("London for an unprecedented meeting with", False),
        ("in the U.K.", False),
        ("if Ostmark commits to cutting its subsidies", False),
    ],
)
def test_says_a_time(phrase: str, timed: bool) -> None:
    assert says_a_time(phrase) is timed


def test_resolve_when_from_the_article_date() -> None:
    thursday = dt.date(2025, 3, 20)
    assert resolve_when("on Thursday", dt.date(2025, 3, 17)) == thursday
    assert resolve_when("by March 31", thursday) == dt.date(2025, 3, 31)
    assert resolve_when("next year", thursday) is None


def test_year_phrase_finds_how_the_article_words_a_year() -> None:
    text = "Offices go smoke-free by the end of 2026, and pubs in 2028."
    assert year_phrase("2026-12-31", text) == "by the end of 2026"
    assert year_phrase("2028", text) == "in 2028"
    assert year_phrase("2030", text) is None
    assert year_phrase("next week", text) is None
    assert year_phrase("8 p.m. (1900 GMT)", "Dinner starts at 8 p.m. (1900 GMT).") is None
