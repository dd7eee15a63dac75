"""Stage 1 — the article: loading (text, or an HTML page's readable text), header parsing
and validation. Sentence numbering is in sentences.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ArticleError, UsageError
from .html import HTML_SUFFIXES, reduce_html

HEADER_KEYS = ("title", "date", "source", "id")
_HEADER_RE = re.compile(r"^(title|date|source|id):[ \t]*(.*)$", re.IGNORECASE)


class Article(BaseModel):
    """A news article: body text plus optional metadata."""

    model_config = ConfigDict(frozen=True)

    text: str = Field(description="Body of the article; evidence offsets index into it.")
    id: str | None = None
    title: str | None = None
    date: dt.date | None = None
    source: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def label(self) -> str:
        """A short name for messages: the id, else the start of the hash."""
        return self.id or self.sha256[:12]


def parse_article(raw: str, *, id: str | None = None) -> Article:
    """Parse text with optional leading `title:`/`date:`/`source:` lines."""
    meta: dict[str, str] = {}
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines):
        m = _HEADER_RE.match(lines[i])
        if not m:
            break
        meta[m.group(1).lower()] = m.group(2).strip()
        i += 1
    if meta and i < len(lines) and not lines[i].strip():
        i += 1
    body = "\n".join(lines[i:]).strip() if meta else raw.strip()
    parsed_date: dt.date | None = None
    if meta.get("date"):
        try:
            parsed_date = dt.date.fromisoformat(meta["date"][:10])
        except ValueError as exc:
            raise ArticleError(
                f"header 'date: {meta['date']}' is not an ISO date (YYYY-MM-DD)", article_id=id
            ) from exc
    article = Article(
        text=body,
        id=meta.get("id") or id,
        title=meta.get("title") or None,
        date=parsed_date,
        source=meta.get("source") or None,
    )
    check_article(article)
    return article


def check_article(article: Article, *, max_chars: int | None = None) -> None:
    """Raise ArticleError for input that cannot be summarized."""
    if not article.text.strip():
        raise ArticleError(
            "article is empty (no text after the header lines)", article_id=article.id
        )
    if "\x00" in article.text:
        raise ArticleError(
            "article looks like a binary file (contains NUL bytes)", article_id=article.id
        )
    if max_chars is not None and len(article.text) > max_chars:
        raise ArticleError(
            f"article is {len(article.text):,} characters; the limit is {max_chars:,} "
            "(COMMUNIQUE_MAX_ARTICLE_CHARS; longer than one call's context is fine: "
            "it is summarized in chunks).",
            article_id=article.id,
            limit=max_chars,
        )


def read_article_file(path: Path) -> Article:
    """Read a UTF-8 text file (or an .html/.htm page: its readable text) into an Article;
    a clear one-line error for every bad case."""
    if not path.exists():
        raise UsageError(f"no such file: {path}")
    if path.is_dir():
        raise UsageError(f"{path} is a directory; give a text file")
    try:
        data = path.read_bytes()
    except OSError as exc:  # no permission, vanished, a device that fails...
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if path.suffix.lower() in HTML_SUFFIXES:
        return html_article(data, id=path.stem)
    return decode_article(data, id=path.stem)


def decode_article(data: bytes, *, id: str | None) -> Article:
    if b"\x00" in data[:8192]:
        raise ArticleError("not a text file (contains NUL bytes)", article_id=id)
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        guess = legacy_encoding(data)
        raise ArticleError(
            f"not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            f"convert it, e.g. iconv -f {guess} -t UTF-8 FILE > FILE.utf8 ({guess} is a "
            "guess: `file -i FILE` may name its encoding)",
            article_id=id,
        ) from exc
    return parse_article(raw, id=id)


def legacy_encoding(data: bytes) -> str:
    """iconv's name of the likely 8-bit encoding of text that is not UTF-8: Windows-1252
    when it uses the bytes 0x80-0x9F that Latin-1 leaves to control codes (curly quotes,
    the euro sign), else Latin-1."""
    if any(0x80 <= b <= 0x9F for b in data):
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return "LATIN1"
        return "WINDOWS-1252"
    return "LATIN1"


def coerce_article(article: str | Path | Article) -> Article:
    """Accept an Article, a path to a text file, or the text itself."""
    if isinstance(article, Article):
        check_article(article)
        return article
    if isinstance(article, Path):
        return read_article_file(article)
    return parse_article(article)


def html_article(data: bytes, *, id: str) -> Article:
    """The readable text of an HTML page (its <article> or <body>), title and date."""
    shell = decode_article(data, id=id)  # the same NUL / UTF-8 / empty checks as text
    page = reduce_html(shell.text)
    return Article(text=page.text, id=id, title=page.title, date=page.date, source=page.source)
