"""Time expressions: which phrases name a time, and the ISO date they resolve to."""

from __future__ import annotations

import datetime as dt

import pytest

from communique.text.dates import (
    dates_the_saying,
    find_time_expression,
    month_phrase,
    resolve_when,
    says_a_time,
    time_expressions,
    year_phrase,
)


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


# German forms, on invented sentences (no German article is measured).
MITTWOCH = dt.date(2027, 5, 19)  # a Wednesday


@pytest.mark.parametrize(
    ("when", "day"),
    [
        ("am 3. Juni 2027", dt.date(2027, 6, 3)),
        ("Dienstag, den 3. Juni", dt.date(2027, 6, 3)),
        ("bis zum 30. Juni", dt.date(2027, 6, 30)),
        ("12. März 2026", dt.date(2026, 3, 12)),
        ("am Dienstag", dt.date(2027, 5, 25)),
        ("am Dienstagabend", dt.date(2027, 5, 25)),
        ("am kommenden Montag", dt.date(2027, 5, 24)),
        ("Sonnabend", dt.date(2027, 5, 22)),
        ("heute", MITTWOCH),
        ("gestern", dt.date(2027, 5, 18)),
        ("morgen", dt.date(2027, 5, 20)),
        ("am Morgen", None),  # the morning, not tomorrow
        ("heute morgen", MITTWOCH),  # old spelling of "this morning"
        ("nächste Woche", None),
        ("nächsten Montag", None),
        ("vergangenen Montag", None),
    ],
)
def test_resolve_german_when(when: str, day: dt.date | None) -> None:
    assert resolve_when(when, MITTWOCH) == day


def test_german_time_expressions_as_written() -> None:
    text = (
        "Ministerin Anna Berger sagte am Dienstag, der Bundestag werde am 3. Juni 2027 "
        "über das Gesetz abstimmen."
    )
    assert [m.group(0) for m in time_expressions(text)] == ["am Dienstag", "am 3. Juni 2027"]
    assert find_time_expression("Der Verband legt nächste Woche Zahlen vor.") == "nächste Woche"
    assert find_time_expression("Ab dem 1. Juli gilt die Regel.") == "Ab dem 1. Juli"
    assert find_time_expression("Der Rat entscheidet morgen.") == "morgen"
    assert find_time_expression("Der Rat tagte am Morgen.") is None
    # English stays as it was: "am" is no German preposition before an English weekday
    assert find_time_expression("Talks resume at 10 am Friday.") == "Friday"


@pytest.mark.parametrize(
    ("phrase", "timed"),
    [
        ("bis Ende Juni", True),
        ("nächste Woche", True),
        ("in zwei Wochen", True),
        ("nach der Wahl", True),
        ("demnächst", True),
        ("bei Berlin", False),
    ],
)
def test_says_a_german_time(phrase: str, timed: bool) -> None:
    assert says_a_time(phrase) is timed


def test_year_phrase_in_german() -> None:
    assert year_phrase("2026-12-31", "Das Gesetz soll bis Ende 2026 gelten.") == "bis Ende 2026"
    assert year_phrase("2028", "Die Regel gilt im Jahr 2028.") == "im Jahr 2028"


@pytest.mark.parametrize(
    ("when", "text", "phrase"),
    [
        ("May", "Der Bundestag werde im Mai abstimmen.", "im Mai"),
        ("June 2031", "La loi entrera en vigueur en juin 2031.", "en juin 2031"),
        ("in May", "El Senado votará la ley en mayo.", "en mayo"),
        ("May", "It may pass in the spring.", None),  # the verb is no month
        ("next week", "Der Bundestag werde im Mai abstimmen.", None),
    ],
)
def test_a_translated_month_is_found_as_the_article_writes_it(
    when: str, text: str, phrase: str | None
) -> None:
    assert month_phrase(when, text) == phrase


@pytest.mark.parametrize(
    ("text", "dated"),
    [
        ("The minister said on Tuesday that talks will resume next week.", [True, False]),
        ("Anna Berger sagte am Dienstag, der Entwurf solle am 24. März kommen.", [True, False]),
        ("Talks will resume on Tuesday, he said.", [False]),
    ],
)
def test_a_time_right_after_a_verb_of_saying_dates_the_saying(text: str, dated: list[bool]) -> None:
    assert [dates_the_saying(text, m.start()) for m in time_expressions(text)] == dated
