from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from communique.errors import ArticleError, UsageError
from communique.ingest.article import (
    Article,
    check_article,
    coerce_article,
    decode_article,
    parse_article,
    read_article_file,
)
from communique.ingest.sentences import split_sentences


def test_header_lines_are_parsed_and_removed_from_the_body() -> None:
    a = parse_article("title: Deal reached\ndate: 2025-03-16\nsource: wire\n\nBody one. Body two.")
    assert (a.title, a.date, a.source) == ("Deal reached", dt.date(2025, 3, 16), "wire")
    assert a.text == "Body one. Body two."


def test_plain_text_without_header_is_the_body() -> None:
    a = parse_article("  Title-less text about a deal.  ")
    assert a.title is None and a.text == "Title-less text about a deal."


def test_bad_date_header_is_a_clear_error() -> None:
    with pytest.raises(ArticleError, match="not an ISO date"):
        parse_article("date: yesterday\n\nText.")


@pytest.mark.parametrize("raw", ["", "   \n\t ", "title: only a header\n\n"])
def test_empty_articles_are_rejected(raw: str) -> None:
    with pytest.raises(ArticleError, match="empty"):
        parse_article(raw)


def test_binary_and_invalid_utf8(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="NUL bytes"):
        decode_article(b"\x89PNG\r\n\x1a\n\x00\x00", id="img")
    with pytest.raises(ArticleError, match="not valid UTF-8"):
        decode_article("Café".encode("latin-1"), id="latin")


def test_missing_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        read_article_file(tmp_path / "nope.txt")
    with pytest.raises(UsageError, match="is a directory"):
        read_article_file(tmp_path)


def test_over_long_article_names_the_limit() -> None:
    with pytest.raises(ArticleError, match=r"limit is 1,000"):
        check_article(Article(text="x" * 1001), max_chars=1000)


def test_coerce_accepts_text_path_and_article(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("title: T\n\nSome text.", encoding="utf-8")
    assert coerce_article(f).title == "T"
    assert coerce_article("Some text.").text == "Some text."
    art = Article(text="Some text.", id="x")
    assert coerce_article(art) is art


def test_sentences_have_exact_offsets_and_respect_abbreviations(seed: Article) -> None:
    sentences = split_sentences(seed.text)
    assert all(seed.text[s.start : s.end] == s.text for s in sentences)
    assert [s.number for s in sentences] == list(range(1, len(sentences) + 1))
    # "the U.K. hosted" must not end a sentence
    assert any("U.K. hosted on Saturday" in s.text for s in sentences)
    assert sentences[-1].text.startswith("According to Starmer")


def test_sentence_split_on_quotes_and_paragraphs() -> None:
    text = 'He said: "No." She left.\n\nNew paragraph without stop\nNext'
    parts = [s.text for s in split_sentences(text)]
    assert parts == ['He said: "No."', "She left.", "New paragraph without stop\nNext"]


def test_a_german_dates_day_ends_no_sentence() -> None:
    text = "Der Rat tagt am 3. Juni 2027. Die Zahl stieg auf 45. August war ruhig."
    parts = [s.text for s in split_sentences(text)]
    assert parts == ["Der Rat tagt am 3. Juni 2027.", "Die Zahl stieg auf 45.", "August war ruhig."]
